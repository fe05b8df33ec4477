"""Inbound mail, stored exactly as received before anything acts on it.

Storing is idempotent: a message whose Message-ID, transport id (per transport) or SHA-256 of
its bytes is already stored returns the existing row (``is_new`` false) and changes nothing, so
re-reading a mailbox is harmless. A message is then moved, once, from ``received`` to a final
outcome; ``failed`` may be tried again. Transports must make ``transport_id`` stable and unique
(an IMAP id includes UIDVALIDITY, for instance).

The ``outcome`` text is for operators: it must not contain personal data (no child's name,
no quoted mail text) — say what happened ("form accepted as PA-2026-0003", "not a .docx").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import Any, Literal, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ._sql import is_postgresql, require_aware
from .errors import InboundStateError
from .tables import InboundMessage

InboundStatus = Literal["received", "processed", "quarantined", "failed"]
OUTCOME_MAX_CHARS = 2000

# From which statuses a message may move on; processed and quarantined are final.
_MAY_LEAVE: tuple[InboundStatus, ...] = ("received", "failed")


class InboundMail(BaseModel):
    """A message as a transport fetched it. ``message_id`` is read from ``raw`` when not given."""

    model_config = ConfigDict(frozen=True)

    transport: str = Field(min_length=1, max_length=40)
    transport_id: str | None = Field(default=None, max_length=500)
    raw: bytes = Field(min_length=1)
    message_id: str | None = None


class StoredInbound(BaseModel):
    """A stored inbound message (without its bytes: see :func:`inbound_raw`)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    transport: str
    transport_id: str | None
    message_id: str | None
    content_sha256: str
    size: int
    received_at: AwareDatetime
    status: InboundStatus
    outcome: str | None
    status_changed_at: AwareDatetime
    is_new: bool = False


def normalise_message_id(value: str | None) -> str | None:
    """``<id@host>`` with surrounding blanks and folding removed; None when there is none."""
    if value is None:
        return None
    core = "".join(str(value).split()).strip("<>")
    return f"<{core}>" if core else None


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header of a raw message, normalised, or None."""
    headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
    try:
        value = headers.get("Message-ID")
    except (IndexError, ValueError):  # a malformed header must not stop storage
        value = None
    return normalise_message_id(str(value)) if value else None


def store_inbound(session: Session, mail: InboundMail, *, now: dt.datetime) -> StoredInbound:
    """Store ``mail`` unless it is already stored; either way return its row."""
    require_aware("now", now)
    digest = hashlib.sha256(mail.raw).hexdigest()
    message_id = normalise_message_id(mail.message_id) or message_id_of(mail.raw)
    existing = _find_existing(session, mail, digest, message_id)
    if existing is not None:
        return StoredInbound.model_validate(existing)
    row = InboundMessage(
        transport=mail.transport,
        transport_id=mail.transport_id,
        message_id=message_id,
        content_sha256=digest,
        raw=mail.raw,
        size=len(mail.raw),
        received_at=now,
        status="received",
        outcome=None,
        status_changed_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another process stored the same message a moment ago (PostgreSQL only: SQLite
        # writers are serialised); its row is the one.
        existing = _find_existing(session, mail, digest, message_id)
        if existing is None:
            raise
        return StoredInbound.model_validate(existing)
    return StoredInbound.model_validate(row).model_copy(update={"is_new": True})


def _find_existing(
    session: Session, mail: InboundMail, digest: str, message_id: str | None
) -> InboundMessage | None:
    matches = [InboundMessage.content_sha256 == digest]
    if message_id is not None:
        matches.append(InboundMessage.message_id == message_id)
    if mail.transport_id is not None:
        matches.append(
            (InboundMessage.transport == mail.transport) & (InboundMessage.transport_id == mail.transport_id)
        )
    return session.scalars(select(InboundMessage).where(or_(*matches)).order_by(InboundMessage.id).limit(1)).first()


def get_inbound(session: Session, inbound_id: int, *, lock: bool = False) -> StoredInbound:
    """One stored message; ``lock`` holds its row until the transaction ends (PostgreSQL)."""
    query = (
        select(InboundMessage)
        .where(InboundMessage.id == inbound_id)
        .execution_options(populate_existing=True)
    )
    if lock and is_postgresql(session):
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise InboundStateError(f"No inbound message has the id {inbound_id}.")
    return StoredInbound.model_validate(row)


def inbound_raw(session: Session, inbound_id: int) -> bytes:
    """The exact bytes that were received."""
    raw = session.scalar(select(InboundMessage.raw).where(InboundMessage.id == inbound_id))
    if raw is None:
        raise InboundStateError(f"No inbound message has the id {inbound_id}.")
    return bytes(raw)


def set_inbound_status(
    session: Session,
    inbound_id: int,
    status: Literal["processed", "quarantined", "failed"],
    *,
    outcome: str,
    now: dt.datetime,
) -> StoredInbound:
    """Record how handling the message ended. Refuses a message already processed or quarantined,
    so two processes can never both complete the same message."""
    require_aware("now", now)
    if status not in ("processed", "quarantined", "failed"):
        raise ValueError(f"{status!r} is not a final inbound status")
    changed = cast(CursorResult[Any], session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status.in_(_MAY_LEAVE))
        .values(status=status, outcome=outcome[:OUTCOME_MAX_CHARS], status_changed_at=now),
        execution_options={"synchronize_session": False},
    )).rowcount
    current = get_inbound(session, inbound_id)
    if changed != 1:
        raise InboundStateError(
            f"Inbound message {inbound_id} is already {current.status}; it cannot become {status}."
        )
    return current


def unfinished_inbound(session: Session, *, limit: int = 100) -> list[StoredInbound]:
    """Messages stored but not yet handled to the end (``received``), oldest first: the work a
    restarted or newly leading process must pick up."""
    rows = session.scalars(
        select(InboundMessage)
        .where(InboundMessage.status == "received")
        .order_by(InboundMessage.id)
        .limit(limit)
    )
    return [StoredInbound.model_validate(row) for row in rows]


def failed_inbound(session: Session, *, limit: int = 100) -> list[StoredInbound]:
    """Messages whose handling failed, oldest first (to retry or show an administrator)."""
    rows = session.scalars(
        select(InboundMessage).where(InboundMessage.status == "failed").order_by(InboundMessage.id).limit(limit)
    )
    return [StoredInbound.model_validate(row) for row in rows]
