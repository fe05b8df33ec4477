"""docs/policies.md documents every setting, and its annotated example is a valid policy."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from practice_alerts.policies import schema
from practice_alerts.policies.load import policy_from_data

DOC = Path(__file__).resolve().parents[3] / "docs" / "policies.md"


def _models() -> list[type[BaseModel]]:
    return [m for m in vars(schema).values() if isinstance(m, type) and issubclass(m, BaseModel)
            and m.__module__ == schema.__name__ and not m.__name__.startswith("_")]


def test_every_setting_of_the_schema_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{m.__name__}.{f}" for m in _models() for f in m.model_fields if f"`{f}`" not in text]
    assert missing == []


def test_the_annotated_example_is_a_valid_policy():
    text = DOC.read_text(encoding="utf-8")
    example = text.split("## An annotated example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)
    policy, problems = policy_from_data("exampleshire.yaml", yaml.safe_load(block), expected_key="exampleshire")
    assert [str(p) for p in problems] == []
    assert policy.stage("stage3").agenda == "Challenge Meeting"
