"""The policy, turned into the words the documents print.

The service calls these when it maps an alert onto a document context, so templates never
need the policy: reason labels, the duties of a stage or of closure, what happens when no
response comes, what the CAFCASS step requires.
"""

from __future__ import annotations

from practice_alerts.documents.context import DutyLine, ReasonLine
from practice_alerts.policies.schema import Duty, DutyOwner, OnDeadlineMissed, Policy


def reason_lines(policy: Policy, codes: list[str], other_text: str | None = None) -> tuple[ReasonLine, ...]:
    """The alert's reason codes with the policy's labels; the 'Other' code carries the IRO's words."""
    lines = []
    for code in codes:
        reason = policy.reason(code)
        label = f"{reason.label}: {other_text}" if reason.other and other_text else reason.label
        lines.append(ReasonLine(code=reason.code, label=label, category=reason.category))
    return tuple(lines)


def _who(duty: Duty, policy: Policy, recipient_is_reader: bool) -> str:
    if duty.owner == DutyOwner.RECIPIENT:
        return "You" if recipient_is_reader else "The manager at this stage"
    if duty.owner == DutyOwner.IRO:
        return "The Independent Reviewing Officer"
    if duty.owner == DutyOwner.ADMIN:
        return "LAC Admin"
    role = getattr(duty, "role", None)
    return role.label if role is not None else "Other"


def stage_duties(policy: Policy, stage_key: str, recipient_is_reader: bool = True) -> tuple[DutyLine, ...]:
    """What the policy puts on a stage, in its words, with who holds each duty.

    A duty owned by someone other than the IRO, the recipient or admin is sent to them as a notice
    (``workflow.letters.duty_notices``), not printed on a letter its reader cannot act on.
    """
    stage = policy.stage(stage_key)
    return tuple(
        DutyLine(text=d.text, who=_who(d, policy, recipient_is_reader), agenda=d.agenda) for d in stage.duties
        if d.owner is not DutyOwner.OTHER
    )


def closure_duties(policy: Policy) -> tuple[DutyLine, ...]:
    return tuple(DutyLine(text=d.text, who=_who(d, policy, False), agenda=d.agenda) for d in policy.closure.duties)


def if_no_response(policy: Policy, stage_key: str) -> str:
    """One sentence for the stage letter: what happens when the due date passes without a response."""
    stage = policy.stage(stage_key)
    rule = stage.on_deadline_missed or policy.on_deadline_missed
    following = policy.stage(stage.next) if stage.next else None
    if rule == OnDeadlineMissed.ESCALATE and following is not None:
        return (f"If no response is received by then, the alert will escalate automatically to "
                f"{following.name} ({following.recipient_label}).")
    if following is not None:
        return ("If no response is received by then, you will be reminded and the Independent Reviewing "
                f"Officer will decide whether to escalate to {following.name} ({following.recipient_label}).")
    return ("If no response is received by then, the Independent Reviewing Officer will decide the next step, "
            "which may be a referral to CAFCASS for a child in care.")


def cafcass_note(policy: Policy) -> str:
    """What the procedure says about referring to CAFCASS, for the draft referral."""
    cafcass = policy.cafcass
    parts = []
    if cafcass.at_any_time:
        parts.append("The procedure allows a referral to CAFCASS at any time.")
    elif cafcass.after_last_stage:
        parts.append("The procedure makes a referral to CAFCASS the step after its last stage.")
    if cafcass.notify_first:
        parts.append("Before referring, tell: " + ", ".join(r.label for r in cafcass.notify_first) + ".")
    if cafcass.consult:
        parts.append("Before referring, consult: " + ", ".join(r.label for r in cafcass.consult) + ".")
    if cafcass.legal_advice:
        parts.append("Legal advice must be taken before referring.")
    if cafcass.note:
        parts.append(cafcass.note)
    return " ".join(parts)


def attachment_checklist(policy: Policy, has_care_plan: bool = True) -> list[str]:
    """The documents a CAFCASS referral should carry, for the draft's checklist."""
    items = [
        "The Practice Alert form and this referral",
        f"The Practice Alert case note{' from ' + policy.record_system if policy.record_system else ''}",
        "Each stage letter and each manager's response",
    ]
    if has_care_plan:
        items.append("The child's current care plan")
    items += [
        "The most recent Children Looked After review record and recommendations",
        "Any court order and the care plan approved by the court",
        "The child's views (consultation form, advocate's report or record of direct work)",
    ]
    if policy.cafcass.legal_advice:
        items.append("The record of the legal advice taken")
    if policy.cafcass.referral_form:
        items.append(f"{policy.cafcass.referral_form} (the authority's referral form), completed")
    return items
