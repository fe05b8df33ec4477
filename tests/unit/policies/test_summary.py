"""The readable summary says what the policy says (``policy show``)."""

from __future__ import annotations

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.summary import policy_summary


def test_seed_004_summary_shows_ladder_notifications_and_automatic_escalation():
    text = policy_summary(load_policy("west_sussex"))
    assert "  Stage 2: Group Manager — 5 working days; then Stage 3" in text
    assert "      Also told: IRO / CP Chair Team Manager, Principal Manager" in text
    assert "it escalates to the next stage by itself and the IRO is told" in text
    assert "      If the response is late: the recipient is reminded and the IRO is asked to decide" in text
    assert "- Assistant Director for Quality Assurance: Notify the DCE" in text
    assert "The outcome must be communicated to the child." in text
    assert "  Detailed reasons — Provision of Service" in text


def test_seed_001_summary_shows_informal_timescale_time_out_and_cafcass_consultation():
    text = policy_summary(load_policy("integrated_childrens_services"))
    assert "Informal Resolution (informal): Social Worker — timescale set by the IRO, at most 10 working days" in text
    assert "with the agreement of the IRO / CP Chair Team Manager" in text
    assert "  Level 6: referral to CAFCASS (see below)" in text
    assert "Legal advice must be taken before referring." in text
    assert "Level 3: the IRO may start there or escalate straight to it" in text


def test_seed_000_summary_shows_agenda_and_lac_admin_purposes():
    text = policy_summary(load_policy("practice_learning_alert"))
    assert "Add the alert to the Challenge Meeting agenda. [agenda: Challenge Meeting]" in text
    assert "When it is escalated: LAC Admin (to track escalation)" in text
    assert "When the IRO is satisfied: LAC Admin (to complete the alert)" in text
    assert "Contact: CAFCASS Legal; form: Appendix 3" in text


def test_seed_002_summary_warns_that_the_ladder_is_longer_than_the_target():
    text = policy_summary(load_policy("rutland"))
    assert "the formal stages' deadlines add up to 25 working days (more than the target)" in text
    assert "Stage 3: the IRO may start there or escalate straight to it (more serious or urgent cases)." in text
    assert "    13  Other (describe it on the form)" in text


def test_seed_003_summary_shows_cafcass_at_any_time_after_telling_the_nominated_officer():
    text = policy_summary(load_policy("professional_challenge"))
    assert "For children looked after only; the IRO may refer at any time" in text
    assert "Tell first: Local Authority Nominated Officer." in text
