"""Who gets what: recipient errors are reported (the stage is never skipped), copies are not doubled."""

from __future__ import annotations


def test_nobody_holds_the_stage_role_reports_an_error_and_keeps_the_stage(wf):
    alert = wf.Alert("west_sussex", directory=wf.build_directory(without=("group_manager",)))
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="no")
    decision = alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    assert "send_stage_letter" not in wf.kinds(decision)
    error = wf.action(decision, "report_recipient_error")
    assert error.blocking and error.role == "group_manager" and error.stage == "stage2"
    assert error.to == (wf.IRO,) and error.cc == (wf.IRO_TM,)
    assert "Group Manager" in error.message
    assert alert.state.stage == "stage2", "the stage is not skipped"
    assert alert.state.due is None and alert.state.current.recipient_email is None
    assert [e.type for e in alert.due_now("2026-04-30 09:00")] == ["overall_limit"], \
        "no deadline runs for a letter nobody received; only the whole process's limit"


def test_once_the_directory_is_fixed_the_iro_resends_the_same_stage(wf):
    alert = wf.Alert("west_sussex", directory=wf.build_directory(without=("group_manager",)))
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="no")
    alert.apply("not_satisfied", "2026-03-03 11:00", by=wf.IRO)
    refused = alert.refused("response", "2026-03-04 10:00", by=wf.SM, text="here")
    assert "Nobody has been found" in refused
    alert.directory = wf.DIRECTORY
    decision = alert.apply("escalate_to", "2026-03-05 10:00", by=wf.IRO, stage="stage2")
    assert wf.action(decision, "send_stage_letter").to == (wf.SM,)
    assert alert.state.due == wf.d("2026-03-12")
    assert [v.key for v in alert.state.stages] == ["stage1", "stage2"]


def test_a_missing_copy_is_reported_but_the_letter_still_goes(wf):
    alert = wf.Alert("practice_learning_alert", directory=wf.build_directory(without=("lac_admin",)))
    decision = alert.raise_("2026-03-02 10:00")
    assert wf.action(decision, "send_stage_letter").to == (wf.TM,)
    errors = wf.all_of(decision, "report_recipient_error")
    assert errors and not errors[0].blocking and errors[0].role == "lac_admin"


def test_form_people_are_used_when_the_directory_does_not_list_them(wf):
    alert = wf.Alert("rutland")
    decision = alert.raise_("2026-03-02 10:00", social_worker_email="agency.worker@agency.example",
                            team_manager_email="tm@council.example")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.TM,) and letter.cc == ("agency.worker@agency.example",)


def test_nobody_is_notified_twice_for_one_step(wf):
    alert = wf.Alert("west_sussex")
    alert.raise_("2026-03-02 10:00")
    decision = alert.clock("2026-03-10 09:00")[-1][1]
    addresses = [a for n in wf.all_of(decision, "notify") for a in n.to]
    assert addresses.count(wf.IRO_TM) == 1
