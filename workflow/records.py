"""What the IRO records beside the ladder: consultations the procedure names and what the child was told.

Seed 003 ("discuss their concerns with their own Service Manager"), seed 001 ("following discussions
with their line manager", Level 6's consultation and legal advice) and seed 004 (the child's right
to complain and to an advocate; "the outcome ... will be communicated to them") each ask for
something that is not a stage: recorded here with who, when and how, for the case note and reports.
"""

from __future__ import annotations

from practice_alerts.policies.roles import Role
from practice_alerts.workflow.context import Context, Decision, Refused, new_state
from practice_alerts.workflow.events import ChildInformed, Consulted
from practice_alerts.workflow.state import AlertState, ChildTold, Consultation, Status


def consulted(state: AlertState, event: Consulted, ctx: Context) -> Decision:
    who = event.who.strip().lower() if "@" in event.who else event.who.strip()
    about = event.about or ("cafcass" if state.status is Status.CONSIDERING_CAFCASS else state.stage or "")
    record = Consultation(who=who, role=event.role or _role(state, ctx, event, who), about=about, at=event.at,
                          notes=event.notes)
    return Decision(state=new_state(state, event, consultations=(*state.consultations, record)), actions=())


def _role(state: AlertState, ctx: Context, event: Consulted, who: str) -> str:
    """The role the procedure names that ``who`` holds for this alert (empty when none or not an address)."""
    if "@" not in who:
        return ""
    policy = ctx.policy
    named = [*policy.cafcass.consult, Role.LEGAL, *(s for st in policy.stages for s in st.consult_first)]
    if policy.time_out.agreed_by:
        named.append(policy.time_out.agreed_by)
    people = ctx.people(state.facts, event.at)
    return next((r.value for r in dict.fromkeys(named) if who in people.copies([r]).addresses), "")


def child_informed(state: AlertState, event: ChildInformed, ctx: Context) -> Decision:
    rights = ctx.policy.childs_rights
    if event.what == "rights" and not rights.complaint_and_advocate and not ctx.recorded:
        raise Refused(f"{ctx.policy.authority}'s procedure does not ask for the child's rights to be recorded.")
    on = event.on or ctx.day(event.at)
    if on > ctx.day(event.at):
        raise Refused(f"The child cannot have been told on {on:%d/%m/%Y}, which is after today; check the date.")
    record = ChildTold(what=event.what, on=on, how=event.how, told_by=event.told_by or event.by or "")
    return Decision(state=new_state(state, event, child_told=(*state.child_told, record)), actions=())
