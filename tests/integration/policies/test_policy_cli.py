"""`practice-alerts policy list | show | check`, run through the real command line."""

from __future__ import annotations

import shutil

import pytest

from practice_alerts.cli import main
from practice_alerts.policies.check import roles_used
from practice_alerts.policies.load import BUILT_IN, load_policy
from practice_alerts.policies.roles import Role, RoleScope

SEEDS = ["practice_learning_alert", "integrated_childrens_services", "rutland", "professional_challenge", "west_sussex"]


def test_policy_list_names_every_seed_policy(capsys):
    assert main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    for name in SEEDS:
        assert f"\n{name}: " in f"\n{out}"
    assert "west_sussex: West Sussex County Council — Practice Alerts (4 stages)" in out
    assert "professional_challenge: Local authority (Professional Challenge and Escalation procedure)" in out


def test_policy_show_prints_the_summary(capsys):
    assert main(["policy", "show", "west_sussex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("West Sussex County Council — Practice Alerts\n")
    assert "  Stage 4: Assistant Director — 5 working days; last stage" in out


def test_policy_show_unknown_name_says_which_exist(capsys):
    assert main(["policy", "show", "atlantis"]) == 2
    out = capsys.readouterr().out
    assert "atlantis.yaml: no such policy file; the built-in policies are: " in out


def test_policy_check_passes_every_seed_policy(capsys):
    assert main(["policy", "check", *SEEDS]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and all(": fine (" in line for line in out)


def test_policy_check_prints_every_problem_on_its_own_line_and_exits_2(tmp_path, capsys):
    broken = tmp_path / "west_sussex.yaml"
    text = (BUILT_IN / "west_sussex.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("recipient: service_lead", "recipient: servce_lead")
                      .replace('{code: "12",', '{code: "11",'), encoding="utf-8")
    assert main(["policy", "check", str(broken), "rutland"]) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].endswith("rutland.yaml: fine (Rutland County Council, 5 stages)")
    assert lines[1].startswith(f"{broken}: stages[stage3].recipient: unknown role 'servce_lead' (did you mean 'service_lead'?)")
    assert lines[2] == f"{broken}: reason_codes[11]: the code '11' is used twice; give each reason its own code"
    assert len(lines) == 3
    assert "2 problem(s) found." in captured.err


def test_policy_check_with_a_directory_holding_every_role(directory_file, capsys):
    needed = {role for name in SEEDS for role in roles_used(load_policy(name)) if role.scope is not RoleScope.ALERT}
    directory = directory_file(sorted(needed))
    assert main(["policy", "check", *SEEDS, "--directory", str(directory)]) == 0
    out = capsys.readouterr().out
    assert out.count("every role it uses has a holder in the directory") == 5


def test_seed_004_check_with_a_directory_missing_roles_names_each_role_and_place(directory_file, capsys):
    needed = {role for role in roles_used(load_policy("west_sussex")) if role.scope is not RoleScope.ALERT}
    directory = directory_file(sorted(needed - {Role.SERVICE_LEAD, Role.AD_QUALITY}))
    assert main(["policy", "check", "west_sussex", "--directory", str(directory)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{BUILT_IN / 'west_sussex.yaml'}: stages[stage3].recipient: nobody in the directory holds the role "
        "service_lead (Service Lead); add a holder to the directory",
        f"{BUILT_IN / 'west_sussex.yaml'}: stages[stage4].notify, stages[stage4].duties, top_of_ladder.notify: nobody "
        "in the directory holds the role ad_quality (Assistant Director for Quality Assurance); add a holder to the directory",
    ]


def test_policy_check_with_a_missing_directory_file(tmp_path, capsys):
    assert main(["policy", "check", "rutland", "--directory", str(tmp_path / "none.yaml")]) == 2
    out = capsys.readouterr().out
    assert "none.yaml: no such directory file" in out


def test_policy_check_of_a_copy_under_another_name(tmp_path, capsys):
    copy = tmp_path / "exampleshire.yaml"
    shutil.copy(BUILT_IN / "rutland.yaml", copy)
    assert main(["policy", "check", str(copy)]) == 2
    assert "key: is 'rutland' but the file is named exampleshire.yaml" in capsys.readouterr().out


def test_policy_list_flags_a_broken_built_in_policy(tmp_path, monkeypatch, capsys):
    import practice_alerts.policies.load as load

    shutil.copy(BUILT_IN / "rutland.yaml", tmp_path / "rutland.yaml")
    (tmp_path / "broken.yaml").write_text("key: broken\n", encoding="utf-8")
    monkeypatch.setattr(load, "BUILT_IN", tmp_path)
    assert main(["policy", "list"]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("broken: BROKEN (")
    assert lines[0].endswith("run 'practice-alerts policy check broken')")
    assert lines[1].startswith("rutland: Rutland County Council")


def test_policy_show_of_a_broken_file_prints_its_problems(tmp_path, capsys):
    broken = tmp_path / "rutland.yaml"
    broken.write_text((BUILT_IN / "rutland.yaml").read_text(encoding="utf-8").replace("next: stage5", "next: stage6"),
                      encoding="utf-8")
    assert main(["policy", "show", str(broken)]) == 2
    out = capsys.readouterr().out
    assert f"{broken}: stages[stage4].next: names stage 'stage6', which is not in stages" in out
    assert f"{broken}: stages[stage5]: can never be reached" in out


def test_seed_all_policy_check_reports_a_whole_process_rule_left_undefined(tmp_path, capsys):
    text = (BUILT_IN / "professional_challenge.yaml").read_text(encoding="utf-8")
    start, end = text.index("overall_limit:\n"), text.index("working_days:\n  cut_off")
    text = text[:start] + text[end:]                                   # no overall limit
    text = text.replace("  ladder_continues: true\n", "")               # CAFCASS at any time, ladder not said
    start = text.index("top_of_ladder:\n")
    text = text[:start] + text[text.index("# The procedure is silent on other agencies."):]
    path = tmp_path / "professional_challenge.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["policy", "check", str(path)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["overall_limit", "top_of_ladder", "cafcass.ladder_continues"]
    assert "measured but never acted on" in lines[0] and "nowhere to go" in lines[1]


@pytest.mark.parametrize("name", ["practice_learning_alert", "integrated_childrens_services", "rutland",
                                  "professional_challenge", "west_sussex"])
def test_seed_all_policy_show_states_the_whole_process_rules(name, capsys):
    assert main(["policy", "show", name]) == 0
    text = capsys.readouterr().out
    assert "The whole formal process may take 20 working days" in text
    assert "told 3 working days before the limit falls and on the day it falls" in text
    assert "stays open as unresolved at the top of the procedure and goes to" in text
    assert "CAFCASS\n  For children looked after only" in text
    if name == "professional_challenge":
        assert "Cumulative marks: Stage 1 by working day 5, Stage 2 by working day 10" in text
        assert "runs alongside it" in text
    if name == "rutland":
        assert "time out" not in text.split("Deadlines", 1)[1].split("\n\n", 1)[0], "Rutland has no time-out"
