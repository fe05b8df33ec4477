"""The first schema: reference counters, alerts, inbound mail, the event log, outbox, lease.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_APPEND_ONLY = "alert_events is append-only: record a correcting event instead"


def upgrade() -> None:
    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_reference_counters"),
    )
    op.create_table(
        "alerts",
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("reference", name="pk_alerts"),
        sa.UniqueConstraint("year", "number", name="uq_alerts_year_number"),
    )
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("transport_id", sa.String(500), nullable=True),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received_at", _MOMENT, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("status_changed_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_messages"),
        sa.UniqueConstraint("transport", "transport_id", name="uq_inbound_messages_transport_transport_id"),
        sa.UniqueConstraint("message_id", name="uq_inbound_messages_message_id"),
        sa.UniqueConstraint("content_sha256", name="uq_inbound_messages_content_sha256"),
        sa.CheckConstraint(
            "status IN ('received', 'processed', 'quarantined', 'failed')",
            name="ck_inbound_messages_known_status",
        ),
    )
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_reference", sa.String(20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("actor_email", sa.String(320), nullable=True),
        sa.Column("occurred_at", _MOMENT, nullable=False),
        sa.Column("recorded_at", _MOMENT, nullable=False),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alert_events"),
        sa.ForeignKeyConstraint(
            ["alert_reference"], ["alerts.reference"], name="fk_alert_events_alert_reference_alerts"
        ),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"],
            ["inbound_messages.id"],
            name="fk_alert_events_inbound_message_id_inbound_messages",
        ),
        sa.UniqueConstraint("alert_reference", "sequence", name="uq_alert_events_alert_reference_sequence"),
    )
    op.create_index("ix_alert_events_inbound_message_id", "alert_events", ["inbound_message_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.Column("alert_reference", sa.String(20), nullable=True),
        sa.Column("caused_by_event_id", sa.Integer(), nullable=True),
        sa.Column("envelope_from", sa.String(320), nullable=False),
        sa.Column("envelope_to", _JSON, nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _MOMENT, nullable=False),
        sa.Column("claimed_until", _MOMENT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.Column("sent_at", _MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["alert_reference"], ["alerts.reference"], name="fk_outbox_alert_reference_alerts"
        ),
        sa.ForeignKeyConstraint(
            ["caused_by_event_id"], ["alert_events.id"], name="fk_outbox_caused_by_event_id_alert_events"
        ),
        sa.UniqueConstraint("message_id", name="uq_outbox_message_id"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'gave_up')", name="ck_outbox_known_status"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_alert_reference", "outbox", ["alert_reference"])
    op.create_table(
        "service_leases",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("acquired_at", _MOMENT, nullable=False),
        sa.Column("expires_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_service_leases"),
    )
    _forbid_event_changes()


def _forbid_event_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION alert_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER alert_events_append_only BEFORE UPDATE OR DELETE ON alert_events "
            "FOR EACH ROW EXECUTE FUNCTION alert_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER alert_events_no_truncate BEFORE TRUNCATE ON alert_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION alert_events_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER alert_events_no_{action.lower()} BEFORE {action} ON alert_events "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS alert_events_no_truncate ON alert_events")
        op.execute("DROP TRIGGER IF EXISTS alert_events_append_only ON alert_events")
        op.execute("DROP FUNCTION IF EXISTS alert_events_append_only()")
    for table in ("service_leases", "outbox", "alert_events", "inbound_messages", "alerts", "reference_counters"):
        op.drop_table(table)
