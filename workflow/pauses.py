"""Time-outs: the IRO stops the clock (with agreement where the policy needs it); resume restarts it.

The working days left are kept exactly: the day the time-out starts counts as used, the day the
clock restarts is day 0, so days used before plus days given after equal the days allowed.
"""

from __future__ import annotations

from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import Resume, TimeOut
from practice_alerts.workflow.letters import notify
from practice_alerts.workflow.recipients import Missing
from practice_alerts.workflow.state import AlertState, Status, TimeOutRecord


def time_out(state: AlertState, event: TimeOut, ctx: Context) -> Decision:
    rule = ctx.policy.time_out
    if not rule.allowed:
        raise Refused(f"{ctx.policy.authority}'s procedure has no time-out, so the clock cannot be stopped. "
                      "The alert stays at its stage; you can still escalate, refer or close it.")
    if state.status is Status.TIMED_OUT:
        raise Refused(f"Alert {state.reference} is already in a time-out until {long_date(state.time_outs[-1].until)}.")
    if state.status is Status.INFORMAL:
        raise Refused("A time-out pauses the formal process; the informal stage runs to the timescale you set. "
                      "Set a later resolve-by date or start the formal process instead.")
    if state.status not in (Status.AWAITING_RESPONSE, Status.AWAITING_DECISION):
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}; there is no clock to stop.")
    day = ctx.day(event.at)
    if event.until <= day:
        raise Refused(f"A time-out must end after it starts: {long_date(event.until)} is not after {long_date(day)}.")
    people = ctx.people(state.facts, event.at)
    if rule.agreed_by is not None:
        label = rule.agreed_by.label
        holder = people.one(rule.agreed_by)
        if not event.agreed_by:
            who = "" if isinstance(holder, Missing) else f", {holder.name}"
            raise Refused(f"A time-out needs the agreement of your line manager ({label}{who}). Send the time-out "
                          "again with a line 'Agreed by: <their name or e-mail>' under it, or copy them into your "
                          "reply; the clock stops from the day you send it.")
        agreed = event.agreed_by
        if not isinstance(holder, Missing) and "@" not in agreed and \
                agreed.strip().lower() == (holder.name or "").strip().lower():
            event = event.model_copy(update={"agreed_by": holder.email})
            agreed = holder.email
        if not ctx.recorded and not isinstance(holder, Missing) and not any(
            people.may_act_for(agreed, a) for a in (holder.email, holder.holder_email) if a
        ):
            raise Refused(f"A time-out needs the agreement of your {label}, {holder.name} ({holder.email}), or "
                          f"whoever covers for them; {event.agreed_by} is neither.")
    remaining = None
    if state.due is not None:
        remaining = ctx.calendar.remaining_working_days(max(day, state.day0 or day), state.due)
    record = TimeOutRecord(started_at=event.at, until=event.until, reason=event.reason, agreed_by=event.agreed_by,
                           remaining_days=remaining)
    paused = new_state(state, event, status=Status.TIMED_OUT, resume_to=state.status, remaining_days=remaining,
                       due=None, time_outs=(*state.time_outs, record)).stop_clock(day)
    visit = state.current
    to = [a for a in (visit.recipient_email, visit.holder_email) if a] if visit else []
    purpose = f"time-out until {long_date(event.until)}" + (f": {event.reason}" if event.reason else "")
    actions = notify(ctx, people, state.reference, "timed_out", ctx.policy.notifications.timed_out, stage=state.stage,
                     extra=[*to, people.iro, *([event.agreed_by] if event.agreed_by else [])], purpose=purpose)
    return Decision(state=paused, actions=tuple(actions))


def resume(state: AlertState, event: Resume, ctx: Context) -> Decision:
    if state.status is not Status.TIMED_OUT:
        raise Refused(f"Alert {state.reference} is not in a time-out, so there is nothing to resume.")
    due = None
    if state.remaining_days is not None:
        due = ctx.calendar.resume_due_date(event.at, state.remaining_days)
    day0 = ctx.calendar.receipt_day(event.at)
    record = state.time_outs[-1].model_copy(update={"resumed_at": event.at})
    restarted = state.with_current(due=due, resumed_on=day0) if due is not None else state
    restarted = new_state(restarted, event, status=state.resume_to or Status.AWAITING_RESPONSE, due=due,
                          remaining_days=None, resume_to=None, time_outs=(*state.time_outs[:-1], record))
    restarted = restarted.start_clock(day0)
    people = ctx.people(state.facts, event.at)
    visit = state.current
    to = [a for a in (visit.recipient_email, visit.holder_email) if a] if visit else []
    actions = notify(ctx, people, state.reference, "resumed", ctx.policy.notifications.timed_out, stage=state.stage,
                     extra=[*to, people.iro], due=due,
                     purpose="the time-out has ended and the clock has restarted" + (f"; the response is now due by {long_date(due)}" if due else ""))
    return Decision(state=restarted, actions=tuple(actions))
