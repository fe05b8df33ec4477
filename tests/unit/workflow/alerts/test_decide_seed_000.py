"""Seed 000: Formal Practice Learning Alert (policy practice_learning_alert)."""

from __future__ import annotations

POLICY = "practice_learning_alert"


def test_seed_000_stage1_goes_to_team_manager_with_social_worker_and_lac_admin(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.stage == "stage1"
    assert letter.to == (wf.TM,)
    assert set(letter.cc) == {wf.SW, wf.LAC_ADMIN}
    assert letter.due == wf.d("2026-03-09")
    ack = wf.action(decision, "acknowledge_iro")
    assert ack.to == (wf.IRO,) and ack.due == wf.d("2026-03-09") and ack.reference == "PA-2026-0001"
    assert alert.state.status == "awaiting_response"


def test_seed_000_each_stage_has_5_working_days(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-05 12:00", by=wf.TM, text="done")
    decision = alert.apply("not_satisfied", "2026-03-06 11:00", by=wf.IRO)
    assert wf.action(decision, "send_stage_letter").due == wf.d("2026-03-13")
    assert wf.action(decision, "send_stage_letter").to == (wf.SM,)


def test_seed_000_not_satisfied_escalates_and_emails_lac_admin_to_track_escalation(wf):
    alert = wf.Alert(POLICY)
    alert.raise_()
    alert.apply("response", "2026-03-05 12:00", by=wf.TM, text="We will visit next month.")
    decision = alert.apply("not_satisfied", "2026-03-06 11:00", by=wf.IRO)
    assert alert.state.stage == "stage2"
    notice = [n for n in wf.all_of(decision, "notify") if n.why == "escalated"][0]
    assert notice.to == (wf.LAC_ADMIN,)
    assert notice.purpose == "to track escalation"
    assert alert.state.stages[0].ended == "escalated"


def test_seed_000_satisfied_emails_lac_admin_to_complete_the_alert(wf):
    alert = wf.Alert(POLICY)
    alert.raise_()
    alert.apply("response", "2026-03-05 12:00", by=wf.TM, text="Visit done on 4 March.")
    decision = alert.apply("satisfied", "2026-03-05 15:00", by=wf.IRO)
    notice = wf.action(decision, "notify")
    assert wf.LAC_ADMIN in notice.to and notice.purpose == "to complete the alert"
    assert alert.state.status == "resolved"
    closing = alert.apply("close", "2026-03-06 09:00", by=wf.IRO, outcome="resolved")
    assert alert.state.status == "closed"
    assert "Append the Practice and Learning Alert case record on Mosaic." in [d.text for d in wf.action(closing, "close_alert").duties]


def test_seed_000_stage4_adds_challenge_meeting_agenda(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="Needs the Assistant Director's authority")
    decision = alert.last
    assert wf.action(decision, "send_stage_letter").to == (wf.AD,)
    agenda = wf.action(decision, "add_to_agenda")
    assert agenda.meeting == "Challenge Meeting" and agenda.stage == "stage4"
    assert agenda.to == (wf.IRO,)


def test_seed_000_iro_may_enter_at_any_stage_without_being_asked_why(wf):
    alert = wf.Alert(POLICY)
    bare = wf.Alert(POLICY)
    letter = wf.action(bare.raise_("2026-03-02 10:00", start_stage="stage3"), "send_stage_letter")
    assert letter.to == (wf.HOS,) and letter.bypassed_from == "stage1", "the procedure asks for no reason"
    decision = alert.raise_("2026-03-02 10:00", start_stage="stage3", bypass_reason="The HOS holds the budget")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.HOS,) and letter.bypassed_from == "stage1" and letter.bypass_reason == "The HOS holds the budget"


def test_seed_000_not_satisfied_after_stage4_drafts_cafcass_referral_on_appendix_3(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    alert.apply("response", "2026-03-05 10:00", by=wf.AD, text="No.")
    decision = alert.apply("not_satisfied", "2026-03-05 12:00", by=wf.IRO)
    draft = wf.action(decision, "draft_cafcass_referral")
    assert draft.referral_form == "Appendix 3" and draft.to == (wf.IRO,) and wf.LAC_ADMIN in draft.cc
    assert alert.state.status == "referred_to_cafcass"


def test_seed_000_has_no_time_out(wf):
    alert = wf.Alert(POLICY)
    alert.raise_()
    reason = alert.refused("time_out", "2026-03-03 10:00", by=wf.IRO, until="2026-03-20", agreed_by=wf.IRO_TM)
    assert "no time-out" in reason


def test_seed_000_missed_deadline_reminds_and_asks_the_iro(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00")
    applied = alert.clock("2026-03-10 09:00")
    assert [e.type for e, _ in applied] == ["deadline_missed"]
    decision = applied[0][1]
    assert wf.kinds(decision)[:2] == ["remind", "ask_iro"]
    assert wf.action(decision, "remind").overdue and wf.action(decision, "remind").to == (wf.TM,)
    assert alert.state.status == "awaiting_decision" and alert.state.stage == "stage1"
