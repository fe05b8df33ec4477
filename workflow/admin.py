"""Deciding the events an administrator records (``workflow.admin_events``).

Each reuses the procedure's own handling, so a recorded response stops the clock and asks the
IRO exactly as a mailed one does, a withdrawal closes the alert as the IRO's closure would, and
a decision recorded for the IRO moves the alert as the IRO's reply would. Who may record them
is checked by the shell (the console's roles); here every one must say who and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from practice_alerts.workflow.actions import Notify
from practice_alerts.workflow.admin_events import (
    CorrectFact,
    DecisionOnBehalf,
    MergeInto,
    RecordedResponse,
    Reopen,
    Withdraw,
)
from practice_alerts.workflow.climb import move_to_stage
from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import Close, EscalateTo, NotSatisfied, Response, Satisfied
from practice_alerts.workflow.iro import close, escalate_to, not_satisfied, satisfied
from practice_alerts.workflow.replies import response
from practice_alerts.workflow.state import AlertState, Status

AFTER_CLOSE = frozenset({"reopen"})
"""Admin events that apply to a closed alert."""


def _who_and_why(state: AlertState, event: Any) -> None:
    if not event.by:
        raise Refused(f"Say who is recording this on alert {state.reference}.")
    if not event.reason.strip():
        raise Refused(f"Say why (the reason is kept in the chronology of {state.reference}).")


def recorded_response(state: AlertState, event: RecordedResponse, ctx: Context) -> Decision:
    _who_and_why(state, event)
    visit = state.current
    if visit is None:
        raise Refused(f"Alert {state.reference} is not with anyone, so there is no response to record.")
    responder = event.on_behalf_of or visit.recipient_email
    if not responder:
        raise Refused(f"Nobody has been found to receive {visit.name} of {state.reference}; name who responded.")
    how = {"phone": "by phone", "meeting": "in a meeting", "mail": "by e-mail (released from the quarantine)",
           "other": "in person"}[event.how]
    text = f"Response given {how}, recorded by {event.by}: {event.text}".strip()
    as_response = Response(at=event.at, by=responder, text=text)
    if not ctx.recorded:
        people = ctx.people(state.facts, event.at)
        holders = [a for a in (visit.recipient_email, visit.holder_email) if a]
        if holders and not any(people.may_act_for(responder, h) for h in holders):
            raise Refused(f"Alert {state.reference} is with {visit.recipient_name} at {visit.name}; a response "
                          f"from {responder} cannot be recorded as theirs.")
    decision = response(state, as_response, dataclasses.replace(ctx, recorded=True))
    return decision


def correct_fact(state: AlertState, event: CorrectFact, ctx: Context) -> Decision:
    _who_and_why(state, event)
    if not state.is_open:
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; reopen it before correcting it.")
    value = event.value.strip()
    if event.field.endswith("_email") and value and ("@" not in value or " " in value):
        raise Refused(f"'{value}' is not an e-mail address; check it and try again.")
    facts = state.facts.model_copy(update={event.field: (value.lower() if event.field.endswith("_email") else value)
                                           or (None if event.field.endswith("_email") else "")})
    corrected = state.model_copy(update={"facts": facts})
    if state.stage is None or state.status is not Status.AWAITING_RESPONSE:
        return Decision(state=new_state(corrected, event))
    return move_to_stage(corrected, event, ctx, ctx.policy.stage(state.stage), why="resent")


def reopen(state: AlertState, event: Reopen, ctx: Context) -> Decision:
    _who_and_why(state, event)
    if state.is_open:
        raise Refused(f"Alert {state.reference} is still open; there is nothing to reopen.")
    when = f" on {long_date(state.closed_at)}" if state.closed_at else ""
    reopened = new_state(state, event, status=Status.AWAITING_DECISION, closed_at=None, outcome=None,
                         resolved_at=None, cafcass_referred_at=None)
    people = ctx.people(state.facts, event.at)
    notice = Notify(reference=state.reference, to=(people.iro,), why="reopened", stage=state.stage,
                    purpose=f"that the alert (closed{when}) was reopened by {event.by}: {event.reason}; "
                            "please decide what happens next")
    return Decision(state=reopened, actions=(notice,))


def withdraw(state: AlertState, event: Withdraw, ctx: Context) -> Decision:
    _who_and_why(state, event)
    return close(state, Close(at=event.at, by=event.by, outcome="withdrawn: raised in error", notes=event.reason), ctx)


def merge_into(state: AlertState, event: MergeInto, ctx: Context) -> Decision:
    _who_and_why(state, event)
    if event.into == state.reference:
        raise Refused(f"An alert cannot be merged into itself; name the alert {state.reference} repeats.")
    return close(state, Close(at=event.at, by=event.by, outcome=f"merged into {event.into} (duplicate)",
                              notes=event.reason), ctx)


def decision_on_behalf(state: AlertState, event: DecisionOnBehalf, ctx: Context) -> Decision:
    _who_and_why(state, event)
    iro = state.facts.iro_email
    notes = f"Decision of {event.iro_name}, recorded by {event.by}: {event.reason}. {event.notes}".strip()
    if event.decision == "satisfied":
        return satisfied(state, Satisfied(at=event.at, by=iro, notes=notes), ctx)
    if event.decision == "not_satisfied":
        return not_satisfied(state, NotSatisfied(at=event.at, by=iro, notes=notes), ctx)
    if event.decision == "escalate_to":
        if not event.stage:
            raise Refused("Say which stage the IRO escalates to.")
        return escalate_to(state, EscalateTo(at=event.at, by=iro, stage=event.stage, reason=event.reason), ctx)
    outcome = (event.notes.strip().splitlines() or ["closed by the IRO"])[0][:200]
    return close(state, Close(at=event.at, by=iro, outcome=outcome, notes=notes), ctx)


ADMIN_HANDLERS: dict[str, Callable[[AlertState, Any, Context], Decision]] = {
    "recorded_response": recorded_response, "correct_fact": correct_fact, "reopen": reopen,
    "withdraw": withdraw, "merge_into": merge_into, "decision_on_behalf": decision_on_behalf,
}
