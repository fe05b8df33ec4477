"""Referral to CAFCASS: children in care only, when the policy allows, telling who must know first."""

from __future__ import annotations

from practice_alerts.policies.schema import CaseType
from practice_alerts.workflow.actions import Action, DraftCafcassReferral, NotifyBeforeCafcass
from practice_alerts.workflow.context import Context, Decision, Refused, new_state
from practice_alerts.workflow.events import Event, ReferToCafcass
from practice_alerts.workflow.ladder import find_stage, ladder
from practice_alerts.workflow.letters import recipient_errors
from practice_alerts.workflow.state import AlertState, Status

_WHO = {
    CaseType.CLA: "children looked after",
    CaseType.CP: "a child on a child protection plan",
    CaseType.CL: "a care leaver",
}


def _check(state: AlertState, ctx: Context, *, past_last_stage: bool) -> None:
    policy, rule = ctx.policy, ctx.policy.cafcass
    case = state.facts.case_type
    if case not in rule.case_types:
        allowed = " and ".join(_WHO[c] for c in rule.case_types) or "nobody"
        if past_last_stage:
            last_name = ctx.policy.stage(state.stage).name if state.stage else "This"
            raise Refused(f"{last_name} is the last stage of {policy.authority}'s procedure. After it comes a referral "
                          f"to CAFCASS, which is only for {allowed}, and alert {state.reference} is about "
                          f"{_WHO[case]}. Close the alert, or take the concern up outside the practice alert process.")
        raise Refused(f"A referral to CAFCASS is only for {allowed}; alert {state.reference} is about {_WHO[case]}.")
    if not (rule.at_any_time or rule.after_last_stage):
        raise Refused(f"{policy.authority}'s procedure does not include referral to CAFCASS.")
    if state.state not in (Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION, Status.TIMED_OUT):
        raise Refused(f"Alert {state.reference} is {state.state.value.replace('_', ' ')}; it cannot be referred to CAFCASS now.")
    if rule.at_any_time:
        return
    last = ladder(policy)[-1]
    stage = find_stage(policy, state.stage) if state.stage else None
    at_last = stage is not None and stage.next is None
    if not at_last or state.state is Status.AWAITING_RESPONSE and not past_last_stage:
        raise Refused(f"Under {policy.authority}'s procedure a referral to CAFCASS comes after {last.name} "
                      f"({last.recipient.label}) has responded or missed the deadline; alert {state.reference} is at "
                      f"{stage.name if stage else 'an earlier step'}. Escalate first.")


def refer(state: AlertState, event: Event, ctx: Context, *, past_last_stage: bool = False) -> Decision:
    """The referral's actions: the people to tell first (unless already told), then the draft referral."""
    _check(state, ctx, past_last_stage=past_last_stage)
    rule = ctx.policy.cafcass
    people = ctx.people(state.facts, event.at)
    told_on = event.nominated_officer_told_on if isinstance(event, ReferToCafcass) else None
    actions: list[Action] = []
    if rule.notify_first and told_on is None:
        first = people.copies(rule.notify_first, exclude=[people.iro])
        if first.addresses:
            actions.append(NotifyBeforeCafcass(reference=state.reference, to=tuple(first.addresses), cc=(people.iro,),
                                               roles=tuple(r.value for r in rule.notify_first)))
        actions += recipient_errors(ctx, people, state.reference, state.stage, first.missing)
    copies = people.copies(ctx.policy.notifications.cafcass, exclude=[people.iro])
    actions.append(DraftCafcassReferral(
        reference=state.reference, to=(people.iro,), cc=tuple(copies.addresses), contact_role=rule.contact.value,
        referral_form=rule.referral_form, consult=tuple(r.value for r in rule.consult), legal_advice=rule.legal_advice,
        nominated_officer_told_on=told_on,
    ))
    actions += recipient_errors(ctx, people, state.reference, state.stage, copies.missing)
    referred = state.with_current(ended="referred_to_cafcass") if state.current and state.current.ended is None else state
    referred = new_state(referred, event, state=Status.REFERRED_TO_CAFCASS, due=None, remaining_days=None,
                         resume_to=None, cafcass_referred_at=event.at).stop_clock(ctx.day(event.at))
    return Decision(state=referred, actions=tuple(actions))
