"""Acting on the overall limit: notices a few working days before it falls and on the day.

Who is told is the policy's ``overall_limit.notify`` plus the IRO (seeds 000 and 004 quote the IRO
Handbook's "no more than 20 working days"; seed 001's five levels of 4 add up to it). The clock
emits ``overall_limit`` events (see ``workflow.clock``); each notice goes once.
"""

from __future__ import annotations

from practice_alerts.workflow.actions import Notify
from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import OverallLimit
from practice_alerts.workflow.letters import recipient_errors
from practice_alerts.workflow.limits import limit_falls_on
from practice_alerts.workflow.state import AlertState


def overall_limit(state: AlertState, event: OverallLimit, ctx: Context) -> Decision:
    rule = ctx.policy.overall_limit
    falls_on = limit_falls_on(state, ctx.policy, ctx.calendar)
    if rule is None or falls_on != event.falls_on or event.days_before in state.limit_notices:
        raise Refused(f"No overall-limit notice {event.days_before} working day(s) before {long_date(event.falls_on)} "
                      f"is due for alert {state.reference}; nothing was changed.")
    people = ctx.people(state.facts, event.at)
    told = people.copies(rule.notify, exclude=[people.iro])
    day = state.working_days_elapsed(ctx.calendar, ctx.day(event.at))
    where = state.current.name if state.current else "its current stage"
    if event.days_before:
        what = (f"because alert {state.reference} is on working day {day} of the {rule.working_days}-working-day "
                f"limit for the whole process, which falls on {long_date(falls_on)} ({event.days_before} working "
                f"day{'s' if event.days_before != 1 else ''} from now); it is at {where}")
    else:
        what = (f"because alert {state.reference} reaches today, {long_date(falls_on)}, the {rule.working_days}-working-"
                f"day limit for the whole process, unresolved, at {where}")
    action = Notify(reference=state.reference, to=(people.iro, *told.addresses), why="overall_limit",
                    stage=state.stage, purpose=what, due=falls_on)
    sent = tuple(sorted({*state.limit_notices, event.days_before, *(d for d in _warnings(ctx) if d > event.days_before)}))
    return Decision(state=new_state(state, event, limit_notices=sent),
                    actions=(action, *recipient_errors(ctx, people, state.reference, state.stage, told.missing)))


def _warnings(ctx: Context) -> list[int]:
    rule = ctx.policy.overall_limit
    return sorted({0, *(rule.warn_days_before if rule else [])}, reverse=True)
