"""Referral to CAFCASS: children in care only, when the policy allows, telling who must know first.

Three shapes, each said by the policy:

* ``at_any_time`` with ``ladder_continues`` (seeds 003, 004): a referral made while the council's
  own escalation is still running does not end it. The stage goes on, its manager is told, their
  reply is still taken, the IRO can still escalate; both are tracked and reported.
* after the last stage: the referral ends the ladder (seed 000's "Escalate to CAFCASS").
* ``consider_first`` (seed 001, Level 6): after the last stage the IRO first considers, with the
  people named and legal advice; those consulted are told and recorded; then the IRO refers or not.
"""

from __future__ import annotations

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType
from practice_alerts.workflow.actions import Action, AskIro, DraftCafcassReferral, Notify, NotifyBeforeCafcass
from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import CafcassDecision, Event, ReferToCafcass
from practice_alerts.workflow.ladder import find_stage, iro_options, ladder
from practice_alerts.workflow.letters import recipient_errors
from practice_alerts.workflow.recipients import AlertPeople
from practice_alerts.workflow.state import LADDER_STATES, AlertState, Consultation, Status
from practice_alerts.workflow.top import unresolved_at_top

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
                          f"{_WHO[case]}. The procedure names no route after the last stage: the alert stays open "
                          "with you. Take the concern to your own manager, and close the alert only when it is "
                          "resolved or you decide to stop.")
        raise Refused(f"A referral to CAFCASS is only for {allowed}; alert {state.reference} is about {_WHO[case]}.")
    if not (rule.at_any_time or rule.after_last_stage):
        raise Refused(f"{policy.authority}'s procedure does not include referral to CAFCASS.")
    if state.status not in (*LADDER_STATES, Status.CONSIDERING_CAFCASS):
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; it cannot be referred to CAFCASS now.")
    if state.cafcass_referred_at is not None and not past_last_stage:
        raise Refused(f"Alert {state.reference} was already referred to CAFCASS on {long_date(state.cafcass_referred_at)}; "
                      "the council's escalation goes on alongside it.")
    if rule.at_any_time or state.status is Status.CONSIDERING_CAFCASS:
        return
    last = ladder(policy)[-1]
    stage = find_stage(policy, state.stage) if state.stage else None
    at_last = stage is not None and stage.next is None
    if not at_last or state.status is Status.AWAITING_RESPONSE and not past_last_stage:
        raise Refused(f"Under {policy.authority}'s procedure a referral to CAFCASS comes after {last.name} "
                      f"({last.recipient_label}) has responded or missed the deadline; alert {state.reference} is at "
                      f"{stage.name if stage else 'an earlier step'}. Escalate first.")


def _parallel(state: AlertState, ctx: Context, past_last_stage: bool) -> bool:
    """The referral runs alongside the ladder: the policy says so and the ladder still has a stage running."""
    rule = ctx.policy.cafcass
    if not (rule.at_any_time and rule.ladder_continues) or past_last_stage or state.external_agency:
        return False
    if state.status not in LADDER_STATES:
        return False
    stage = find_stage(ctx.policy, state.stage) if state.stage else None
    waiting = state.status in (Status.INFORMAL, Status.AWAITING_RESPONSE, Status.TIMED_OUT)
    return stage is not None and (stage.next is not None or waiting)


def _consulted(state: AlertState) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.who for c in state.consultations if c.about == "cafcass"))


def refer(state: AlertState, event: Event, ctx: Context, *, past_last_stage: bool = False) -> Decision:
    """The referral's actions: the people to tell first (unless already told), then the draft referral."""
    rule = ctx.policy.cafcass
    if past_last_stage and state.cafcass_referred_at is not None:
        return _ladder_ends_after_referral(state, event, ctx)
    _check(state, ctx, past_last_stage=past_last_stage)
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
    consulted = _consulted(state)
    actions.append(DraftCafcassReferral(
        reference=state.reference, to=(people.iro,), cc=tuple(copies.addresses), contact_role=rule.contact.value,
        referral_form=rule.referral_form, consult=consulted or tuple(r.value for r in rule.consult),
        legal_advice=rule.legal_advice, nominated_officer_told_on=told_on,
    ))
    actions += recipient_errors(ctx, people, state.reference, state.stage, copies.missing)
    if _parallel(state, ctx, past_last_stage):
        visit = state.current
        holders = [a for a in (visit.recipient_email, visit.holder_email) if a] if visit else []
        if holders and visit is not None:
            due = f"; your response is still due by {long_date(state.due)}" if state.due else ""
            actions.append(Notify(reference=state.reference, to=tuple(holders), why="cafcass_parallel",
                                  stage=state.stage, due=state.due,
                                  purpose=f"because the IRO has referred the child's case to CAFCASS, which runs "
                                  f"alongside the council's own escalation: the alert stays with you at "
                                  f"{visit.name}{due}"))
        running = new_state(state, event, cafcass_referred_at=event.at)
        return Decision(state=running, actions=tuple(actions))
    referred = state.with_current(ended="referred_to_cafcass") if state.current and state.current.ended is None else state
    referred = new_state(referred, event, status=Status.REFERRED_TO_CAFCASS, due=None, remaining_days=None,
                         resume_to=None, cafcass_referred_at=event.at).stop_clock(ctx.day(event.at))
    return Decision(state=referred, actions=tuple(actions))


def refer_or_consider(state: AlertState, event: Event, ctx: Context) -> Decision:
    """'Refer to CAFCASS' from the IRO: where the policy asks for the referral to be considered first
    (seed 001's Level 6) and it has not been, the consideration starts instead."""
    rule = ctx.policy.cafcass
    if rule.consider_first and not rule.at_any_time and state.status in LADDER_STATES and state.cafcass_referred_at is None:
        return consider(state, event, ctx, past_last_stage=False)
    return refer(state, event, ctx)


def _ladder_ends_after_referral(state: AlertState, event: Event, ctx: Context) -> Decision:
    """Not satisfied at the last stage when CAFCASS already has the case: the council's ladder ends there."""
    people = ctx.people(state.facts, event.at)
    ended = state.with_current(ended="referred_to_cafcass") if state.current and state.current.ended is None else state
    ended = new_state(ended, event, status=Status.REFERRED_TO_CAFCASS, due=None, remaining_days=None,
                      resume_to=None).stop_clock(ctx.day(event.at))
    actions: list[Action] = [Notify(
        reference=state.reference, to=(people.iro,), why="cafcass", stage=state.stage,
        purpose=f"because the last stage did not resolve the concern and the case was already referred to CAFCASS "
                f"on {long_date(state.cafcass_referred_at or event.at)}: the council's escalation ends here",
    )]
    return Decision(state=ended, actions=tuple(actions))


def consider(state: AlertState, event: Event, ctx: Context, *, past_last_stage: bool = True) -> Decision:
    """Level 6 (seed 001): ask the people named (and Legal) for their view; the IRO then decides."""
    rule = ctx.policy.cafcass
    _check(state, ctx, past_last_stage=past_last_stage)
    people = ctx.people(state.facts, event.at)
    roles = [*rule.consult, *([Role.LEGAL] if rule.legal_advice else [])]
    found = people.copies(roles, exclude=[people.iro])
    name = rule.stage_name or "the CAFCASS step"
    legal = ", with legal advice," if rule.legal_advice else ""
    actions: list[Action] = []
    if found.addresses:
        actions.append(Notify(reference=state.reference, to=tuple(found.addresses), cc=(people.iro,),
                              why="cafcass_consultation", stage=state.stage,
                              purpose=f"because at {name} the IRO considers{legal} whether a referral to CAFCASS "
                              "should be made, in consultation with you; please reply to the IRO with your view"))
    actions += recipient_errors(ctx, people, state.reference, state.stage, found.missing)
    asked = tuple(Consultation(who=a, role=_role_of(people, roles, a), about="cafcass", at=event.at,
                               notes="asked for their view by notice") for a in found.addresses)
    considering = state.with_current(ended="cafcass_considered") if state.current and state.current.ended is None else state
    considering = new_state(considering, event, status=Status.CONSIDERING_CAFCASS, due=None, remaining_days=None,
                            resume_to=None, cafcass_considered_at=event.at,
                            consultations=(*state.consultations, *asked)).stop_clock(ctx.day(event.at))
    actions.append(AskIro(reference=state.reference, to=(people.iro,), why="cafcass_consideration", stage=state.stage,
                          options=iro_options(ctx.policy, considering)))
    return Decision(state=considering, actions=tuple(actions))


def _role_of(people: AlertPeople, roles: list[Role], address: str) -> str:
    for role in roles:
        if address in people.copies([role]).addresses:
            return role.value
    return ""


def not_referred(state: AlertState, event: CafcassDecision, ctx: Context) -> Decision:
    """The IRO decides, after considering, not to refer: the alert is unresolved at the top (or waits to close)."""
    if state.status is not Status.CONSIDERING_CAFCASS:
        raise Refused(f"Alert {state.reference} is not waiting for a decision about CAFCASS.")
    decided = new_state(state, event, cafcass_not_referred_at=event.at, status=Status.AWAITING_DECISION)
    if ctx.policy.top_of_ladder is not None:
        return unresolved_at_top(decided, event, ctx, counted=False)
    return Decision(state=decided, actions=())
