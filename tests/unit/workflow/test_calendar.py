"""Working-day arithmetic: the official bank holidays, receipt rules, closures and worked examples."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.workflow.calendar import WorkingCalendar, bank_holiday_name

D = dt.date

# GOV.UK "UK bank holidays", England and Wales, 2022-2027, written out by hand. Only the days
# the offices close are listed: where a holiday falls at a weekend, the substitute day is given.
OFFICIAL_ENGLAND_AND_WALES = {
    2022: ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
           "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"],
    2023: ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
           "2023-08-28", "2023-12-25", "2023-12-26"],
    2024: ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
           "2024-12-25", "2024-12-26"],
    2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
           "2025-12-25", "2025-12-26"],
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
           "2026-12-25", "2026-12-28"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
           "2027-12-27", "2027-12-28"],
}

PLAIN = WorkingCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize("year", sorted(OFFICIAL_ENGLAND_AND_WALES))
def test_weekday_bank_holidays_match_the_official_list(year: int) -> None:
    days = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    closed_weekdays = [d for d in days if d.year == year and d.weekday() < 5 and not PLAIN.is_working_day(d)]
    assert [d.isoformat() for d in closed_weekdays] == OFFICIAL_ENGLAND_AND_WALES[year]


def test_special_one_off_holidays_are_named() -> None:
    assert "Jubilee" in (bank_holiday_name(D(2022, 6, 3)) or "")
    assert "Funeral" in (bank_holiday_name(D(2022, 9, 19)) or "")
    assert "Coronation" in (bank_holiday_name(D(2023, 5, 8)) or "")
    assert bank_holiday_name(D(2026, 4, 6)) == "Easter Monday"


def test_any_year_is_covered_not_only_the_first_one_asked() -> None:
    assert not PLAIN.is_working_day(D(2040, 12, 25))
    assert not PLAIN.is_working_day(D(2031, 4, 14))  # Easter Monday 2031
    assert PLAIN.is_working_day(D(2031, 4, 15))


def test_christmas_example_from_the_brief() -> None:
    assert PLAIN.due_date(at("2026-12-21T10:00"), 5) == D(2026, 12, 30)


def test_received_after_cut_off_counts_from_the_next_working_day() -> None:
    assert PLAIN.receipt_day(at("2026-03-10T17:00")) == D(2026, 3, 10)
    assert PLAIN.receipt_day(at("2026-03-10T17:00:01")) == D(2026, 3, 11)
    assert PLAIN.due_date(at("2026-03-10T16:59"), 5) == D(2026, 3, 17)
    assert PLAIN.due_date(at("2026-03-10T17:30"), 5) == D(2026, 3, 18)


def test_friday_evening_and_weekend_receipt_counts_from_monday() -> None:
    assert PLAIN.receipt_day(at("2026-03-13T18:00")) == D(2026, 3, 16)
    assert PLAIN.receipt_day(at("2026-03-14T09:00")) == D(2026, 3, 16)
    assert PLAIN.due_date(at("2026-03-14T09:00"), 5) == D(2026, 3, 23)


def test_easter_weekend() -> None:
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are holidays.
    assert PLAIN.due_date(at("2026-04-02T11:00"), 5) == D(2026, 4, 13)
    assert PLAIN.receipt_day(at("2026-04-03T11:00")) == D(2026, 4, 7)


def test_cut_off_uses_london_time_not_utc() -> None:
    # 16:30 UTC in July is 17:30 in London (BST): after the cut-off.
    summer = dt.datetime(2026, 7, 7, 16, 30, tzinfo=dt.timezone.utc)
    assert PLAIN.receipt_day(summer) == D(2026, 7, 8)
    # 16:30 UTC in January is 16:30 in London (GMT): before it.
    winter = dt.datetime(2026, 1, 7, 16, 30, tzinfo=dt.timezone.utc)
    assert PLAIN.receipt_day(winter) == D(2026, 1, 7)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        PLAIN.receipt_day(dt.datetime(2026, 3, 10, 10, 0))


def test_policy_cut_off_is_used() -> None:
    early = WorkingCalendar.from_closures([], cut_off=dt.time(16, 0))
    assert early.receipt_day(at("2026-03-10T16:30")) == D(2026, 3, 11)


def test_closure_period_is_inclusive_and_named() -> None:
    calendar = WorkingCalendar.from_closures([(D(2026, 12, 29), D(2026, 12, 31), "Christmas shutdown")])
    assert [calendar.is_working_day(D(2026, 12, d)) for d in (24, 29, 30, 31)] == [True, False, False, False]
    assert calendar.non_working_reason(D(2026, 12, 31)) == "Christmas shutdown"
    # 21 Dec is day 0; 22, 23, 24 are days 1-3; 4 Jan and 5 Jan are days 4 and 5.
    assert calendar.due_date(at("2026-12-21T10:00"), 5) == D(2027, 1, 5)


def test_closure_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        WorkingCalendar.from_closures([(D(2026, 12, 31), D(2026, 12, 29))])


def test_add_zero_days() -> None:
    assert PLAIN.add_working_days(D(2026, 3, 10), 0) == D(2026, 3, 10)
    assert PLAIN.add_working_days(D(2026, 3, 14), 0) == D(2026, 3, 16)


def test_subtract_for_a_reminder_the_day_before() -> None:
    assert PLAIN.subtract_working_days(D(2026, 12, 30), 1) == D(2026, 12, 29)
    assert PLAIN.subtract_working_days(D(2026, 12, 29), 1) == D(2026, 12, 24)
    assert PLAIN.subtract_working_days(D(2026, 12, 29), 0) == D(2026, 12, 29)


def test_working_days_between() -> None:
    assert PLAIN.working_days_between(D(2026, 12, 21), D(2026, 12, 30)) == 5
    assert PLAIN.working_days_between(D(2026, 12, 30), D(2026, 12, 21)) == 0
    assert PLAIN.working_days_between(D(2026, 12, 30), D(2026, 12, 30)) == 0


def test_on_time_means_london_date_on_or_before_due() -> None:
    due = D(2026, 12, 30)
    assert PLAIN.is_on_time(at("2026-12-30T23:59"), due)
    assert not PLAIN.is_on_time(at("2026-12-31T00:00"), due)
    assert PLAIN.end_of_day(due) == dt.datetime.combine(due, dt.time.max, tzinfo=LONDON)
    assert PLAIN.is_after(at("2026-12-31T08:00"), due)
    assert not PLAIN.is_after(at("2026-12-30T20:00"), due)


def test_time_out_keeps_the_remaining_days() -> None:
    # Received Mon 2 Mar 2026, 5 days: due Mon 9 Mar. Paused Wed 4 Mar: 3 days left (5, 6, 9 Mar).
    due = PLAIN.due_date(at("2026-03-02T09:00"), 5)
    assert due == D(2026, 3, 9)
    remaining = PLAIN.remaining_working_days(D(2026, 3, 4), due)
    assert remaining == 3
    # Resumed Thu 2 Apr: day 0; Good Friday and Easter Monday skipped; 7, 8, 9 Apr.
    assert PLAIN.resume_due_date(at("2026-04-02T10:00"), remaining) == D(2026, 4, 9)


def test_calendar_for_a_policy() -> None:
    from practice_alerts.policies.load import load_policy

    calendar = WorkingCalendar.for_policy(load_policy("rutland"))
    assert calendar.cut_off == dt.time(17, 0)
    assert calendar.due_date(at("2026-12-21T10:00"), 5) == D(2026, 12, 30)


def test_calendar_is_immutable() -> None:
    with pytest.raises(ValidationError):
        PLAIN.cut_off = dt.time(18, 0)  # type: ignore[misc]
