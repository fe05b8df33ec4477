"""Seed 002: Rutland Practice Alerts Guidance (policy rutland)."""

from __future__ import annotations

POLICY = "rutland"


def test_seed_002_may_start_at_stage3_with_reason(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", start_stage="stage3", bypass_reason="Serious and urgent")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.HOS,) and letter.bypassed_from == "stage1"
    assert alert.state.stages[0].bypass_reason == "Serious and urgent"


def test_seed_002_may_start_at_stage4_with_reason(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="Serious and urgent")
    assert wf.action(decision, "send_stage_letter").to == (wf.DIR,)


def test_seed_002_starting_at_stage3_without_a_reason_is_refused(wf):
    alert = wf.Alert(POLICY)
    reason = alert.refused("raised", "2026-03-02 10:00", facts=wf.facts(start_stage="stage3").model_dump())
    assert "skips Stage 1, Stage 2" in reason and "Say why" in reason


def test_seed_002_cannot_start_at_stage2(wf):
    alert = wf.Alert(POLICY)
    reason = alert.refused("raised", "2026-03-02 10:00",
                           facts=wf.facts(start_stage="stage2", bypass_reason="x").model_dump())
    assert "cannot start at Stage 2" in reason and "Stage 1, Stage 3, Stage 4" in reason


def test_seed_002_response_due_5_working_days_from_receipt(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-10 17:30")     # after the cut-off: received Wed 11 March
    assert alert.state.due == wf.d("2026-03-18")
    assert alert.state.stages[0].received_on == wf.d("2026-03-11")


def test_seed_002_cannot_bypass_to_stage2_while_stage1_is_waiting(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    reason = alert.refused("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage2", reason="slow")
    assert "does not allow going straight to Stage 2" in reason
    decision = alert.apply("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage3", reason="Urgent now")
    assert wf.action(decision, "send_stage_letter").bypassed_from == "stage1"
    assert alert.state.stages[0].ended == "bypassed"


def test_seed_002_stage5_is_the_lscb_independent_chair(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    alert.apply("response", "2026-03-03 10:00", by=wf.DIR, text="no")
    decision = alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    letter = wf.action(decision, "send_stage_letter")
    assert letter.stage == "stage5" and letter.to == (wf.LSCB,) and letter.cc == (wf.DIR,)


def test_seed_002_child_protection_case_past_stage5_is_unresolved_not_cafcass(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", case_type="CP", start_stage="stage4", bypass_reason="urgent")
    alert.apply("response", "2026-03-03 10:00", by=wf.DIR, text="no")
    alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    alert.apply("response", "2026-03-04 10:00", by=wf.LSCB, text="no")
    cafcass = alert.refused("refer_to_cafcass", "2026-03-04 11:00", by=wf.IRO)
    alert.apply("not_satisfied", "2026-03-04 11:00", by=wf.IRO)
    assert alert.state.status == "unresolved" and alert.state.is_open
    assert "only for children looked after" in cafcass


def test_seed_002_child_in_care_goes_to_cafcass_after_stage5(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    too_early = alert.refused("refer_to_cafcass", "2026-03-02 11:00", by=wf.IRO)
    assert "after Stage 5" in too_early
    alert.apply("response", "2026-03-03 10:00", by=wf.DIR, text="no")
    alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    alert.apply("response", "2026-03-04 10:00", by=wf.LSCB, text="no")
    decision = alert.apply("not_satisfied", "2026-03-04 11:00", by=wf.IRO)
    assert wf.action(decision, "draft_cafcass_referral").contact_role == "cafcass_legal"
    assert alert.state.status == "referred_to_cafcass"


def test_seed_002_quality_assurance_is_told_of_each_step_for_the_tracker(wf):
    alert = wf.Alert(POLICY)
    raised = alert.raise_("2026-03-02 10:00")
    told = {a for n in wf.all_of(raised, "notify") for a in n.to}
    assert told, "the QA service keeps the tracker and is told when an alert is raised"
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="ok")
    escalated = alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    assert told <= {a for n in wf.all_of(escalated, "notify") for a in n.to}


def test_seed_002_one_case_note_finalised_by_the_chair_on_closure(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    alert.apply("satisfied", "2026-03-03 11:00", by=wf.IRO)
    decision = alert.apply("close", "2026-03-03 12:00", by=wf.IRO, outcome="resolved")
    assert any("finalises" in duty.text for duty in wf.action(decision, "close_alert").duties)
