"""Where an alert may start, and when starting there needs a reason: one rule for the form and the workflow.

The form offers exactly the stages this allows (``start_stages``), the form's validator and the
workflow's ``raise`` both ask ``start_rule``, so the form never accepts what the workflow refuses
or demands what the workflow does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from practice_alerts.policies.schema import Policy, Stage


def ladder_order(policy: Policy) -> list[Stage]:
    """The stages in climbing order: from the first stage along each ``next``, then any left over."""
    order: list[Stage] = []
    seen: set[str] = set()
    stage: Stage | None = policy.stages[0]
    by_key = {s.key: s for s in policy.stages}
    while stage is not None and stage.key not in seen:
        order.append(stage)
        seen.add(stage.key)
        stage = by_key.get(stage.next) if stage.next else None
    order.extend(s for s in policy.stages if s.key not in seen)
    return order


def start_stages(policy: Policy) -> list[Stage]:
    """The stages an alert may be raised at, in ladder order (the usual start first)."""
    return [s for s in ladder_order(policy) if s.key == policy.start_stage or s.may_start_here]


@dataclass(frozen=True)
class StartRule:
    stage: Stage
    skipped: tuple[Stage, ...]
    """The formal stages a start here passes over (empty for the usual start or the first formal stage)."""
    needs_reason: bool


def start_rule(policy: Policy, key: str) -> StartRule | None:
    """How an alert may start at ``key``; None when it may not start there at all."""
    stage = next((s for s in start_stages(policy) if s.key == key), None)
    if stage is None:
        return None
    order = ladder_order(policy)
    first = next(s for s in order if s.key == policy.start_stage)
    low, high = order.index(first), order.index(stage)
    skipped: tuple[Stage, ...] = ()
    if high > low:
        skipped = tuple(s for s in order[low:high] if not s.informal)
    return StartRule(stage=stage, skipped=skipped, needs_reason=bool(skipped) and policy.bypass_requires_reason)
