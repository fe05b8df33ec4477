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
import re
from typing import Any, Literal, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from practice_alerts.rawmail.message_id import header_block, message_id_of, normalise_message_id

from ._sql import is_postgresql, require_aware
from .errors import InboundStateError
from .tables import InboundMessage

InboundStatus = Literal["received", "processed", "quarantined", "failed"]
OUTCOME_MAX_CHARS = 2000
_FROM_LINE = re.compile(rb"^from[ \t]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.IGNORECASE | re.MULTILINE)

# From which statuses a message may move on; processed and quarantined are final.
_MAY_LEAVE: tuple[InboundStatus, ...] = ("received", "failed")


class InboundMail(BaseModel):
    """A message as a transport fetched it. ``message_id`` is read from ``raw`` when not given."""

    model_config = ConfigDict(frozen=True)

    transport: str = Field(min_length=1, max_length=40)
    transport_id: str | None = Field(default=None, max_length=500)
    raw: bytes
    """May be empty (a zero-length file in a Maildir): it is stored, then set aside as unreadable."""
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
    attempts: int = 0
    """Handling attempts that met a passing fault (the message is ``received`` and retried)."""
    next_attempt_at: AwareDatetime | None = None
    is_new: bool = False


class InboundRetryPolicy(BaseModel):
    """When a message whose handling met a passing fault is tried again, and when it is failed."""

    model_config = ConfigDict(frozen=True)

    first_delay: dt.timedelta = dt.timedelta(minutes=1)
    max_delay: dt.timedelta = dt.timedelta(hours=1)
    max_attempts: int = Field(default=10, ge=1)

    def delay_after(self, attempts: int) -> dt.timedelta:
        delay: dt.timedelta = self.first_delay * 2 ** max(attempts - 1, 0)
        return min(delay, self.max_delay)


def content_key_of(raw: bytes) -> str:
    """A digest of what a message says (its From header and its body, line endings aside):
    a relay adding a header keeps it, another sender or another text changes it."""
    head, body_start = header_block(raw)
    sender = _FROM_LINE.search(head)
    digest = hashlib.sha256(b" ".join((sender.group(1) if sender else b"").lower().split()) + b"\0")
    for start in range(body_start, len(raw), 1 << 20):
        digest.update(raw[start:start + (1 << 20)].replace(b"\r", b""))
    return digest.hexdigest()


def store_inbound(session: Session, mail: InboundMail, *, now: dt.datetime) -> StoredInbound:
    """Store ``mail`` unless it is already stored; either way return its row."""
    require_aware("now", now)
    digest = hashlib.sha256(mail.raw).hexdigest()
    message_id = normalise_message_id(mail.message_id) or message_id_of(mail.raw)
    content_key = content_key_of(mail.raw)
    existing = _find_existing(session, mail, digest, message_id, content_key)
    if existing is not None:
        return StoredInbound.model_validate(existing)
    if message_id is not None and session.scalar(
            select(InboundMessage.id).where(InboundMessage.message_id == message_id).limit(1)) is not None:
        message_id = None  # the same id with another sender or text: a new message, kept without the id
    row = InboundMessage(
        transport=mail.transport,
        transport_id=mail.transport_id,
        message_id=message_id,
        content_sha256=digest,
        content_key=content_key,
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
        existing = _find_existing(session, mail, digest, message_id, content_key)
        if existing is None:
            raise
        return StoredInbound.model_validate(existing)
    return StoredInbound.model_validate(row).model_copy(update={"is_new": True})


def _find_existing(
    session: Session, mail: InboundMail, digest: str, message_id: str | None, content_key: str
) -> InboundMessage | None:
    """The same bytes, the same transport id, or the same Message-ID *and* content: a message
    that reuses a stored Message-ID with another sender or text is a new message."""
    matches = [InboundMessage.content_sha256 == digest]
    if message_id is not None:
        matches.append((InboundMessage.message_id == message_id)
                       & ((InboundMessage.content_key == content_key) | InboundMessage.content_key.is_(None)))
        # one stored without its (squatted) id: recognised by its content with nothing but an id
        matches.append(InboundMessage.message_id.is_(None) & (InboundMessage.content_key == content_key))
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


def unfinished_inbound(session: Session, *, limit: int = 100, now: dt.datetime | None = None,
                       after_id: int = 0) -> list[StoredInbound]:
    """Messages stored but not yet handled to the end (``received``), oldest first: the work a
    restarted or newly leading process must pick up. With ``now``, only those due (a message
    waiting to be retried after a passing fault is left until its time)."""
    query = select(InboundMessage).where(InboundMessage.status == "received", InboundMessage.id > after_id)
    if now is not None:
        require_aware("now", now)
        query = query.where(InboundMessage.next_attempt_at.is_(None) | (InboundMessage.next_attempt_at <= now))
    rows = session.scalars(query.order_by(InboundMessage.id).limit(limit))
    return [StoredInbound.model_validate(row) for row in rows]


def retry_inbound_later(session: Session, inbound_id: int, *, now: dt.datetime, error: str,
                        policy: InboundRetryPolicy) -> StoredInbound:
    """Handling met a passing fault: the message stays ``received`` and is tried again after a
    growing delay; once the attempts are used up it is ``failed`` (a person may retry it).
    ``error`` must hold no personal data."""
    require_aware("now", now)
    current = get_inbound(session, inbound_id)
    if current.status != "received":
        return current
    attempts = current.attempts + 1
    if attempts >= policy.max_attempts:
        values: dict[str, object] = {"status": "failed", "attempts": attempts, "next_attempt_at": None,
                                     "status_changed_at": now,
                                     "outcome": f"failed after {attempts} attempts: {error}"[:OUTCOME_MAX_CHARS]}
    else:
        values = {"attempts": attempts, "next_attempt_at": now + policy.delay_after(attempts),
                  "outcome": f"retrying (attempt {attempts} met: {error})"[:OUTCOME_MAX_CHARS]}
    session.execute(update(InboundMessage).where(InboundMessage.id == inbound_id, InboundMessage.status == "received")
                    .values(**values), execution_options={"synchronize_session": False})
    return get_inbound(session, inbound_id)


def retry_failed_inbound(session: Session, inbound_id: int, *, now: dt.datetime) -> StoredInbound:
    """A person's "try again" (or the message moved back into the inbox): ``failed`` becomes
    ``received``, due now, with fresh attempts. Refuses any other status."""
    require_aware("now", now)
    changed = cast(CursorResult[Any], session.execute(
        update(InboundMessage).where(InboundMessage.id == inbound_id, InboundMessage.status == "failed")
        .values(status="received", attempts=0, next_attempt_at=None, status_changed_at=now,
                outcome="to be tried again"),
        execution_options={"synchronize_session": False})).rowcount
    current = get_inbound(session, inbound_id)
    if changed != 1:
        raise InboundStateError(f"Inbound message {inbound_id} is {current.status}, not failed: there is nothing "
                                "to retry.")
    return current


def failed_inbound(session: Session, *, limit: int = 100) -> list[StoredInbound]:
    """Messages whose handling failed, oldest first (to retry or show an administrator)."""
    rows = session.scalars(
        select(InboundMessage).where(InboundMessage.status == "failed").order_by(InboundMessage.id).limit(limit)
    )
    return [StoredInbound.model_validate(row) for row in rows]


def find_inbound(session: Session, mail: InboundMail) -> StoredInbound | None:
    """The stored row for ``mail`` if it is already stored (same bytes, Message-ID or transport id)."""
    message_id = normalise_message_id(mail.message_id) or message_id_of(mail.raw)
    row = _find_existing(session, mail, hashlib.sha256(mail.raw).hexdigest(), message_id, content_key_of(mail.raw))
    return StoredInbound.model_validate(row) if row is not None else None
