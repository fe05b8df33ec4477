"""An alert's filed form, state and events, mapped onto the documents' view models.

The service calls one function per document when it performs a workflow action. The form
supplies what the letters say about the child and the concern; the workflow's state supplies
the stages, due dates and outcomes; the policy's words come through ``documents.wording``.
Nothing here renders, sends or stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from practice_alerts.documents import context as c
from practice_alerts.documents import wording
from practice_alerts.documents.agency_address import read_agency
from practice_alerts.forms.record import AlertForm
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day, uk_time
from practice_alerts.workflow import actions as a
from practice_alerts.workflow.admin_events import ADMIN_EVENT_TYPES, admin_what
from practice_alerts.workflow.events import ChildInformed, Consulted, Event, OverallLimit, Response
from practice_alerts.workflow.limits import limit_sentence
from practice_alerts.workflow.state import AlertState, StageVisit

NameOf = Callable[[str], str]
"""The directory's name for an address ('' when unknown)."""
SYSTEM = "Practice Alerts"


def _day(at: dt.datetime) -> dt.date:
    return uk_day(at)


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role.replace("_", " ").capitalize()


def person(email: str | None, role: str, name_of: NameOf, name: str | None = None,
           organisation: str | None = None) -> c.LetterPerson:
    shown = name or (name_of(email) if email else "") or role_label(role)
    return c.LetterPerson(name=shown, role=role_label(role), email=email, organisation=organisation)


def alert_details(form: AlertForm, reference: str, policy: Policy, mailbox: str) -> c.LetterAlert:
    other = next((r.code for r in policy.reason_codes if r.other), None)
    codes = [code for code in form.reason_codes if any(r.code == code for r in policy.reason_codes)]
    return c.LetterAlert(
        reference=reference, authority=policy.authority, procedure=policy.title,
        child=c.ChildDetails(name=form.child_name, child_id=form.child_id, case_type=form.case_type,
                             legal_status=form.legal_status or "Not given", date_of_birth=form.child_dob),
        raised_by=c.LetterPerson(name=form.iro_name, role=Role.IRO.label, email=form.iro_email, organisation=policy.authority),
        raised_on=form.date_raised,
        reasons=wording.reason_lines(policy, codes, other_text=form.other_reason if other in codes else None),
        concern=form.concern, impact_on_child=form.impact_on_child, resolution_sought=form.resolution_sought,
        record_system=policy.record_system, mailbox=mailbox,
    )


def _responses(events: Iterable[Event]) -> dict[dt.datetime, str]:
    return {e.at: e.text for e in events if isinstance(e, Response)}


def stage_record(visit: StageVisit, name_of: NameOf, responses: dict[dt.datetime, str]) -> c.StageRecord:
    notes = []
    if visit.bypassed_from:
        notes.append("Started here, bypassing earlier stages")
    if visit.deadline_missed:
        notes.append("No response by the due date")
    if visit.ended == "escalated_automatically":
        notes.append("Escalated automatically")
    on_time = visit.on_time if visit.responded_at else (False if visit.deadline_missed else None)
    return c.StageRecord(
        stage_name=visit.name, recipient=person(visit.recipient_email, visit.recipient_role, name_of, visit.recipient_name),
        sent=_day(visit.sent_at), due=visit.due, responded=_day(visit.responded_at) if visit.responded_at else None,
        response=responses.get(visit.responded_at) if visit.responded_at else None, on_time=on_time, notes=tuple(notes),
        ended=visit.ended,
    )


def stage_records(state: AlertState, events: Iterable[Event], name_of: NameOf,
                  include_current: bool = True) -> tuple[c.StageRecord, ...]:
    responses = _responses(events)
    visits = state.stages if include_current else state.stages[:-1]
    return tuple(stage_record(v, name_of, responses) for v in visits)


_WHAT = {
    "raised": "Practice alert raised", "response": "Response received", "satisfied": "IRO satisfied",
    "not_satisfied": "IRO not satisfied: escalated", "escalate_to": "IRO escalated", "time_out": "Time-out called",
    "resume": "Clock restarted", "refer_to_cafcass": "Referred to CAFCASS", "close": "Alert closed",
    "reminder_due": "Reminder sent", "deadline_missed": "No response by the due date",
    "overall_limit": "Overall time limit notice", "consulted": "IRO consulted",
    "child_informed": "Child told", "cafcass_not_referred": "IRO decided not to refer to CAFCASS",
    "letter_undelivered": "The letter could not be delivered; the deadline is not counted",
}
_CHILD_TOLD = {"rights": "of their right to complain and to have an advocate", "outcome": "the outcome of the alert"}


def chronology(events: Iterable[Event], name_of: NameOf) -> tuple[c.ChronologyEntry, ...]:
    entries = []
    for event in events:
        what = _WHAT.get(event.type, event.type.replace("_", " ").capitalize())
        if isinstance(event, Response) and event.text:
            what = f"{what}: {event.text}"
        elif isinstance(event, Consulted):
            what = f"{what} {name_of(event.who) or event.who}" + (f": {event.notes}" if event.notes else "")
        elif isinstance(event, ChildInformed):
            on = f" on {event.on:%d/%m/%Y}" if event.on else ""
            what = f"{what} {_CHILD_TOLD[event.what]}{on}" + (f" ({event.how})" if event.how else "")
        elif isinstance(event, OverallLimit):
            what = (f"{what}: the whole-process limit falls on {event.falls_on:%d/%m/%Y}" if event.days_before
                    else f"{what}: the whole-process limit is reached today")
        elif event.type in ADMIN_EVENT_TYPES:
            what = admin_what(event, what)
        stage = getattr(event, "stage", None)
        if stage and event.type in ("escalate_to", "reminder_due"):
            what = f"{what} ({stage})"
        who = (name_of(event.by) or event.by) if event.by else SYSTEM
        entries.append(c.ChronologyEntry(at=uk_time(event.at).replace(tzinfo=None), what=what, who=who))
    return tuple(entries)


def stage_letter(action: a.SendStageLetter, details: c.LetterAlert, state: AlertState, events: list[Event],
                 policy: Policy, name_of: NameOf, today: dt.date) -> c.StageLetterContext:
    stage = policy.stage(action.stage)
    recipient = person(action.to[0] if action.to else None, action.recipient_role, name_of, action.recipient_name)
    if stage.recipient_title:
        recipient = recipient.model_copy(update={"role": stage.recipient_title})
    entry = None
    if action.bypassed_from:
        entry = f"This alert starts at {action.stage_name}, bypassing earlier stages: {action.bypass_reason or 'see the form'}."
    elif len(state.stages) > 1:
        entry = f"{state.stages[-2].name} did not resolve the concern."
    return c.StageLetterContext(
        alert=details, letter_date=today, stage_name=action.stage_name, recipient=recipient,
        copies=tuple(person(e, "copy", name_of) for e in action.cc), due=action.due or today,
        response_days=stage.response_days, in_writing=action.in_writing, agenda=stage.agenda,
        duties=wording.stage_duties(policy, action.stage), earlier_stages=stage_records(state, events, name_of, False),
        entry_note=entry, if_no_response=" ".join(t for t in (
            wording.if_no_response(policy, action.stage), _mark_sentence(action),
            limit_sentence(action.process_day, action.limit_days, action.limit_falls_on)) if t),
    )


def _mark_sentence(action: a.SendStageLetter) -> str:
    """Seed 003's cumulative marks: the letter shows the stage's own days and the mark, and which is earlier."""
    if action.mark is None or action.mark_due is None:
        return ""
    own = f"{action.own_due.day} {action.own_due:%B %Y}" if action.own_due else "none"
    mark = f"{action.mark_due.day} {action.mark_due:%B %Y}"
    earlier = "the mark" if action.own_due is None or action.mark_due < action.own_due else "this stage's own days"
    return (f"The procedure gives this stage its own working days (due {own}) and a mark of {action.mark} working "
            f"days from the start of the challenge (due {mark}); the earlier, {earlier}, applies.")


def acknowledgement(action: a.AcknowledgeIro, details: c.LetterAlert, state: AlertState, name_of: NameOf,
                    received: dt.datetime, today: dt.date) -> c.AcknowledgementContext:
    visit = state.current
    sent_to = person(visit.recipient_email if visit else None, visit.recipient_role if visit else "manager",
                     name_of, visit.recipient_name if visit else None)
    return c.AcknowledgementContext(
        alert=details, letter_date=today, received_at=uk_time(received).replace(tzinfo=None),
        stage_name=action.stage_name, sent_to=sent_to, due=action.due or today,
        next_steps=("You will receive the manager's response as soon as it arrives, with links to decide.",
                    "If no response arrives by the due date, you will be asked what to do next."),
    )


def decision_request(action: a.AskIro, details: c.LetterAlert, state: AlertState, events: list[Event],
                     name_of: NameOf, options: list[tuple[str, str]], today: dt.date,
                     responder: str | None, responded: dt.datetime) -> c.DecisionRequestContext:
    visit = state.current
    return c.DecisionRequestContext(
        alert=details, letter_date=today, stage_name=visit.name if visit else (action.stage or ""),
        responder=person(responder, visit.recipient_role if visit else "manager", name_of),
        responded_on=_day(responded), on_time=bool(visit.on_time) if visit else True,
        response=action.response_text or "(no text)", options=tuple(c.DecisionOption(label=label, url=u) for label, u in options),
        earlier_stages=stage_records(state, events, name_of, False),
    )


def external_agency_letter(action: a.DraftExternalAgencyLetter, details: c.LetterAlert, policy: Policy,
                           name_of: NameOf, today: dt.date) -> c.ExternalAgencyLetterContext:
    to = read_agency(action.agency)
    return c.ExternalAgencyLetterContext(
        alert=details, letter_date=today,
        agency=c.AgencyAddress(name=to.name, addressee=to.addressee, salutation=to.salutation,
                               address_lines=to.address_lines),
        signed_by=details.raised_by, copies=tuple(person(e, "copy", name_of) for e in action.cc),
        respond_by=action.due or today,
    )


def cafcass_referral(action: a.DraftCafcassReferral, details: c.LetterAlert, form: AlertForm, state: AlertState,
                     events: list[Event], policy: Policy, name_of: NameOf, today: dt.date) -> c.CafcassReferralContext:
    return c.CafcassReferralContext(
        alert=details, letter_date=today, care_plan_concern=form.concern, urgency=_urgency(state, today),
        stages=stage_records(state, events, name_of), chronology=chronology(events, name_of),
        child_views=form.child_views or "Not recorded on the form.", child_told=form.child_informed.value == "yes",
        outcome_sought=form.resolution_sought, nominated_officer_told=action.nominated_officer_told_on,
        nominated_officer_required=bool(policy.cafcass.notify_first), legal_advice_required=action.legal_advice,
        consulted=tuple(person(e, e, name_of) for e in action.consult if "@" in e),
        cafcass_contact=role_label(action.contact_role), referral_form=action.referral_form,
        policy_note=wording.cafcass_note(policy) or None,
        attachments=tuple(c.AttachmentItem(name=n) for n in wording.attachment_checklist(policy)),
    )


def _urgency(state: AlertState, today: dt.date) -> str:
    """How long the escalation has run (the impact itself is printed once, from the form)."""
    raised = uk_day(state.raised_at)
    stages = len(state.stages)
    return (f"The practice alert was raised on {raised:%d/%m/%Y} and has been through {stages} "
            f"stage{'s' if stages != 1 else ''} without the concern being resolved (as at {today:%d/%m/%Y}).")


def case_note(details: c.LetterAlert, state: AlertState, events: list[Event], policy: Policy,
              name_of: NameOf, today: dt.date) -> c.CaseNoteContext:
    if state.closed_at:
        status = "Closed"
    elif state.stage:
        status = f"Open at {policy.stage(state.stage).name}"
    else:
        status = "Open"
    return c.CaseNoteContext(alert=details, letter_date=today, status=status,
                             stages=stage_records(state, events, name_of), chronology=chronology(events, name_of),
                             outcome=state.outcome)


def closure(action: a.CloseAlert, details: c.LetterAlert, state: AlertState, events: list[Event], policy: Policy,
            name_of: NameOf, closed_by: str | None, today: dt.date, working_days: int) -> c.ClosureContext:
    resolved = next((v.name for v in reversed(state.stages) if v.ended == "resolved"), None)
    return c.ClosureContext(
        alert=details, letter_date=today, closed_on=today,
        closed_by=person(closed_by, Role.IRO.value, name_of) if closed_by else details.raised_by,
        outcome=action.outcome, resolved_at_stage=resolved, stages=stage_records(state, events, name_of),
        working_days_taken=working_days, target_working_days=policy.target_working_days,
        recipients=tuple(person(e, "copy", name_of) for e in action.to), tell_child_required=action.tell_child,
        duties=wording.closure_duties(policy),
    )
