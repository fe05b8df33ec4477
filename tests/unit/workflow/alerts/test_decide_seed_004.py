"""Seed 004: West Sussex Practice Alerts (policy west_sussex)."""

from __future__ import annotations

from practice_alerts.workflow import replay

POLICY = "west_sussex"


def test_seed_004_stage1_goes_to_the_practice_manager_in_5_working_days(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", case_type="CP")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.TM,) and letter.recipient_role == "practice_manager" and letter.due == wf.d("2026-03-09")
    assert any("telephone or e-mail" in duty.text for duty in letter.duties), "the raise duties are on the first letter"


def test_seed_004_late_response_escalates_automatically(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    applied = alert.clock("2026-03-10 09:00")
    event, decision = applied[-1]
    assert event.type == "deadline_missed" and event.at == wf.at("2026-03-10 00:00")
    auto = wf.action(decision, "escalate_automatically")
    assert (auto.from_stage, auto.to_stage, auto.to, auto.cc) == ("stage1", "stage2", (wf.IRO,), (wf.TM,))
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.SM,) and letter.due == wf.d("2026-03-17")
    assert alert.state.stage == "stage2" and alert.state.stages[0].deadline_missed
    assert alert.due_now("2026-03-10 09:00") == [], "running the clock again changes nothing"


def test_seed_004_late_reply_from_the_manager_who_was_bypassed_is_refused(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    alert.clock("2026-03-10 09:00")
    reason = alert.refused("response", "2026-03-10 11:00", by=wf.TM, text="sorry, here it is")
    assert "Sasha Service" in reason and "moved on from Stage 1" in reason


def test_seed_004_each_stage_tells_its_notification_list(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    told = {}
    for day, stage, recipient in ((3, "stage2", wf.SM), (4, "stage3", wf.HOS), (5, "stage4", wf.AD)):
        previous = alert.state.current.recipient_email
        alert.apply("response", f"2026-03-0{day} 10:00", by=previous, text="no")
        decision = alert.apply("not_satisfied", f"2026-03-0{day} 11:00", by=wf.IRO)
        assert wf.action(decision, "send_stage_letter").to == (recipient,)
        told[stage] = {a for n in wf.all_of(decision, "notify") for a in n.to}
    assert told["stage2"] == {wf.IRO_TM}
    assert told["stage3"] == {wf.IRO_TM, wf.QA}          # Quinn is the Principal Manager
    assert told["stage4"] == {wf.IRO_TM, wf.QA, wf.AD_QA}
    stage4 = wf.action(decision, "send_stage_letter")
    assert not [d for d in stage4.duties if "DCE" in d.text], "the AD SQP's duty is theirs, not the AD's letter"
    duty = next(n for n in wf.all_of(decision, "notify") if n.why == "duty")
    assert duty.to == (wf.AD_QA,) and "DCE" in duty.purpose


def test_seed_004_may_bypass_any_level_with_a_reason(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    needs_reason = alert.refused("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage2")
    assert "say why" in needs_reason
    decision = alert.apply("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="stage4", reason="Proportionate and expedient")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.AD,) and letter.bypassed_from == "stage1"


def test_seed_004_stage4_missed_deadline_asks_the_iro(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    applied = alert.clock("2026-03-10 09:00")
    decision = applied[-1][1]
    assert "ask_iro" in wf.kinds(decision) and "send_stage_letter" not in wf.kinds(decision)
    assert alert.state.status == "awaiting_decision" and alert.state.stage == "stage4"


def test_seed_004_outcome_is_communicated_to_the_child(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    alert.apply("satisfied", "2026-03-04 10:00", by=wf.IRO)
    closing = wf.action(alert.apply("close", "2026-03-04 11:00", by=wf.IRO, outcome="resolved"), "close_alert")
    assert closing.tell_child is True


def test_seed_004_acting_manager_gets_the_stage_while_the_holder_is_away(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-12-07 10:00")                      # due 14 December
    decision = alert.clock("2026-12-15 09:00")[-1][1]     # Sasha is away 14 Dec - 8 Jan
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.COVER_SM,) and letter.cc == (wf.SM,) and letter.acting
    response = alert.apply("response", "2026-12-21 15:00", by=wf.COVER_SM, text="meeting booked")
    assert wf.action(response, "ask_iro").to == (wf.IRO,)


def test_seed_004_a_reply_sent_before_the_automatic_escalation_is_kept_for_its_stage(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")                      # due 9 March
    alert.clock("2026-03-10 00:05")                       # escalated at midnight
    # the practice manager's reply of 9 March 23:50 is only delivered now
    decision = alert.apply("response", "2026-03-09 23:50", by=wf.TM, text="Resolved at today's meeting.")
    ask = wf.action(decision, "ask_iro")
    assert ask.stage == "stage1" and ask.response_text == "Resolved at today's meeting."
    first, second = alert.state.stages
    assert first.responded_at == wf.at("2026-03-09 23:50") and first.on_time is True
    assert alert.state.stage == "stage2" and alert.state.status == "awaiting_response"
    assert second.responded_at is None
    assert replay(alert.events, alert.policy, alert.directory, alert.calendar) == alert.state
