"""Find, read and validate policy files.

Policies that come with the product live beside this module as NAME.yaml; any other
file can be named by path. A policy that fails its checks is never returned.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from practice_alerts.policies.check import data_problems, raw_problems, schema_problems, whole_policy_problems
from practice_alerts.policies.problem import Problem
from practice_alerts.policies.schema import Policy
from practice_alerts.policies.yaml_files import FAST_SAFE_LOADER, load_safely

BUILT_IN = Path(__file__).parent


class PolicyError(Exception):
    """A policy file cannot be used. Operator-facing: it names the file and what to fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def policy_names() -> list[str]:
    return sorted(p.stem for p in BUILT_IN.glob("*.yaml"))


def policy_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    return BUILT_IN / f"{name_or_path}.yaml"


def load_policy(name_or_path: str | Path) -> Policy:
    """The validated policy; raises PolicyError listing every problem found."""
    path = policy_path(name_or_path)
    policy, problems = read_policy(path)
    if problems or policy is None:
        raise PolicyError(problems)
    return policy


def read_policy(path: Path) -> tuple[Policy | None, list[Problem]]:
    """Read one file and return the policy (if it could be built) and all its problems.

    When the schema rejects the file, the whole-policy checks still run on the data as read,
    so the author sees every problem at once.
    """
    name = str(path)
    if not path.exists():
        known = ", ".join(policy_names())
        return None, [Problem(name, "", f"no such policy file; the built-in policies are: {known}")]
    duplicates: list[str] = []
    try:
        data = load_safely(path.read_text(encoding="utf-8"), _loader(duplicates, FAST_SAFE_LOADER),
                           _loader(duplicates, yaml.SafeLoader), before_retry=duplicates.clear)
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", f"is not valid YAML: {exc}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "", f"cannot be read as UTF-8 text: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(name, "", "must be a YAML mapping of settings (key: value), not a list or text")]
    policy, problems = policy_from_data(name, data, expected_key=path.stem)
    return policy, [Problem(name, "", message) for message in duplicates] + problems


def policy_from_data(
    name: str, data: dict[str, Any], expected_key: str | None = None
) -> tuple[Policy | None, list[Problem]]:
    """Validate data already read from ``name``: the policy (None if the schema rejects it) and every problem."""
    problems = raw_problems(name, data)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems += schema_problems(name, data, exc)
        problems += [p for p in data_problems(name, data, expected_key) if p not in problems]
        return None, problems
    return policy, problems + whole_policy_problems(name, policy, expected_key)


def _loader(duplicates: list[str], base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """A safe loader that notes a setting written twice (plain YAML keeps the last, silently)."""

    class UniqueKeyLoader(base):  # type: ignore[valid-type,misc]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
            seen: set[str] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = key_node.value
                if key in seen:
                    duplicates.append(f"line {key_node.start_mark.line + 1}: the setting {key!r} is written "
                                      "twice in the same place; keep one (YAML would silently use the last)")
                seen.add(key)
            mapping: dict[Hashable, Any] = super().construct_mapping(node, deep=deep)
            return mapping

    return UniqueKeyLoader
