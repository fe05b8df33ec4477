"""Property tests: deadlines never land on a closed day, and counting round-trips."""

from __future__ import annotations

import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.workflow.calendar import WorkingCalendar

# A calendar with a Christmas shutdown every year of the range tested, and one long closure.
CLOSURES = [(dt.date(y, 12, 29), dt.date(y, 12, 31), "Christmas shutdown") for y in range(2020, 2036)]
CLOSURES.append((dt.date(2027, 7, 12), dt.date(2027, 7, 23), "office move"))
CALENDAR = WorkingCalendar.from_closures(CLOSURES)

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2034, 12, 31))
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2034, 12, 31), timezones=st.just(LONDON)
) | st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2034, 12, 31), timezones=st.just(dt.timezone.utc)
)
counts = st.integers(min_value=0, max_value=60)


# Checked against the holidays package directly, not through the calendar under test.
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2020, 2036))


def closed(day: dt.date) -> bool:
    return (
        day.weekday() >= 5
        or any(start <= day <= end for start, end, _ in CLOSURES)
        or day in BANK_HOLIDAYS
    )


@settings(max_examples=300, deadline=None)
@given(moments, counts)
def test_due_date_is_never_a_weekend_holiday_or_closure(received: dt.datetime, n: int) -> None:
    due = CALENDAR.due_date(received, n)
    assert not closed(due), f"{due} is a weekend, bank holiday or closure day"
    assert CALENDAR.is_working_day(due)
    assert due >= received.astimezone(LONDON).date()


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=60))
def test_add_then_measure_round_trips(start: dt.date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.working_days_between(start, end) == n
    # and end is the first day at which that count is reached
    assert CALENDAR.working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(days, counts)
def test_subtract_undoes_add_from_a_working_day(start: dt.date, n: int) -> None:
    start = CALENDAR.add_working_days(start, 0)
    assert CALENDAR.subtract_working_days(CALENDAR.add_working_days(start, n), n) == start


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=25),
       st.integers(min_value=0, max_value=400))
def test_time_out_neither_loses_nor_gains_a_working_day(
    received: dt.datetime, allowed: int, used: int, pause_length_days: int
) -> None:
    receipt = CALENDAR.receipt_day(received)
    due = CALENDAR.add_working_days(receipt, allowed)
    paused_on = CALENDAR.add_working_days(receipt, min(used, allowed))
    remaining = CALENDAR.remaining_working_days(paused_on, due)
    resume_at = dt.datetime.combine(paused_on + dt.timedelta(days=pause_length_days), dt.time(9, 30), tzinfo=LONDON)
    new_due = CALENDAR.resume_due_date(resume_at, remaining)

    days_used_before = CALENDAR.working_days_between(receipt, paused_on)
    days_given_after = CALENDAR.working_days_between(CALENDAR.receipt_day(resume_at), new_due)
    assert days_used_before + days_given_after == allowed
    assert not closed(new_due)


@given(st.dates(dt.date(2024, 1, 1), dt.date(2029, 12, 31)), st.integers(0, 900))
def test_counting_working_days_agrees_with_walking_day_by_day(start, span):
    end = start + dt.timedelta(days=span)
    walked = sum(CALENDAR.is_working_day(start + dt.timedelta(days=i)) for i in range(1, span + 1))
    assert CALENDAR.working_days_between(start, end) == walked
    assert CALENDAR.working_days_between(end, start) == 0
