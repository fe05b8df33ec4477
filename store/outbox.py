"""The outbox: mail to send, written in the transaction of the event that caused it.

Only the sender sends. It works in three short transactions, never holding one open while
talking to a mail server:

1. ``claim_due(now=...)`` picks due messages (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
   senders never pick the same row), counts the attempt and marks each claimed until
   ``now + claim_for``;
2. it sends each claimed message;
3. ``mark_sent`` or ``mark_failed`` records the result. A failure is retried after an
   exponentially growing delay; after ``max_attempts`` the message is ``gave_up`` and listed by
   :func:`given_up` for an administrator. A permanent refusal (an SMTP 5xx) is given up at once
   by :func:`give_up`.

A sender that dies between 2 and 3 leaves its claim to expire, and the message is sent again:
delivery is at least once, and the repeated copy carries the same Message-ID, which is also the
outbox's unique key, so enqueueing the same message twice stores it once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from practice_alerts.rawmail.message_id import normalise_message_id

from ._sql import insert_for, require_aware
from .errors import StoreError
from .tables import OutboxMessage

ERROR_MAX_CHARS = 2000


class RetryPolicy(BaseModel):
    """How long to wait after each failed attempt, and when to give up."""

    model_config = ConfigDict(frozen=True)

    first_delay: dt.timedelta = dt.timedelta(minutes=1)
    factor: float = Field(default=2.0, ge=1.0)
    max_delay: dt.timedelta = dt.timedelta(hours=6)
    max_attempts: int = Field(default=8, ge=1)
    claim_for: dt.timedelta = dt.timedelta(minutes=10)

    def delay_after(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed attempt: 1 min, 2, 4, 8... capped."""
        seconds = self.first_delay.total_seconds() * self.factor ** max(attempts - 1, 0)
        return min(dt.timedelta(seconds=seconds), self.max_delay)


DEFAULT_RETRY = RetryPolicy()


class OutgoingMail(BaseModel):
    """A built message to send. ``message_id`` is the deterministic Message-ID in ``raw``."""

    model_config = ConfigDict(frozen=True)

    message_id: str = Field(min_length=3, max_length=998)
    purpose: str = Field(min_length=1, max_length=100, description="e.g. stage_letter; no personal data")
    envelope_from: str = Field(min_length=3, max_length=320)
    envelope_to: tuple[str, ...] = Field(min_length=1)
    raw: bytes = Field(min_length=1)
    alert_reference: str | None = None
    caused_by_event_id: int | None = None


class OutboxItem(BaseModel):
    """An outbox row: the message and where its delivery stands."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    message_id: str
    purpose: str
    alert_reference: str | None
    caused_by_event_id: int | None
    envelope_from: str
    envelope_to: tuple[str, ...]
    raw: bytes
    status: Literal["pending", "sent", "gave_up"]
    attempts: int
    next_attempt_at: AwareDatetime
    claimed_until: AwareDatetime | None
    last_error: str | None
    created_at: AwareDatetime
    sent_at: AwareDatetime | None


def enqueue(session: Session, mail: OutgoingMail, *, now: dt.datetime) -> OutboxItem:
    """Add ``mail`` to the outbox in the caller's transaction, due at once; a second enqueue of
    the same Message-ID returns the first row unchanged."""
    require_aware("now", now)
    message_id = normalise_message_id(mail.message_id) or mail.message_id
    session.execute(
        insert_for(session, OutboxMessage.__table__)
        .values(
            message_id=message_id,
            purpose=mail.purpose,
            alert_reference=mail.alert_reference,
            caused_by_event_id=mail.caused_by_event_id,
            envelope_from=mail.envelope_from,
            envelope_to=list(mail.envelope_to),
            raw=mail.raw,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["message_id"])
    )
    return _item_by_message_id(session, message_id)


def claim_due(
    session: Session, *, now: dt.datetime, limit: int, policy: RetryPolicy = DEFAULT_RETRY
) -> list[OutboxItem]:
    """Claim up to ``limit`` due messages for sending, oldest due first (commit before sending). A message
    whose attempts are used up is never claimed again: ``abandoned`` finds it, and the sender gives it up
    and tells people."""
    require_aware("now", now)
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.attempts < policy.max_attempts,
            OutboxMessage.next_attempt_at <= now,
            (OutboxMessage.claimed_until.is_(None)) | (OutboxMessage.claimed_until <= now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(due))
    if not ids:
        return []
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(claimed_until=now + policy.claim_for, attempts=OutboxMessage.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    return [_item(session, outbox_id) for outbox_id in ids]


ABANDONED = ("no answer: the service stopped during the last attempt, so the message may or may not have "
             "gone out; ask the recipient before sending it again")
"""Why a message whose last attempt was never reported is given up (the outbox's ``last_error``)."""


def abandoned(session: Session, *, now: dt.datetime, policy: RetryPolicy) -> list[OutboxItem]:
    """Messages whose last allowed attempt was claimed but never reported (the sender stopped mid-send)."""
    require_aware("now", now)
    ids = session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status == "pending",
        OutboxMessage.attempts >= policy.max_attempts,
        OutboxMessage.claimed_until <= now,
    ).order_by(OutboxMessage.id))
    return [_item(session, outbox_id) for outbox_id in ids]


def mark_sent(session: Session, outbox_id: int, *, now: dt.datetime) -> OutboxItem:
    """Record that the message went out (also if it had been given up on meanwhile)."""
    require_aware("now", now)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status != "sent")
        .values(status="sent", sent_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return _item(session, outbox_id)


def mark_failed(
    session: Session,
    outbox_id: int,
    *,
    now: dt.datetime,
    error: str,
    retry_after: dt.timedelta | None = None,
    policy: RetryPolicy = DEFAULT_RETRY,
    only_to: tuple[str, ...] | None = None,
) -> OutboxItem:
    """Record a failed attempt: retry after the back-off (or the transport's ``retry_after``,
    if longer), or give up when the attempts are used up. ``error`` must hold no personal data.
    ``only_to``: the server took it for the other recipients, so only these are tried again."""
    require_aware("now", now)
    item = _item(session, outbox_id)
    if item.status != "pending":
        return item
    if item.attempts >= policy.max_attempts:
        values: dict[str, object] = {"status": "gave_up", "claimed_until": None, "last_error": error[:ERROR_MAX_CHARS]}
    else:
        delay = max(policy.delay_after(item.attempts), retry_after or dt.timedelta(0))
        values = {"next_attempt_at": now + delay, "claimed_until": None, "last_error": error[:ERROR_MAX_CHARS]}
    if only_to:
        values["envelope_to"] = list(only_to)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _item(session, outbox_id)


def give_up(session: Session, outbox_id: int, *, now: dt.datetime, error: str,
            only_to: tuple[str, ...] | None = None) -> OutboxItem:
    """Give up on a message at once, whatever attempts are left: the server refused it for good (an
    SMTP 5xx). ``error`` must hold no personal data; ``only_to``: the server took it for the other
    recipients, so a retry goes to these alone. A message no longer pending is left as it is."""
    require_aware("now", now)
    values: dict[str, object] = {"status": "gave_up", "claimed_until": None, "last_error": error[:ERROR_MAX_CHARS]}
    if only_to:
        values["envelope_to"] = list(only_to)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "pending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _item(session, outbox_id)


def defer(session: Session, outbox_id: int, *, until: dt.datetime, reason: str) -> OutboxItem:
    """Release a claimed message unsent until ``until`` without using up an attempt (a held-back
    message is not a failure). ``reason`` must hold no personal data."""
    require_aware("until", until)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "pending")
        .values(claimed_until=None, next_attempt_at=until, attempts=OutboxMessage.attempts - 1,
                last_error=reason[:ERROR_MAX_CHARS])
        .execution_options(synchronize_session=False)
    )
    return _item(session, outbox_id)


def sent_since(session: Session, since: dt.datetime) -> list[tuple[tuple[str, ...], dt.datetime]]:
    """(envelope recipients, sent at) of every message sent after ``since``: the rate limit's history."""
    require_aware("since", since)
    rows = session.execute(select(OutboxMessage.envelope_to, OutboxMessage.sent_at)
                           .where(OutboxMessage.status == "sent", OutboxMessage.sent_at > since))
    return [(tuple(to), at) for to, at in rows if at is not None]  # sent rows always have sent_at


def retry_given_up(session: Session, outbox_id: int, *, now: dt.datetime) -> OutboxItem:
    """An administrator's "try again": a given-up message becomes due now with fresh attempts."""
    require_aware("now", now)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "gave_up")
        .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return _item(session, outbox_id)


def given_up(session: Session) -> list[OutboxItem]:
    """Messages the sender gave up on: an administrator must look at these."""
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "gave_up").order_by(OutboxMessage.id))
    return [OutboxItem.model_validate(row) for row in rows]


def outbox_items(session: Session, *, status: str | None = None) -> list[OutboxItem]:
    """Every outbox message (of one status, if given), in the order they were enqueued."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return [OutboxItem.model_validate(row) for row in session.scalars(query)]


def outbox_for_alert(session: Session, reference: str) -> list[OutboxItem]:
    """Every outbox message about one alert, in the order they were enqueued."""
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.alert_reference == reference).order_by(OutboxMessage.id)
    )
    return [OutboxItem.model_validate(row) for row in rows]


def _item(session: Session, outbox_id: int) -> OutboxItem:
    row = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id == outbox_id).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise StoreError(f"No outbox message has the id {outbox_id}.")
    return OutboxItem.model_validate(row)


def _item_by_message_id(session: Session, message_id: str) -> OutboxItem:
    row = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.message_id == message_id)
        .execution_options(populate_existing=True)
    ).one()
    return OutboxItem.model_validate(row)
