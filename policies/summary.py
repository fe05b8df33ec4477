"""A policy in plain words, for the people who run and check it (``practice-alerts policy show``).

Only formatting lives here: every sentence is derived from the validated Policy, so what the
summary says is what the workflow will do.
"""

from __future__ import annotations

from collections.abc import Iterable

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Duty, NotificationKind, OnDeadlineMissed, Policy, Stage

_OWNERS = {"iro": "IRO", "recipient": "Recipient", "admin": "Admin"}
_CHILDREN = {"CLA": "children looked after", "CP": "children on a child protection plan", "CL": "care leavers"}
_EVENTS: dict[NotificationKind, str] = {
    "raised": "When an alert is raised",
    "escalated": "When it is escalated",
    "response_received": "When a response arrives",
    "deadline_missed": "When a response is late",
    "timed_out": "When a time-out is called",
    "resolved": "When the IRO is satisfied",
    "closed": "When it is closed",
    "cafcass": "When it goes to CAFCASS",
    "recipient_error": "When nobody holds a stage's role or an address bounces",
}


def roles(items: Iterable[Role]) -> str:
    return ", ".join(role.label for role in items) or "nobody"


def days(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


def policy_summary(policy: Policy) -> str:
    """The whole policy as indented text, section by section."""
    sections = [
        _heading(policy), _ladder(policy), _entry(policy), _deadlines(policy), _time_out(policy),
        _cafcass(policy), _external(policy), _notifications(policy), _closing(policy),
        _reporting(policy), _reasons(policy),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"


def _heading(policy: Policy) -> list[str]:
    covers = ", ".join(case_type.label for case_type in policy.case_types)
    formal = sum(stage.response_days or 0 for stage in policy.formal_stages)
    lines = [
        f"{policy.authority} — {policy.title}",
        f"  Policy key: {policy.key}   Source: {policy.source}",
        f"  Covers: {covers}",
        f"  Recorded on: {policy.record_system or 'not named by the procedure'}",
        f"  Whole formal process: no more than {days(policy.target_working_days)}; "
        f"the formal stages' deadlines add up to {days(formal)}"
        + (" (more than the target)" if formal > policy.target_working_days else ""),
    ]
    cal = policy.working_days
    closures = ", ".join(
        f"{c.start}" + (f" to {c.end}" if c.end else "") + (f" ({c.reason})" if c.reason else "")
        for c in cal.closure_days
    )
    lines.append(f"  Working days: Monday to Friday except England and Wales bank holidays"
                 f"{'; also closed ' + closures if closures else ''}. Mail after {cal.cut_off:%H:%M} counts "
                 "as received the next working day.")
    return lines


def _ladder(policy: Policy) -> list[str]:
    lines = ["The ladder"]
    for stage in policy.stages:
        lines += _stage(policy, stage)
    if policy.cafcass.after_last_stage:
        name = policy.cafcass.stage_name or "CAFCASS"
        lines.append(f"  {name}: referral to CAFCASS (see below)")
    return lines


def _stage(policy: Policy, stage: Stage) -> list[str]:
    kind = " (informal)" if stage.informal else ""
    if stage.iro_sets_timescale:
        timing = f"timescale set by the IRO, at most {days(stage.response_days or 0)}"
    else:
        timing = days(stage.response_days or 0)
    after = f"then {policy.stage(stage.next).name}" if stage.next else "last stage"
    lines = [f"  {stage.name}{kind}: {stage.recipient.label} — {timing}; {after}"]
    if stage.cc:
        lines.append(f"      Copies: {roles(stage.cc)}")
    if stage.notify:
        lines.append(f"      Also told: {roles(stage.notify)}")
    if stage.in_writing:
        lines.append("      Must be raised in writing")
    if stage.on_deadline_missed and stage.on_deadline_missed != policy.on_deadline_missed:
        lines.append(f"      If the response is late: {_rule(stage.on_deadline_missed)}")
    lines += [f"      {_duty(duty)}" for duty in stage.duties]
    return lines


def _duty(duty: Duty) -> str:
    owner = duty.role.label if duty.role is not None else _OWNERS.get(duty.owner.value, duty.owner.value)
    agenda = f" [agenda: {duty.agenda}]" if duty.agenda else ""
    return f"- {owner}: {duty.text}{agenda}"


def _entry(policy: Policy) -> list[str]:
    start = policy.stage(policy.start_stage)
    lines = ["Where an alert starts", f"  Usually at {start.name}."]
    for stage in policy.stages:
        start_here = stage.may_start_here and stage.key != start.key
        ways = [w for w, yes in (("start there", start_here), ("escalate straight to it", stage.may_bypass_to)) if yes]
        if ways:
            lines.append(f"  {stage.name}: the IRO may {' or '.join(ways)}{_when(stage)}.")
    if any(stage.may_bypass_to for stage in policy.stages):
        lines.append("  The IRO must give a reason for skipping a stage." if policy.bypass_requires_reason
                     else "  No reason is needed for skipping a stage.")
    else:
        lines.append("  Stages cannot be skipped once the alert is climbing.")
    return lines


def _when(stage: Stage) -> str:
    return f" ({stage.entry_condition})" if stage.entry_condition else ""


def _rule(rule: OnDeadlineMissed) -> str:
    if rule is OnDeadlineMissed.ESCALATE:
        return "it escalates to the next stage by itself and the IRO is told"
    return "the recipient is reminded and the IRO is asked to decide (escalate, time out or close)"


def _deadlines(policy: Policy) -> list[str]:
    before = ", ".join("on the due date" if d == 0 else f"{days(d)} before the due date" for d in policy.reminders.days_before_due)
    return [
        "Deadlines",
        f"  Response times count from receipt, in working days. If a response is late, "
        f"{_rule(policy.on_deadline_missed)}.",
        f"  Reminders: {before or 'none'}.",
    ]


def _time_out(policy: Policy) -> list[str]:
    rule = policy.time_out
    if not rule.allowed:
        return ["Time-out", "  Not allowed by this procedure."]
    agreed = f" with the agreement of the {rule.agreed_by.label}" if rule.agreed_by else ""
    lines = ["Time-out", f"  The IRO may call a time-out{agreed}; the clock stops and the days left are kept."]
    return lines + ([f"  {rule.note}"] if rule.note else [])


def _cafcass(policy: Policy) -> list[str]:
    rule = policy.cafcass
    who = " and ".join(_CHILDREN[case_type.value] for case_type in rule.case_types)
    when = []
    if rule.at_any_time:
        when.append("at any time, without finishing the ladder")
    if rule.after_last_stage:
        when.append("after the last stage")
    lines = ["CAFCASS", f"  For {who} only; the IRO may refer {' or '.join(when) or 'never'}."]
    if rule.notify_first:
        lines.append(f"  Tell first: {roles(rule.notify_first)}.")
    if rule.consult:
        lines.append(f"  Consult first: {roles(rule.consult)}.")
    if rule.legal_advice:
        lines.append("  Legal advice must be taken before referring.")
    lines.append(f"  Contact: {rule.contact.label}" + (f"; form: {rule.referral_form}" if rule.referral_form else ""))
    return lines + ([f"  {rule.note}"] if rule.note else [])


def _external(policy: Policy) -> list[str]:
    rule = policy.external_agencies
    if not rule.by_letter:
        return ["External agencies", "  Not handled by letter."]
    copies = f", copied to {roles(rule.copy_to)}" if rule.copy_to else ""
    return ["External agencies", f"  Concerns about another agency are raised by letter from the {rule.letter_from.label}{copies}."]


def _notifications(policy: Policy) -> list[str]:
    lines = ["Who else is told"]
    told = policy.notifications
    for kind, heading in _EVENTS.items():
        listed = getattr(told, kind)
        if listed:
            why = told.purposes.get(kind)
            lines.append(f"  {heading}: {roles(listed)}" + (f" ({why})" if why else ""))
    lines += [f"  When raised, {_duty(duty)[2:]}" for duty in policy.raise_duties]
    return lines if len(lines) > 1 else []


def _closing(policy: Policy) -> list[str]:
    rule = policy.closure
    lines = ["Closing", f"  Closed by the {rule.closed_by.label}."]
    if rule.tell_child:
        lines.append("  The outcome must be communicated to the child.")
    return lines + [f"  {_duty(duty)}" for duty in rule.duties]


def _reporting(policy: Policy) -> list[str]:
    rule = policy.reporting
    if not rule.quarterly:
        return []
    by = f" by the {rule.prepared_by.label}" if rule.prepared_by else ""
    to = f" to {rule.presented_to}" if rule.presented_to else ""
    return ["Reporting", f"  Quarterly{by}{to}."] + [f"  - {measure}" for measure in rule.measures]


def _reasons(policy: Policy) -> list[str]:
    lines = ["Reason codes"]
    categories: dict[str, list[str]] = {}
    width = max(len(reason.code) for reason in policy.reason_codes)
    for reason in policy.reason_codes:
        other = " (describe it on the form)" if reason.other else ""
        categories.setdefault(reason.category, []).append(f"    {reason.code:<{width}}  {reason.label}{other}")
    for category, entries in categories.items():
        lines += [f"  {category}", *entries]
    for heading, reasons in policy.detailed_reasons.items():
        lines += [f"  Detailed reasons — {heading}", *(f"    - {reason}" for reason in reasons)]
    return lines
