"""`practice-alerts simulate` on the example scenarios: real due dates, real recipients, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from practice_alerts.cli import main

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "examples" / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures" / "simulate"


def run(path: Path, capsys) -> tuple[int, dict | str]:
    code = main(["simulate", str(path)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else err)


def entries(result: dict, event: str) -> list[dict]:
    return [e for e in result["timeline"] if e["event"] == event and not e["refused"]]


def letters(result: dict) -> list[dict]:
    return [a for e in result["timeline"] for a in e["actions"] if a["kind"] == "send_stage_letter"]


def test_every_policy_has_an_example_scenario():
    from practice_alerts.policies.load import policy_names

    assert {p.stem for p in SCENARIOS.glob("*.yaml")} >= set(policy_names())


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_example_scenario_runs_and_every_entry_is_complete(path, capsys):
    code, result = run(path, capsys)
    assert code == 0
    assert result["directory"].endswith("examples/directory.yaml")
    assert result["timeline"][0]["event"] == "raised"
    for entry in result["timeline"]:
        assert {"at", "event", "state", "stage", "due", "actions"} <= entry.keys()
        for action in entry["actions"]:
            assert action["to"] and all("@" in a for a in action["to"] + action["cc"])
    assert {"state", "stage", "working_days_elapsed"} <= result["final"].keys()


def test_practice_learning_alert_climbs_to_stage4_and_the_challenge_meeting(capsys):
    _, result = run(SCENARIOS / "practice_learning_alert.yaml", capsys)
    got = [(a["stage"], a["to"], a["due"]) for a in letters(result)]
    assert got == [
        ("stage1", ["jo.bloggs@example.gov.uk"], "2026-03-09"),
        ("stage2", ["sam.sample@example.gov.uk"], "2026-03-16"),
        ("stage3", ["pat.placeholder@example.gov.uk"], "2026-03-24"),
        ("stage4", ["morgan.mock@example.gov.uk"], "2026-03-31"),
    ]
    assert letters(result)[0]["cc"] == ["alex.example@example.gov.uk", "lac.admin@example.gov.uk"]
    missed = entries(result, "deadline_missed")
    assert [(m["at"], m["stage"]) for m in missed] == [("2026-03-17T00:00:00Z", "stage2")]
    agenda = [a for e in result["timeline"] for a in e["actions"] if a["kind"] == "add_to_agenda"]
    assert agenda[0]["meeting"] == "Challenge Meeting"
    assert result["final"]["state"] == "closed"
    assert (result["final"]["working_days_elapsed"], result["final"]["within_target"]) == (21, False)


def test_integrated_childrens_services_time_out_keeps_two_days(capsys):
    _, result = run(SCENARIOS / "integrated_childrens_services.yaml", capsys)
    first = result["timeline"][0]
    assert (first["state"], first["stage"], first["due"]) == ("informal", "informal", "2026-03-06")
    [resume] = entries(result, "resume")
    assert resume["at"] == "2026-03-23T00:00:00Z" and resume["due"] == "2026-03-25"
    assert result["final"]["time_outs"][0]["remaining_days"] == 2
    assert result["final"]["working_days_elapsed"] == 5


def test_rutland_refuses_cafcass_for_a_child_protection_case_which_goes_to_the_route_after_stage5(capsys):
    _, result = run(SCENARIOS / "rutland.yaml", capsys)
    assert [(a["stage"], a["due"]) for a in letters(result)] == [
        ("stage3", "2026-12-14"), ("stage4", "2026-12-22"), ("stage5", "2026-12-31"),
    ]
    assert letters(result)[2]["to"] == ["lscb.chair@example.org"]
    refused = [e for e in result["timeline"] if e["refused"]]
    assert [e["event"] for e in refused] == ["refer_to_cafcass"]
    assert all("child protection plan" in e["refused"] for e in refused)
    [top] = entries(result, "not_satisfied")[-1:]
    assert top["state"] == "unresolved", "seed 002: no Stage 6 for a child protection plan; the alert stays open"


def test_professional_challenge_tells_the_nominated_officer_before_cafcass(capsys):
    _, result = run(SCENARIOS / "professional_challenge.yaml", capsys)
    [referral] = entries(result, "refer_to_cafcass")
    assert [a["kind"] for a in referral["actions"]] == ["notify_before_cafcass", "draft_cafcass_referral", "notify"]
    assert referral["actions"][0]["to"] == ["morgan.mock@example.gov.uk"]
    assert referral["actions"][2]["why"] == "cafcass_parallel" and referral["state"] == "awaiting_response"
    assert result["final"]["state"] == "closed"


def test_west_sussex_escalates_late_responses_to_the_acting_manager(capsys):
    _, result = run(SCENARIOS / "west_sussex.yaml", capsys)
    missed = entries(result, "deadline_missed")
    assert [(m["at"], m["stage"], m["due"]) for m in missed] == [
        ("2026-12-15T00:00:00Z", "stage2", "2026-12-22"),
        ("2027-01-05T00:00:00Z", "stage4", "2027-01-12"),
    ]
    stage2 = letters(result)[1]
    assert stage2["to"] == ["sky.standin@example.gov.uk"] and stage2["cc"] == ["sam.sample@example.gov.uk"]
    closing = entries(result, "close")[0]["actions"][0]
    assert closing["kind"] == "close_alert" and closing["tell_child"] is True


def test_without_a_directory_addresses_are_placeholders(tmp_path, capsys):
    scenario = tmp_path / "no_directory.yaml"
    shutil.copy(FIXTURES / "no_directory.yaml", scenario)
    code, result = run(scenario, capsys)
    assert code == 0 and "placeholder.invalid" in result["directory"]
    first = letters(result)[0]
    assert first["to"] == ["practice.manager@placeholder.invalid"] and first["due"] == "2026-03-09"
    escalated = letters(result)[1]
    assert escalated["to"] == ["group.manager@placeholder.invalid"] and escalated["due"] == "2026-03-17"


@pytest.mark.parametrize(("name", "expected"), [
    ("broken_bad_time.yaml", "events[1].at: 'next Tuesday' is not a date and time"),
    ("broken_unknown_event.yaml", "events[1]: unknown type 'escalate'"),
    ("broken_missing_alert_field.yaml", "alert.case_type"),
])
def test_a_broken_scenario_names_what_to_fix(name, expected, capsys):
    code, message = run(FIXTURES / name, capsys)
    assert code == 2 and expected in message and name in message


def test_a_missing_scenario_file(tmp_path, capsys):
    code, message = run(tmp_path / "nope.yaml", capsys)
    assert code == 2 and "no such scenario file" in message


def test_a_scenario_may_name_its_own_directory(tmp_path, capsys):
    shutil.copy(ROOT / "examples" / "directory.yaml", tmp_path / "council.yaml")
    text = (FIXTURES / "no_directory.yaml").read_text(encoding="utf-8")
    (tmp_path / "own.yaml").write_text("directory: council.yaml\n" + text, encoding="utf-8")
    code, result = run(tmp_path / "own.yaml", capsys)
    assert code == 0 and result["directory"].endswith("council.yaml")
    assert [a["to"] for a in letters(result)] == [["jo.bloggs@example.gov.uk"], ["sam.sample@example.gov.uk"]]


def test_an_unknown_policy_is_named(tmp_path, capsys):
    text = (FIXTURES / "no_directory.yaml").read_text(encoding="utf-8").replace("policy: west_sussex", "policy: atlantis")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    code, message = run(tmp_path / "bad.yaml", capsys)
    assert code == 2 and "policy:" in message and "atlantis" in message and "rutland" in message


def _directory_without(role: str, path: Path) -> None:
    """The example directory with nobody holding ``role``."""
    data = yaml.safe_load((ROOT / "examples" / "directory.yaml").read_text(encoding="utf-8"))
    for person in data["people"]:
        person["roles"] = [r for r in person.get("roles", []) if r != role]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_seed_000_nobody_holding_the_stage_role_reaches_the_iro_and_lac_admin(tmp_path, capsys):
    _directory_without("service_manager", tmp_path / "council.yaml")
    scenario = yaml.safe_load((SCENARIOS / "practice_learning_alert.yaml").read_text(encoding="utf-8"))
    scenario["directory"] = "council.yaml"
    scenario["events"] = scenario["events"][:3]  # raised, the team manager's response, not satisfied
    scenario["until"] = "2026-03-10T17:00"
    (tmp_path / "missing.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    code, result = run(tmp_path / "missing.yaml", capsys)
    assert code == 0
    escalation = entries(result, "not_satisfied")[0]
    errors = [a for a in escalation["actions"] if a["kind"] == "report_recipient_error"]
    assert [(e["to"], e["cc"], e["role"], e["stage"]) for e in errors] == [
        (["dana.reviewer@example.gov.uk"], ["lac.admin@example.gov.uk"], "service_manager", "stage2")]
    assert "Service Manager" in errors[0]["message"] and "Jo Bloggs" in errors[0]["message"]
    assert not [a for a in escalation["actions"] if a["kind"] == "send_stage_letter"], "no letter to nobody"
    assert escalation["stage"] == "stage2" and escalation["due"] is None, "the stage is kept, not skipped"


def test_times_are_uk_time_in_summer(tmp_path, capsys):
    text = (FIXTURES / "no_directory.yaml").read_text(encoding="utf-8")
    text = text.replace("2026-03-02T10:00", "2026-06-05T16:30").replace("2026-03-11T09:00", "2026-06-15T09:00")
    (tmp_path / "summer.yaml").write_text(text.replace("date_raised: 2026-03-02", "date_raised: 2026-06-05"),
                                          encoding="utf-8")
    code, result = run(tmp_path / "summer.yaml", capsys)
    assert code == 0
    raised = result["timeline"][0]
    # 16:30 UK time is before the 17:00 cut-off: Friday is day 0, due five working days later.
    assert raised["at"] == "2026-06-05T16:30:00+01:00" and raised["due"] == "2026-06-12"
    reminder = entries(result, "reminder_due")[0]
    assert reminder["at"] == "2026-06-11T09:00:00+01:00"


def test_seed_all_simulate_needs_no_reference_nor_close_outcome_and_finds_the_directory_from_a_bare_name(
        tmp_path, capsys, monkeypatch):
    scenario = yaml.safe_load((SCENARIOS / "professional_challenge.yaml").read_text(encoding="utf-8"))
    del scenario["alert"]["reference"]                     # a form never has one
    for event in scenario["events"]:
        if event["type"] == "close":
            del event["outcome"]                           # the mail path defaults it
    folder = tmp_path / "project"
    (folder / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "directory.yaml", folder / "examples" / "directory.yaml")
    (folder / "work").mkdir()
    (folder / "work" / "what_if.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    monkeypatch.chdir(folder / "work")
    code, result = run(Path("what_if.yaml"), capsys)
    assert code == 0, result
    assert result["directory"].endswith("examples/directory.yaml"), "found by looking up from the scenario"
    assert result["timeline"][0]["actions"][0]["reference"] == "PA-0000-0000"
    closed = entries(result, "close")
    assert closed and result["final"]["state"] == "closed"
