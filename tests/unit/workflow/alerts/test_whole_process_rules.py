"""Issue 13: the rules each seed states about the whole process and around a stage, through ``decide``.

Each test is named after its seed; the policy file says (in comments and keys) how the rule is expressed.
"""

from __future__ import annotations

import docx
import pytest

from practice_alerts.documents.from_alert import chronology
from practice_alerts.policies.entry import start_rule, start_stages
from practice_alerts.policies.load import load_policy
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import figures_from_rows, headline
from practice_alerts.reports.report_docx import headline_sentences, write_report_docx
from practice_alerts.reports.rows import report_row

PC, WS, ICS, RUT, PLA = "professional_challenge", "west_sussex", "integrated_childrens_services", "rutland", \
    "practice_learning_alert"


def notices(decision, why: str) -> list:
    return [n for n in decision.actions if n.kind == "notify" and n.why == why]


# 1. CAFCASS "at any time" runs alongside the ladder ------------------------------------------------


def test_seed003_cafcass_referral_runs_in_parallel(wf):
    alert = wf.Alert(PC)
    alert.raise_("2026-11-03 10:00", start_stage="stage1")
    decision = alert.apply("refer_to_cafcass", "2026-11-04 10:00", by=wf.IRO)
    assert wf.kinds(decision)[:2] == ["notify_before_cafcass", "draft_cafcass_referral"]
    [told] = notices(decision, "cafcass_parallel")
    assert told.to == (wf.TM,) and "stays with you at Stage 1" in told.purpose and told.due == wf.d("2026-11-10")
    assert alert.state.status == "awaiting_response" and alert.state.stage == "stage1" and alert.state.clock_running
    assert alert.state.current.ended is None
    alert.apply("response", "2026-11-05 10:00", by=wf.TM, text="Plan in hand")          # the reply is still taken
    assert alert.state.current.responded_at is not None
    letter = wf.action(alert.apply("not_satisfied", "2026-11-05 12:00", by=wf.IRO), "send_stage_letter")
    assert letter.to == (wf.SM,), "the IRO can still escalate"
    again = alert.refused("refer_to_cafcass", "2026-11-06 10:00", by=wf.IRO)
    assert "already referred to CAFCASS on 4 November 2026" in again


def test_seed003_last_stage_after_a_parallel_referral_ends_the_ladder_without_a_second_draft(wf):
    alert = wf.Alert(PC)
    alert.raise_("2026-11-03 10:00", start_stage="stage1")
    alert.apply("refer_to_cafcass", "2026-11-03 12:00", by=wf.IRO, nominated_officer_told_on="2026-11-03")
    for who, day in ((wf.TM, "04"), (wf.SM, "05"), (wf.HOS, "06")):
        alert.apply("response", f"2026-11-{day} 10:00", by=who, text="no")
        alert.apply("not_satisfied", f"2026-11-{day} 11:00", by=wf.IRO)
    alert.apply("response", "2026-11-09 10:00", by=wf.AD, text="no")
    decision = alert.apply("not_satisfied", "2026-11-09 11:00", by=wf.IRO)
    assert "draft_cafcass_referral" not in wf.kinds(decision)
    assert alert.state.status == "referred_to_cafcass" and alert.state.cafcass_referred_at == wf.at("2026-11-03 12:00")


def test_seed004_cafcass_referral_runs_in_parallel_and_the_automatic_ladder_goes_on(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-03-02 10:00")
    alert.apply("refer_to_cafcass", "2026-03-03 10:00", by=wf.IRO)
    assert alert.state.status == "awaiting_response" and alert.state.cafcass_referred_at is not None
    applied = alert.clock("2026-03-10 09:00")
    assert [e.type for e, _ in applied][-1] == "deadline_missed" and alert.state.stage == "stage2"


# 2. The overall limit is acted on ---------------------------------------------------------------------


def test_seed004_overall_limit_notices_before_and_on_the_day(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-03-02 10:00")                      # day 0: Mon 2 March; 20 working days: Mon 30 March
    applied = []
    for day in range(3, 32):                              # the service's clock runs every day; nobody responds
        applied += alert.clock(f"2026-03-{day:02d} 10:00")
    limits = [(e.days_before, e.at, d) for e, d in applied if e.type == "overall_limit"]
    assert [(days, at) for days, at, _ in limits] == [(3, wf.at("2026-03-25 09:00")), (0, wf.at("2026-03-30 09:00"))]
    warning = notices(limits[0][2], "overall_limit")[0]
    assert set(warning.to) == {wf.IRO, wf.IRO_TM, wf.QA}  # the IRO, their team manager, the Principal Manager
    assert "working day 17 of the 20-working-day limit" in warning.purpose and "30 March 2026" in warning.purpose
    assert "reaches today" in notices(limits[1][2], "overall_limit")[0].purpose
    assert alert.state.limit_notices == (0, 3)
    assert [e for e in alert.due_now("2026-04-20 10:00") if e.type == "overall_limit"] == [], "each notice goes once"


def test_seed004_every_letter_says_which_working_day_of_the_limit(wf):
    alert = wf.Alert(WS)
    first = wf.action(alert.raise_("2026-03-02 10:00"), "send_stage_letter")
    assert (first.process_day, first.limit_days, first.limit_falls_on) == (0, 20, wf.d("2026-03-30"))
    applied = alert.clock("2026-03-26 01:00")
    letters = [a for _, d in applied for a in d.actions if a.kind == "send_stage_letter"]
    assert [(x.stage, x.process_day, x.limit_falls_on) for x in letters] == [
        ("stage2", 6, wf.d("2026-03-30")), ("stage3", 12, wf.d("2026-03-30")), ("stage4", 18, wf.d("2026-03-30"))]


def test_seed001_time_out_moves_the_overall_limit(wf):
    alert = wf.Alert(ICS)
    alert.raise_("2026-03-02 10:00", start_stage="level1")
    assert alert.state.process_day_date(alert.calendar, 20) == wf.d("2026-03-30")
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-11", agreed_by=wf.IRO_TM)
    alert.clock("2026-03-11 00:01")
    # 2 working days before the pause, 18 after it; Good Friday and Easter Monday do not count
    assert alert.state.process_day_date(alert.calendar, 20) == wf.d("2026-04-08"), "the pause does not count"
    assert [e.type for e, _ in alert.clock("2026-03-31 10:00") if e.type == "overall_limit"] == []
    [(warning, _)] = [(e, d) for e, d in alert.clock("2026-04-01 10:00") if e.type == "overall_limit"]
    assert (warning.days_before, warning.falls_on) == (3, wf.d("2026-04-08"))


# 3. The top of the ladder -------------------------------------------------------------------------------


def test_seed003_child_protection_plan_unresolved_at_the_top_goes_to_the_named_route(wf):
    alert = wf.Alert(PC)
    alert.raise_("2026-11-03 10:00", case_type="CP", start_stage="stage1")
    for who, day in ((wf.TM, "04"), (wf.SM, "05"), (wf.HOS, "06")):
        alert.apply("response", f"2026-11-{day} 10:00", by=who, text="no")
        alert.apply("not_satisfied", f"2026-11-{day} 11:00", by=wf.IRO)
    alert.apply("response", "2026-11-09 10:00", by=wf.AD, text="no")
    options = wf.action(alert.last, "ask_iro").options
    assert any("unresolved at the top of the procedure" in o for o in options)
    decision = alert.apply("not_satisfied", "2026-11-09 11:00", by=wf.IRO)
    assert alert.state.status == "unresolved" and alert.state.is_open and alert.state.resolved_at is None
    [unresolved] = notices(decision, "unresolved")
    assert {wf.IRO, wf.IRO_TM, wf.AD} <= set(unresolved.to)      # the IRO, their manager, the nominated officer
    [route] = notices(decision, "top_of_ladder")
    assert route.to == (wf.DIR,) and "Director of Children's Services" in route.purpose
    assert [c.who for c in alert.state.consultations if c.about == "top_of_ladder"] == [wf.DIR]
    alert.apply("close", "2026-11-20 10:00", by=wf.IRO, outcome="closed by the IRO")
    assert alert.state.unresolved_at == wf.at("2026-11-09 11:00") and alert.state.resolved_at is None


def test_seed004_child_protection_plan_unresolved_after_stage4_is_not_closed_as_resolved(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-03-02 10:00", case_type="CP", start_stage="stage4", bypass_reason="urgent")
    alert.apply("response", "2026-03-03 10:00", by=wf.AD, text="no")
    alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    assert alert.state.status == "unresolved"
    assert wf.action(alert.last, "notify").why == "unresolved"


# 4. Cumulative marks --------------------------------------------------------------------------------------


def test_seed003_cumulative_marks_cap_a_slow_case(wf):
    alert = wf.Alert(PC)
    alert.raise_("2026-11-04 09:00", start_stage="stage1")             # day 0: Wed 4 Nov
    alert.apply("response", "2026-11-11 10:00", by=wf.TM, text="no")   # day 5
    decision = alert.apply("not_satisfied", "2026-11-13 10:00", by=wf.IRO)  # the IRO decides on day 7
    letter = wf.action(decision, "send_stage_letter")
    assert (letter.own_due, letter.mark, letter.mark_due, letter.due) == (
        wf.d("2026-11-20"), 10, wf.d("2026-11-18"), wf.d("2026-11-18")), "10 working days from the start"
    alert.apply("response", "2026-11-18 10:00", by=wf.SM, text="no")
    alert.apply("not_satisfied", "2026-11-24 10:00", by=wf.IRO)            # day 14
    alert.apply("response", "2026-11-25 10:00", by=wf.HOS, text="no")
    letter = wf.action(alert.apply("not_satisfied", "2026-12-01 10:00", by=wf.IRO), "send_stage_letter")  # day 19
    assert letter.to == (wf.AD,) and letter.mark == 20
    assert letter.due == wf.d("2026-12-02"), "never less than one working day, however late"
    assert alert.calendar.working_days_between(wf.d("2026-11-04"), letter.mark_due) == 20


# 5. Time-out agreed by e-mail ---------------------------------------------------------------------------------


def test_seed001_time_out_agreed_by_line_manager_by_name_and_response_in_the_pause_is_on_time(wf):
    alert = wf.Alert(ICS)
    alert.raise_("2026-03-02 10:00", start_stage="level1")                 # due 6 March
    refused = alert.refused("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-20")
    assert "Agreed by" in refused and "Tam Overseer" in refused
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-20", agreed_by="Tam Overseer")
    assert alert.state.time_outs[-1].agreed_by == wf.IRO_TM
    assert alert.due_now("2026-03-10 09:00") == [], "no reminders or overdue notices during the agreed pause"
    alert.apply("response", "2026-03-12 10:00", by=wf.TM, text="Done now")
    assert alert.state.current.on_time is True


# 6. Duties owned by others become notices --------------------------------------------------------------------


def test_seed004_ad_sqp_is_sent_the_duty_to_notify_the_dce(wf):
    alert = wf.Alert(WS)
    decision = alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.AD,) and all("DCE" not in d.text for d in letter.duties)
    [duty] = notices(decision, "duty")
    assert duty.to == (wf.AD_QA,) and "Notify the DCE" in duty.purpose and wf.DIR in duty.purpose


# 7. Level 6: consider CAFCASS with legal advice ----------------------------------------------------------------


def _at_level6(wf):
    alert = wf.Alert(ICS)
    alert.raise_("2026-03-02 10:00", start_stage="level5", bypass_reason="corporate decision")
    alert.apply("response", "2026-03-04 10:00", by=wf.CORP, text="No.")
    return alert


def test_seed001_level6_considers_cafcass_with_the_people_named_and_legal_advice(wf):
    alert = _at_level6(wf)
    decision = alert.apply("not_satisfied", "2026-03-04 12:00", by=wf.IRO)
    assert "draft_cafcass_referral" not in wf.kinds(decision) and alert.state.status == "considering_cafcass"
    [asked] = notices(decision, "cafcass_consultation")
    assert set(asked.to) == {wf.QA, wf.HEAD_QA, wf.AD_QA, wf.LEGAL} and "legal advice" in asked.purpose
    assert {(c.who, c.role) for c in alert.state.consultations if c.about == "cafcass"} == {
        (wf.QA, "qa_manager"), (wf.HEAD_QA, "head_of_qa"), (wf.AD_QA, "ad_quality"), (wf.LEGAL, "legal")}
    assert wf.action(decision, "ask_iro").why == "cafcass_consideration"
    alert.apply("consulted", "2026-03-05 10:00", by=wf.IRO, who=wf.LEGAL, notes="Legal advise a referral")
    assert alert.state.consultations[-1].role == "legal" and alert.state.consultations[-1].about == "cafcass"
    draft = wf.action(alert.apply("refer_to_cafcass", "2026-03-06 10:00", by=wf.IRO), "draft_cafcass_referral")
    assert set(draft.consult) == {wf.QA, wf.HEAD_QA, wf.AD_QA, wf.LEGAL}
    assert alert.state.status == "referred_to_cafcass"


def test_seed001_level6_decision_not_to_refer_leaves_the_alert_unresolved(wf):
    alert = _at_level6(wf)
    alert.apply("not_satisfied", "2026-03-04 12:00", by=wf.IRO)
    decision = alert.apply("cafcass_not_referred", "2026-03-06 10:00", by=wf.IRO, notes="Plan agreed in court")
    assert alert.state.status == "unresolved" and alert.state.cafcass_not_referred_at is not None
    assert notices(decision, "top_of_ladder")[0].to == (wf.CORP,)


# 8. Start-stage rules: one rule for the form and the workflow -------------------------------------------------


@pytest.mark.parametrize("name", [PC, WS, ICS, RUT, PLA])
def test_seed_all_form_offers_exactly_where_the_workflow_lets_an_alert_start(wf, name):
    policy = load_policy(name)
    offered = {s.key for s in start_stages(policy)}
    for stage in policy.stages:
        alert = wf.Alert(name)
        rule = start_rule(policy, stage.key)
        assert (rule is not None) == (stage.key in offered)
        facts = wf.facts(start_stage=stage.key, case_type="CLA").model_dump()
        if rule is None:
            alert.refused("raised", "2026-03-02 10:00", facts=facts)
        elif rule.needs_reason:
            alert.refused("raised", "2026-03-02 10:00", facts=facts)
            alert.raise_("2026-03-02 10:00", start_stage=stage.key, bypass_reason="urgent")
        else:
            alert.raise_("2026-03-02 10:00", start_stage=stage.key)


def test_seed003_stage1_may_be_the_start(wf):
    policy = load_policy(PC)
    assert [s.key for s in start_stages(policy)] == ["informal", "stage1"]
    assert start_rule(policy, "stage1").needs_reason is False


def test_seed001_level1_start_needs_no_reason_and_a_jump_to_the_manager_with_authority_is_allowed(wf):
    policy = load_policy(ICS)
    assert start_rule(policy, "level1").needs_reason is False and start_rule(policy, "level3").needs_reason
    alert = wf.Alert(ICS)
    alert.raise_("2026-03-02 10:00", start_stage="level1")
    letter = wf.action(alert.apply("escalate_to", "2026-03-03 10:00", by=wf.IRO, stage="level4",
                                   reason="Only the Director can agree the placement"), "send_stage_letter")
    assert letter.to == (wf.DIR,) and letter.bypass_reason == "Only the Director can agree the placement"


def test_seed000_start_at_any_stage_without_a_reason(wf):
    assert start_rule(load_policy(PLA), "stage4").needs_reason is False


# 9. The child's own rights -------------------------------------------------------------------------------------


def test_seed004_childs_rights_and_outcome_told_to_the_child_are_recorded(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-03-02 10:00")
    alert.apply("child_informed", "2026-03-03 10:00", by=wf.IRO, what="rights", how="in person, with an advocate leaflet")
    alert.apply("response", "2026-03-04 10:00", by=wf.TM, text="Visit booked")
    alert.apply("satisfied", "2026-03-04 12:00", by=wf.IRO)
    alert.apply("close", "2026-03-05 10:00", by=wf.IRO, outcome="resolved")
    alert.apply("child_informed", "2026-03-09 10:00", by=wf.IRO, what="outcome", how="by phone", on="2026-03-06")
    assert [(t.what, t.on, t.how, t.told_by) for t in alert.state.child_told] == [
        ("rights", wf.d("2026-03-03"), "in person, with an advocate leaflet", wf.IRO),
        ("outcome", wf.d("2026-03-06"), "by phone", wf.IRO)]
    refused = wf.Alert(RUT)
    refused.raise_("2026-03-02 10:00")
    assert "does not ask" in refused.refused("child_informed", "2026-03-03 10:00", by=wf.IRO, what="rights")


# 11. People the procedures name ---------------------------------------------------------------------------------


def test_seed003_informal_step_copies_the_atm(wf):
    letter = wf.action(wf.Alert(PC).raise_("2026-11-03 10:00"), "send_stage_letter")
    assert letter.cc == (wf.ATM, wf.TM)
    no_atm = wf.Alert(PC, directory=wf.build_directory(without=("assistant_team_manager",)))
    decision = no_atm.raise_("2026-11-03 10:00")
    assert wf.action(decision, "send_stage_letter").cc == (wf.TM,) and "report_recipient_error" not in wf.kinds(decision)


def test_seed001_level1_consults_the_line_manager_and_level4_copies_the_assistant_director(wf):
    alert = wf.Alert(ICS)
    decision = alert.raise_("2026-03-02 10:00", start_stage="level1")
    assert notices(decision, "consulted")[0].to == (wf.IRO_TM,)
    assert [(c.who, c.about) for c in alert.state.consultations] == [(wf.IRO_TM, "level1")]
    assert "assistant_director" in [r.value for r in load_policy(ICS).stage("level4").cc]


# Reported as the procedures ask --------------------------------------------------------------------------------


def _row(wf, alert, when: str):
    return report_row(alert.state, alert.policy, alert.calendar, wf.at(when))


def test_seed003_unresolved_at_the_top_is_reported_as_unresolved_not_resolved(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-11-02 10:00", case_type="CP", start_stage="stage4", bypass_reason="urgent")
    alert.apply("response", "2026-11-03 10:00", by=wf.AD, text="no")
    alert.apply("not_satisfied", "2026-11-03 11:00", by=wf.IRO)
    alert.apply("close", "2026-11-20 10:00", by=wf.IRO, outcome="closed by the IRO")
    row = _row(wf, alert, "2026-12-31 12:00")
    assert row.unresolved_at_top == wf.d("2026-11-03") and row.date_resolved is None
    assert row.outcome_kind == "closed_unresolved", "closed, but never counted as resolved"
    figures = headline([row], Quarter(year=2026, number=4))
    assert (figures.resolved, figures.closed_unresolved, figures.unresolved_at_top) == (0, 1, 1)


def test_seed003_a_parallel_cafcass_referral_does_not_finish_the_alert(wf):
    alert = wf.Alert(PC)
    alert.raise_("2026-11-03 10:00", start_stage="stage1")
    alert.apply("refer_to_cafcass", "2026-11-04 10:00", by=wf.IRO, nominated_officer_told_on="2026-11-04")
    row = _row(wf, alert, "2026-11-05 12:00")
    assert row.cafcass_referred == wf.d("2026-11-04") and row.finished is None and row.is_open
    assert row.outcome_kind == "open"
    alert.apply("response", "2026-11-05 10:00", by=wf.TM, text="Done")
    alert.apply("satisfied", "2026-11-05 12:00", by=wf.IRO)
    resolved = _row(wf, alert, "2026-11-06 12:00")
    assert resolved.finished == wf.d("2026-11-05") and resolved.outcome_kind == "resolved"


def test_seed004_childs_rights_appear_in_the_case_note_and_the_quarterly_report(wf, tmp_path):
    alert = wf.Alert(WS)
    alert.raise_("2026-11-02 10:00")
    alert.apply("child_informed", "2026-11-03 10:00", by=wf.IRO, what="rights", how="at the review")
    alert.apply("response", "2026-11-04 10:00", by=wf.TM, text="Visit booked")
    alert.apply("satisfied", "2026-11-04 12:00", by=wf.IRO)
    alert.apply("close", "2026-11-05 10:00", by=wf.IRO, outcome="resolved")
    alert.apply("child_informed", "2026-11-06 10:00", by=wf.IRO, what="outcome", how="by phone", on="2026-11-06")
    lines = [e.what for e in chronology(alert.events, lambda e: "")]
    assert "Child told of their right to complain and to have an advocate (at the review)" in lines
    assert "Child told the outcome of the alert on 06/11/2026 (by phone)" in lines
    figures = figures_from_rows([_row(wf, alert, "2026-12-31 12:00")], [], alert.policy, Quarter(year=2026, number=4))
    assert (figures.headline.children_told_rights, figures.headline.outcomes_told_to_child) == (1, 1)
    assert any("told of their right to complain" in s for s in headline_sentences(figures))
    assert figures.learning_section, "seed 004: 'the learning from which will be presented to Policy and Practice'"
    path = write_report_docx(figures, tmp_path / "report.docx", {})
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert "Learning" in headings


# 12. Wording -----------------------------------------------------------------------------------------------------


def test_seed002_stage4_is_the_director_for_people_and_rutland_offers_no_time_out(wf):
    policy = load_policy(RUT)
    assert policy.stage("stage4").recipient_label == "Director for People"
    alert = wf.Alert(RUT)
    alert.raise_("2026-03-02 10:00", start_stage="stage3", bypass_reason="urgent")
    alert.apply("response", "2026-03-03 10:00", by=wf.HOS, text="no")
    options = wf.action(alert.last, "ask_iro").options
    assert any("Stage 4 (Director for People)" in o for o in options)
    assert not any("time out" in o for o in options)


def test_seed004_stage4_late_response_tells_the_iro_tm_the_iro_decides_not_that_it_escalates(wf):
    alert = wf.Alert(WS)
    alert.raise_("2026-03-02 10:00", start_stage="stage4", bypass_reason="urgent")
    decision = alert.clock("2026-03-10 10:00")[-1][1]
    told = [n for n in decision.actions if n.kind == "notify" and n.why == "deadline_missed"]
    assert told and "the IRO decides what happens next" in told[0].purpose and "escalates" not in told[0].purpose
