"""Seed 001: IRO Practice Alert process, Integrated Children's Services (policy integrated_childrens_services)."""

from __future__ import annotations

POLICY = "integrated_childrens_services"


def test_seed_001_informal_stage_goes_to_social_worker_in_writing_by_the_iro_date(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", resolve_by="2026-03-05")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.SW,) and letter.informal and letter.in_writing
    assert letter.due == wf.d("2026-03-05")
    assert alert.state.status == "informal"
    assert alert.state.formal_started_on is None, "the informal stage is not part of the formal clock"


def test_seed_001_informal_stage_defaults_to_10_working_days(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00")
    assert wf.action(decision, "send_stage_letter").due == wf.d("2026-03-16")


def test_seed_001_resolve_by_beyond_10_working_days_is_refused(wf):
    alert = wf.Alert(POLICY)
    reason = alert.refused("raised", "2026-03-02 10:00", facts=wf.facts(resolve_by="2026-03-20").model_dump())
    assert "16 March 2026" in reason and "10 working days" in reason


def test_seed_001_level1_to_team_manager_copy_social_worker_4_working_days(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", resolve_by="2026-03-04")
    decision = alert.apply("not_satisfied", "2026-03-05 10:00", by=wf.IRO)
    letter = wf.action(decision, "send_stage_letter")
    assert (letter.stage, letter.to, letter.cc, letter.due) == ("level1", (wf.TM,), (wf.SW,), wf.d("2026-03-11"))
    assert alert.state.formal_started_on == wf.d("2026-03-05")


def test_seed_001_copy_lists_grow_per_level(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", start_stage="level3", bypass_reason="Needs Area Director authority")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.AREA,)
    assert set(letter.cc) == {wf.SM, wf.TM, wf.SW, wf.QA, wf.HEAD_QA}
    alert.apply("response", "2026-03-04 10:00", by=wf.AREA, text="no")
    level4 = wf.action(alert.apply("not_satisfied", "2026-03-04 12:00", by=wf.IRO), "send_stage_letter")
    assert level4.to == (wf.DIR,) and {wf.AREA, wf.AD_QA, wf.HEAD_QA} <= set(level4.cc)


def test_seed_001_level5_corporate_director_in_writing(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", start_stage="level5", bypass_reason="Corporate decision needed")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.CORP,) and letter.in_writing
    consulted = next(n for n in wf.all_of(decision, "notify") if n.why == "consulted")
    assert set(consulted.to) == {wf.QA, wf.HEAD_QA}
    assert {c.who for c in alert.state.consultations if c.about == "level5"} == {wf.QA, wf.HEAD_QA}


def test_seed_001_time_out_needs_line_manager(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="level1")
    no_one = alert.refused("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-20", reason="waiting")
    assert "agreement of your line manager" in no_one
    wrong = alert.refused("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-20", agreed_by=wf.SM)
    assert "Tam Overseer" in wrong and wf.SM in wrong
    decision = alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-20", agreed_by=wf.IRO_TM,
                           reason="Waiting for the new personal adviser")
    assert alert.state.status == "timed_out"
    assert wf.TM in wf.action(decision, "notify").to


def test_seed_001_time_out_keeps_the_remaining_working_days(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="level1")          # due Fri 6 March (4 working days)
    assert alert.state.due == wf.d("2026-03-06")
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-04-02", agreed_by=wf.IRO_TM)
    assert alert.state.remaining_days == 2                           # 5 and 6 March are left
    assert alert.state.due is None
    assert alert.due_now("2026-03-20 09:00") == [], "no reminders or deadlines while the clock is stopped"
    applied = alert.clock("2026-04-02 09:00")
    assert applied[0][0].type == "resume"
    # Day 0 is Thu 2 April; Good Friday and Easter Monday are skipped: 7 and 8 April.
    assert alert.state.due == wf.d("2026-04-08") and alert.state.status == "awaiting_response"


def test_seed_001_concerns_about_external_agencies_are_raised_by_letter(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-03-02 10:00", start_stage="level1", external_agency="Exampletown Health Trust")
    assert "send_stage_letter" not in wf.kinds(decision)
    letter = wf.action(decision, "draft_external_agency_letter")
    assert letter.agency == "Exampletown Health Trust" and letter.to == (wf.IRO,) and letter.cc == (wf.QA,)
    assert letter.due == wf.d("2026-03-06")
    assert wf.action(decision, "acknowledge_iro").stage_name == "Letter 1 to Exampletown Health Trust"
    assert alert.state.stage is None and alert.state.external_agency == "Exampletown Health Trust"
    alert.apply("response", "2026-03-05 10:00", by="someone@health.example", text="We will reply next week.")
    follow_up = alert.apply("not_satisfied", "2026-03-05 12:00", by=wf.IRO)
    assert wf.action(follow_up, "draft_external_agency_letter").letter_number == 2
    reason = alert.refused("escalate_to", "2026-03-05 13:00", by=wf.IRO, stage="level3", reason="x")
    assert "raised by letter" in reason


def test_seed_001_cafcass_after_level5_with_consultation_and_legal_advice(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-03-02 10:00", start_stage="level5", bypass_reason="urgent")
    early = alert.refused("refer_to_cafcass", "2026-03-03 10:00", by=wf.IRO)
    assert "Level 5" in early and "responded or missed the deadline" in early
    alert.apply("response", "2026-03-04 10:00", by=wf.CORP, text="No resources.")
    considering = alert.apply("refer_to_cafcass", "2026-03-05 10:00", by=wf.IRO)
    assert "draft_cafcass_referral" not in wf.kinds(considering) and alert.state.status == "considering_cafcass"
    decision = alert.apply("refer_to_cafcass", "2026-03-06 10:00", by=wf.IRO)
    draft = wf.action(decision, "draft_cafcass_referral")
    assert draft.legal_advice and set(draft.consult) == {wf.QA, wf.HEAD_QA, wf.AD_QA, wf.LEGAL}
