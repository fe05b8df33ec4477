"""Find, read and validate policy files.

Policies that come with the product live beside this module as NAME.yaml; any other
file can be named by path. A policy that fails its checks is never returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from practice_alerts.policies.schema import Policy

BUILT_IN = Path(__file__).parent


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy file, said so that its author can fix it."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


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
    """Read one file and return the policy (if it could be built) and all its problems."""
    from practice_alerts.policies.check import schema_problems, whole_policy_problems

    name = str(path)
    if not path.exists():
        known = ", ".join(policy_names())
        return None, [Problem(name, "", f"no such policy file; the built-in policies are: {known}")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", f"is not valid YAML: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(name, "", "must be a YAML mapping of settings (key: value), not a list or text")]
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        return None, schema_problems(name, data, exc)
    return policy, whole_policy_problems(name, policy, expected_key=path.stem)
