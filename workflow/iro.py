"""The IRO's decisions: satisfied, not satisfied (escalate), bypass to a stage, close."""

from __future__ import annotations

from practice_alerts.workflow.actions import Action, CloseAlert, DutyNote
from practice_alerts.workflow.cafcass import consider, refer
from practice_alerts.workflow.climb import deadline_passed, external_letter, move_to_stage
from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import Close, EscalateTo, NotSatisfied, Satisfied
from practice_alerts.workflow.ladder import between, find_stage, ladder, position, stage_names
from practice_alerts.workflow.letters import notify, recipient_errors
from practice_alerts.workflow.state import AlertState, Status
from practice_alerts.workflow.top import unresolved_at_top

_OPEN_FOR_DECISION = (Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION, Status.TIMED_OUT,
                      Status.UNRESOLVED, Status.CONSIDERING_CAFCASS)


def _current_recipients(state: AlertState) -> list[str]:
    visit = state.current
    if visit is None:
        return []
    return [a for a in (visit.recipient_email, visit.holder_email) if a]


def satisfied(state: AlertState, event: Satisfied, ctx: Context) -> Decision:
    if state.status not in _OPEN_FOR_DECISION:
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; there is nothing left to be satisfied with.")
    people = ctx.people(state.facts, event.at)
    resolved = new_state(
        state.with_current(ended="resolved"), event, status=Status.RESOLVED, due=None, remaining_days=None,
        resume_to=None, resolved_at=event.at,
    ).stop_clock(ctx.day(event.at))
    actions = notify(ctx, people, state.reference, "resolved", ctx.policy.notifications.resolved, stage=state.stage,
                     extra=_current_recipients(state), exclude=[people.iro],
                     purpose=ctx.policy.notifications.purposes.get("resolved") or "the IRO is satisfied with the response")
    return Decision(state=resolved, actions=tuple(actions))


def not_satisfied(state: AlertState, event: NotSatisfied, ctx: Context) -> Decision:
    """Escalate one stage; past the last stage, refer to CAFCASS where the case and policy allow."""
    if state.status is Status.TIMED_OUT:
        raise Refused(f"Alert {state.reference} is in a time-out until {long_date(state.time_outs[-1].until)}. "
                      "Resume it before escalating.")
    if state.status not in (Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION):
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; it cannot be escalated.")
    visit = state.current
    if state.status is Status.AWAITING_RESPONSE and not deadline_passed(ctx, state, event.at) and visit and visit.responded_at is None:
        assert state.due is not None  # awaiting a response always has a due date
        raise Refused(
            f"{visit.name} is with {visit.recipient_name} until {long_date(state.due)} and they have not responded yet. "
            "Wait for their response or the deadline, or escalate to a later stage giving your reason."
        )
    if state.external_agency and visit is not None:
        days = ctx.calendar.working_days_between(visit.received_on, visit.first_due) if visit.first_due else None
        return external_letter(state, event, ctx, days, first=False)
    stage = ctx.policy.stage(state.stage) if state.stage else None
    if stage is None:
        raise Refused(f"Alert {state.reference} is not at a stage that can be escalated.")
    if stage.next:
        return move_to_stage(state, event, ctx, ctx.policy.stage(stage.next), why="escalated")
    return past_the_top(state, event, ctx)


def past_the_top(state: AlertState, event: NotSatisfied, ctx: Context) -> Decision:
    """Not satisfied at the last stage: CAFCASS where the child and policy allow (considered first where
    the policy says so), otherwise the route the policy names for an alert unresolved at the top."""
    rule = ctx.policy.cafcass
    cafcass_open = state.facts.case_type in rule.case_types and rule.after_last_stage
    if cafcass_open and rule.consider_first and state.cafcass_referred_at is None:
        return consider(state, event, ctx)
    if cafcass_open or ctx.policy.top_of_ladder is None:
        return refer(state, event, ctx, past_last_stage=True)
    return unresolved_at_top(state, event, ctx)


def escalate_to(state: AlertState, event: EscalateTo, ctx: Context) -> Decision:
    """Bypass to a later stage (needs the policy's permission and, usually, a reason)."""
    policy = ctx.policy
    if state.status is Status.TIMED_OUT:
        raise Refused(f"Alert {state.reference} is in a time-out until {long_date(state.time_outs[-1].until)}. "
                      "Resume it before escalating.")
    if state.status not in (Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION):
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; it cannot be escalated.")
    target = find_stage(policy, event.stage)
    if target is None:
        raise Refused(f"There is no stage '{event.stage}' in {policy.authority}'s procedure. "
                      f"Its stages are: {', '.join(f'{s.key} ({s.name})' for s in ladder(policy))}.")
    if state.external_agency:
        raise Refused(f"This concern is about {state.external_agency}, so it is raised by letter rather than escalated "
                      "through the council's managers. Reply 'not satisfied' to send a further letter, or close the alert.")
    visit = state.current
    if target.key == state.stage:
        if visit is not None and visit.recipient_email is None:
            return move_to_stage(state, event, ctx, target, why="resent")
        raise Refused(f"Alert {state.reference} is already at {target.name}.")
    here = position(policy, state.stage) if state.stage else -1
    if position(policy, target.key) < here:
        raise Refused(f"{target.name} is below {visit.name if visit else 'the current stage'}; an alert only moves up.")
    skipped = between(policy, state.stage, target.key) if state.stage else []
    waiting = state.status is Status.AWAITING_RESPONSE and not deadline_passed(ctx, state, event.at)
    if skipped or waiting:
        current = visit.name if visit else "the current stage"
        if not target.may_bypass_to:
            allowed = [s for s in ladder(policy) if s.may_bypass_to]
            passed = stage_names(skipped) if skipped else f"{current} (still waiting for its response)"
            raise Refused(f"{policy.authority}'s procedure does not allow going straight to {target.name}, which would "
                          f"bypass {passed}. Stages you may bypass to: {stage_names(allowed)}.")
        if policy.bypass_requires_reason and not (event.reason and event.reason.strip()):
            raise Refused(f"Going straight to {target.name} bypasses {stage_names(skipped) if skipped else current}; "
                          "say why (the reason is recorded and printed on the letter).")
        return move_to_stage(state, event, ctx, target, why="bypassed", bypass_reason=event.reason)
    return move_to_stage(state, event, ctx, target, why="escalated")


def close(state: AlertState, event: Close, ctx: Context) -> Decision:
    if state.status is Status.CLOSED:
        assert state.closed_at is not None  # a closed alert keeps when it closed
        raise Refused(f"Alert {state.reference} was already closed on {long_date(state.closed_at)}.")
    people = ctx.people(state.facts, event.at)
    closure = ctx.policy.closure
    closed = state.with_current(ended="closed") if state.current and state.current.ended is None else state
    closed = new_state(closed, event, status=Status.CLOSED, due=None, remaining_days=None, resume_to=None,
                       closed_at=event.at, outcome=event.outcome).stop_clock(ctx.day(event.at))
    copies = people.copies(ctx.policy.notifications.closed, exclude=[people.iro])
    still_with = _current_recipients(state) if state.is_open else []
    actions: list[Action] = [CloseAlert(
        reference=state.reference, to=(people.iro,), cc=tuple(dict.fromkeys([*copies.addresses, *still_with])),
        outcome=event.outcome, tell_child=closure.tell_child, duties=tuple(DutyNote.of(d) for d in closure.duties),
    )]
    actions += recipient_errors(ctx, people, state.reference, state.stage, copies.missing)
    return Decision(state=closed, actions=tuple(actions))
