"""Heartbeats: the last successful poll gets its own small table instead of a lease row.

Revision ID: i10_heartbeats
Revises: i12_inbound_retries
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i10_heartbeats"
down_revision: str | None = "i12_inbound_retries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LAST_POLL = "last-successful-poll"


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_heartbeats"),
    )
    # The last poll was kept as a zero-length lease whose expiry was the poll time: carry it over.
    op.execute(sa.text("INSERT INTO heartbeats (name, at) SELECT name, expires_at FROM service_leases "
                       "WHERE name = :name").bindparams(name=_LAST_POLL))
    op.execute(sa.text("DELETE FROM service_leases WHERE name = :name").bindparams(name=_LAST_POLL))


def downgrade() -> None:
    op.execute(sa.text("INSERT INTO service_leases (name, holder, generation, acquired_at, expires_at) "
                       "SELECT name, 'heartbeat', 1, at, at FROM heartbeats WHERE name = :name")
               .bindparams(name=_LAST_POLL))
    op.drop_table("heartbeats")
