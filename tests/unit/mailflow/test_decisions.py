"""The IRO's decision, read from the first meaningful line, and the mailto: links offered."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from practice_alerts.mailflow.decisions import decision_mailto_links, options_for, parse_decision, stage_from_words
from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.policies.load import load_policy, policy_names
from practice_alerts.policies.schema import CaseType

TODAY = dt.date(2026, 12, 1)
ALERT = AlertSummary(reference="PA-2026-0001", iro_email="iro@council.example", stage_key="stage2",
                     stage_name="Stage 2", case_type=CaseType.CLA)


def decide(text: str, policy, alert: AlertSummary = ALERT):
    return parse_decision(text, policy=policy, alert=alert, today=TODAY)


@pytest.mark.parametrize("text, kind", [
    ("SATISFIED", "satisfied"),
    ("satisfied.", "satisfied"),
    ("Resolved!", "satisfied"),
    ("**Satisfied** - thank you", "satisfied"),
    ("NOT SATISFIED", "not_satisfied"),
    ("Not satisfied: still no visit", "not_satisfied"),
    ("not-satisfied", "not_satisfied"),
    ("Escalate", "not_satisfied"),
    ("escalate to the next stage", "not_satisfied"),
    ("RESUME", "resume"),
    ("Refer to CAFCASS", "refer_to_cafcass"),
    ("referral to Cafcass please", "refer_to_cafcass"),
    ("Close", "close"),
    ("CLOSED", "close"),
    ("Thanks, will read it later", "unclear"),
    ("", "unclear"),
    ("From my point of view...", "unclear"),
])
def test_first_line_kinds(text, kind, rutland):
    assert decide(text, rutland).kind == kind


def test_not_satisfied_is_never_read_as_satisfied(rutland):
    assert decide("Not Satisfied", rutland).kind == "not_satisfied"
    assert decide("unsatisfied", rutland).kind == "not_satisfied"


def test_greeting_and_blank_lines_are_skipped_and_notes_kept(rutland):
    got = decide("Hi team,\n\n  Not satisfied - no visit yet\nThe plan has drifted.", rutland)
    assert got.kind == "not_satisfied"
    assert got.notes == "no visit yet\nThe plan has drifted."


@pytest.mark.parametrize("text", ["ESCALATE TO STAGE 4", "escalate to level 4", "Escalate to stage 4.",
                                  "escalate it to Stage 4!", "Escalate to director for people"])
def test_escalate_to_a_named_stage(text, rutland):
    got = decide(text + "\nSerious and urgent.", rutland)
    assert got.kind == "escalate_to"
    assert got.stage == "stage4"
    assert got.reason == "Serious and urgent."


def test_escalate_to_unknown_stage_is_unclear_and_lists_stages(rutland):
    got = decide("escalate to stage 9", rutland)
    assert got.kind == "unclear"
    assert "Stage 1" in got.problem and "Stage 5" in got.problem
    assert got.options


@pytest.mark.parametrize("text, until", [
    ("TIME OUT UNTIL 12/01/2027", dt.date(2027, 1, 12)),
    ("time-out until 2027-01-12", dt.date(2027, 1, 12)),
    ("Timeout: 12 January 2027", dt.date(2027, 1, 12)),
    ("time out till Tuesday 12th January 2027", dt.date(2027, 1, 12)),
    ("Time out until 5/1/27", dt.date(2027, 1, 5)),
])
def test_time_out_dates_are_british_or_iso(text, until, rutland):
    got = decide(text + "\nCourt hearing first.\nThen review.", rutland)
    assert got.kind == "time_out"
    assert got.until == until
    assert got.reason == "Court hearing first.\nThen review."


@pytest.mark.parametrize("text", ["TIME OUT", "time out until soon", "TIME OUT UNTIL 30/11/2026", "time out until 31/02/2027"])
def test_time_out_without_a_future_date_is_unclear(text, rutland):
    got = decide(text, rutland)
    assert got.kind == "unclear"
    assert "date" in got.problem


def test_stage_words_map_level_and_stage_alike(rutland):
    assert stage_from_words("Level 3", rutland).key == "stage3"
    assert stage_from_words("the head of service", rutland).key == "stage3"
    assert stage_from_words("stage 12", rutland) is None


def test_every_built_in_policy_maps_its_own_stage_names():
    for name in policy_names():
        policy = load_policy(name)
        for stage in policy.stages:
            assert stage_from_words(stage.name, policy).key == stage.key, (name, stage.name)


def test_options_follow_policy_and_state(rutland):
    kinds = [o.kind for o in options_for(rutland, ALERT)]
    assert kinds[0] == "satisfied" and kinds[-1] == "close"
    assert "time_out" not in kinds  # Rutland allows no time-out
    assert "resume" not in kinds
    assert "refer_to_cafcass" not in kinds  # only after the last stage there
    bypass = [o.label for o in options_for(rutland, ALERT) if o.kind == "escalate_to"]
    assert bypass == [f"Escalate to {s.name}" for s in rutland.stages[3:] if s.may_bypass_to]
    last = ALERT.model_copy(update={"stage_key": rutland.stages[-1].key})
    last_kinds = [o.kind for o in options_for(rutland, last)]
    # past Stage 5: CAFCASS for a child in care; 'not satisfied' takes the route after the top (top_of_ladder)
    assert "refer_to_cafcass" in last_kinds and "not_satisfied" in last_kinds
    cp = last.model_copy(update={"case_type": CaseType.CP})
    assert "refer_to_cafcass" not in [o.kind for o in options_for(rutland, cp)]


def test_paused_alert_offers_resume_not_time_out():
    policy = next((load_policy(n) for n in policy_names() if load_policy(n).time_out.allowed), None)
    if policy is None:
        pytest.skip("no built-in policy allows a time-out yet")
    alert = ALERT.model_copy(update={"stage_key": policy.start_stage})
    assert "time_out" in [o.kind for o in options_for(policy, alert)]
    paused = alert.model_copy(update={"paused": True})
    kinds = [o.kind for o in options_for(policy, paused)]
    assert "resume" in kinds and "time_out" not in kinds


def test_mailto_links_are_rfc6068_and_round_trip_through_the_parser(rutland):
    subject = "OFFICIAL-SENSITIVE: [PA-2026-0001] Response received: your decision is needed"
    links = decision_mailto_links("practice.alerts@council.example", "PA-2026-0001", subject, rutland, ALERT)
    assert [label for label, _ in links] == [o.label for o in options_for(rutland, ALERT)]
    for label, url in links:
        parts = urlsplit(url)
        assert parts.scheme == "mailto" and parts.path == "practice.alerts@council.example"
        assert " " not in url and "\n" not in url and "[" not in url
        query = parse_qs(parts.query)
        assert query["subject"] == ["RE: " + subject]
        body = query["body"][0]
        assert "\r\n" in body and "\n" not in body.replace("\r\n", "")
        decided = decide(body.replace("\r\n", "\n"), rutland)
        assert decided.kind == next(o.kind for o in options_for(rutland, ALERT) if o.label == label)
    assert unquote(links[0][1]).endswith("body=SATISFIED\r\n")
