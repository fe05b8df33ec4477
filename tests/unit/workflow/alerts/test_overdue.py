"""``AlertState.is_overdue(now, calendar)``: the one meaning of an overdue alert, at its boundaries.

Rutland's first stage has five working days: raised on Friday 6 March 2026, the response is due on
Friday 13 March.
"""

from __future__ import annotations

import datetime as dt


def _raised(wf, when: str = "2026-03-06 10:00"):
    alert = wf.Alert("rutland")
    alert.raise_(when)
    return alert


def test_not_overdue_on_the_due_day_itself(wf):
    alert = _raised(wf)
    assert alert.state.due == dt.date(2026, 3, 13)
    assert not alert.state.is_overdue(wf.at("2026-03-13 00:00"), alert.calendar)
    assert not alert.state.is_overdue(wf.at("2026-03-13 23:59"), alert.calendar)  # the cut-off plays no part
    assert not alert.state.is_overdue(alert.calendar.end_of_day(alert.state.due), alert.calendar)


def test_overdue_from_the_first_moment_of_the_day_after(wf):
    alert = _raised(wf)
    assert alert.state.is_overdue(wf.at("2026-03-14 00:00"), alert.calendar)


def test_overdue_over_the_weekend_after_a_friday_due_date(wf):
    """Calendar days, not working days: the Saturday and Sunday after the due date are already late."""
    alert = _raised(wf)
    assert alert.state.is_overdue(wf.at("2026-03-14 09:00"), alert.calendar)
    assert alert.state.is_overdue(wf.at("2026-03-15 09:00"), alert.calendar)
    assert alert.state.is_overdue(wf.at("2026-03-16 09:00"), alert.calendar)


def test_the_london_date_decides_not_the_utc_one(wf):
    alert = _raised(wf, "2026-06-05 10:00")  # British Summer Time
    due = alert.state.due
    just_before = dt.datetime.combine(due, dt.time(22, 59), tzinfo=dt.timezone.utc)  # 23:59 in London
    just_after = dt.datetime.combine(due, dt.time(23, 0), tzinfo=dt.timezone.utc)  # 00:00 the next London day
    assert not alert.state.is_overdue(just_before, alert.calendar)
    assert alert.state.is_overdue(just_after, alert.calendar)


def test_a_time_out_stops_the_clock_so_never_overdue(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", start_stage="level1")  # due 6 March
    assert alert.state.is_overdue(wf.at("2026-03-09 10:00"), alert.calendar)
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-04-30", agreed_by=wf.IRO_TM)
    assert alert.state.current.due == wf.d("2026-03-06")
    assert not alert.state.is_overdue(wf.at("2026-04-20 10:00"), alert.calendar)


def test_not_overdue_once_the_manager_has_responded(wf):
    alert = _raised(wf)
    alert.apply("response", "2026-03-16 10:00", by=wf.TM, text="Late, but here")
    assert not alert.state.is_overdue(wf.at("2026-03-17 10:00"), alert.calendar)


def test_still_overdue_while_the_iro_decides_after_a_missed_deadline(wf):
    alert = _raised(wf)
    alert.clock("2026-03-14 09:00")
    assert alert.state.current.deadline_missed
    assert alert.state.is_overdue(wf.at("2026-03-16 10:00"), alert.calendar)


def test_a_closed_alert_is_never_overdue(wf):
    alert = _raised(wf)
    alert.apply("close", "2026-03-06 11:00", by=wf.IRO, outcome="withdrawn")
    assert not alert.state.is_overdue(wf.at("2026-04-01 10:00"), alert.calendar)
