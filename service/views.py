"""Alerts as programs and people read them: summaries built from stored states and records only.

Used by ``alert show``, ``alert list``, ``status`` (and the console to come). Nothing here
re-decides: the state is the stored one, the recipient and copies are those recorded when the
alert entered its stage. ``docs/json.md`` describes the JSON these produce.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from pydantic import AwareDatetime, BaseModel, ConfigDict

from practice_alerts.documents.from_alert import chronology
from practice_alerts.pipeline.alerts import event_of
from practice_alerts.store import StoredEvent, StoredState
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.events import EVENT_TYPES
from practice_alerts.workflow.record import Decided, RecordedPerson
from practice_alerts.workflow.state import AlertState, Status

NOTES = {"form_filed": "Form filed", "out_of_office": "Out-of-office reply from the stage recipient",
         "bounce": "A message could not be delivered", "comment": "Comment received",
         "refused": "Request refused (reason sent back)", "form_problem": "Form problem sent back",
         "policy_migrated": "Moved to the policy in force (policy migrate)",
         "delivery_failed": "A message from the service could not be delivered (LAC admin and the IRO told)"}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class EventView(_View):
    type: str
    at: AwareDatetime
    by: str | None
    summary: str
    status: str | None = None
    stage_name: str | None = None
    due: dt.date | None = None
    filled_at_migration: bool = False


class AlertView(_View):
    reference: str
    status: str
    open: bool
    stage: str | None
    stage_name: str | None
    due: dt.date | None
    overdue: bool
    recipient: RecordedPerson | None
    acting_for: str | None
    copies: tuple[RecordedPerson, ...] | None = None
    remaining_working_days: int | None
    working_days_elapsed: int
    target_working_days: int | None
    raised_at: AwareDatetime
    closed_at: AwareDatetime | None
    outcome: str | None
    team: str
    iro: RecordedPerson
    policy_version: str | None
    events: tuple[EventView, ...] | None = None


def alert_view(stored: StoredState, state: AlertState, calendar: WorkingCalendar, today: dt.date, *,
               target: int | None, stored_events: Iterable[StoredEvent] | None = None,
               decisions: dict[int, Decided] | None = None) -> AlertView:
    visit = state.current
    recipient = None
    if visit is not None and visit.recipient_email:
        recipient = RecordedPerson(email=visit.recipient_email, name=visit.recipient_name or "")
    events, copies = None, None
    if stored_events is not None:
        events, copies = _events(stored_events, decisions or {})
    return AlertView(
        reference=state.reference, status=state.status.value, open=state.is_open, stage=state.stage,
        stage_name=visit.name if visit is not None else None, due=state.due if state.is_open else None,
        overdue=state.is_overdue(calendar.end_of_day(today), calendar), recipient=recipient,
        acting_for=visit.holder_email if visit is not None else None, copies=copies,
        remaining_working_days=state.remaining_days if state.status is Status.TIMED_OUT else None,
        working_days_elapsed=state.working_days_elapsed(calendar, today), target_working_days=target,
        raised_at=state.raised_at, closed_at=state.closed_at, outcome=state.outcome,
        team=state.facts.team, iro=RecordedPerson(email=state.facts.iro_email, name=state.facts.iro_name),
        policy_version=stored.policy_version, events=events,
    )


def _events(stored_events: Iterable[StoredEvent], decisions: dict[int, Decided],
            ) -> tuple[tuple[EventView, ...], tuple[RecordedPerson, ...] | None]:
    views, copies, visits = [], None, 0
    for row in stored_events:
        record = decisions.get(row.id)
        if row.event_type in EVENT_TYPES:
            summary = chronology([event_of(row)], lambda _email: "")[0].what.splitlines()[0][:90]
        else:
            summary = NOTES.get(row.event_type, row.event_type.replace("_", " ").capitalize())
        tail = record.change.get("tail", {}).get("stages") if record is not None else None
        if record is not None and tail is not None:
            now_visits = tail["keep"] + len(tail["add"])
            if now_visits > visits:  # entered a stage: its copies are the ones the stage went to
                copies = record.copies
            visits = now_visits
        views.append(EventView(
            type=row.event_type, at=row.occurred_at, by=row.actor_email, summary=summary,
            status=record.status.value if record else None, stage_name=record.stage_name if record else None,
            due=record.due if record else None, filled_at_migration=record.filled_at_migration if record else False))
    return tuple(views), copies


def event_line(view: EventView, name_of: Callable[[str], str], local: Callable[[dt.datetime], dt.datetime]) -> str:
    """One line of the chronology for people: when (UK time), what, who, and where the alert was after it."""
    when = local(view.at).strftime("%d/%m/%Y %H:%M")
    who = (name_of(view.by) or view.by) if view.by else "Practice Alerts"
    line = f"{when}  {view.summary} - {who}"
    if view.status is not None:
        where = view.status + (f" at {view.stage_name}" if view.stage_name else "")
        due = f", due {view.due:%d/%m/%Y}" if view.due and view.status not in ("closed", "resolved") else ""
        line += f"  [{where}{due}]"
    return line
