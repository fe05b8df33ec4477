"""What-if: play an alert's events through ``decide``, running the clock in between.

Pure: the caller reads the scenario file, policy and directory; this module only decides. The
clock is run before every event and on every day at 09:00 (London) up to ``until``; clock events
are dated when they fell due, so the timeline shows the real dates of reminders, missed
deadlines and the ends of time-outs. A refused event is shown with its reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day, uk_moment, uk_time
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.clock import run_clock
from practice_alerts.workflow.context import Decision, Refused
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.state import AlertState

TICK = dt.time(9, 0)


class TimelineEntry(BaseModel):
    """One event applied; ``at`` is UK time (with its offset), as the people planning read it."""

    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    event: str
    by: str | None
    source: str
    """scenario (an event the scenario gave) or clock (a reminder, missed deadline or time-out end)."""
    state: str | None
    stage: str | None
    due: dt.date | None
    actions: list[dict[str, Any]]
    refused: str | None = None


class Simulation(BaseModel):
    model_config = ConfigDict(frozen=True)

    timeline: list[TimelineEntry]
    state: AlertState | None


def _entry(event: Event, source: str, state: AlertState | None, decision: Decision | None,
           refused: str | None = None) -> TimelineEntry:
    return TimelineEntry(
        at=uk_time(event.at), event=event.type, by=event.by, source=source, state=state.status.value if state else None,
        stage=state.stage if state else None, due=state.due if state else None,
        actions=[a.model_dump(mode="json") for a in decision.actions] if decision else [], refused=refused,
    )


def _ticks(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every day's 09:00 (London) after ``start`` up to ``end``."""
    ticks: list[dt.datetime] = []
    day = uk_day(start)
    while True:
        tick = uk_moment(day, TICK)
        if tick > end:
            return ticks
        if tick > start:
            ticks.append(tick)
        day += dt.timedelta(days=1)


def simulate(events: list[Event], policy: Policy, directory: DirectoryLike, calendar: WorkingCalendar,
             until: dt.datetime | None = None) -> Simulation:
    """Apply ``events`` (in time order) and the clock up to ``until`` (default: the last event)."""
    ordered = sorted(events, key=lambda e: e.at)
    timeline: list[TimelineEntry] = []
    state: AlertState | None = None

    def clock(now: dt.datetime) -> None:
        nonlocal state
        for event, decision in run_clock(state, policy, directory, calendar, now):
            state = decision.state
            timeline.append(_entry(event, "clock", state, decision))

    end = until or (ordered[-1].at if ordered else None)
    previous: dt.datetime | None = None
    for event in ordered:
        if previous is not None:
            for tick in _ticks(previous, event.at):
                clock(tick)
        clock(event.at)
        try:
            decision = decide(state, event, policy, directory, calendar, event.at)
        except Refused as exc:
            timeline.append(_entry(event, "scenario", state, None, refused=exc.reason))
        else:
            state = decision.state
            timeline.append(_entry(event, "scenario", state, decision))
        previous = event.at
    if previous is not None and end is not None and end > previous:
        for tick in _ticks(previous, end):
            clock(tick)
        clock(end)
    return Simulation(timeline=timeline, state=state)


def final_summary(state: AlertState | None, policy: Policy, calendar: WorkingCalendar, on: dt.date) -> dict[str, Any]:
    """Where the alert ended up, and how long the formal process took against the policy's target."""
    if state is None:
        return {"state": None, "stage": None, "due": None, "working_days_elapsed": 0,
                "target_working_days": policy.target_working_days, "within_target": True, "stages": [], "time_outs": []}
    elapsed = state.working_days_elapsed(calendar, on)
    return {
        "state": state.status.value,
        "stage": state.stage,
        "due": state.due.isoformat() if state.due else None,
        "remaining_days": state.remaining_days,
        "working_days_elapsed": elapsed,
        "target_working_days": policy.target_working_days,
        "within_target": elapsed <= policy.target_working_days,
        "formal_started_on": state.formal_started_on.isoformat() if state.formal_started_on else None,
        "reminders_sent": len(state.reminders_sent),
        "outcome": state.outcome,
        "stages": [
            {"stage": v.key, "recipient": v.recipient_email,
             **v.model_dump(mode="json", include={"name", "recipient_name", "sent_at", "due", "responded_at", "on_time",
                                                  "deadline_missed", "bypassed_from", "ended"})}
            for v in state.stages
        ],
        "time_outs": [t.model_dump(mode="json") for t in state.time_outs],
    }
