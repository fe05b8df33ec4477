"""Checks a policy as a whole, beyond what each field's type says.

Every problem names the file, the stage (or setting) and what to fix, in plain words, and every
problem is reported at once: the author should not have to fix one mistake to discover the next.

The whole-policy checks work on plain data (the YAML as read, or a validated policy dumped back
to data), so they still run when the schema itself has rejected the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol, get_args

from pydantic import ValidationError

from practice_alerts.policies.explain import close_match as _guess
from practice_alerts.policies.explain import explain, where
from practice_alerts.policies.problem import Problem
from practice_alerts.policies.roles import RAISING_ROLES, Role, RoleScope
from practice_alerts.policies.schema import CaseType, NotificationKind, Policy

__all__ = [
    "schema_problems", "raw_problems", "whole_policy_problems", "data_problems", "directory_problems",
    "roles_used", "where", "explain",
]


def schema_problems(file: str, data: dict[str, Any], exc: ValidationError) -> list[Problem]:
    """pydantic's errors, each said in plain words with where it is in the file."""
    return [Problem(file, where(data, error["loc"]), explain(error)) for error in exc.errors()]


def raw_problems(file: str, data: dict[str, Any]) -> list[Problem]:
    """Mistakes YAML hides from the schema: an unquoted time is read as a number of seconds."""
    problems: list[Problem] = []
    working = data.get("working_days")
    cut_off = working.get("cut_off") if isinstance(working, dict) else None
    if isinstance(cut_off, int) and not isinstance(cut_off, bool):
        problems.append(Problem(
            file, "working_days.cut_off",
            f"put the time in quotes, e.g. cut_off: \"17:00\"; without quotes YAML reads 17:00 as the number {cut_off}",
        ))
    return problems


def whole_policy_problems(file: str, policy: Policy, expected_key: str | None = None) -> list[Problem]:
    """Everything wrong with a policy that passed the schema."""
    return data_problems(file, policy.model_dump(mode="json"), expected_key)


def data_problems(file: str, data: dict[str, Any], expected_key: str | None = None) -> list[Problem]:
    """The whole-policy checks on plain data; tolerant of data the schema rejected."""
    found: list[Problem] = []

    def problem(at: str, message: str) -> None:
        found.append(Problem(file, at, message))

    key = data.get("key")
    if expected_key is not None and isinstance(key, str) and key != expected_key:
        problem("key", f"is {key!r} but the file is named {expected_key}.yaml; "
                       f"rename the file to {key}.yaml or set key: {expected_key}")
    _ladder_problems(data, problem)
    _reason_problems(data, problem)
    _calendar_problems(data, problem)
    _rule_problems(data, problem)
    return found


Report = Callable[[str, str], None]


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _reason_problems(data: dict[str, Any], problem: Report) -> None:
    seen_codes: set[str] = set()
    seen_labels: dict[str, str] = {}
    others: list[str] = []
    for index, reason in enumerate(_items(data, "reason_codes")):
        code = str(reason.get("code", index))
        at = f"reason_codes[{code}]"
        if code in seen_codes:
            problem(at, f"the code {code!r} is used twice; give each reason its own code")
        seen_codes.add(code)
        label = reason.get("label")
        if isinstance(label, str):
            norm = " ".join(label.lower().split())
            if norm in seen_labels:
                problem(at, f"has the same label as reason {seen_labels[norm]!r} ({label!r}); "
                            "merge them or make the labels different")
            else:
                seen_labels[norm] = code
        if reason.get("other") is True:
            others.append(code)
    if len(others) > 1:
        problem("reason_codes", f"{len(others)} codes are marked other: true ({', '.join(others)}); "
                                "mark only the one 'Other' code")
    for heading, reasons in _section(data, "detailed_reasons").items():
        if not reasons:
            problem(f"detailed_reasons[{heading}]", "has no reasons; list them under the heading or remove it")


def _calendar_problems(data: dict[str, Any], problem: Report) -> None:
    for index, day in enumerate(_items(_section(data, "working_days"), "closure_days")):
        start, end = _date(day.get("start")), _date(day.get("end"))
        if start and end and end < start:
            problem(f"working_days.closure_days[{index}]",
                    f"ends ({end}) before it starts ({start}); swap start and end")
    reminders = _section(data, "reminders").get("days_before_due")
    if isinstance(reminders, list):
        if any(isinstance(d, int) and d < 0 for d in reminders):
            problem("reminders.days_before_due", "has a negative number; use 0 for the due date itself, "
                                                 "1 for the working day before, and so on")
        if len(set(map(str, reminders))) != len(reminders):
            problem("reminders.days_before_due", "lists the same day twice; list each day once")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _rule_problems(data: dict[str, Any], problem: Report) -> None:
    # A policy for child protection only keeps the default CAFCASS rule harmlessly: it never applies.
    cafcass = _section(data, "cafcass")
    for case_type in cafcass.get("case_types") or []:
        if case_type != CaseType.CLA.value:
            problem("cafcass.case_types", f"includes {case_type!r}: CAFCASS referrals are for children in "
                                          "care only; use case_types: [CLA]")
    if cafcass and cafcass.get("at_any_time") is False and cafcass.get("after_last_stage") is False:
        problem("cafcass", "allows no referral at all; set after_last_stage: true (or at_any_time: true)")
    time_out = _section(data, "time_out")
    if time_out.get("agreed_by") and not time_out.get("allowed"):
        problem("time_out.agreed_by", "is set but time_out.allowed is false; set allowed: true or remove agreed_by")
    notifications = _section(data, "notifications")
    for kind in _section(notifications, "purposes"):
        if kind in get_args(NotificationKind) and not notifications.get(kind):
            problem(f"notifications.purposes.{kind}", f"explains a message nobody receives; add roles to "
                                                      f"notifications.{kind} or remove this line")
    for owner_at, duty in _all_duties(data):
        _duty_problems(owner_at, duty, problem)
    external = _section(data, "external_agencies")
    if external.get("letter_from") not in (None, *RAISING_ROLES):
        problem("external_agencies.letter_from", "must be iro or cp_chair: the letter comes from whoever raised the alert")


def _all_duties(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    duties = [(f"raise_duties[{i}]", d) for i, d in enumerate(_items(data, "raise_duties"))]
    duties += [(f"closure.duties[{i}]", d) for i, d in enumerate(_items(_section(data, "closure"), "duties"))]
    for stage in _items(data, "stages"):
        duties += [(f"stages[{stage.get('key')}].duties[{i}]", d) for i, d in enumerate(_items(stage, "duties"))]
    return duties


def _duty_problems(at: str, duty: dict[str, Any], problem: Report) -> None:
    if duty.get("owner") == "other" and not duty.get("role"):
        problem(at, "has owner: other but no role; say whose duty it is, e.g. role: ad_quality")
    elif duty.get("role") and duty.get("owner") not in (None, "other"):
        problem(at, f"names role {duty['role']!r} but owner is {duty.get('owner')!r}; "
                    "set owner: other to give the duty to that role, or remove role")


def roles_used(policy: Policy) -> dict[Role, list[str]]:
    """Every role the policy names, with where: the directory must have a holder for each."""
    used: dict[Role, list[str]] = {}

    def add(role: Role | None, at: str) -> None:
        if role is not None:
            used.setdefault(role, []).append(at)

    for stage in policy.stages:
        add(stage.recipient, f"stages[{stage.key}].recipient")
        for role in stage.cc:
            add(role, f"stages[{stage.key}].cc")
        for role in stage.notify:
            add(role, f"stages[{stage.key}].notify")
        for duty in stage.duties:
            add(duty.role, f"stages[{stage.key}].duties")
    for name in type(policy.notifications).model_fields:
        value = getattr(policy.notifications, name)
        if isinstance(value, list):
            for role in value:
                add(role, f"notifications.{name}")
    cafcass = policy.cafcass
    for role in [*cafcass.notify_first, *cafcass.consult, cafcass.contact]:
        add(role, "cafcass")
    for role in [policy.external_agencies.letter_from, *policy.external_agencies.copy_to]:
        add(role, "external_agencies")
    add(policy.time_out.agreed_by if policy.time_out.allowed else None, "time_out.agreed_by")
    add(policy.closure.closed_by, "closure.closed_by")
    add(policy.reporting.prepared_by, "reporting.prepared_by")
    for duty in [*policy.raise_duties, *policy.closure.duties]:
        add(duty.role, "duties")
    return used


class HasHolders(Protocol):
    """The part of the organisation directory a policy is checked against."""

    def holders(self, role: Role) -> Sequence[object]: ...


def directory_problems(file: str, policy: Policy, directory: HasHolders) -> list[Problem]:
    """Each role the policy uses that nobody in the directory holds (roles named on the alert aside)."""
    problems = []
    for role, places in roles_used(policy).items():
        if role.scope is not RoleScope.ALERT and not directory.holders(role):
            problems.append(Problem(file, ", ".join(dict.fromkeys(places)),
                                    f"nobody in the directory holds the role {role.value} ({role.label}); "
                                    "add a holder to the directory"))
    return problems


def _ladder_problems(data: dict[str, Any], problem: Report) -> None:
    stages = _items(data, "stages")
    keys = [stage.get("key") for stage in stages]
    known = [k for k in dict.fromkeys(keys) if isinstance(k, str)]
    by_key = {k: stages[keys.index(k)] for k in known}
    for key in known:
        if keys.count(key) > 1:
            problem(f"stages[{key}]", f"{keys.count(key)} stages share the key {key!r}; give each stage its own key")
    cycles = _cycles(by_key)
    in_cycle = {key for cycle in cycles for key in cycle}
    for cycle in cycles:
        path = " -> ".join([*cycle, cycle[0]])
        problem(f"stages[{cycle[0]}].next", f"the stages go round in a circle ({path}); "
                                            "each next must name a higher stage, and the last stage has no next")
    seen_formal = False
    for index, stage in enumerate(stages):
        stage_key = stage.get("key")
        at = f"stages[{stage_key if isinstance(stage_key, str) else index}]"
        informal = stage.get("informal") is True
        if informal and seen_formal:
            problem(at, "is informal but listed after a formal stage; the informal step comes first: "
                        "move it to the top of stages")
        seen_formal = seen_formal or not informal
        _next_problems(at, index, stage, keys, by_key, in_cycle, problem)
        _stage_field_problems(at, stage, data.get("on_deadline_missed"), problem)
    _entry_problems(data, stages, known, by_key, problem)


def _next_problems(at: str, index: int, stage: dict[str, Any], keys: list[Any], by_key: dict[str, Any], in_cycle: set[str], problem: Report) -> None:
    nxt, key = stage.get("next"), stage.get("key")
    if nxt is None:
        if index != len(keys) - 1:
            following = keys[index + 1]
            problem(at, "has no next stage but is not the last one; add the stage it escalates to, "
                        f"e.g. next: {following}" if isinstance(following, str) else
                        "has no next stage but is not the last one; add next: <key of the stage it escalates to>")
    elif nxt not in by_key:
        problem(f"{at}.next", f"names stage {nxt!r}, which is not in stages{_guess(nxt, list(by_key))}; "
                              f"the stages are: {', '.join(by_key)}")
    elif nxt == key:
        problem(f"{at}.next", "names the stage itself; name the stage it escalates to")
    elif keys.index(nxt) < index and key not in in_cycle:
        problem(f"{at}.next", f"goes back down to {nxt!r}, which is listed before it; "
                              "list the stages in the order they climb and escalate upwards")
    elif by_key[nxt].get("informal") is True and stage.get("informal") is not True:
        problem(f"{at}.next", f"escalates to the informal stage {nxt!r}; an informal step can only come "
                              "before the formal stages")


def _stage_field_problems(at: str, stage: dict[str, Any], default_rule: Any, problem: Report) -> None:
    if stage.get("response_days") is None:
        if stage.get("iro_sets_timescale"):
            problem(at, "lets the IRO set the timescale but has no response_days; add response_days: "
                        "the default and the longest the IRO may set")
        else:
            problem(at, "has no response_days; say how many working days the recipient has to respond")
    if stage.get("informal") is True and stage.get("may_bypass_to"):
        problem(at, "is informal and marked may_bypass_to; nobody escalates back to an informal step: "
                    "remove may_bypass_to")
    recipient: Any = stage.get("recipient")
    if recipient in {r.value for r in RAISING_ROLES}:
        problem(f"{at}.recipient", f"is {recipient}: whoever raised the alert cannot also answer it; "
                                   "name the manager who must respond")
    cc = [r for r in stage.get("cc") or [] if isinstance(r, str)]
    notify = [r for r in stage.get("notify") or [] if isinstance(r, str)]
    if recipient in cc:
        problem(f"{at}.cc", f"copies the recipient ({recipient}) to themselves; remove it from cc")
    for name, roles in (("cc", cc), ("notify", notify)):
        for role in sorted({r for r in roles if roles.count(r) > 1}):
            problem(f"{at}.{name}", f"lists {role} twice; list each role once")
    for role in sorted(set(cc) & set(notify) | ({recipient} & set(notify))):
        problem(f"{at}.notify", f"{role} already gets the stage letter; list each role in cc or notify, not both")
    rule = stage.get("on_deadline_missed") or default_rule
    if rule == "escalate" and stage.get("next") is None:
        problem(at, "escalates by itself when the response is late, but there is no next stage; "
                    "add on_deadline_missed: ask_iro to this stage")


def _entry_problems(data: dict[str, Any], stages: list[dict[str, Any]], known: list[str], by_key: dict[str, Any], problem: Report) -> None:
    start = data.get("start_stage")
    if not by_key:
        return
    if isinstance(start, str) and start not in by_key:
        problem("start_stage", f"names stage {start!r}, which is not in stages{_guess(start, known)}; "
                               f"the stages are: {', '.join(known)}")
        return  # without a known start, reachability would only repeat this problem
    if isinstance(start, str):
        below = [s.get("key") for s in stages if s.get("next") == start and s.get("informal") is not True]
        if below:
            problem("start_stage", f"is {start!r}, part-way up the ladder ({below[0]!r} escalates to it); "
                                   "start at the foot of the ladder and mark later stages may_start_here")
    roots = {start} | {k for k, s in by_key.items() if s.get("may_start_here") or s.get("may_bypass_to")}
    reached: set[str] = set()
    todo = [k for k in roots if k in by_key]
    while todo:
        key = todo.pop()
        if key not in reached:
            reached.add(key)
            nxt = by_key[key].get("next")
            if nxt in by_key:
                todo.append(nxt)
    for key in known:
        if key not in reached:
            problem(f"stages[{key}]", "can never be reached: no stage escalates to it and it is not the "
                                      "start_stage, may_start_here or may_bypass_to; point the stage below "
                                      "at it with next, or remove it")


def _cycles(by_key: dict[str, dict[str, Any]]) -> list[list[str]]:
    """Each loop of ``next`` links once, starting from its first-listed stage."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in by_key:
        path: list[str] = []
        key: Any = start
        while key in by_key and key not in done and key not in path:
            path.append(key)
            key = by_key[key].get("next")
        if key in path:
            cycle = path[path.index(key):]
            first = min(cycle, key=list(by_key).index)
            cycles.append(cycle[cycle.index(first):] + cycle[:cycle.index(first)])
        done.update(path)
    return cycles
