"""Building the actions that put an alert at a stage and tell people about it.

``enter_stage`` is shared by raising, escalating (by the IRO or automatically), bypassing and
re-sending: it finds the recipient, works out the due date, and returns the stage letter, the
copies, agenda items, notifications and the IRO's acknowledgement. When nobody holds the stage's
role the stage is kept (never skipped) and the IRO and admin are told what to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import cast

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Duty, DutyOwner, NotificationKind, Stage
from practice_alerts.workflow.actions import (
    AcknowledgeIro,
    Action,
    AddToAgenda,
    DutyNote,
    Notify,
    ReportRecipientError,
    SendStageLetter,
)
from practice_alerts.workflow.context import Context, Refused, long_date
from practice_alerts.workflow.facts import AlertFacts
from practice_alerts.workflow.recipients import AlertPeople, Missing
from practice_alerts.workflow.state import StageVisit


def recipient_errors(ctx: Context, people: AlertPeople, reference: str, stage: str | None,
                     missing: Iterable[Missing], *, blocking: bool = False) -> list[Action]:
    """Tell the IRO and the policy's recipient_error roles that nobody holds a role."""
    actions: list[Action] = []
    for item in missing:
        cc = people.copies(ctx.policy.notifications.recipient_error, exclude=[people.iro]).addresses
        actions.append(ReportRecipientError(
            reference=reference, to=(people.iro,), cc=tuple(cc), stage=stage, role=item.role.value,
            message=item.message, blocking=blocking,
        ))
    return actions


def notify(ctx: Context, people: AlertPeople, reference: str, kind: NotificationKind | str, roles: Iterable[Role], *,
           stage: str | None, extra: Iterable[str] = (), exclude: Iterable[str] = (),
           due: dt.date | None = None, purpose: str | None = None) -> list[Action]:
    """One message to ``extra`` people and the holders of ``roles``, minus those who already got the letter."""
    copies = people.copies(roles, exclude=exclude)
    excluded = {e.lower() for e in exclude}
    to = list(dict.fromkeys(e for e in extra if e and e.lower() not in excluded))
    to += [a for a in copies.addresses if a not in to]
    actions: list[Action] = recipient_errors(ctx, people, reference, stage, copies.missing)
    if to:
        purposes = cast(Mapping[str, str], ctx.policy.notifications.purposes)
        why_text = purposes.get(kind, "") if purpose is None else purpose
        actions.insert(0, Notify(reference=reference, to=tuple(to), why=str(kind), stage=stage, purpose=why_text, due=due))
    return actions


def stage_due(ctx: Context, stage: Stage, facts: AlertFacts, at: dt.datetime, *, raising: bool) -> dt.date | None:
    """The response due date for a stage entered at ``at``; the IRO's own date where the stage allows it."""
    default = ctx.calendar.due_date(at, stage.response_days) if stage.response_days else None
    if not (stage.iro_sets_timescale and raising and facts.resolve_by):
        return default
    day0 = ctx.calendar.receipt_day(at)
    if default is not None and facts.resolve_by > default:
        raise Refused(
            f"The resolve-by date {long_date(facts.resolve_by)} is later than {stage.name} allows: at most "
            f"{stage.response_days} working days, which is {long_date(default)}. Set an earlier date on the form."
        )
    if facts.resolve_by < day0:
        raise Refused(
            f"The resolve-by date {long_date(facts.resolve_by)} is before the alert was received "
            f"({long_date(day0)}). Set a date on or after that day."
        )
    return facts.resolve_by


def _duty_addresses(people: AlertPeople, ctx: Context, duty: Duty, letter_to: list[str]) -> list[str]:
    if duty.owner is DutyOwner.IRO:
        return [people.iro]
    if duty.owner is DutyOwner.RECIPIENT:
        return letter_to
    role = duty.role if duty.owner is DutyOwner.OTHER and duty.role else Role.LAC_ADMIN
    return people.copies([role]).addresses


def enter_stage(
    ctx: Context, facts: AlertFacts, stage: Stage, at: dt.datetime, *, why: str,
    bypassed_from: str | None = None, bypass_reason: str | None = None, extra_duties: Iterable[Duty] = (),
    raising: bool = False,
) -> tuple[StageVisit, list[Action]]:
    """The new stage visit and the actions that send the alert to ``stage``."""
    people = ctx.people(facts, at)
    reference = facts.reference
    found = people.one(stage.recipient)
    if isinstance(found, Missing):
        visit = StageVisit(
            key=stage.key, name=stage.name, informal=stage.informal, recipient_role=stage.recipient.value,
            recipient_name=None, recipient_email=None, sent_at=at, received_on=ctx.calendar.receipt_day(at),
            due=None, bypassed_from=bypassed_from, bypass_reason=bypass_reason,
        )
        return visit, recipient_errors(ctx, people, reference, stage.key, [found], blocking=True)

    due = stage_due(ctx, stage, facts, at, raising=raising)
    letter_to = [found.email]
    copies = people.copies(stage.cc, exclude=found.addresses)
    cc = [*([found.holder_email] if found.holder_email else []), *copies.addresses]
    duties = [*extra_duties, *stage.duties]
    actions: list[Action] = [SendStageLetter(
        reference=reference, to=tuple(letter_to), cc=tuple(cc), stage=stage.key, stage_name=stage.name,
        recipient_role=stage.recipient.value, recipient_name=found.name, acting=found.acting, due=due,
        duties=tuple(DutyNote.of(d) for d in duties), in_writing=stage.in_writing, informal=stage.informal,
        bypassed_from=bypassed_from, bypass_reason=bypass_reason,
    )]
    actions += recipient_errors(ctx, people, reference, stage.key, copies.missing)
    for duty in duties:
        if duty.agenda:
            owners = _duty_addresses(people, ctx, duty, letter_to)
            actions.append(AddToAgenda(reference=reference, to=tuple(owners), meeting=duty.agenda, stage=stage.key))
    got_letter = [*letter_to, *cc]
    if stage.notify:
        actions += notify(ctx, people, reference, "stage_reached", stage.notify, stage=stage.key,
                          exclude=got_letter, due=due, purpose=f"the alert has reached {stage.name}")
    event_roles = {"raised": ctx.policy.notifications.raised}.get(why, ctx.policy.notifications.escalated)
    actions += notify(ctx, people, reference, "raised" if why == "raised" else "escalated", event_roles,
                      stage=stage.key, exclude=[*got_letter, people.iro], due=due)
    actions.append(AcknowledgeIro(reference=reference, to=(people.iro,), stage=stage.key, stage_name=stage.name, due=due))
    visit = StageVisit(
        key=stage.key, name=stage.name, informal=stage.informal, recipient_role=stage.recipient.value,
        recipient_name=found.name, recipient_email=found.email, holder_email=found.holder_email, sent_at=at,
        received_on=ctx.calendar.receipt_day(at), due=due, first_due=due,
        bypassed_from=bypassed_from, bypass_reason=bypass_reason,
    )
    return visit, actions
