"""The clock: which reminders, missed deadlines and time-out ends are due at ``now``.

Everything is derived from the state, so asking again is harmless: an event already applied is
not due any more. Each clock event is dated when it fell due (not when the clock happened to
run), so a late run gives the same dates as a punctual one:

* a reminder N working days before the due date: 09:00 (London) on that working day; reminders
  that would fall on or before the day the stage began are not sent, and when several are
  overdue only the latest is;
* a missed deadline: the first moment of the day after the due date (a reply on the due date
  is on time, whatever the hour);
* the end of a time-out: the first moment of its ``until`` day (the clock emits ``resume``);
* the overall limit (``policy.overall_limit``): 09:00 on each warning day before the day the whole
  process reaches its limit, and on that day; only the latest overdue one is sent.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_moment
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.context import Decision
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import DeadlineMissed, Event, OverallLimit, ReminderDue, Resume
from practice_alerts.workflow.limits import limit_falls_on
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.state import AlertState, Status

REMINDER_TIME = dt.time(9, 0)
MAX_CLOCK_STEPS = 50
"""A guard: one run of the clock never applies more events than this to one alert."""


def due_clock_events(state: AlertState | None, policy: Policy, calendar: WorkingCalendar,
                     now: dt.datetime) -> list[Event]:
    """The clock events due at ``now`` and not yet applied (at most one: apply it, then ask again)."""
    if state is None:
        return []
    due = [*_stage_events(state, policy, calendar, now), *_limit_events(state, policy, calendar, now)]
    return sorted(due, key=lambda e: e.at)[:1]


def _limit_events(state: AlertState, policy: Policy, calendar: WorkingCalendar, now: dt.datetime) -> list[Event]:
    rule = policy.overall_limit
    if rule is None or not state.clock_running or state.status not in (Status.AWAITING_RESPONSE, Status.AWAITING_DECISION):
        return []
    falls_on = limit_falls_on(state, policy, calendar)
    if falls_on is None:
        return []
    due: list[tuple[int, dt.datetime]] = []
    for days in sorted({0, *rule.warn_days_before}):
        moment = uk_moment(calendar.subtract_working_days(falls_on, days), REMINDER_TIME)
        if now >= moment and days not in state.limit_notices and moment >= uk_moment(state.clock[0].start):
            due.append((days, moment))
    if not due:
        return []
    days, moment = min(due)
    if any(sent < days for sent in state.limit_notices):
        return []
    return [OverallLimit(at=max(moment, state.last_event_at), days_before=days, falls_on=falls_on)]


def _stage_events(state: AlertState, policy: Policy, calendar: WorkingCalendar, now: dt.datetime) -> list[Event]:
    if state.status is Status.TIMED_OUT and state.time_outs:
        until = uk_moment(state.time_outs[-1].until)
        return [Resume(at=max(until, state.last_event_at))] if now >= until else []
    visit = state.current
    if state.status not in (Status.INFORMAL, Status.AWAITING_RESPONSE) or visit is None or state.due is None:
        return []
    if visit.responded_at is not None or visit.deadline_missed or visit.undelivered:
        return []
    if calendar.is_after(now, state.due):  # dated the first moment of the day after the due date
        missed_at = uk_moment(state.due + dt.timedelta(days=1))
        return [DeadlineMissed(at=max(missed_at, state.last_event_at), stage=state.stage, due=state.due)]
    if not visit.recipient_email or state.stage is None:
        return []
    day0 = state.day0
    due_now: list[tuple[int, dt.datetime]] = []
    for days in policy.reminders.days_before_due:
        day = calendar.subtract_working_days(state.due, days)
        moment = uk_moment(day, REMINDER_TIME)
        if (day0 is None or day > day0) and now >= moment and not state.reminded(state.stage, state.due, days):
            due_now.append((days, moment))
    if not due_now:
        return []
    days, moment = min(due_now)
    return [ReminderDue(at=max(moment, state.last_event_at), stage=state.stage, days_before=days)]


def run_clock(state: AlertState | None, policy: Policy, directory: DirectoryLike, calendar: WorkingCalendar,
              now: dt.datetime) -> list[tuple[Event, Decision]]:
    """Apply every clock event due at ``now``, one after another (a resume may make a reminder due)."""
    applied: list[tuple[Event, Decision]] = []
    for _ in range(MAX_CLOCK_STEPS):
        events = due_clock_events(state, policy, calendar, now)
        if not events:
            break
        decision = decide(state, events[0], policy, directory, calendar, now)
        applied.append((events[0], decision))
        state = decision.state
    return applied


def next_clock_at(state: AlertState | None, policy: Policy, calendar: WorkingCalendar) -> dt.datetime | None:
    """The first moment a clock event will fall due for this state (None: the clock has nothing to do).

    Stored with the alert's state so a pass finds what is due with one indexed query. Each
    candidate moment is checked with ``due_clock_events`` itself, so the two cannot disagree.
    """
    if state is None:
        return None
    candidates: list[dt.datetime] = []
    if state.status is Status.TIMED_OUT and state.time_outs:
        candidates.append(uk_moment(state.time_outs[-1].until))
    elif state.due is not None:
        candidates.append(uk_moment(state.due + dt.timedelta(days=1)))
        for days in policy.reminders.days_before_due:
            candidates.append(uk_moment(calendar.subtract_working_days(state.due, days), REMINDER_TIME))
    falls_on = limit_falls_on(state, policy, calendar) if policy.overall_limit and state.clock_running else None
    if falls_on is not None and policy.overall_limit is not None:
        for days in {0, *policy.overall_limit.warn_days_before}:
            candidates.append(uk_moment(calendar.subtract_working_days(falls_on, days), REMINDER_TIME))
    for moment in sorted(candidates):
        if due_clock_events(state, policy, calendar, moment):
            return moment
    return None
