"""Handling one stored message: classify, read the form, decide, act, record — in one transaction.

``handle_inbound`` opens one unit of work for the message. Inside it: the message is locked
(a message already handled is refused, so nothing happens twice), classified, and what it says
is applied to the workflow; the resulting events, the outbox rows and the message's own outcome
are committed together, or (on any error) none of them is. Outcomes are for operators and
never hold personal data: kinds, references, counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.forms.gate import FileRefused
from practice_alerts.forms.reader import read_form
from practice_alerts.forms.record import AlertForm
from practice_alerts.mailflow.classify import Classification, classify
from practice_alerts.mailflow.compose import Addressee, Notice, Outgoing
from practice_alerts.mailflow.copied import copied_addresses
from practice_alerts.pipeline import actions as act
from practice_alerts.pipeline.alerts import FORM_NOTE, StoreAlertIndex, summary
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.duplicates import (
    held_original,
    hold_duplicate,
    is_duplicate_confirmation,
    likely_duplicate,
)
from practice_alerts.pipeline.held import handle_held
from practice_alerts.pipeline.notices import out_of_office_text
from practice_alerts.pipeline.record import apply_event
from practice_alerts.pipeline.release import released_as
from practice_alerts.pipeline.replies import (
    ReturnedForm,
    answer_comment,
    answer_refused,
    confirm_decision,
    refuse_other_policy,
    returned_form,
    tell_admin_of_flags,
)
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.store import (
    LeaseClaim,
    NewEvent,
    StoredInbound,
    UnitOfWork,
    unit_of_work,
)
from practice_alerts.workflow import events as ev
from practice_alerts.workflow.context import Refused
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.facts import AlertFacts

PROVISIONAL = "PA-0000-0000"


@dataclass(frozen=True)
class Handled:
    status: str
    outcome: str
    kind: str
    reference: str | None = None


def handle_inbound(ctx: ServiceContext, inbound: StoredInbound, *, now: dt.datetime,
                   lease: LeaseClaim | None = None) -> Handled:
    """Handle one stored message to the end, atomically."""
    try:
        with unit_of_work(ctx.database, now=now, lease=lease) as work:
            work.start_inbound(inbound.id)
            raw = work.inbound_raw(inbound.id)
            received = inbound.received_at
            found = classify(raw, directory=ctx.directory, alerts=StoreAlertIndex(work, ctx.cache, ctx),
                             policy=ctx.policy, settings=ctx.inbound, secret=ctx.secret, received=received)
            found = released_as(work, inbound.id, found)
            handled = _dispatch(ctx, work, inbound, found, received, max(now, received), raw)
            work.record_classification(inbound.id, found.kind, classification_record(found, handled))
            work.finish_inbound(inbound.id, handled.status, outcome=handled.outcome)  # type: ignore[arg-type]
            crashpoint("before-commit")
    except BaseException:
        ctx.cache.clear()  # a rolled-back transaction's event ids may be reused
        raise
    return handled


def _dispatch(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
              received: dt.datetime, now: dt.datetime, raw: bytes = b"") -> Handled:
    kind = found.kind
    if kind == "new_alert":
        return _new_alerts(ctx, work, inbound, found, received, now)
    if kind == "quarantine":
        if found.over_limit is not None:  # not read at all: kept, and a known sender is told why
            if found.may_reply and found.sender:
                _tell_over_limit(ctx, work, inbound, found, now)
            return Handled("quarantined", "; ".join(found.reasons)[:500] or "held for review", kind, found.reference)
        status, outcome = handle_held(ctx, work, inbound, found, raw, now)
        return Handled(status, outcome, kind, found.reference)
    if found.reference is None:
        return Handled("processed", f"{kind}: no alert matched", kind)
    if kind == "response":
        returned = returned_form(ctx, found, received)
        event = ev.Response(at=received, by=found.sender, text=returned.text if returned else found.text)
        return _apply(ctx, work, found, event, now, inbound, returned=returned)
    if kind == "decision" and found.decision is not None:
        if is_duplicate_confirmation(found):
            return _confirm_duplicate(ctx, work, inbound, found, received, now)
        if found.decision.kind == "unclear":
            _reply(ctx, work, found, Notice.DECISION_UNCLEAR, inbound, now,
                   [f"Your reply about {found.reference} was not understood as a decision: {found.decision.problem}",
                    "Reply with one of these as the first line:",
                    "\n".join(f"- {o.first_line}" for o in found.decision.options)])
            return Handled("processed", "decision not understood; options sent to the IRO", kind, found.reference)
        decided = _decision_event(found, received)
        if isinstance(decided, ev.TimeOut):
            decided = _with_agreement(ctx, work, inbound, decided, now)
        return _apply(ctx, work, found, decided, now, inbound)
    note = {"auto_reply": "out_of_office", "bounce": "bounce", "comment": "comment"}.get(kind)
    if kind == "auto_reply" and not (found.out_of_office and found.from_stage_recipient):
        return Handled("processed", "automatic reply; not a response", kind, found.reference)
    if note in ("out_of_office", "bounce") and not (found.authenticity and found.authenticity.authentic):
        # Automatic mail is classified before the authenticity check; a forged out-of-office or
        # bounce must not reach the chronology or make us write to the IRO and LAC admin.
        why = found.authenticity.reason if found.authenticity else "no authentication result"
        return Handled("quarantined", f"{kind}: sender not authenticated ({why}); held for review"[:500], kind,
                       found.reference)
    if note is None:
        return Handled("processed", kind, kind, found.reference)
    payload = {"comment": {"text": found.text}, "bounce": {"failed": list(found.bounced)},
               "out_of_office": {"return_date": found.return_date.isoformat() if found.return_date else None}}[note]
    stored = work.append_event(found.reference, NewEvent(event_type=note, payload=payload, occurred_at=received,
                                                         actor_email=found.sender, inbound_id=inbound.id))
    if note in ("out_of_office", "bounce"):
        _tell_iro_and_admin(ctx, work, found, note, stored.sequence, stored.id, now)
    if note == "comment":
        answer_comment(ctx, work, inbound, found, now)
    return Handled("processed", f"{kind} noted on {found.reference}", kind, found.reference)


def _tell_over_limit(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                     now: dt.datetime) -> None:
    """A known sender's message over a limit: kept, not read, and they are told what to do."""
    assert found.sender is not None
    to = (Addressee(email=found.sender, name=ctx.name_of(found.sender)),)
    text = (f"Your message to the Practice Alerts mailbox was not read, because {found.over_limit}. "
            "It has been kept, and LAC admin can see it.\n\n"
            "Please send it again within the limit: one message for each Practice Alert form, with the "
            "form attached as a Word file and nothing else that is large (no scans or photographs). "
            "If you need to send more, ask LAC admin.")
    act.enqueue_form_problem(ctx, work, inbound.id, to=to, text=text, in_reply_to=found.message_id, now=now)


def classification_record(found: Classification, handled: Handled) -> dict[str, object]:
    """What arrived and why it was treated as it was: kept with the message (no message text)."""
    return {
        "kind": found.kind, "reasons": list(found.reasons), "held_kind": found.held_kind,
        "reference": found.reference, "matched_by": found.matched_by, "replied_to_action": found.replied_to_action,
        "sender_standing": found.sender_standing,
        "authentic": found.authenticity.authentic if found.authenticity else None,
        "authenticity": found.authenticity.reason if found.authenticity else None,
        "forms": [{"filename": a.filename, "found_in": str(a.source)} for a in found.forms], "other_attachments": list(found.other_attachments),
        "decision": found.decision.kind if found.decision is not None else None,
        "status": handled.status, "outcome": handled.outcome,
    }


def _decision_event(found: Classification, at: dt.datetime) -> ev.Event:
    d, by = found.decision, found.sender
    assert d is not None
    if d.kind == "satisfied":
        return ev.Satisfied(at=at, by=by, notes=d.notes)
    if d.kind == "not_satisfied":
        return ev.NotSatisfied(at=at, by=by, notes=d.notes)
    if d.kind == "escalate_to":
        return ev.EscalateTo(at=at, by=by, stage=d.stage or "", reason=d.reason or None)
    if d.kind == "time_out":
        return ev.TimeOut(at=at, by=by, until=d.until, reason=d.reason, agreed_by=d.agreed_by or None)
    if d.kind == "resume":
        return ev.Resume(at=at, by=by)
    if d.kind == "refer_to_cafcass":
        return ev.ReferToCafcass(at=at, by=by, notes=d.notes)
    if d.kind == "cafcass_not_referred":
        return ev.CafcassDecision(at=at, by=by, notes=d.notes)
    if d.kind == "consulted":
        return ev.Consulted(at=at, by=by, who=d.who, about="", notes=d.notes)
    if d.kind == "child_informed":
        return ev.ChildInformed(at=at, by=by, what="outcome" if d.what == "outcome" else "rights", how=d.notes,
                                told_by=by or "", on=d.on)
    outcome = (d.notes or "").strip().splitlines()[0][:200] if (d.notes or "").strip() else "closed by the IRO"
    return ev.Close(at=at, by=by, outcome=outcome, notes=d.notes)


def _with_agreement(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, event: ev.TimeOut,
                    now: dt.datetime) -> ev.TimeOut:
    """Seed 001's time-out needs the line manager's agreement: an 'Agreed by' line names them, or the IRO
    copies them into the reply; the holder of the agreeing role among the copies is taken as agreeing."""
    role = ctx.policy.time_out.agreed_by
    if event.agreed_by and "@" in event.agreed_by or role is None:
        return event
    holders = ctx.directory.holders(role)
    named = (event.agreed_by or "").strip().lower()
    by_name = [p.email.lower() for p in holders if named and p.name.lower() == named]
    copied = [a for a in copied_addresses(work.inbound_raw(inbound.id))
              if a in {p.email.lower() for p in holders}]
    agreed = [*by_name, *copied]
    return event.model_copy(update={"agreed_by": agreed[0]}) if agreed else event


def _apply(ctx: ServiceContext, work: UnitOfWork, found: Classification, event: ev.Event, now: dt.datetime,
           inbound: StoredInbound, returned: ReturnedForm | None = None) -> Handled:
    assert found.reference is not None
    loaded = ctx.cache.load(work, found.reference, ctx)
    try:
        decision = apply_event(ctx, work, loaded, event, now, inbound_id=inbound.id,
                               inbound_message_id=found.message_id, returned=returned)
    except Refused as exc:
        refused = {"event": event.type, "refused": ev.dump_event(event), "text": found.text, "reason": exc.reason}
        work.append_event(found.reference, NewEvent(event_type="refused", payload=refused,
                                                     occurred_at=event.at, actor_email=found.sender,
                                                     inbound_id=inbound.id))
        answer_refused(ctx, work, inbound, found, loaded.state, exc.reason, now)
        return Handled("processed", f"{event.type} refused by the workflow", found.kind, found.reference)
    if found.kind == "decision":
        confirm_decision(ctx, work, inbound, found, event.type, decision.state, now)
    return Handled("processed", f"{event.type} applied to {found.reference}", found.kind, found.reference)


def _new_alerts(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                received: dt.datetime, now: dt.datetime, *, confirmed: bool = False) -> Handled:
    today = uk_day(received)
    made, problems, held = [], [], []
    other_policy: list[str] = []
    for attachment in found.forms:
        try:
            reading = read_form(attachment.content, filename=attachment.filename, policy=ctx.policy, today=today)
        except FileRefused as exc:
            problems.append(exc.message)
            continue
        if reading.made_for and reading.made_for != ctx.policy.key:
            other_policy.append(reading.made_for)
            continue
        if not reading.ok or reading.record is None:
            problems += [e.message for e in reading.errors]
            continue
        if not confirmed:
            earlier = likely_duplicate(ctx, work, reading.record, received)
            if earlier is not None:
                hold_duplicate(ctx, work, inbound, found, earlier, now)
                held.append(earlier)
                continue
        try:
            reference = _raise(ctx, work, inbound, found, reading.record, received, now)
        except Refused as exc:
            problems.append(exc.reason)
            continue
        made.append(reference)
        if reading.admin_flags:
            tell_admin_of_flags(ctx, work, inbound, reference, reading.admin_flags, now)
    if other_policy:
        refuse_other_policy(ctx, work, inbound, found, other_policy[0], now)
    if problems and found.may_reply and found.sender:
        to = (Addressee(email=found.sender, name=ctx.name_of(found.sender)),)
        text = ("The Practice Alert form could not be accepted. Please correct it and send it again:"
                "\n\n" + "\n".join(f"- {p}" for p in problems))
        if made:
            outgoing = Outgoing(reference=made[0], action=f"form-problem-{inbound.id}"[:64],
                                notice=Notice.FORM_PROBLEM, to=to, text=text, in_reply_to=found.message_id)
            act.enqueue(ctx, work, outgoing, "form_problem", now, None)
        else:
            act.enqueue_form_problem(ctx, work, inbound.id, to=to, text=text, in_reply_to=found.message_id, now=now)
    if made:
        return Handled("processed", f"form accepted as {', '.join(made)}"
                       + (f"; {len(problems)} problem(s) sent back" if problems else ""), "new_alert", made[0])
    if held:
        return Handled("processed", f"held as a possible duplicate of {held[0]}; the IRO was asked to confirm",
                       "new_alert", held[0])
    if other_policy:
        return Handled("processed", f"form made for another procedure ({other_policy[0]}); the sender was told",
                       "new_alert")
    return Handled("processed", f"form not accepted: {len(problems)} problem(s) sent back", "new_alert")


def _confirm_duplicate(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                       received: dt.datetime, now: dt.datetime) -> Handled:
    """The IRO says a held form is a new alert after all: raise it from the held message's forms."""
    original = held_original(ctx, work, found)
    if original is None:
        return Handled("processed", "duplicate confirmation for a message already raised or unknown", "decision",
                       found.reference)
    held_inbound, held_found = original
    handled = _new_alerts(ctx, work, held_inbound, held_found, held_inbound.received_at, now, confirmed=True)
    return Handled("processed", f"confirmed as new: {handled.outcome}", "decision", handled.reference)


def _raise(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
           record: AlertForm, received: dt.datetime, now: dt.datetime) -> str:
    """Raise one alert from a valid form: checked with a provisional reference before one is allocated."""
    def raised(reference: str) -> ev.Raised:
        facts = AlertFacts.model_validate({**record.model_dump(), "reference": reference})
        return ev.Raised(at=received, by=found.sender, facts=facts)

    _check_people(ctx, record, found.sender, received)
    decide(None, raised(PROVISIONAL), ctx.policy, ctx.directory, ctx.calendar, now)  # Refused: no number used
    reference = work.create_alert().reference
    form = record.model_copy(update={"reference": reference})
    work.append_event(reference, NewEvent(event_type=FORM_NOTE, payload={"form": form.model_dump(mode="json")},
                                          occurred_at=received, actor_email=found.sender, inbound_id=inbound.id))
    loaded = ctx.cache.load(work, reference, ctx)
    apply_event(ctx, work, loaded, raised(reference), now, inbound_id=inbound.id, inbound_message_id=found.message_id)
    return reference


_ADDRESS_FIELDS = (("iro_email", "The IRO's e-mail address"), ("social_worker_email", "The social worker's e-mail "
                   "address"), ("team_manager_email", "The team manager's e-mail address"))


def _check_people(ctx: ServiceContext, record: AlertForm, sender: str | None, received: dt.datetime) -> None:
    """Letters and copies go only to people in the directory or in the council's own domains, and
    the form's IRO must be whoever sent it (or the person they are covering): Refused otherwise."""
    domains = ctx.council_domains
    for field, label in _ADDRESS_FIELDS:
        value = (getattr(record, field) or "").strip().lower()
        if not value or ctx.directory.contact(value) is not None:
            continue
        domain = value.rpartition("@")[2]
        if not any(domain == d or domain.endswith("." + d) for d in domains):
            raise Refused(f"{label} on the form, {value}, is not in the organisation directory or one of the "
                          f"council's own mail domains ({', '.join(domains) or 'none set'}), so nothing can be sent "
                          "to it. Check the spelling and send the form again; if the address is right, ask LAC "
                          "admin to add the person to the directory.")
    iro = record.iro_email.strip().lower()
    day = uk_day(received)
    if sender and iro != sender and not ctx.directory.may_act_for(sender, iro, day):
        raise Refused(f"The form names {iro} as the IRO, but it was sent from {sender}. The IRO named on the form "
                      "must send it themselves (or the person covering for them): correct the IRO's e-mail "
                      "address, or ask that IRO to send it.")


def _reply(ctx: ServiceContext, work: UnitOfWork, found: Classification, notice: Notice, inbound: StoredInbound,
           now: dt.datetime, lines: list[str]) -> None:
    if not (found.may_reply and found.sender and found.reference):
        return
    outgoing = Outgoing(reference=found.reference, action=f"reply-{inbound.id}"[:64], notice=notice,
                        to=(Addressee(email=found.sender, name=ctx.name_of(found.sender)),),
                        text="\n\n".join(lines), in_reply_to=found.message_id)
    act.enqueue(ctx, work, outgoing, notice.name.lower(), now, None)


def _tell_iro_and_admin(ctx: ServiceContext, work: UnitOfWork, found: Classification, note: str, sequence: int,
                        event_id: int, now: dt.datetime) -> None:
    loaded = ctx.cache.load(work, found.reference or "", ctx)
    if loaded.state is None:
        return
    to = tuple(dict.fromkeys((loaded.state.facts.iro_email, *ctx.lac_admin)))
    if note == "out_of_office":
        back = f" They say they are back on {found.return_date:%d/%m/%Y}." if found.return_date else ""
        text, notice = out_of_office_text(ctx, loaded.state, found.reference or "", back, now), Notice.OUT_OF_OFFICE
    else:
        notice = Notice.RECIPIENT_PROBLEM
        text = (f"A message about alert {found.reference} could not be delivered to: "
                f"{', '.join(found.bounced) or 'an unknown address'}. Please check the organisation directory.")
    alert = summary(loaded.state, ctx.policy.key, ctx.policy)
    outgoing = Outgoing(reference=found.reference or "", action=f"e{sequence}-{note.replace('_', '-')}-0",
                        notice=notice, to=tuple(Addressee(email=e, name=ctx.name_of(e)) for e in to),
                        stage_name=alert.stage_name, text=text, in_reply_to=found.message_id)
    act.enqueue(ctx, work, outgoing, note, now, event_id)
