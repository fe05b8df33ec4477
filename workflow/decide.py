"""The workflow's one entry point: ``decide(state, event, ...) -> Decision``, and ``replay``.

Pure: the policy, directory, calendar and the present moment are arguments, and the result is a
new state plus the actions to perform. An event that cannot be applied raises ``Refused`` with a
reason written for the IRO; nothing is ever dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from practice_alerts.policies.entry import start_rule, start_stages
from practice_alerts.policies.schema import Policy
from practice_alerts.workflow.actions import Action, Notify
from practice_alerts.workflow.admin import ADMIN_HANDLERS, AFTER_CLOSE
from practice_alerts.workflow.cafcass import not_referred, refer_or_consider
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.climb import external_letter
from practice_alerts.workflow.context import Context, Decision, Refused, long_date
from practice_alerts.workflow.events import IRO_DECISIONS, Event, Raised
from practice_alerts.workflow.iro import close, escalate_to, not_satisfied, satisfied
from practice_alerts.workflow.ladder import find_stage, ladder, stage_names
from practice_alerts.workflow.letters import consultation_notices, enter_stage
from practice_alerts.workflow.overall import overall_limit
from practice_alerts.workflow.pauses import resume, time_out
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.records import child_informed, consulted
from practice_alerts.workflow.replies import deadline_missed, letter_undelivered, reminder_due, response
from practice_alerts.workflow.state import AlertState, Status

FUTURE_TOLERANCE = dt.timedelta(hours=1)
"""How far after ``now`` an event may be dated (clocks differ a little) before it is refused."""

_HANDLERS: dict[str, Callable[[AlertState, Any, Context], Decision]] = {
    "response": response, "satisfied": satisfied, "not_satisfied": not_satisfied, "escalate_to": escalate_to,
    "time_out": time_out, "resume": resume, "refer_to_cafcass": lambda s, e, c: refer_or_consider(s, e, c),
    "close": close, "reminder_due": reminder_due, "deadline_missed": deadline_missed,
    "overall_limit": overall_limit, "consulted": consulted, "child_informed": child_informed,
    "cafcass_not_referred": not_referred,
    **ADMIN_HANDLERS,
    "letter_undelivered": letter_undelivered,
}
AFTER_CLOSURE = frozenset({"consulted", "child_informed"})
"""What may still be recorded on a closed alert (the outcome is often told to the child afterwards)."""


def decide(state: AlertState | None, event: Event, policy: Policy, directory: DirectoryLike,
           calendar: WorkingCalendar, now: dt.datetime, *, recorded: bool = False) -> Decision:
    """Apply one event to an alert (``state`` is None before it is raised).

    ``recorded=True`` (used by ``replay``) applies an event that was accepted before: who sent it
    is not checked again against today's directory.
    """
    ctx = Context(policy=policy, directory=directory, calendar=calendar, now=now, recorded=recorded)
    if event.at > now + FUTURE_TOLERANCE:
        raise Refused(f"This {event.type.replace('_', ' ')} is dated {event.at.isoformat()}, which is after the "
                      f"present ({now.isoformat()}); check the date and send it again.")
    if state is None:
        if not isinstance(event, Raised):
            raise Refused(f"There is no alert yet to apply a {event.type.replace('_', ' ')} to; it must be raised first.")
        decision = raise_alert(event, ctx)
        return decision.model_copy(update={"actions": one_notice_each(decision.actions)})
    if isinstance(event, Raised):
        raise Refused(f"Alert {state.reference} has already been raised; send changes as a new alert or a reply.")
    if state.status is Status.CLOSED and event.type not in AFTER_CLOSURE | AFTER_CLOSE:
        assert state.closed_at is not None  # a closed alert keeps when it closed
        raise Refused(f"Alert {state.reference} was closed on {long_date(state.closed_at)}, so nothing more can be "
                      "done on it. If the concern continues, raise a new alert.")
    if event.type in IRO_DECISIONS and event.by and not recorded:
        _check_iro(state, event, ctx)
    decision = _HANDLERS[event.type](state, event, ctx)
    return decision.model_copy(update={"actions": one_notice_each(decision.actions)})


def one_notice_each(actions: tuple[Action, ...]) -> tuple[Action, ...]:
    """Within one decision nobody gets two notifications: later ones drop who was already told."""
    told: set[str] = set()
    kept: list[Action] = []
    for action in actions:
        if isinstance(action, Notify):
            to = tuple(a for a in action.to if a not in told)
            if not to:
                continue
            told.update(to)
            action = action.model_copy(update={"to": to}) if to != action.to else action
        kept.append(action)
    return tuple(kept)


def _check_iro(state: AlertState, event: Event, ctx: Context) -> None:
    people = ctx.people(state.facts, event.at)
    assert event.by is not None  # only called for an event that names who made it
    if not people.may_act_for(event.by, state.facts.iro_email):
        raise Refused(f"Only the IRO who raised alert {state.reference} ({state.facts.iro_name}) or someone covering "
                      f"for them can make this decision; {event.by} is neither.")


def raise_alert(event: Raised, ctx: Context) -> Decision:
    policy, facts = ctx.policy, event.facts
    if facts.case_type not in policy.case_types:
        allowed = ", ".join(c.label.lower() for c in policy.case_types)
        raise Refused(f"{policy.authority}'s procedure covers {allowed} cases; this alert is about a "
                      f"{facts.case_type.label.lower()} case. Check the case type on the form.")
    chosen = event.start_stage or facts.start_stage or policy.start_stage
    stage = find_stage(policy, chosen)
    if stage is None:
        raise Refused(f"The form asks to start at '{chosen}', which is not a stage of {policy.authority}'s procedure. "
                      f"Its stages are: {', '.join(f'{s.key} ({s.name})' for s in ladder(policy))}.")
    reason = event.bypass_reason or facts.bypass_reason
    rule = start_rule(policy, stage.key)
    if rule is None:
        raise Refused(f"An alert cannot start at {stage.name} under {policy.authority}'s procedure. "
                      f"It can start at: {stage_names(start_stages(policy))}.")
    skipped = list(rule.skipped)
    if rule.needs_reason and not (reason and reason.strip()):
        condition = f" The procedure allows it for: {stage.entry_condition}." if stage.entry_condition else ""
        raise Refused(f"Starting at {stage.name} skips {stage_names(skipped)}. Say why on the form "
                      f"(the bypass reason).{condition}")
    base = AlertState(reference=facts.reference, facts=facts, status=Status.AWAITING_RESPONSE, stage=None, due=None,
                      raised_at=event.at, last_event_at=event.at)
    if facts.external_agency and policy.external_agencies.by_letter:
        return external_letter(base, event, ctx, stage.response_days, first=True)
    visit, actions = enter_stage(ctx, facts, stage, event.at, why="raised", raising=True,
                                 bypassed_from=policy.start_stage if skipped else None,
                                 bypass_reason=reason if skipped else None, extra_duties=policy.raise_duties,
                                 state=base)
    consulting, consulted = consultation_notices(ctx, ctx.people(facts, event.at), facts.reference, stage, event.at,
                                                 [a for a in (visit.recipient_email,) if a])
    actions = [*actions, *consulting]
    state = base.model_copy(update={
        "stages": (visit,), "stage": stage.key, "due": visit.due, "consultations": consulted,
        "status": Status.INFORMAL if stage.informal else Status.AWAITING_RESPONSE,
    })
    if not stage.informal:
        state = state.start_clock(visit.received_on)
    return Decision(state=state, actions=tuple(actions))


class ReplayError(Exception):
    """A stored event no longer applies (the policy or directory changed). Operator-facing."""

    def __init__(self, index: int, event: Event, reason: str):
        self.index, self.event, self.reason = index, event, reason
        super().__init__(f"event {index + 1} ({event.type} at {event.at.isoformat()}) no longer applies: {reason}")


def replay(events: Iterable[Event], policy: Policy, directory: DirectoryLike,
           calendar: WorkingCalendar) -> AlertState | None:
    """The alert's state folded from its stored events (each decided as at its own time)."""
    state: AlertState | None = None
    for index, event in enumerate(events):
        try:
            state = decide(state, event, policy, directory, calendar, event.at, recorded=True).state
        except Refused as exc:
            raise ReplayError(index, event, exc.reason) from None
    return state


def replay_with_actions(events: Iterable[Event], policy: Policy, directory: DirectoryLike,
                        calendar: WorkingCalendar) -> list[tuple[Event, tuple[Action, ...]]]:
    """Each stored event with the actions it led to (for chronologies and documents)."""
    out: list[tuple[Event, tuple[Action, ...]]] = []
    state: AlertState | None = None
    for index, event in enumerate(events):
        try:
            decision = decide(state, event, policy, directory, calendar, event.at, recorded=True)
        except Refused as exc:
            raise ReplayError(index, event, exc.reason) from None
        state = decision.state
        out.append((event, decision.actions))
    return out
