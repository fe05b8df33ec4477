from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.periods import Quarter, QuarterError


@pytest.mark.parametrize("text", ["2026-Q4", "2026q4", " 2026-q4 ", "2026 Q4"])
def test_reads_a_quarter(text):
    assert Quarter.parse(text) == Quarter(year=2026, number=4)


@pytest.mark.parametrize("text", ["2026-Q5", "Q4-2026", "2026-4", "", "last quarter"])
def test_says_how_to_write_a_quarter(text):
    with pytest.raises(QuarterError, match="write it like 2026-Q4"):
        Quarter.parse(text)


def test_bounds_label_and_neighbours():
    q = Quarter.parse("2026-Q1")
    assert (q.start, q.end, q.label) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "January to March 2026")
    assert q.previous() == Quarter(year=2025, number=4) and q.previous().next() == q
    assert Quarter.containing(dt.date(2026, 12, 31)).key == "2026-Q4"


def test_as_of_is_the_last_instant_of_the_quarter_in_london():
    as_of = Quarter.parse("2026-Q3").as_of
    assert as_of.tzinfo is LONDON and as_of.date() == dt.date(2026, 9, 30)
    assert as_of < dt.datetime(2026, 10, 1, tzinfo=LONDON) <= Quarter.parse("2026-Q4").as_of
