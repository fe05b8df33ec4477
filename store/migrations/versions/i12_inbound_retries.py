"""Inbound retries and duplicates by Message-ID and content.

A message whose handling met a passing fault (a full disk, a lost connection) is tried again
later: ``attempts`` and ``next_attempt_at`` on the row. A second message reusing a stored
Message-ID is a repeat only when its content (sender and body, ``content_key``) matches too, so a
squatted Message-ID cannot hide a real message; it is stored without the id (which stays unique).

Revision ID: i12_inbound_retries
Revises: i11_record
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i12_inbound_retries"
down_revision: str | None = "i15_console_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): rebuilding the table on SQLite would trip the foreign
    # keys of the rows that point at it.
    op.add_column("inbound_messages", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("inbound_messages", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("inbound_messages", sa.Column("content_key", sa.String(64), nullable=True))


def downgrade() -> None:
    for column in ("content_key", "next_attempt_at", "attempts"):
        op.drop_column("inbound_messages", column)
