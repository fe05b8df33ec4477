"""The per-alert values the tracker shows, read off the workflow's fold of the known history."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.quarterly import rows_as_at

D = dt.date


@pytest.fixture(scope="module")
def rows(histories, policy, calendar):
    found, problems = rows_as_at(histories, policy, None, calendar, dt.datetime(2026, 12, 31, 23, 0, tzinfo=LONDON))
    assert problems == []
    return {r.reference: r for r in found}


def test_one_row_per_alert_in_reference_order(rows):
    assert list(rows) == [f"PA-2026-{n:04d}" for n in range(1, 12)]


def test_a_simple_alert_resolved_at_stage_one(rows):
    r = rows["PA-2026-0001"]
    assert (r.child_id, r.case_type_label, r.iro_name, r.team) == ("CH100201", "Child looked after", "Dana Reviewer",
                                                                   "Children in Care North")
    assert r.reason_labels == ("Statutory visit not undertaken within required timescale",)
    assert (r.date_raised, r.start_stage, r.highest_stage, r.bypasses) == (D(2026, 7, 6), "Stage 1", "Stage 1", ())
    s1 = r.visit("stage1")
    assert (s1.sent, s1.due, s1.responded, s1.on_time) == (D(2026, 7, 6), D(2026, 7, 13), D(2026, 7, 9), True)
    assert (r.status, r.outcome, r.date_resolved, r.date_closed) == ("Closed", "resolved", D(2026, 7, 10), D(2026, 7, 10))
    assert (r.working_days, r.within_target, r.is_open, r.overdue) == (4, True, False, False)


def test_a_bypass_to_stage_three_climbing_to_cafcass(rows):
    r = rows["PA-2026-0003"]
    assert r.start_stage == "Stage 3"
    assert r.bypasses == ("Stage 1 to Stage 3 (Serious: the child's views on the move were never sought.)",)
    assert r.highest_stage == "Stage 5"
    s3, s5 = r.visit("stage3"), r.visit("stage5")
    assert (s3.due, s3.responded, s3.on_time, s3.deadline_missed) == (D(2026, 8, 10), None, False, True)
    # Stage 5 was due 27 Aug; the reply came on 7 Sep, after the August bank holiday.
    assert (s5.sent, s5.due, s5.responded, s5.on_time) == (D(2026, 8, 20), D(2026, 8, 27), D(2026, 9, 7), False)
    assert r.visit("stage1") is None and r.visit("stage2") is None
    assert (r.cafcass_referred, r.date_closed, r.outcome) == (D(2026, 9, 8), D(2026, 9, 9), "referred to CAFCASS")
    assert (r.finished, r.working_days, r.within_target) == (D(2026, 9, 8), 25, False)


def test_a_time_out_and_its_length(rows):
    r = rows["PA-2026-0004"]
    (t,) = r.time_outs
    # Stopped on 21 Sep, restarted on 5 Oct: 22 Sep to 5 Oct is 10 working days.
    assert (t.started, t.until, t.resumed, t.working_days) == (D(2026, 9, 21), D(2026, 10, 5), D(2026, 10, 5), 10)
    assert t.reason == "Waiting for the new placement to start."
    assert (r.working_days, r.within_target, r.highest_stage) == (12, True, "Stage 2")


def test_open_alerts_as_at_the_day_asked_about(rows):
    overdue, waiting, new = rows["PA-2026-0009"], rows["PA-2026-0010"], rows["PA-2026-0011"]
    assert (overdue.is_open, overdue.overdue, overdue.within_target, overdue.working_days) == (True, True, False, 24)
    assert overdue.status == "Open: awaiting IRO decision"
    assert (waiting.overdue, waiting.within_target) == (False, None)
    assert (new.status, new.overdue, new.within_target, new.working_days) == ("Open: awaiting response", False, None, 5)
    assert new.visit("stage1").response_counted is False


def test_settled_on_places_each_response_in_one_quarter(rows):
    late_reply = rows["PA-2026-0006"].visit("stage1")
    # Due 28 Sep, answered 6 Oct: it became late on 29 Sep, and that is where it counts.
    assert (late_reply.due, late_reply.responded, late_reply.settled_on) == (D(2026, 9, 28), D(2026, 10, 6), D(2026, 9, 29))
    moved = rows["PA-2026-0004"].visit("stage1")
    # Answered on time on 18 Sep; the time-out afterwards moved its due date to 5 Oct.
    assert (moved.due, moved.settled_on, moved.responded_on_time) == (D(2026, 10, 5), D(2026, 9, 18), True)


def test_an_alert_not_yet_raised_is_left_out(histories, policy, calendar):
    found, _ = rows_as_at(histories, policy, None, calendar, dt.datetime(2026, 7, 31, 23, 0, tzinfo=LONDON))
    assert [r.reference for r in found] == ["PA-2026-0001", "PA-2026-0002"]
    # As at 31 July, 0002 had just been closed.
    assert found[1].status == "Closed"
