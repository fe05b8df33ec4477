"""Seed 003: Professional Challenge and Escalation (policy professional_challenge)."""

from __future__ import annotations

POLICY = "professional_challenge"


def test_seed_003_informal_step_to_social_worker_and_team_manager_in_1_working_day(wf):
    alert = wf.Alert(POLICY)
    decision = alert.raise_("2026-11-03 10:00")
    letter = wf.action(decision, "send_stage_letter")
    assert (letter.stage, letter.to, letter.cc, letter.due) == ("informal", (wf.SW,), (wf.ATM, wf.TM), wf.d("2026-11-04"))
    assert alert.due_now("2026-11-04 09:30") == [], "a 1-day stage gets no reminder on the day it began"


def test_seed_003_start_at_stage1_but_no_later(wf):
    alert = wf.Alert(POLICY)
    reason = alert.refused("raised", "2026-11-03 10:00", facts=wf.facts(start_stage="stage2").model_dump())
    assert "cannot start at Stage 2" in reason and "Informal Stage, Stage 1" in reason
    letter = wf.action(alert.raise_("2026-11-03 10:00", start_stage="stage1"), "send_stage_letter")
    assert letter.to == (wf.TM,) and letter.bypassed_from is None, "no reason needed: only the informal step is passed"


def test_seed_003_cumulative_5_10_15_20_working_days(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00")
    alert.apply("response", "2026-11-03 15:00", by=wf.SW, text="no plan")
    alert.apply("not_satisfied", "2026-11-04 09:00", by=wf.IRO)       # formal start: Wed 4 Nov
    start = wf.d("2026-11-04")
    dues = [alert.state.due]
    for stage_recipient in (wf.TM, wf.SM, wf.HOS):
        alert.clock(f"{alert.state.due} 10:00")
        alert.apply("response", f"{alert.state.due} 16:00", by=stage_recipient, text="not yet")
        alert.apply("not_satisfied", f"{alert.state.due} 16:30", by=wf.IRO)
        dues.append(alert.state.due)
    elapsed = [alert.calendar.working_days_between(start, due) for due in dues]
    assert elapsed == [5, 10, 15, 20]
    assert alert.state.stage == "stage4" and alert.state.working_days_elapsed(alert.calendar, dues[-1]) == 20


def test_seed_003_stage2_iro_consults_own_manager_first(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00")
    alert.apply("not_satisfied", "2026-11-03 12:00", by=wf.IRO)
    alert.apply("response", "2026-11-04 12:00", by=wf.TM, text="no")
    decision = alert.apply("not_satisfied", "2026-11-04 14:00", by=wf.IRO)
    letter = wf.action(decision, "send_stage_letter")
    consulted = next(n for n in wf.all_of(decision, "notify") if n.why == "consulted")
    assert letter.to == (wf.SM,) and consulted.to == (wf.AD,), "the IRO's own Service Manager: the nominated officer"
    [record] = [c for c in alert.state.consultations if c.about == "stage2"]
    assert record.who == wf.AD and record.at == wf.at("2026-11-04 14:00")


def test_seed_003_cafcass_any_time_tells_nominated_officer_first(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00")
    decision = alert.apply("refer_to_cafcass", "2026-11-03 14:00", by=wf.IRO)
    assert wf.kinds(decision)[:2] == ["notify_before_cafcass", "draft_cafcass_referral"]
    assert wf.action(decision, "notify_before_cafcass").to == (wf.AD,)   # the nominated officer
    assert alert.state.status == "informal" and alert.state.cafcass_referred_at is not None, "the ladder goes on"


def test_seed_003_cafcass_when_nominated_officer_already_told(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00")
    decision = alert.apply("refer_to_cafcass", "2026-11-03 14:00", by=wf.IRO, nominated_officer_told_on="2026-11-03")
    assert "notify_before_cafcass" not in wf.kinds(decision)
    assert wf.action(decision, "draft_cafcass_referral").nominated_officer_told_on == wf.d("2026-11-03")


def test_seed_003_cafcass_is_for_children_in_care_only(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00", case_type="CP")
    reason = alert.refused("refer_to_cafcass", "2026-11-03 14:00", by=wf.IRO)
    assert "only for children looked after" in reason


def test_seed_003_iro_finalises_on_closure(wf):
    alert = wf.Alert(POLICY)
    alert.raise_("2026-11-03 10:00")
    alert.apply("response", "2026-11-03 15:00", by=wf.SW, text="plan agreed")
    alert.apply("satisfied", "2026-11-03 16:00", by=wf.IRO)
    closing = wf.action(alert.apply("close", "2026-11-04 09:00", by=wf.IRO, outcome="resolved"), "close_alert")
    assert closing.to == (wf.IRO,) and any("Finalise" in d.text for d in closing.duties)
