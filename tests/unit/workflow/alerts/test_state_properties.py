"""Properties of the fold: a time-out never gains or loses a working day; due dates are working days."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.workflow import WorkingCalendar, decide, parse_event

POLICY = load_policy("integrated_childrens_services")
CALENDAR = WorkingCalendar.for_policy(POLICY)
DAYS = POLICY.stage("level1").response_days

moments = st.builds(
    lambda day, minutes: dt.datetime.combine(dt.date(2026, 1, 1) + dt.timedelta(days=day), dt.time(7, 0))
    + dt.timedelta(minutes=minutes),
    st.integers(0, 700), st.integers(0, 14 * 60),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raised=moments, pause_after=st.integers(0, 8 * 24 * 60), length=st.integers(1, 40))
def test_time_out_keeps_exactly_the_working_days_left(wf, raised, pause_after, length):
    raised = raised.replace(tzinfo=wf.LONDON)
    paused = raised + dt.timedelta(minutes=pause_after)
    state = decide(None, parse_event({"type": "raised", "at": raised, "facts": wf.facts(start_stage="level1").model_dump()}),
                   POLICY, wf.DIRECTORY, CALENDAR, raised).state
    due = state.due
    assert CALENDAR.is_working_day(due)
    day0 = state.stages[0].received_on
    pause_day = uk_day(paused)
    if pause_day > due:
        return
    until = pause_day + dt.timedelta(days=length)
    event = parse_event({"type": "time_out", "at": paused, "until": until, "agreed_by": wf.IRO_TM})
    state = decide(state, event, POLICY, wf.DIRECTORY, CALENDAR, paused).state
    used = CALENDAR.working_days_between(day0, max(pause_day, day0))
    assert used + state.remaining_days == DAYS
    resumed_at = dt.datetime.combine(until, dt.time(0, 0), tzinfo=wf.LONDON)
    state = decide(state, parse_event({"type": "resume", "at": resumed_at}), POLICY, wf.DIRECTORY, CALENDAR, resumed_at).state
    assert CALENDAR.is_working_day(state.due)
    restart = CALENDAR.receipt_day(resumed_at)
    assert CALENDAR.working_days_between(restart, state.due) == DAYS - used
    # the formal clock counts the days used before the pause and none during it
    assert state.working_days_elapsed(CALENDAR, state.due) == DAYS
