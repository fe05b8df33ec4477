"""Retention: an alert's events may be anonymised once (never edited or deleted), and a record is kept.

The event log stays append-only. The one change the triggers now let through is anonymisation:
``payload`` becomes ``{"redacted": true}``, ``actor_email`` NULL and ``redacted_at`` is set, with
every other column unchanged, and only for an event not yet anonymised. So the history keeps its
shape (which events, of what type, when) without the personal data, and nothing can be rewritten.
``retention_records`` says what was removed, when and under which rule.

Revision ID: i16_retention
Revises: i11_record
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "i16_retention"
down_revision: str | None = "i11_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = "alert_events is append-only: record a correcting event instead"
_MOMENT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_SAME = ("NEW.id = OLD.id AND NEW.alert_reference = OLD.alert_reference AND NEW.sequence = OLD.sequence "
         "AND NEW.event_type = OLD.event_type AND NEW.occurred_at = OLD.occurred_at "
         "AND NEW.recorded_at = OLD.recorded_at")


def upgrade() -> None:
    if "redacted_at" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("alert_events")}:
        op.add_column("alert_events", sa.Column("redacted_at", _MOMENT, nullable=True))  # kept by a SQLite downgrade
    op.create_table(
        "retention_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("done_at", _MOMENT, nullable=False),
        sa.Column("alert_reference", sa.String(20), nullable=True),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("removed", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_records"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION alert_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL "
            f"AND {_SAME} AND NEW.inbound_message_id IS NOT DISTINCT FROM OLD.inbound_message_id "
            "AND NEW.payload = '{\"redacted\": true}'::jsonb AND NEW.actor_email IS NULL THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        return
    op.execute("DROP TRIGGER IF EXISTS alert_events_no_update")
    op.execute(
        "CREATE TRIGGER alert_events_no_update BEFORE UPDATE ON alert_events "
        f"WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND {_SAME} "
        "AND NEW.inbound_message_id IS OLD.inbound_message_id "
        "AND NEW.payload = '{\"redacted\": true}' AND NEW.actor_email IS NULL) "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION alert_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$")
    else:
        op.execute("DROP TRIGGER IF EXISTS alert_events_no_update")
        op.execute("CREATE TRIGGER alert_events_no_update BEFORE UPDATE ON alert_events "
                   f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END")
    op.drop_table("retention_records")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("alert_events", "redacted_at")
    # SQLite: the column stays (dropping it would rebuild a table others refer to); nothing reads it.
