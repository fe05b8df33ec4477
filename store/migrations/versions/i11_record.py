"""The record stands on its own: decided facts per event, stored alert states, policy versions,
inbound classifications.

Events written before this revision have no decided facts; the service fills them in once, from
the directory and policy in force when it first starts after the upgrade, and marks them so
(``practice_alerts.pipeline.upgrade``).

Revision ID: i11_record
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "i11_record"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "alert_states",
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(100), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("next_clock_at", _MOMENT, nullable=True),
        sa.Column("policy_version", sa.String(64), nullable=True),
        sa.Column("raised_at", _MOMENT, nullable=False),
        sa.Column("closed_at", _MOMENT, nullable=True),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_event_at", _MOMENT, nullable=False),
        sa.Column("state", _JSON, nullable=False),
        sa.Column("updated_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["reference"], ["alerts.reference"], name="fk_alert_states_reference_alerts"),
        sa.PrimaryKeyConstraint("reference", name="pk_alert_states"),
    )
    op.create_index("ix_alert_states_status", "alert_states", ["status"])
    op.create_index("ix_alert_states_next_clock_at", "alert_states", ["next_clock_at"])
    op.create_index("ix_alert_states_raised_at", "alert_states", ["raised_at"])
    op.create_table(
        "event_decisions",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("alert_reference", sa.String(20), nullable=False),
        sa.Column("decided", _JSON, nullable=False),
        sa.Column("filled_at_migration", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["alert_events.id"], name="fk_event_decisions_event_id_alert_events"),
        sa.ForeignKeyConstraint(["alert_reference"], ["alerts.reference"],
                                name="fk_event_decisions_alert_reference_alerts"),
        sa.PrimaryKeyConstraint("event_id", name="pk_event_decisions"),
    )
    op.create_index("ix_event_decisions_alert_reference", "event_decisions", ["alert_reference"])
    op.create_table(
        "policy_versions",
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("policy_key", sa.String(100), nullable=False),
        sa.Column("content", _JSON, nullable=False),
        sa.Column("stored_at", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_policy_versions"),
    )
    op.create_table(
        "inbound_classifications",
        sa.Column("inbound_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record", _JSON, nullable=False),
        sa.Column("recorded_at", _MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["inbound_id"], ["inbound_messages.id"],
                                name="fk_inbound_classifications_inbound_id_inbound_messages"),
        sa.PrimaryKeyConstraint("inbound_id", name="pk_inbound_classifications"),
    )


def downgrade() -> None:
    op.drop_table("inbound_classifications")
    op.drop_table("policy_versions")
    op.drop_index("ix_event_decisions_alert_reference", table_name="event_decisions")
    op.drop_table("event_decisions")
    op.drop_index("ix_alert_states_raised_at", table_name="alert_states")
    op.drop_index("ix_alert_states_next_clock_at", table_name="alert_states")
    op.drop_index("ix_alert_states_status", table_name="alert_states")
    op.drop_table("alert_states")
