"""Storing an alert's whole record at once (examples, tests, benchmarks and imports).

The service itself records one event at a time (``pipeline.record.apply_event``); this writes
events already decided elsewhere, with what was decided at each and the resulting state, the
same way, so what is read back cannot tell the difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from practice_alerts.pipeline.alerts import state_to_save
from practice_alerts.policies.schema import Policy
from practice_alerts.store import NewEvent, UnitOfWork
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.clock import next_clock_at
from practice_alerts.workflow.events import Event, dump_event
from practice_alerts.workflow.record import Decided, fold


def record_history(work: UnitOfWork, reference: str, events: Sequence[Event],
                   records: Sequence[Decided | Mapping[str, Any]], *, policy: Policy | None = None,
                   calendar: WorkingCalendar | None = None) -> None:
    """Append ``events`` with their decided ``records`` and store the state they fold to
    (with the clock's next moment when the policy and calendar are given)."""
    kept = [record.model_dump(mode="json") if isinstance(record, Decided) else dict(record) for record in records]
    items: list[tuple[NewEvent, dict[str, Any] | None]] = [
        (NewEvent(event_type=event.type, payload=dump_event(event), occurred_at=event.at, actor_email=event.by), data)
        for event, data in zip(events, kept, strict=True)]
    last_id = work.append_recorded(reference, items)
    state = fold(kept)
    if state is None:
        return
    version = kept[-1].get("policy_version")
    when = next_clock_at(state, policy, calendar) if policy is not None and calendar is not None else None
    work.save_state(reference, state_to_save(state, version=version, event_id=last_id, next_clock_at=when))
