"""Checks a policy as a whole, beyond what each field's type says.

Every problem names the file, the stage (or setting) and what to fix.
"""

from __future__ import annotations

from pydantic import ValidationError

from practice_alerts.policies.load import Problem
from practice_alerts.policies.schema import Policy


def schema_problems(file: str, data: dict, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        where = _where(data, error["loc"])
        problems.append(Problem(file, where, error["msg"]))
    return problems


def _where(data: dict, loc: tuple) -> str:
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            item = node[step]
            label = item.get("key") or item.get("code") if isinstance(item, dict) else None
            parts.append(f"[{label or step}]")
            node = item
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def whole_policy_problems(file: str, policy: Policy, expected_key: str | None = None) -> list[Problem]:
    problems: list[Problem] = []
    keys = [s.key for s in policy.stages]
    for key in {k for k in keys if keys.count(k) > 1}:
        problems.append(Problem(file, f"stages[{key}]", "two stages share this key; give each stage its own key"))
    known = set(keys)
    if policy.start_stage not in known:
        problems.append(Problem(file, "start_stage", f"names stage {policy.start_stage!r}, which is not in stages"))
    for stage in policy.stages:
        if stage.next is not None and stage.next not in known:
            problems.append(Problem(file, f"stages[{stage.key}].next", f"names stage {stage.next!r}, which is not in stages"))
    return problems
