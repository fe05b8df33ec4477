"""Heartbeats: when something last happened (the last successful mailbox poll), one row per name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ._sql import insert_for, require_aware
from .tables import Heartbeat

LAST_POLL = "last-successful-poll"


def beat(session: Session, name: str, *, now: dt.datetime) -> None:
    """Record that ``name`` happened at ``now``."""
    require_aware("now", now)
    session.execute(insert_for(session, Heartbeat.__table__).values(name=name, at=now)
                    .on_conflict_do_update(index_elements=["name"], set_={"at": now}))


def last_beat(session: Session, name: str) -> dt.datetime | None:
    """When ``name`` last happened, or None if it never has."""
    return session.scalar(select(Heartbeat.at).where(Heartbeat.name == name))
