"""What the shell reads about alerts and mail inside one open session, without writing SQL.

:class:`StoreReads` is the read half of a :class:`~practice_alerts.store.UnitOfWork` (which adds
the writes). Code that reads the same things outside a step wraps a reading snapshot in one::

    with database.reading() as session:
        loaded = cache.load(StoreReads(session), reference)

The session stays private: code outside store/ passes it on but never looks inside it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import console as _console
from . import events as _events
from . import inbound as _inbound
from . import recent as _recent
from . import references as _references
from . import states as _states
from .policy_versions import (  # not the module: the package binds its name to a function
    StoredPolicy,
    get_policy_version,
)
from .tables import OutboxMessage


class StoreReads:
    """Reads on one session: a reading snapshot, or a unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def alert(self, reference: str) -> _references.AlertRecord | None:
        return _references.get_alert(self._session, reference)

    def events(self, reference: str) -> list[_events.StoredEvent]:
        return _events.alert_events(self._session, reference)

    def events_from_inbound(self, inbound_id: int) -> list[_events.StoredEvent]:
        return _events.events_from_inbound(self._session, inbound_id)

    def events_of_type_since(self, event_type: str, since: dt.datetime) -> list[_events.StoredEvent]:
        return _recent.events_of_type_since(self._session, event_type, since)

    def state(self, reference: str) -> _states.StoredState | None:
        """The alert's stored state row (None before it is raised, or before an upgrade filled it in)."""
        return _states.get_state(self._session, reference)

    def inbound(self, inbound_id: int, *, lock: bool = False) -> _inbound.StoredInbound:
        return _inbound.get_inbound(self._session, inbound_id, lock=lock)

    def inbound_raw(self, inbound_id: int) -> bytes:
        return _inbound.inbound_raw(self._session, inbound_id)

    def was_released(self, inbound_id: int) -> bool:
        """A person released this held message from the quarantine (the console log says so)."""
        return _console.was_released(self._session, inbound_id)

    def policy_version(self, version: str) -> StoredPolicy | None:
        return get_policy_version(self._session, version)

    def first_message_id(self, reference: str) -> str | None:
        """The Message-ID of the first message enqueued about the alert (later ones thread under it)."""
        return self._session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.alert_reference == reference)
                                    .order_by(OutboxMessage.id).limit(1))
