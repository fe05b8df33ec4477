"""One transaction for one step of the service: everything a handled message changes, or nothing.

Typical use by the run loop, after the raw message was stored (``work.store_inbound`` in a unit of
work of its own, committed before anything acts on it)::

    with unit_of_work(database, now=now, lease=LeaseClaim(name=MAILBOX_LEASE, holder=me)) as work:
        work.start_inbound(inbound.id)             # locks it; refuses one already handled
        alert = work.create_alert()                # a new PA-YYYY-NNNN, or use an existing one
        event = work.append_event(alert.reference, NewEvent(...))
        work.enqueue(OutgoingMail(..., caused_by_event_id=event.id))
        work.finish_inbound(inbound.id, "processed", outcome="form accepted")

If anything inside raises (including :class:`LeaseLostError` or :class:`InboundStateError`),
the alert, the events, the outbox rows and the inbound status all roll back together. Every write
made outside store/ is one of these (storing mail, the sender's claims and marks, the lease):
no session leaves store/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from . import classifications as _classifications
from . import console as _console
from . import events as _events
from . import heartbeat as _heartbeat
from . import inbound as _inbound
from . import lease as _lease
from . import outbox as _outbox
from . import references as _references
from . import retention as _retention
from . import states as _states
from ._sql import require_aware
from .db import Database
from .errors import InboundStateError
from .policy_versions import keep_policy_version
from .reads import StoreReads


class LeaseClaim(BaseModel):
    """The lease a unit of work must run under: its name and this process's holder id."""

    model_config = ConfigDict(frozen=True)

    name: str
    holder: str


class UnitOfWork(StoreReads):
    """The operations allowed inside one transaction, all stamped with the same ``now``.

    The reads come from :class:`StoreReads`; the session is private to store/, so every step
    reads and writes through these methods and nothing else can slip outside the transaction.
    """

    def __init__(self, session: Session, now: dt.datetime) -> None:
        super().__init__(session)
        self.now = require_aware("now", now)

    def start_inbound(self, inbound_id: int) -> _inbound.StoredInbound:
        """Lock the stored message for this transaction; refuse it if already handled."""
        message = _inbound.get_inbound(self._session, inbound_id, lock=True)
        if message.status not in ("received", "failed"):
            raise InboundStateError(f"Inbound message {inbound_id} is already {message.status}.")
        return message

    def create_alert(self) -> _references.AlertRecord:
        return _references.create_alert(self._session, now=self.now)

    def append_event(self, reference: str, event: _events.NewEvent) -> _events.StoredEvent:
        return _events.append_event(self._session, reference, event, now=self.now)

    def save_state(self, reference: str, state: _states.StateToSave) -> None:
        _states.save_state(self._session, reference, state, now=self.now)

    def save_decision(self, reference: str, event_id: int, decided: dict[str, Any], *,
                      filled_at_migration: bool = False) -> None:
        _states.save_decision(self._session, reference, event_id, decided, filled_at_migration=filled_at_migration)

    def append_recorded(self, reference: str, items: list[tuple[_events.NewEvent, dict[str, Any] | None]]) -> int:
        return _states.append_recorded(self._session, reference, items, now=self.now)

    def enqueue(self, mail: _outbox.OutgoingMail) -> _outbox.OutboxItem:
        return _outbox.enqueue(self._session, mail, now=self.now)

    def beat(self, name: str) -> None:
        """Record that ``name`` (e.g. the last successful poll) happened now."""
        _heartbeat.beat(self._session, name, now=self.now)

    def defer(self, outbox_id: int, *, until: dt.datetime, reason: str) -> _outbox.OutboxItem:
        """Hold an outgoing message back until ``until`` without using up an attempt."""
        return _outbox.defer(self._session, outbox_id, until=until, reason=reason)

    def mark_failed(self, outbox_id: int, *, error: str, policy: _outbox.RetryPolicy,
                    retry_after: dt.timedelta | None = None,
                    only_to: tuple[str, ...] | None = None) -> _outbox.OutboxItem:
        """Record a failed send: back off, or give up when the attempts are used up."""
        return _outbox.mark_failed(self._session, outbox_id, now=self.now, error=error, retry_after=retry_after,
                                   policy=policy, only_to=only_to)

    def abandoned(self, policy: _outbox.RetryPolicy) -> list[_outbox.OutboxItem]:
        """Messages whose last attempt was never reported: to be given up, and people told."""
        return _outbox.abandoned(self._session, now=self.now, policy=policy)

    def give_up(self, outbox_id: int, *, error: str, only_to: tuple[str, ...] | None = None) -> _outbox.OutboxItem:
        """Give up on a message the server refused for good."""
        return _outbox.give_up(self._session, outbox_id, now=self.now, error=error, only_to=only_to)

    def keep_policy_version(self, version: str, policy_key: str, content: dict[str, Any]) -> None:
        keep_policy_version(self._session, version, policy_key, content, now=self.now)

    def record_classification(self, inbound_id: int, kind: str, record: dict[str, Any]) -> None:
        _classifications.record_classification(self._session, inbound_id, kind, record, now=self.now)

    def release_held(self, inbound_id: int, *, actor: str, reason: str) -> None:
        _console.release_held(self._session, inbound_id, actor=actor, reason=reason, now=self.now)

    def dismiss_held(self, inbound_id: int, *, actor: str, reason: str, action: str = _console.DISMISS,
                     outcome: str = "dismissed from the quarantine") -> None:
        _console.dismiss_held(self._session, inbound_id, actor=actor, reason=reason, now=self.now, action=action,
                              outcome=outcome)

    def retry_failed(self, outbox_id: int, *, actor: str, reason: str) -> _outbox.OutboxItem:
        return _console.retry_failed(self._session, outbox_id, actor=actor, reason=reason, now=self.now)

    def store_inbound(self, mail: _inbound.InboundMail) -> _inbound.StoredInbound:
        """Store a fetched message before anything acts on it (a repeat returns the stored row)."""
        return _inbound.store_inbound(self._session, mail, now=self.now)

    def retry_inbound_later(self, inbound_id: int, *, error: str,
                            policy: _inbound.InboundRetryPolicy) -> _inbound.StoredInbound:
        """A passing fault: keep the message ``received`` and try it again later (``failed`` when used up)."""
        return _inbound.retry_inbound_later(self._session, inbound_id, now=self.now, error=error, policy=policy)

    def retry_failed_inbound(self, inbound_id: int) -> _inbound.StoredInbound:
        return _inbound.retry_failed_inbound(self._session, inbound_id, now=self.now)

    def acquire_lease(self, *, name: str, holder: str, ttl: dt.timedelta) -> _lease.LeaseState | None:
        """Take or renew the lease until ``now + ttl``; None while someone else holds it unexpired."""
        return _lease.acquire_lease(self._session, name=name, holder=holder, now=self.now, ttl=ttl)

    def release_lease(self, *, name: str, holder: str) -> bool:
        return _lease.release_lease(self._session, name=name, holder=holder, now=self.now)

    def claim_due(self, *, limit: int, policy: _outbox.RetryPolicy = _outbox.DEFAULT_RETRY) -> list[_outbox.OutboxItem]:
        """Claim due messages for sending: commit (end the block) before sending them."""
        return _outbox.claim_due(self._session, now=self.now, limit=limit, policy=policy)

    def mark_sent(self, outbox_id: int) -> _outbox.OutboxItem:
        return _outbox.mark_sent(self._session, outbox_id, now=self.now)

    def retry_given_up(self, outbox_id: int) -> _outbox.OutboxItem:
        return _outbox.retry_given_up(self._session, outbox_id, now=self.now)

    def anonymise_alert(self, reference: str, *, rule: str,
                        extra: dict[str, Any] | None = None) -> _retention.RetentionEntry:
        return _retention.anonymise_alert(self._session, reference, now=self.now, rule=rule, extra=extra)

    def anonymise_old_mail(self, *, before: dt.datetime, rule: str) -> _retention.RetentionEntry | None:
        return _retention.anonymise_old_mail(self._session, before=before, now=self.now, rule=rule)

    def record_entry(self, *, actor: str, action: str, subject: str, reason: str = "") -> _console.Entry:
        """Add a line to the console's log (who did or looked at what, and why)."""
        return _console.record_entry(self._session, actor=actor, action=action, subject=subject, reason=reason,
                                     now=self.now)

    def finish_inbound(
        self,
        inbound_id: int,
        status: Literal["processed", "quarantined", "failed"],
        *,
        outcome: str,
    ) -> _inbound.StoredInbound:
        return _inbound.set_inbound_status(self._session, inbound_id, status, outcome=outcome, now=self.now)


@contextmanager
def unit_of_work(
    database: Database, *, now: dt.datetime, lease: LeaseClaim | None = None
) -> Iterator[UnitOfWork]:
    """Open one transaction (checking the lease first, if given); commit when the block ends."""
    require_aware("now", now)
    with database._write_session() as session:
        if lease is not None:
            _lease.require_lease(session, name=lease.name, holder=lease.holder)
        yield UnitOfWork(session, now)
