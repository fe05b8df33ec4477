"""Moving an alert up its ladder: escalation by the IRO, bypass, automatic escalation, re-sending.

Also the external-agency branch: where the concern is about another agency and the policy says
so, the IRO writes to that agency instead of escalating through the council's managers.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.policies.schema import Stage
from practice_alerts.workflow.actions import AcknowledgeIro, Action, DraftExternalAgencyLetter
from practice_alerts.workflow.context import Context, Decision, new_state
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.letters import consultation_notices, enter_stage, notify, recipient_errors
from practice_alerts.workflow.state import AlertState, StageVisit, Status


def move_to_stage(state: AlertState, event: Event, ctx: Context, target: Stage, *, why: str,
                  bypass_reason: str | None = None, lead: list[Action] | None = None) -> Decision:
    """Send the alert to ``target``; the current stage ends with ``why``."""
    from_key = state.stage if why == "bypassed" else None
    visit, actions = enter_stage(ctx, state.facts, target, event.at, why=why, bypassed_from=from_key,
                                 bypass_reason=bypass_reason, state=state)
    consulting, consulted = consultation_notices(ctx, ctx.people(state.facts, event.at), state.reference, target,
                                                 event.at, [a for a in (visit.recipient_email,) if a])
    actions = [*actions, *consulting]
    moved = state.with_current(ended=why) if why != "resent" else state.model_copy(update={"stages": state.stages[:-1]})
    moved = new_state(
        moved, event, stages=(*moved.stages, visit), stage=target.key, due=visit.due,
        status=Status.INFORMAL if target.informal else Status.AWAITING_RESPONSE, remaining_days=None,
        resume_to=None, external_agency=None, consultations=(*moved.consultations, *consulted),
    )
    if not target.informal:
        moved = moved.start_clock(visit.received_on)
    return Decision(state=moved, actions=(*(lead or []), *actions))


def external_letter(state: AlertState, event: Event, ctx: Context, days: int | None, *, first: bool) -> Decision:
    """Draft (another) letter to the external agency the concern is about, asking for a reply in ``days``."""
    facts = state.facts
    agency = facts.external_agency or "the agency"
    people = ctx.people(facts, event.at)
    number = state.letters_to_agency + 1
    due = ctx.calendar.due_date(event.at, days) if days else None
    rule = ctx.policy.external_agencies
    writer = [people.iro] if rule.letter_from.value in ("iro", "cp_chair") else people.copies([rule.letter_from]).addresses
    writer = writer or [people.iro]
    copies = people.copies(rule.copy_to, exclude=writer)
    actions: list[Action] = [DraftExternalAgencyLetter(
        reference=facts.reference, to=tuple(writer), cc=tuple(copies.addresses), agency=agency,
        letter_number=number, due=due,
    )]
    actions += recipient_errors(ctx, people, facts.reference, None, copies.missing)
    kind = "raised" if first else "escalated"
    roles = ctx.policy.notifications.raised if first else ctx.policy.notifications.escalated
    actions += notify(ctx, people, facts.reference, kind, roles, stage=None,
                      exclude=[*writer, *copies.addresses], due=due)
    name = f"Letter {number} to {agency}"
    if first:
        actions.append(AcknowledgeIro(reference=facts.reference, to=(people.iro,), stage=None, stage_name=name, due=due))
    visit = StageVisit(
        key=None, name=name, recipient_role="external_agency", recipient_name=agency,
        recipient_email=None, sent_at=event.at, received_on=ctx.calendar.receipt_day(event.at), due=due,
        first_due=due,
    )
    current = state if first else new_state(state.with_current(ended="further_letter"), event)
    updated = current.model_copy(update={
        "stages": (*current.stages, visit), "stage": None, "due": due, "status": Status.AWAITING_RESPONSE,
        "external_agency": agency, "letters_to_agency": number,
    })
    return Decision(state=updated.start_clock(visit.received_on), actions=tuple(actions))


def deadline_passed(ctx: Context, state: AlertState, at: dt.datetime) -> bool:
    """The current stage's due date is over by ``at``, or there is none: the IRO need not wait for a response.

    Not ``AlertState.is_overdue`` (what people are shown as late): this asks only about the date.
    """
    return state.due is None or ctx.calendar.is_after(at, state.due)
