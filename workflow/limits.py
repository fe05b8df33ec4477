"""The whole process's limits: the overall limit (the IRO Handbook's 20 working days) and cumulative marks.

Both count working days of the formal process (the informal step and time-outs excluded, as
``AlertState.working_days_elapsed``). A stage with a cumulative mark (seed 003: "10 working days
from start of the challenge") is due on the earlier of its own days and the mark, but never
before the first working day after it was received: a manager always gets one working day.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy, Stage
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.state import AlertState


class Timescale(BaseModel):
    """What a stage letter says about time: its own due date, the mark, and the overall limit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    due: dt.date | None
    own_due: dt.date | None = None
    mark: int | None = None
    mark_due: dt.date | None = None
    process_day: int | None = None
    limit_days: int | None = None
    limit_falls_on: dt.date | None = None


def limit_days(policy: Policy) -> int | None:
    return policy.overall_limit.working_days if policy.overall_limit else None


def limit_falls_on(state: AlertState, policy: Policy, calendar: WorkingCalendar,
                   start: dt.date | None = None) -> dt.date | None:
    days = limit_days(policy)
    return None if days is None else state.process_day_date(calendar, days, start=start)


def timescale(state: AlertState | None, policy: Policy, calendar: WorkingCalendar, stage: Stage,
              received_on: dt.date, own_due: dt.date | None) -> Timescale:
    """The due date for ``stage`` received on ``received_on``, with the mark and the overall limit."""
    if stage.informal or state is None:
        return Timescale(due=own_due, own_due=own_due)
    start = None if state.clock else received_on
    process_day = state.working_days_elapsed(calendar, received_on)
    mark_due = None
    due = own_due
    if stage.by_working_day:
        reached = state.process_day_date(calendar, stage.by_working_day, start=start)
        floor = calendar.add_working_days(received_on, 1)
        mark_due = max(reached, floor) if reached else None
        if mark_due is not None and (due is None or mark_due < due):
            due = mark_due
    return Timescale(due=due, own_due=own_due, mark=stage.by_working_day, mark_due=mark_due,
                     process_day=process_day, limit_days=limit_days(policy),
                     limit_falls_on=limit_falls_on(state, policy, calendar, start))


def limit_sentence(process_day: int | None, days: int | None, falls_on: dt.date | None) -> str:
    """'This alert is on working day 6 of the 20-working-day limit for the whole process, which falls on ...'"""
    if days is None or process_day is None:
        return ""
    when = f", which falls on {falls_on.day} {falls_on:%B %Y}" if falls_on else ""
    if process_day > days:
        return (f"This alert is on working day {process_day}: it has passed the {days}-working-day limit for "
                f"the whole process{when}.")
    if process_day == 0:
        end = f"; it falls on {falls_on.day} {falls_on:%B %Y}." if falls_on else "."
        return f"The {days}-working-day limit for the whole process began when this alert was raised{end}"
    return f"This alert is on working day {process_day} of the {days}-working-day limit for the whole process{when}."
