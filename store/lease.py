"""One active service at a time: a lease row with a holder and an expiry.

Decision: a lease row, not PostgreSQL advisory locks. It behaves the same on SQLite and
PostgreSQL, takes time as an argument (so takeover is tested without waiting), and survives a
connection drop that would silently release an advisory lock. The cost: a killed holder is
replaced only when its lease expires (choose ``ttl`` a few poll intervals long), and the
processes' clocks must roughly agree (same host, or NTP).

* The holder calls :func:`acquire_lease` every poll to renew; a standby calls it too and gets
  the lease once the holder's has expired (or was released). Each change of holder increments
  ``generation``.
* Every unit of work checks :func:`require_lease` inside its own transaction. On PostgreSQL
  that check holds a share lock on the lease row until commit, so a takeover waits for the
  work in progress and the old holder's later work is refused; on SQLite the write lock does
  the same. So a paused-then-resumed old holder can never commit after being replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from typing import Any, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import CursorResult, Table, case, select, update
from sqlalchemy.orm import Session

from ._sql import insert_for, is_postgresql, require_aware
from .errors import LeaseLostError
from .tables import ServiceLease

MAILBOX_LEASE = "mailbox"


class LeaseState(BaseModel):
    """Who holds a lease, since when, until when."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    name: str
    holder: str
    generation: int
    acquired_at: AwareDatetime
    expires_at: AwareDatetime


def new_holder_id() -> str:
    """A holder id unique to this process: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(
    session: Session, *, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta
) -> LeaseState | None:
    """Take or renew the lease until ``now + ttl``; None while someone else holds it unexpired.

    Commit promptly: on PostgreSQL the row stays locked until the transaction ends.
    """
    require_aware("now", now)
    table = cast(Table, ServiceLease.__table__)
    expires_at = now + ttl
    created = session.execute(
        insert_for(session, table)
        .values(name=name, holder=holder, generation=1, acquired_at=now, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(table.c.name)
    ).first()
    if created is None:
        is_mine = table.c.holder == holder
        session.execute(
            update(table)
            .where(table.c.name == name, is_mine | (table.c.expires_at <= now))
            .values(
                holder=holder,
                expires_at=expires_at,
                generation=case((is_mine, table.c.generation), else_=table.c.generation + 1),
                acquired_at=case((is_mine, table.c.acquired_at), else_=now),
            )
        )
    state = current_lease(session, name)
    return state if state is not None and state.holder == holder else None


def release_lease(session: Session, *, name: str, holder: str, now: dt.datetime) -> bool:
    """Give the lease up now (on a clean shutdown) so a standby need not wait for the expiry."""
    require_aware("now", now)
    table = cast(Table, ServiceLease.__table__)
    result = cast(CursorResult[Any], session.execute(
        update(table).where(table.c.name == name, table.c.holder == holder).values(expires_at=now)
    ))
    return result.rowcount == 1


def current_lease(session: Session, name: str) -> LeaseState | None:
    row = session.execute(select(ServiceLease.__table__).where(ServiceLease.__table__.c.name == name)).first()
    return LeaseState.model_validate(dict(row._mapping)) if row is not None else None


def require_lease(session: Session, *, name: str, holder: str) -> LeaseState:
    """Raise :class:`LeaseLostError` unless ``holder`` holds the lease; keep it until commit."""
    table = cast(Table, ServiceLease.__table__)
    query = select(table).where(table.c.name == name)
    if is_postgresql(session):
        query = query.with_for_update(read=True)
    row = session.execute(query).first()
    if row is None or row.holder != holder:
        raise LeaseLostError(
            f"This process ({holder}) does not hold the {name!r} lease; another service process took over."
        )
    return LeaseState.model_validate(dict(row._mapping))
