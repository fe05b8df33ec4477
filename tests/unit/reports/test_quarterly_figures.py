"""Every figure of the 2026-Q4 report (and its comparison with 2026-Q3), worked out by hand
from the script in tools/report_samples.py two_quarters().

Working days count the days after the first formal stage began up to the day the process ended,
leaving out weekends, bank holidays (31 Aug, 25 and 28 Dec 2026) and time-outs.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import quarterly_figures


@pytest.fixture(scope="module")
def q4(histories, policy, calendar):
    return quarterly_figures(histories, policy, None, calendar, Quarter.parse("2026-Q4"))


def counts(items):
    return {c.name: c.count for c in items}


def test_the_quarter_and_policy(q4):
    assert (q4.quarter, q4.label, q4.start, q4.end) == ("2026-Q4", "October to December 2026",
                                                        dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert (q4.authority, q4.target_working_days, q4.unreadable) == ("Rutland County Council", 20, ())


def test_alerts_raised_by_case_type_team_and_iro(q4):
    # Raised in Q4: 0007 CLA North Dana, 0008 CP South Casey, 0009 CLA North Dana,
    # 0010 CLA South Casey, 0011 CP North Dana.
    assert q4.headline.raised == 5
    assert counts(q4.by_case_type) == {"Child looked after": 3, "Child protection": 2}
    assert [(c.name, c.count) for c in q4.by_team] == [("Children in Care North", 3), ("Children in Care South", 2)]
    assert [(c.name, c.count) for c in q4.by_iro] == [("Dana Reviewer", 3), ("Casey Chair", 2)]


def test_themes_by_reason_code_and_category(q4):
    by_code = {r.code: r.count for r in q4.by_reason}
    assert by_code == {"1": 0, "2": 0, "3": 1, "4": 2, "5": 1, "6": 1, "7": 0, "8": 0, "9": 0, "10": 0,
                       "11": 0, "12": 1, "13": 0}
    assert counts(q4.by_category) == {"Reports and plans": 2, "Meetings": 0, "Statutory duties": 2,
                                      "Care plan implementation": 1, "Child's voice": 1, "Safeguarding": 0,
                                      "Communication": 0, "Other": 0}


def test_highest_stage_reached(q4):
    # 0007, 0010, 0011 stayed at stage 1; 0009 reached stage 3; 0008 started at stage 4.
    assert counts(q4.stage_reached) == {"Stage 1": 3, "Stage 2": 0, "Stage 3": 1, "Stage 4": 1, "Stage 5": 0}


def test_responses_on_time_per_stage(q4):
    # Stage 1: 0005 missed (due 30 Sep, late from 1 Oct), 0007 on time, 0009 late, 0010 on time.
    # 0011's response is not due until 31 Dec, so it is not yet counted; 0004's on-time reply of
    # 18 Sep stays in Q3 although its time-out moved the due date to 5 Oct.
    # Stage 2: 0004, 0005 and 0009 on time. Stage 3: 0009 missed. Stage 4: 0008 on time.
    table = {r.stage: (r.due, r.on_time, r.late) for r in q4.responses}
    assert table == {"stage1": (4, 2, 2), "stage2": (3, 3, 0), "stage3": (1, 0, 1), "stage4": (1, 1, 0),
                     "stage5": (0, 0, 0)}
    assert (q4.headline.responses_due, q4.headline.responses_on_time) == (9, 6)
    assert [r.percent_on_time for r in q4.responses] == [50.0, 100.0, 0.0, 100.0, None]


def test_resolution_within_twenty_working_days(q4):
    # Resolved in Q4: 0004 (12 working days: 5 before its time-out, 7 after), 0005 (13), 0006 (12),
    # 0007 (5), 0008 (5).
    h = q4.headline
    assert q4.finished_references == ("PA-2026-0004", "PA-2026-0005", "PA-2026-0006", "PA-2026-0007", "PA-2026-0008")
    assert (h.finished, h.within_target, h.within_target_percent) == (5, 5, 100.0)
    assert (h.median_working_days, h.longest_working_days, q4.longest_reference) == (12.0, 13, "PA-2026-0005")


def test_time_outs_and_cafcass(q4):
    # 0009's time-out: stopped on 3 Dec, restarted 14 Dec: 7 working days. 0004's began in Q3.
    assert (q4.headline.time_outs_started, q4.time_out_working_days) == (1, 7)
    assert q4.headline.cafcass_referrals == 0


def test_open_and_overdue_at_quarter_end(q4):
    rows = {a.reference: (a.current_stage, a.status, a.current_due, a.working_days, a.overdue) for a in q4.open_alerts}
    assert rows == {
        # 13 working days before the time-out, 11 after it (25 and 28 Dec are bank holidays).
        "PA-2026-0009": ("Stage 3", "Open: awaiting IRO decision", dt.date(2026, 12, 22), 24, True),
        "PA-2026-0010": ("Stage 1", "Open: awaiting IRO decision", dt.date(2026, 12, 14), 16, False),
        "PA-2026-0011": ("Stage 1", "Open: awaiting response", dt.date(2026, 12, 31), 5, False),
    }
    assert (q4.headline.open_at_end, q4.headline.overdue_at_end, q4.open_past_target) == (3, 1, 1)


def test_previous_quarter_as_it_stood_at_its_end(q4):
    p = q4.previous
    assert p.quarter == "2026-Q3"
    assert (p.raised, p.responses_due, p.responses_on_time) == (6, 8, 4)
    # Resolved in Q3: 0001 (4), 0002 (13), 0003 referred to CAFCASS after 25 working days.
    assert (p.finished, p.within_target, p.within_target_percent) == (3, 2, 66.7)
    assert (p.median_working_days, p.longest_working_days) == (13.0, 25)
    # 0004's time-out began on 21 Sep; 0003 was referred to CAFCASS on 8 Sep.
    assert (p.time_outs_started, p.cafcass_referrals) == (1, 1)
    # Open on 30 Sep: 0004 (time-out), 0005 (due that day: not yet overdue), 0006 (missed 28 Sep).
    assert (p.open_at_end, p.overdue_at_end) == (3, 1)


def test_change_from_the_previous_quarter(q4):
    changes = {c.measure: (c.this_quarter, c.previous_quarter, c.change) for c in q4.changes}
    assert changes["Alerts raised"] == (5, 6, -1)
    assert changes["Responses on time"] == (6, 4, 2)
    assert changes["Resolved within 20 working days"] == (5, 2, 3)
    assert changes["% resolved within 20 working days"] == (100.0, 66.7, 33.3)
    assert changes["Median working days to resolution"] == (12.0, 13.0, -1.0)
    assert changes["Longest working days to resolution"] == (13, 25, -12)
    assert changes["CAFCASS referrals"] == (0, 1, -1)
    assert changes["Open at quarter end"] == (3, 3, 0)
    assert changes["Overdue at quarter end"] == (1, 1, 0)
    assert changes["Outcome: resolved"] == (5, 2, 3)
    assert changes["Outcome: referred to CAFCASS"] == (0, 1, -1)
    assert changes["Outcome: closed without resolution"] == (0, 0, 0) and changes["Outcome: withdrawn"] == (0, 0, 0)
    assert len(changes) == 16


def test_trend_covers_four_quarters(q4):
    assert [(h.quarter, h.raised) for h in q4.trend] == [("2026-Q1", 0), ("2026-Q2", 0), ("2026-Q3", 6), ("2026-Q4", 5)]
    assert q4.trend[-1] == q4.headline and q4.trend[-2] == q4.previous


def test_a_quarter_with_no_alerts_has_no_resolution_figures(histories, policy, calendar):
    empty = quarterly_figures(histories, policy, None, calendar, Quarter.parse("2026-Q2"))
    assert (empty.headline.raised, empty.headline.finished, empty.headline.median_working_days) == (0, 0, None)
    assert empty.headline.within_target_percent is None and empty.open_alerts == ()


def test_open_alerts_at_the_end_of_the_previous_quarter(histories, policy, calendar):
    q3 = quarterly_figures(histories, policy, None, calendar, Quarter.parse("2026-Q3"))
    rows = {a.reference: (a.status, a.current_due, a.overdue) for a in q3.open_alerts}
    assert rows == {
        # In a time-out the clock is stopped: no due date, and never overdue.
        "PA-2026-0004": ("Open: time-out", None, False),
        "PA-2026-0005": ("Open: awaiting response", dt.date(2026, 9, 30), False),
        "PA-2026-0006": ("Open: awaiting IRO decision", dt.date(2026, 9, 28), True),
    }
    assert q3.headline == q4_previous(histories, policy, calendar)


def q4_previous(histories, policy, calendar):
    return quarterly_figures(histories, policy, None, calendar, Quarter.parse("2026-Q4")).previous
