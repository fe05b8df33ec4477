"""The clock: reminders before due dates, missed deadlines, the end of time-outs; asking twice is harmless."""

from __future__ import annotations


def test_reminder_one_working_day_before_the_due_date_at_nine(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")                                  # due Mon 9 March
    assert alert.due_now("2026-03-06 08:59") == []
    [reminder] = alert.due_now("2026-03-06 09:00")                    # Friday is 1 working day before
    assert (reminder.type, reminder.stage, reminder.days_before, reminder.at) == (
        "reminder_due", "stage1", 1, wf.at("2026-03-06 09:00"))
    decision = alert.clock("2026-03-06 12:00")[0][1]
    remind = wf.action(decision, "remind")
    assert remind.to == (wf.TM,) and remind.due == wf.d("2026-03-09") and not remind.overdue
    assert alert.due_now("2026-03-06 15:00") == [], "a reminder is sent once"
    assert len(alert.state.reminders_sent) == 1


def test_reminder_skips_weekends_and_bank_holidays(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-31 10:00")                                  # due Thu 9 April (Easter in between)
    assert alert.state.due == wf.d("2026-04-09")
    [reminder] = alert.due_now("2026-04-08 09:00")
    assert reminder.at == wf.at("2026-04-08 09:00")


def test_no_reminder_after_the_response(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="done")
    assert alert.due_now("2026-03-06 09:00") == []
    assert alert.due_now("2026-03-20 09:00") == [], "no missed deadline after a response"


def test_deadline_missed_the_morning_after_the_due_date_and_only_once(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.clock("2026-03-06 09:00")                                   # the reminder
    assert [e.type for e in alert.due_now("2026-03-09 23:59")] == []
    [missed] = alert.due_now("2026-03-10 00:00")
    assert (missed.type, missed.due, missed.at) == ("deadline_missed", wf.d("2026-03-09"), wf.at("2026-03-10 00:00"))
    alert.clock("2026-03-12 09:00")
    assert alert.due_now("2026-03-12 09:00") == []
    assert [e.type for e in alert.due_now("2026-04-30 09:00")] == ["overall_limit"], "only the whole-process limit"


def test_a_late_clock_run_dates_events_when_they_fell_due(wf):
    alert = wf.Alert("west_sussex")
    alert.raise_("2026-03-02 10:00")                                  # due 9 March
    applied = alert.clock("2026-03-13 15:00")                         # the service was down for days
    assert [(e.type, e.at) for e, _ in applied][0] == ("deadline_missed", wf.at("2026-03-10 00:00"))
    # stage 2 started on 10 March (day 0), so it is due on 17 March whenever the clock ran
    assert alert.state.stages[1].due == wf.d("2026-03-17")


def test_overdue_reminders_collapse_into_the_latest(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    policy = alert.policy.model_copy(update={"reminders": alert.policy.reminders.model_copy(update={"days_before_due": [3, 1]})})
    from practice_alerts.workflow import due_clock_events

    [early] = due_clock_events(alert.state, policy, alert.calendar, wf.at("2026-03-04 09:00"))
    assert early.days_before == 3
    [latest] = due_clock_events(alert.state, policy, alert.calendar, wf.at("2026-03-06 10:00"))
    assert latest.days_before == 1


def test_time_out_end_resumes_the_clock_and_new_due_date_gets_its_own_reminder(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", start_stage="level1")            # due 6 March
    alert.apply("time_out", "2026-03-04 10:00", by=wf.IRO, until="2026-03-16", agreed_by=wf.IRO_TM)
    assert alert.state.remaining_days == 2
    assert alert.due_now("2026-03-13 09:00") == []
    applied = alert.clock("2026-03-16 09:00")
    assert [e.type for e, _ in applied] == ["resume"]
    assert alert.state.due == wf.d("2026-03-18")
    assert alert.due_now("2026-03-16 09:00") == [], "no reminder on the day the clock restarts"
    [reminder] = alert.due_now("2026-03-17 09:00")
    assert reminder.type == "reminder_due" and reminder.days_before == 1


def test_informal_stage_deadline_follows_the_policy(wf):
    alert = wf.Alert("integrated_childrens_services")
    alert.raise_("2026-03-02 10:00", resolve_by="2026-03-04")
    decision = alert.clock("2026-03-05 09:00")[-1][1]
    assert "ask_iro" in wf.kinds(decision) and alert.state.stage == "informal"
    assert alert.state.formal_started_on is None


def test_a_closed_alert_has_no_clock(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.apply("close", "2026-03-02 11:00", by=wf.IRO, outcome="withdrawn")
    assert alert.due_now("2026-06-01 09:00") == []


def test_a_letter_to_an_external_agency_has_a_deadline_but_no_reminder(wf):
    alert = wf.Alert("practice_learning_alert")
    alert.raise_("2026-03-02 10:00", external_agency="Exampletown Health Trust")   # due 9 March
    assert alert.due_now("2026-03-06 09:00") == [], "nobody at the agency is known to remind"
    applied = alert.clock("2026-03-10 09:00")
    event, decision = applied[0]
    assert (event.type, event.stage, event.due) == ("deadline_missed", None, wf.d("2026-03-09"))
    assert wf.kinds(decision) == ["ask_iro"]
    assert any("further letter" in option for option in wf.action(decision, "ask_iro").options)
