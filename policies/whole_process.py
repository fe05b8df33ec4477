"""Whole-process rules a policy must say something about, beyond its ladder (``policy check``).

The IRO Handbook's overall limit, what happens after the last stage, and whether a CAFCASS
referral made "at any time" ends the council's escalation: a policy that leaves one of them
unsaid lets an alert run past its limit unmarked, or leaves it with nowhere to go. These are
reported by ``practice-alerts policy check`` (the service still loads such a policy, so an
authority's file does not stop working when a new rule is introduced).
"""

from __future__ import annotations

from typing import Any

from practice_alerts.policies.problem import Problem
from practice_alerts.policies.schema import Policy


def whole_process_gaps(file: str, policy: Policy) -> list[Problem]:
    """Each whole-process rule the policy leaves undefined, saying what to add."""
    gaps: list[Problem] = []
    if policy.overall_limit is None:
        gaps.append(Problem(file, "overall_limit", (
            f"is not set, so the {policy.target_working_days}-working-day limit for the whole process is measured "
            "but never acted on; add overall_limit: {working_days: 20, warn_days_before: [3], notify: "
            "[iro_team_manager]} (who is told before and on the day)")))
    if policy.top_of_ladder is None:
        gaps.append(Problem(file, "top_of_ladder", (
            f"is not set, so an alert still unresolved after {policy.stages[-1].name} with no CAFCASS referral open "
            "to the child has nowhere to go; add top_of_ladder: {route: \"...\", route_role: "
            "director_of_childrens_services, notify: [iro_team_manager]}")))
    if policy.cafcass.at_any_time and policy.cafcass.ladder_continues is None:
        gaps.append(Problem(file, "cafcass.ladder_continues", (
            "is not set: cafcass.at_any_time lets the IRO refer before the ladder is finished, but the policy does "
            "not say whether the council's escalation goes on; set ladder_continues: true (both run) or false")))
    return gaps


def consistency_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Whole-process settings that contradict each other (checked on plain data, like policies.check)."""
    found: list[tuple[str, str]] = []
    limit = data.get("overall_limit") if isinstance(data.get("overall_limit"), dict) else None
    limit_days = limit.get("working_days") if limit else None
    stages = [s for s in data.get("stages") or [] if isinstance(s, dict)]
    previous = 0
    for stage in stages:
        mark = stage.get("by_working_day")
        if not isinstance(mark, int):
            continue
        at = f"stages[{stage.get('key')}].by_working_day"
        if stage.get("informal"):
            found.append((at, "is set on an informal stage, which the formal process's count does not include; remove it"))
        if mark <= previous:
            found.append((at, f"is {mark}, not after the mark of an earlier stage ({previous}); marks must grow up the ladder"))
        if isinstance(limit_days, int) and mark > limit_days:
            found.append((at, f"is {mark}, past the overall limit of {limit_days} working days; lower it or raise the limit"))
        previous = max(previous, mark)
    raw_cafcass = data.get("cafcass")
    cafcass: dict[str, Any] = raw_cafcass if isinstance(raw_cafcass, dict) else {}
    if cafcass.get("ladder_continues") is not None and not cafcass.get("at_any_time"):
        found.append(("cafcass.ladder_continues", "only applies when at_any_time is true; remove it or set at_any_time"))
    if cafcass.get("consider_first") and not (cafcass.get("consult") or cafcass.get("legal_advice")):
        found.append(("cafcass.consider_first", "names nobody to consult; add consult roles or legal_advice: true"))
    for stage in stages:
        for i, duty in enumerate(stage.get("duties") or []):
            if isinstance(duty, dict) and duty.get("tell") and duty.get("owner") != "other":
                found.append((f"stages[{stage.get('key')}].duties[{i}].tell",
                              "only applies to a duty with owner: other (the person who must tell someone)"))
    return found
