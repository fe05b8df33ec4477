"""Responses from the manager the alert is with, and the clock's reminders and missed deadlines."""

from __future__ import annotations

from practice_alerts.policies.schema import OnDeadlineMissed
from practice_alerts.workflow.actions import Action, AskIro, EscalateAutomatically, Remind
from practice_alerts.workflow.climb import move_to_stage
from practice_alerts.workflow.context import Context, Decision, Refused, long_date, new_state
from practice_alerts.workflow.events import DeadlineMissed, LetterUndelivered, ReminderDue, Response
from practice_alerts.workflow.ladder import iro_options
from practice_alerts.workflow.letters import notify
from practice_alerts.workflow.state import AlertState, ReminderSent, StageVisit, Status

_WAITING = (Status.INFORMAL, Status.AWAITING_RESPONSE)


def _addresses(state: AlertState) -> list[str]:
    visit = state.current
    return [a for a in (visit.recipient_email, visit.holder_email) if a] if visit else []


def _check_sender(state: AlertState, visit: StageVisit, event: Response, ctx: Context) -> None:
    if not event.by or state.external_agency or ctx.recorded:
        return
    if visit.recipient_email is None:
        raise Refused(f"Nobody has been found to receive {visit.name} of alert {state.reference} yet, so the "
                      "response cannot be taken as theirs. The IRO and admin have been told what to fix.")
    people = ctx.people(state.facts, event.at)
    holder = visit.holder_email or visit.recipient_email
    if not (people.may_act_for(event.by, holder) or people.may_act_for(event.by, visit.recipient_email)):
        earlier = next((v for v in state.stages if v is not visit and event.by in (v.recipient_email, v.holder_email)), None)
        moved = f" It has moved on from {earlier.name}, which you had." if earlier else ""
        raise Refused(f"Alert {state.reference} is with {visit.recipient_name} "
                      f"({visit.recipient_role.replace('_', ' ')}) at {visit.name}; only they or someone covering "
                      f"for them can respond.{moved}")


def response(state: AlertState, event: Response, ctx: Context) -> Decision:
    """Record the reply and ask the IRO to decide. Only the person the alert is with (or cover) may reply.

    A reply sent before the alert moved on (it crossed with an escalation, or the mail was delayed)
    belongs to the stage it was sent to: it is recorded there and the IRO is asked, and the alert
    stays where it is now.
    """
    visit = state.current
    if state.status not in (*_WAITING, Status.AWAITING_DECISION, Status.TIMED_OUT) or visit is None:
        raise Refused(f"Alert {state.reference} is {state.status.value.replace('_', ' ')}, so the response was not "
                      "added to it. If the concern continues, the IRO can raise a new alert.")
    index = max((i for i, v in enumerate(state.stages) if v.sent_at <= event.at), default=len(state.stages) - 1)
    target = state.stages[index]
    _check_sender(state, target, event, ctx)
    crossed = target is not visit
    on_time = ctx.calendar.is_on_time(event.at, target.due) if target.due else None
    if state.status is Status.TIMED_OUT and not crossed_stage(state, target):
        on_time = True  # an agreed pause: the response cannot be late while the clock is stopped
    if target.responded_at is None:
        changes = {"responded_at": event.at, "response_by": event.by, "on_time": on_time}
        stages = (*state.stages[:index], target.model_copy(update=changes), *state.stages[index + 1 :])
        updated = state.model_copy(update={"stages": stages})
    else:
        updated = state
    if crossed:
        updated = new_state(updated, event)
    elif state.status is Status.TIMED_OUT:
        updated = new_state(updated, event, resume_to=Status.AWAITING_DECISION)
    else:
        updated = new_state(updated, event, status=Status.AWAITING_DECISION)
    people = ctx.people(state.facts, event.at)
    actions: list[Action] = [AskIro(
        reference=state.reference, to=(people.iro,), why="response_received", stage=target.key,
        response_text=event.text, options=iro_options(ctx.policy, updated),
    )]
    actions += notify(ctx, people, state.reference, "response_received", ctx.policy.notifications.response_received,
                      stage=target.key, exclude=[people.iro])
    return Decision(state=updated, actions=tuple(actions))


def crossed_stage(state: AlertState, target: StageVisit) -> bool:
    return target is not state.current


def reminder_due(state: AlertState, event: ReminderDue, ctx: Context) -> Decision:
    visit = state.current
    if (state.status not in _WAITING or state.stage != event.stage or visit is None or state.due is None
            or not visit.recipient_email or visit.responded_at is not None):
        raise Refused(f"No reminder is due for alert {state.reference} at stage {event.stage}: "
                      f"it is {state.status.value.replace('_', ' ')} at {visit.name if visit else 'no stage'}.")
    if state.reminded(event.stage, state.due, event.days_before):
        raise Refused(f"The reminder {event.days_before} working day(s) before {long_date(state.due)} was already sent.")
    sent = ReminderSent(stage=event.stage, due=state.due, days_before=event.days_before, at=event.at)
    updated = new_state(state, event, reminders_sent=(*state.reminders_sent, sent))
    action = Remind(reference=state.reference, to=(visit.recipient_email,), cc=tuple(a for a in [visit.holder_email] if a),
                    stage=event.stage, due=state.due, days_before=event.days_before)
    return Decision(state=updated, actions=(action,))


def deadline_missed(state: AlertState, event: DeadlineMissed, ctx: Context) -> Decision:
    """Do what the policy (or the stage) says: escalate automatically, or remind and ask the IRO."""
    visit = state.current
    if (state.status not in _WAITING or visit is None or state.due != event.due or state.stage != event.stage
            or visit.responded_at is not None or visit.deadline_missed):
        raise Refused(f"Alert {state.reference} has no deadline of {long_date(event.due)} open at "
                      f"{event.stage or 'the external agency'}; nothing was changed.")
    if not ctx.calendar.is_after(event.at, event.due):
        raise Refused(f"The deadline {long_date(event.due)} for alert {state.reference} has not passed yet.")
    stage = ctx.policy.stage(state.stage) if state.stage else None
    rule = (stage.on_deadline_missed if stage else None) or ctx.policy.on_deadline_missed
    people = ctx.people(state.facts, event.at)
    marked = state.with_current(deadline_missed=True, on_time=False)
    late = _addresses(state)
    if rule is OnDeadlineMissed.ESCALATE and stage is not None and stage.next and not state.external_agency:
        target = ctx.policy.stage(stage.next)
        lead: list[Action] = [EscalateAutomatically(
            reference=state.reference, to=(people.iro,), cc=tuple(late), from_stage=stage.key, to_stage=target.key,
            missed_due=event.due,
        )]
        lead += notify(ctx, people, state.reference, "deadline_missed", ctx.policy.notifications.deadline_missed,
                       stage=stage.key, exclude=[people.iro, *late])
        return move_to_stage(marked, event, ctx, target, why="escalated_automatically", lead=lead)
    updated = new_state(marked, event, status=Status.AWAITING_DECISION)
    actions: list[Action] = []
    if late and stage is not None:
        actions.append(Remind(reference=state.reference, to=(late[0],), cc=tuple(late[1:]), stage=stage.key,
                              due=event.due, days_before=None, overdue=True))
    actions.append(AskIro(reference=state.reference, to=(people.iro,), why="deadline_missed", stage=state.stage,
                          options=iro_options(ctx.policy, updated)))
    actions += notify(ctx, people, state.reference, "deadline_missed", ctx.policy.notifications.deadline_missed,
                      stage=state.stage, exclude=[people.iro, *late],
                      purpose="a response was not received by the due date and the IRO decides what happens next")
    return Decision(state=updated, actions=tuple(actions))


def letter_undelivered(state: AlertState, event: LetterUndelivered, ctx: Context) -> Decision:
    """The stage letter never arrived: the visit is marked, so the clock neither reminds nor counts the
    deadline as missed. Nothing is sent from here (the shell tells the IRO and LAC admin)."""
    visit = state.current
    if state.status not in _WAITING or visit is None or state.stage != event.stage or visit.responded_at is not None:
        raise Refused(f"Alert {state.reference} is not waiting for a response at {event.stage or 'that stage'}; "
                      "nothing was changed.")
    return Decision(state=new_state(state.with_current(undelivered=True), event))
