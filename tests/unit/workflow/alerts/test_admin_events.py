"""Events an administrator records, decided by the workflow like any other (pure: no store, no mail)."""

from __future__ import annotations

from practice_alerts.workflow import replay
from practice_alerts.workflow.state import Status


def test_a_recorded_phone_response_stops_the_clock_and_asks_the_iro(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    decision = alert.apply("recorded_response", "2026-03-04 11:00", by=wf.LAC_ADMIN, how="phone",
                           text="Visit booked.", reason="Toni phoned LAC admin.")
    assert alert.state.status is Status.AWAITING_DECISION
    assert alert.state.current.response_by == wf.TM and alert.state.current.on_time is True
    ask = wf.action(decision, "ask_iro")
    assert ask.to == (wf.IRO,) and "Visit booked." in ask.response_text and "phone" in ask.response_text
    # the record replays to the same state
    assert replay(alert.events, alert.policy, alert.directory, alert.calendar) == alert.state


def test_a_response_cannot_be_recorded_for_someone_the_alert_is_not_with(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    reason = alert.refused("recorded_response", "2026-03-04 11:00", by=wf.LAC_ADMIN, on_behalf_of=wf.SW,
                           reason="said so")
    assert "Toni Team" in reason


def test_every_admin_event_says_why(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    assert "Say why" in alert.refused("withdraw", "2026-03-04 11:00", by=wf.LAC_ADMIN, reason=" ")


def test_withdraw_closes_and_reopen_opens_for_the_iro_to_decide(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    alert.apply("withdraw", "2026-03-04 11:00", by=wf.LAC_ADMIN, reason="raised on the wrong child")
    assert alert.state.status is Status.CLOSED and alert.state.outcome == "withdrawn: raised in error"
    decision = alert.apply("reopen", "2026-03-05 09:00", by=wf.LAC_ADMIN, reason="right child after all")
    assert alert.state.status is Status.AWAITING_DECISION and alert.state.closed_at is None
    assert wf.action(decision, "notify").to == (wf.IRO,)
    assert "still open" in alert.refused("reopen", "2026-03-05 10:00", by=wf.LAC_ADMIN, reason="again")


def test_a_duplicate_is_merged_but_not_into_itself(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    assert "into itself" in alert.refused("merge_into", "2026-03-04 11:00", by=wf.LAC_ADMIN, into="PA-2026-0001",
                                          reason="dup")
    alert.apply("merge_into", "2026-03-04 11:00", by=wf.LAC_ADMIN, into="PA-2026-0009", reason="dup")
    assert alert.state.outcome == "merged into PA-2026-0009 (duplicate)"


def test_correcting_the_team_manager_resends_the_stage_letter_to_the_corrected_chain(wf):
    alert = wf.Alert("rutland")
    alert.raise_(social_worker_email=None, social_worker_name="", team_manager_email=wf.COVER_SM)
    decision = alert.apply("correct_fact", "2026-03-03 10:00", by=wf.LAC_ADMIN, field="team_manager_email",
                           value=wf.TM, reason="wrong address on the form")
    letter = wf.action(decision, "send_stage_letter")
    assert letter.to == (wf.TM,) and alert.state.facts.team_manager_email == wf.TM
    assert len(alert.state.stages) == 1 and alert.state.current.recipient_email == wf.TM


def test_a_decision_recorded_for_the_iro_acts_as_theirs(wf):
    alert = wf.Alert("rutland")
    alert.raise_()
    alert.apply("response", "2026-03-04 11:00", by=wf.TM, text="done")
    alert.apply("decision_on_behalf", "2026-03-05 11:00", by=wf.LAC_ADMIN, iro_name="Iris Reviewer",
                decision="satisfied", reason="Iris phoned from court")
    assert alert.state.status is Status.RESOLVED
