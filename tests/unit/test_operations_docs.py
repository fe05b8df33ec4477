"""docs/operations.md and docs/governance.md: linked from the README, and their settings are real."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from practice_alerts.config import DirectorySyncSettings, RetentionRule
from practice_alerts.policies.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def _yaml_blocks(name: str) -> list[dict]:
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_the_readme_links_both_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/operations.md)" in readme and "(docs/governance.md)" in readme


def test_the_examples_in_the_guides_are_valid_settings() -> None:
    (sync,) = [b["directory_sync"] for b in _yaml_blocks("operations.md") if "directory_sync" in b]
    settings = DirectorySyncSettings.model_validate(sync)
    known = {r.value for r in Role}
    assert all(role in known for roles in settings.groups.values() for role in roles)
    (retention,) = [b["retention"] for b in _yaml_blocks("governance.md") if "retention" in b]
    assert RetentionRule.model_validate(retention).until_age == 25


def test_every_command_the_guide_names_exists() -> None:
    from practice_alerts.cli import build_parser

    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    named = set(re.findall(r"practice-alerts ([a-z]+)", text))
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert named - commands == set()
