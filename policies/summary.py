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
        _heading(policy), _ladder(policy), _entry(policy), _deadlines(policy), _overall_limit(policy),
        _time_out(policy), _cafcass(policy), _top_of_ladder(policy), _childs_rights(policy), _external(policy), _notifications(policy), _closing(policy),
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
    lines = [f"  {stage.name}{kind}: {stage.recipient_label} — {timing}; {after}"]
    if stage.cc:
        lines.append(f"      Copies: {roles(stage.cc)}")
    if stage.notify:
        lines.append(f"      Also told: {roles(stage.notify)}")
    if stage.in_writing:
        lines.append("      Must be raised in writing")
    if stage.by_working_day:
        lines.append(f"      Due by working day {stage.by_working_day} of the whole process at the latest "
                     f"(cumulative mark): the earlier of {days(stage.response_days or 0)} and the mark applies")
    if stage.consult_first:
        lines.append(f"      The IRO consults first: {roles(stage.consult_first)} (told, and recorded with the date)")
    if stage.on_deadline_missed and stage.on_deadline_missed != policy.on_deadline_missed:
        lines.append(f"      If the response is late: {_rule(stage.on_deadline_missed, policy.time_out.allowed)}")
    lines += [f"      {_duty(duty)}" for duty in stage.duties]
    return lines


def _duty(duty: Duty) -> str:
    owner = duty.role.label if duty.role is not None else _OWNERS.get(duty.owner.value, duty.owner.value)
    agenda = f" [agenda: {duty.agenda}]" if duty.agenda else ""
    notice = (f" [sent to them as a notice{', naming the ' + duty.tell.label if duty.tell else ''}]"
              if duty.role is not None else "")
    return f"- {owner}: {duty.text}{agenda}{notice}"


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


def _rule(rule: OnDeadlineMissed, time_out: bool = True) -> str:
    if rule is OnDeadlineMissed.ESCALATE:
        return "it escalates to the next stage by itself and the IRO is told"
    choices = "escalate, time out or close" if time_out else "escalate or close"
    return f"the recipient is reminded and the IRO is asked to decide ({choices})"


def _deadlines(policy: Policy) -> list[str]:
    before = ", ".join("on the due date" if d == 0 else f"{days(d)} before the due date" for d in policy.reminders.days_before_due)
    return [
        "Deadlines",
        f"  Response times count from receipt, in working days. If a response is late, "
        f"{_rule(policy.on_deadline_missed, policy.time_out.allowed)}.",
        f"  Reminders: {before or 'none'}.",
    ]


def _overall_limit(policy: Policy) -> list[str]:
    rule = policy.overall_limit
    if rule is None:
        return ["Overall limit", f"  NOT SET: the {days(policy.target_working_days)} target is measured but nobody is "
                "told as it nears or passes (run 'practice-alerts policy check')."]
    before = ", ".join(days(d) for d in sorted(rule.warn_days_before, reverse=True) if d)
    told = ", ".join(["The IRO", *(r.label for r in rule.notify)])
    lines = ["Overall limit",
             f"  The whole formal process may take {days(rule.working_days)} (the informal step and time-outs "
             "do not count).",
             f"  {told} are told {before + ' before the limit falls and ' if before else ''}on the day it falls.",
             "  Every stage letter says which working day of the limit the alert is on and when the limit falls."]
    marks = [s for s in policy.stages if s.by_working_day]
    if marks:
        lines.append("  Cumulative marks: " + ", ".join(f"{s.name} by working day {s.by_working_day}" for s in marks)
                     + "; each stage is due on the earlier of its own days and its mark, and the letter shows both.")
    return lines + ([f"  In the procedure's words: {rule.note}"] if rule.note else [])


def _top_of_ladder(policy: Policy) -> list[str]:
    rule = policy.top_of_ladder
    last = policy.stages[-1].name if policy.stages else "the last stage"
    if rule is None:
        return ["After the last stage", f"  NOT SET: an alert unresolved after {last} with no CAFCASS referral open to "
                "the child has nowhere to go (run 'practice-alerts policy check')."]
    to = f" ({rule.route_role.label}, told by notice)" if rule.route_role else ""
    lines = ["After the last stage",
             f"  If the concern is still not resolved and no CAFCASS referral is open to the child, the alert stays "
             f"open as unresolved at the top of the procedure and goes to {rule.route}{to}."]
    if rule.notify:
        lines.append(f"  Also told: {roles(rule.notify)}.")
    lines.append("  It is reported as unresolved, never as resolved.")
    return lines


def _childs_rights(policy: Policy) -> list[str]:
    rule = policy.childs_rights
    lines = ["The child's rights"]
    if rule.complaint_and_advocate:
        lines.append("  The IRO makes sure the child understands their right to complain and to have an advocate; "
                     "the IRO records when, how and by whom (reply 'CHILD TOLD RIGHTS dd/mm/yyyy how').")
    if rule.outcome_to_child:
        lines.append("  The outcome is communicated to the child; the IRO records when, how and by whom "
                     "(reply 'CHILD TOLD OUTCOME dd/mm/yyyy how').")
    return lines if len(lines) > 1 else []


def _time_out(policy: Policy) -> list[str]:
    rule = policy.time_out
    if not rule.allowed:
        return ["Time-out", "  Not allowed by this procedure."]
    agreed = f" with the agreement of the {rule.agreed_by.label}" if rule.agreed_by else ""
    lines = ["Time-out", f"  The IRO may call a time-out{agreed}; the clock stops and the days left are kept."]
    if rule.agreed_by:
        lines.append(f"  By e-mail: 'TIME OUT UNTIL dd/mm/yyyy' with a line 'Agreed by: <name or e-mail>', or with the "
                     f"{rule.agreed_by.label} copied in; who agreed is recorded.")
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
    if rule.at_any_time and rule.ladder_continues:
        lines.append("  A referral made before the ladder is finished runs alongside it: the stage goes on, its "
                     "manager is told, their reply is still taken and the IRO can still escalate; both are tracked.")
    elif rule.at_any_time and rule.ladder_continues is False:
        lines.append("  A referral ends the council's own escalation.")
    elif rule.at_any_time:
        lines.append("  NOT SET: whether the council's escalation goes on after a referral (cafcass.ladder_continues).")
    if rule.consider_first:
        lines.append("  After the last stage the IRO first considers the referral: the people named are asked for "
                     "their view and recorded; then the IRO refers or decides not to.")
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
