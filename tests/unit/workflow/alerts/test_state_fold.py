"""The state is a fold of the events: replaying the stored events gives the same state."""

from __future__ import annotations

import json

from practice_alerts.workflow import dump_event, parse_event, replay, replay_with_actions


def _busy_alert(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", resolve_by="2026-03-04")
    alert.clock("2026-03-05 09:00")                                  # informal deadline missed
    alert.apply("not_satisfied", "2026-03-05 10:00", by=wf.IRO)      # level 1, due 11 March
    alert.apply("time_out", "2026-03-09 10:00", by=wf.IRO, until="2026-03-16", agreed_by=wf.IRO_TM)
    alert.clock("2026-03-16 09:00")                                  # resumes
    alert.apply("response", "2026-03-17 12:00", by=wf.TM, text="done")
    return alert


def test_replay_of_stored_events_gives_the_same_state(wf):
    alert = _busy_alert(wf)
    stored = [json.loads(json.dumps(dump_event(e))) for e in alert.events]
    events = [parse_event(e) for e in stored]
    assert replay(events, alert.policy, alert.directory, alert.calendar) == alert.state


def test_replay_with_actions_gives_each_event_its_actions(wf):
    alert = _busy_alert(wf)
    pairs = replay_with_actions(alert.events, alert.policy, alert.directory, alert.calendar)
    assert [e.type for e, _ in pairs] == ["raised", "deadline_missed", "not_satisfied", "time_out", "resume", "response"]
    assert pairs[2][1][0].kind == "send_stage_letter"


def test_formal_working_days_exclude_the_informal_stage_and_time_outs(wf):
    alert = _busy_alert(wf)
    state = alert.state
    # formal from Thu 5 March; 6 and 9 March used (time-out on the 9th); resumed Mon 16 March (day 0);
    # 17 March: one more.
    assert state.formal_started_on == wf.d("2026-03-05")
    assert state.working_days_elapsed(alert.calendar, wf.d("2026-03-17")) == 3
    assert state.time_outs[0].remaining_days == 2 and state.time_outs[0].resumed_at == wf.at("2026-03-16 00:00")
    assert state.due == wf.d("2026-03-18")


def test_seed_001_time_out_after_the_cut_off_never_gains_or_loses_a_day(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", start_stage="level1")          # due 6 March
    alert.apply("time_out", "2026-03-03 18:30", by=wf.IRO, until="2026-03-09", agreed_by=wf.IRO_TM)
    used = alert.calendar.working_days_between(wf.d("2026-03-02"), wf.d("2026-03-03"))
    assert used + alert.state.remaining_days == 4


def test_seed_000_twenty_working_day_resolution_period_is_tracked(wf):
    alert = wf.Alert("practice_learning_alert")
    alert.raise_("2026-03-02 10:00")
    for recipient in (wf.TM, wf.SM, wf.HOS):
        alert.apply("response", f"{alert.state.due} 12:00", by=recipient, text="no")
        alert.apply("not_satisfied", f"{alert.state.due} 13:00", by=wf.IRO)
    alert.apply("response", f"{alert.state.due} 12:00", by=wf.AD, text="no")
    last_due = alert.state.due
    assert alert.state.working_days_elapsed(alert.calendar, last_due) == 20 == alert.policy.target_working_days
    alert.apply("satisfied", f"{alert.calendar.next_working_day(last_due)} 10:00", by=wf.IRO)
    later = alert.calendar.add_working_days(last_due, 10)
    assert alert.state.working_days_elapsed(alert.calendar, later) == 21, "the count stops when the alert is resolved"


def test_stage_history_records_recipient_due_response_and_timeliness(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-09 18:45", by=wf.TM, text="late in the day but on the due date")
    visit = alert.state.stages[0]
    assert (visit.recipient_email, visit.due, visit.on_time) == (wf.TM, wf.d("2026-03-09"), True)
    alert.apply("not_satisfied", "2026-03-10 09:00", by=wf.IRO)
    alert.apply("response", "2026-03-18 09:00", by=wf.SM, text="late")
    assert alert.state.stages[1].on_time is False


def test_the_form_record_is_accepted_whole_but_child_names_are_not_kept(wf):
    facts = wf.facts(child_name="Ada Child", child_first_name="Ada", iro_email="IRIS@Council.Example ")
    assert "child_name" not in facts.model_dump() and facts.iro_email == "iris@council.example"


def test_the_iro_is_offered_what_the_policy_allows(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", start_stage="level1")
    ask = wf.action(alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="done"), "ask_iro")
    assert ask.response_text == "done"
    assert "not satisfied: escalate to Level 2 (Service Manager)" in ask.options
    assert any(o.startswith("time out") and "IRO / CP Chair Team Manager" in o for o in ask.options)
    assert not any("CAFCASS" in o for o in ask.options)


def test_replay_survives_a_directory_change(wf):
    from practice_alerts.policies.roles import Role
    from practice_alerts.workflow.directory import Directory

    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="done")
    alert.apply("satisfied", "2026-03-03 11:00", by=wf.IRO)
    # Later Toni is no longer the team manager and Ali is: today Toni could not respond...
    gone = wf.build_directory(without=("team_manager",))
    later = Directory(external=gone.external, people=[
        p.model_copy(update={"roles": [*p.roles, Role.TEAM_MANAGER]}) if p.email == wf.ATM else p for p in gone.people
    ])
    today = wf.Alert("rutland", directory=later)
    today.raise_("2026-03-02 10:00")
    assert "Ali Assistant" in today.refused("response", "2026-03-03 10:00", by=wf.TM, text="done")
    # ...but the stored history still replays: who sent each event was checked when it was accepted.
    state = replay(alert.events, alert.policy, later, alert.calendar)
    assert state.status == "resolved" and state.stages[0].response_by == wf.TM
    # New events are still checked against today's directory.
    today.state = state
    assert "Only the IRO" in today.refused("close", "2026-03-04 10:00", by=wf.OTHER_IRO, outcome="x")


def test_the_form_parsers_record_becomes_facts(wf):
    from practice_alerts.forms.record import AlertForm

    fields = {name: info for name, info in AlertForm.model_fields.items()}
    assert {"reference", "child_id", "case_type", "iro_email", "social_worker_email", "team_manager_email",
            "reason_codes", "resolve_by", "start_stage", "bypass_reason", "external_agency", "date_raised"} <= set(fields)
    record = {**wf.facts().model_dump(), "reference": None, "team_manager_name": None, "team_manager_email": None,
              "child_name": "A Child", "concern": "...", "child_dob": "2015-01-01"}
    facts = wf.AlertFacts.model_validate({**record, "reference": "PA-2026-0042"})
    assert facts.team_manager_name == "" and facts.team_manager_email is None and facts.reference == "PA-2026-0042"
