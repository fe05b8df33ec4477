"""The console's log of page views and administrative actions on held and outgoing mail.

Revision ID: i15_console_log
Revises: i11_record
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15_console_log"
down_revision: str | None = "i16_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_email", sa.String(320), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_console_log"),
    )
    op.create_index("ix_console_log_action", "console_log", ["action"])
    op.create_index("ix_console_log_subject", "console_log", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_console_log_subject", table_name="console_log")
    op.drop_index("ix_console_log_action", table_name="console_log")
    op.drop_table("console_log")
