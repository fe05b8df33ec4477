"""Inbound retries and duplicates by Message-ID and content.

A message whose handling met a passing fault (a full disk, a lost connection) is tried again
later: ``attempts`` and ``next_attempt_at`` on the row. A Message-ID no longer has to be unique:
a second message reusing a stored Message-ID is a repeat only when its content (sender and
body) matches too, so a squatted Message-ID cannot hide a real message (``content_key``).

Revision ID: i12_inbound_retries
Revises: i11_record
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i12_inbound_retries"
down_revision: str | None = "i11_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("content_key", sa.String(64), nullable=True))
        batch.drop_constraint("uq_inbound_messages_message_id", type_="unique")
        batch.create_index("ix_inbound_messages_message_id", ["message_id"])


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_index("ix_inbound_messages_message_id")
        batch.create_unique_constraint("uq_inbound_messages_message_id", ["message_id"])
        batch.drop_column("content_key")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
