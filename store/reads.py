"""Every read code outside store/ makes, on one open session, without writing SQL.

:class:`StoreReads` is what :meth:`Database.reading` yields (a consistent read-only snapshot) and
the read half of a :class:`~practice_alerts.store.UnitOfWork` (which adds the writes)::

    with database.reading() as reads:
        loaded = cache.load(reads, reference)

The SQLAlchemy session stays inside: nothing outside store/ receives one, so nothing outside can
run a query of its own or hold a session past its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import classifications as _classifications
from . import console as _console
from . import events as _events
from . import health_facts as _health_facts
from . import inbound as _inbound
from . import lease as _lease
from . import outbox as _outbox
from . import recent as _recent
from . import references as _references
from . import retention as _retention
from . import states as _states
from . import status as _status
from .policy_versions import StoredPolicy, get_policy_version
from .tables import OutboxMessage


class StoreReads:
    """Reads on one session: a reading snapshot, or a unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Alerts, their events, states and decided records.

    def alert(self, reference: str) -> _references.AlertRecord | None:
        return _references.get_alert(self._session, reference)

    def list_alerts(self, *, year: int | None = None) -> list[_references.AlertRecord]:
        return _references.list_alerts(self._session, year=year)

    def events(self, reference: str) -> list[_events.StoredEvent]:
        return _events.alert_events(self._session, reference)

    def events_from_inbound(self, inbound_id: int) -> list[_events.StoredEvent]:
        return _events.events_from_inbound(self._session, inbound_id)

    def events_of_type_since(self, event_type: str, since: dt.datetime) -> list[_events.StoredEvent]:
        return _recent.events_of_type_since(self._session, event_type, since)

    def state(self, reference: str) -> _states.StoredState | None:
        """The alert's stored state row (None before it is raised, or before an upgrade filled it in)."""
        return _states.get_state(self._session, reference)

    def list_states(self, *, status: str | None = None, open_only: bool = False,
                    raised_before: dt.datetime | None = None, active_since: dt.datetime | None = None,
                    due_before: dt.date | None = None) -> Iterator[_states.StoredState]:
        """Stored states, filtered; read them before the snapshot ends (the rows come as they are read)."""
        return _states.list_states(self._session, status=status, open_only=open_only, raised_before=raised_before,
                                   active_since=active_since, due_before=due_before)

    def alerts_without_state(self) -> list[str]:
        return _states.alerts_without_state(self._session)

    def due_for_clock(self, now: dt.datetime) -> list[str]:
        return _states.due_for_clock(self._session, now)

    def alert_decisions(self, reference: str) -> dict[int, _states.StoredDecision]:
        return _states.alert_decisions(self._session, reference)

    def records_changed_after(self, moment: dt.datetime) -> dict[str, list[tuple[dt.datetime, dict[str, Any]]]]:
        return _states.records_changed_after(self._session, moment)

    def state_texts(self, *, raised_before: dt.datetime | None = None,
                    active_since: dt.datetime | None = None) -> Iterator[tuple[int, int, str, str]]:
        """Each alert's stored state as JSON text, in reference order, streamed (for the reports)."""
        return _states.state_texts(self._session, raised_before=raised_before, active_since=active_since)

    def records_for_moments(self, moments: Sequence[dt.datetime], *, raised_before: dt.datetime | None = None,
                            active_since: dt.datetime | None = None,
                            ) -> Iterator[tuple[int, int, str, dt.datetime, dict[str, Any]]]:
        """The decided records the reports need to fold alerts as at ``moments``, in ``state_texts`` order."""
        return _states.records_for_moments(self._session, moments, raised_before=raised_before,
                                           active_since=active_since)

    def policy_version(self, version: str) -> StoredPolicy | None:
        return get_policy_version(self._session, version)

    def is_anonymised(self, reference: str) -> bool:
        return _retention.is_anonymised(self._session, reference)

    # Inbound mail.

    def inbound(self, inbound_id: int, *, lock: bool = False) -> _inbound.StoredInbound:
        return _inbound.get_inbound(self._session, inbound_id, lock=lock)

    def inbound_raw(self, inbound_id: int) -> bytes:
        return _inbound.inbound_raw(self._session, inbound_id)

    def find_inbound(self, mail: _inbound.InboundMail) -> _inbound.StoredInbound | None:
        return _inbound.find_inbound(self._session, mail)

    def unfinished_inbound(self, *, limit: int = 100, now: dt.datetime | None = None,
                           after_id: int = 0) -> list[_inbound.StoredInbound]:
        return _inbound.unfinished_inbound(self._session, limit=limit, now=now, after_id=after_id)

    def failed_inbound(self, *, limit: int = 100) -> list[_inbound.StoredInbound]:
        return _inbound.failed_inbound(self._session, limit=limit)

    def inbound_counts(self) -> dict[str, int]:
        return _status.inbound_counts(self._session)

    def classification(self, inbound_id: int) -> _classifications.StoredClassification | None:
        return _classifications.get_classification(self._session, inbound_id)

    def held_between(self, start: dt.datetime, end: dt.datetime) -> list[tuple[int, dt.datetime, str | None, bytes]]:
        """Quarantined messages received in [start, end): (id, received_at, outcome, first bytes)."""
        return _recent.held_between(self._session, start, end)

    def was_released(self, inbound_id: int) -> bool:
        """A person released this held message from the quarantine (the console log says so)."""
        return _console.was_released(self._session, inbound_id)

    # The outbox.

    def first_message_id(self, reference: str) -> str | None:
        """The Message-ID of the first message enqueued about the alert (later ones thread under it)."""
        return self._session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.alert_reference == reference)
                                    .order_by(OutboxMessage.id).limit(1))

    def outbox_has(self, message_id: str) -> bool:
        """Whether a message with this Message-ID was ever enqueued (sent or not)."""
        return _recent.outbox_has(self._session, message_id)

    def outbox_items(self, *, status: str | None = None) -> list[_outbox.OutboxItem]:
        return _outbox.outbox_items(self._session, status=status)

    def outbox_for_alert(self, reference: str) -> list[_outbox.OutboxItem]:
        return _outbox.outbox_for_alert(self._session, reference)

    def outbox_item(self, outbox_id: int) -> _outbox.OutboxItem | None:
        return _console.outbox_item(self._session, outbox_id)

    def given_up(self) -> list[_outbox.OutboxItem]:
        return _outbox.given_up(self._session)

    def sent_since(self, since: dt.datetime) -> list[tuple[tuple[str, ...], dt.datetime]]:
        """(envelope recipients, sent at) of every message sent after ``since``: the rate limit's history."""
        return _outbox.sent_since(self._session, since)

    # The console's log, the lease, retention and the figures.

    def held_messages(self, *, limit: int = 200) -> list[_inbound.StoredInbound]:
        return _console.held_messages(self._session, limit=limit)

    def troubled_outbox(self, *, limit: int = 200) -> list[_outbox.OutboxItem]:
        return _console.troubled_outbox(self._session, limit=limit)

    def entries_about(self, subject: str, *, action: str | None = None) -> list[_console.Entry]:
        return _console.entries_about(self._session, subject, action=action)

    def current_lease(self, name: str) -> _lease.LeaseState | None:
        return _lease.current_lease(self._session, name)

    def old_mail_count(self, *, before: dt.datetime) -> int:
        return _retention.old_mail_count(self._session, before=before)

    def retention_records(self) -> list[_retention.RetentionEntry]:
        return _retention.retention_records(self._session)

    def health_facts(self) -> _health_facts.HealthFacts:
        return _health_facts.health_facts(self._session)

    def status_facts(self, *, due_before: dt.date, shown: int) -> _status.StatusFacts:
        return _status.status_facts(self._session, due_before=due_before, shown=shown)
