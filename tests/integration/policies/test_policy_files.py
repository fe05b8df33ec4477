"""Reading policy files from disk: every problem, naming the file, the place and what to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from practice_alerts.policies.load import BUILT_IN, PolicyError, load_policy, read_policy


def _copy_of(tmp_path: Path, name: str, to: str | None = None) -> Path:
    target = tmp_path / f"{to or name}.yaml"
    shutil.copy(BUILT_IN / f"{name}.yaml", target)
    return target


def test_a_copied_policy_loads_from_its_path(tmp_path):
    path = _copy_of(tmp_path, "west_sussex")
    assert load_policy(path).key == "west_sussex"


def test_file_name_must_match_key(tmp_path):
    path = _copy_of(tmp_path, "rutland", to="exampleshire")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: key: is 'rutland' but the file is named exampleshire.yaml; "
        "rename the file to rutland.yaml or set key: exampleshire"
    ]


def test_setting_written_twice_is_reported_with_its_line(tmp_path):
    path = _copy_of(tmp_path, "rutland")
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("authority: Rutland County Council")
    lines.insert(at + 1, "authority: Rutland Council")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = read_policy(path)
    assert [p.message for p in problems] == [
        f"line {at + 2}: the setting 'authority' is written twice in the same place; "
        "keep one (YAML would silently use the last)"
    ]


def test_broken_stage_in_a_real_file_reports_stage_and_fix(tmp_path):
    path = _copy_of(tmp_path, "west_sussex")
    text = path.read_text(encoding="utf-8")
    text = text.replace("recipient: group_manager", "recipient: group_manger").replace("    next: stage4\n", "")
    path.write_text(text, encoding="utf-8")
    _, problems = read_policy(path)
    found = [f"{p.where}: {p.message}" for p in problems]
    assert any(f.startswith("stages[stage2].recipient: unknown role 'group_manger' (did you mean 'group_manager'?)") for f in found)
    assert "stages[stage3]: has no next stage but is not the last one; add the stage it escalates to, e.g. next: stage4" in found
    assert all(p.file == str(path) for p in problems)


def test_unquoted_cut_off_in_a_real_file(tmp_path):
    path = _copy_of(tmp_path, "rutland")
    path.write_text(path.read_text(encoding="utf-8").replace('cut_off: "17:00"', "cut_off: 17:00"), encoding="utf-8")
    _, problems = read_policy(path)
    assert [p.where for p in problems] == ["working_days.cut_off"]
    assert "YAML reads 17:00 as the number 1020" in problems[0].message


def test_not_yaml_not_a_mapping_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("stages: [unclosed\n", encoding="utf-8")
    assert read_policy(bad)[1][0].message.startswith("is not valid YAML")
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    assert read_policy(bad)[1][0].message == "must be a YAML mapping of settings (key: value), not a list or text"
    _, problems = read_policy(tmp_path / "nowhere.yaml")
    assert problems[0].message.startswith("no such policy file; the built-in policies are: ")
    assert "west_sussex" in problems[0].message
