"""Illegal moves are refused, each with a reason the IRO can act on; nothing is dropped silently."""

from __future__ import annotations

import pytest

from practice_alerts.workflow import Refused, decide


def test_nothing_before_the_alert_is_raised(wf):
    alert = wf.Alert("rutland")
    assert "must be raised first" in alert.refused("response", "2026-03-02 10:00", by=wf.TM, text="x")


def test_an_alert_is_raised_once(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    assert "already been raised" in alert.refused("raised", "2026-03-02 11:00", facts=wf.facts().model_dump())


def test_a_decision_on_a_closed_alert_is_refused(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    alert.apply("close", "2026-03-03 10:00", by=wf.IRO, outcome="withdrawn")
    for kind, fields in (("satisfied", {}), ("not_satisfied", {}), ("response", {"text": "late"}),
                         ("close", {"outcome": "again"})):
        by = wf.TM if kind == "response" else wf.IRO
        reason = alert.refused(kind, "2026-03-04 10:00", by=by, **fields)
        assert "was closed on 3 March 2026" in reason and "raise a new alert" in reason


def test_a_response_from_someone_the_alert_is_not_with(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    reason = alert.refused("response", "2026-03-03 10:00", by=wf.SW, text="I did the visit")
    assert "Toni Team" in reason and "only they or someone covering" in reason


def test_only_the_iro_or_their_cover_decides(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="done")
    reason = alert.refused("satisfied", "2026-03-03 11:00", by=wf.TM)
    assert "Only the IRO who raised alert PA-2026-0001 (Iris Reviewer)" in reason
    assert alert.refused("not_satisfied", "2026-03-03 11:00", by=wf.OTHER_IRO)


def test_not_satisfied_before_the_manager_had_their_time(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    reason = alert.refused("not_satisfied", "2026-03-04 10:00", by=wf.IRO)
    assert "until 9 March 2026" in reason and "not responded yet" in reason


def test_escalating_downward_or_to_an_unknown_stage(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00", start_stage="stage3", bypass_reason="urgent")
    assert "only moves up" in alert.refused("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage1", reason="x")
    unknown = alert.refused("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage9", reason="x")
    assert "no stage 'stage9'" in unknown and "stage5 (Stage 5)" in unknown


def test_time_out_where_the_policy_has_none_and_resume_without_time_out(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    assert "no time-out" in alert.refused("time_out", "2026-03-03 10:00", by=wf.IRO, until="2026-03-10")
    assert "not in a time-out" in alert.refused("resume", "2026-03-03 10:00", by=wf.IRO)


def test_time_out_rules_under_a_policy_that_has_them(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00")
    informal = alert.refused("time_out", "2026-03-03 10:00", by=wf.IRO, until="2026-03-10", agreed_by=wf.IRO_TM)
    assert "informal stage" in informal
    alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    backwards = alert.refused("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-04", agreed_by=wf.IRO_TM)
    assert "must end after it starts" in backwards
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-10", agreed_by=wf.IRO_TM)
    assert "already in a time-out" in alert.refused("time_out", "2026-03-05 10:00", by=wf.IRO, until="2026-03-12",
                                                    agreed_by=wf.IRO_TM)
    assert "Resume it" in alert.refused("not_satisfied", "2026-03-05 10:00", by=wf.IRO)


def test_case_type_the_policy_does_not_cover(wf):
    alert = wf.Alert("practice_learning_alert")
    reason = alert.refused("raised", "2026-03-02 10:00", facts=wf.facts(case_type="CP").model_dump())
    assert "child protection case" in reason and "Check the case type" in reason


def test_unknown_start_stage(wf):
    alert = wf.Alert("west_sussex")
    reason = alert.refused("raised", "2026-03-02 10:00", facts=wf.facts(start_stage="level9").model_dump())
    assert "'level9'" in reason and "stage1 (Stage 1)" in reason


def test_an_event_dated_in_the_future_is_refused(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    event = alert.event("response", "2026-03-05 10:00", by=wf.TM, text="x")
    with pytest.raises(Refused, match="after the present"):
        decide(alert.state, event, alert.policy, alert.directory, alert.calendar, wf.at("2026-03-03 10:00"))


def test_stale_clock_events_are_refused_not_ignored(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    early = alert.refused("deadline_missed", "2026-03-09 12:00", stage="stage1", due="2026-03-09")
    assert "has not passed yet" in early
    wrong = alert.refused("reminder_due", "2026-03-06 09:00", stage="stage2", days_before=1)
    assert "No reminder is due" in wrong


def test_refusal_leaves_the_state_as_it_was(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    before = alert.state
    alert.refused("not_satisfied", "2026-03-03 10:00", by=wf.IRO)
    assert alert.state == before
