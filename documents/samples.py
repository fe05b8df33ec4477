"""A realistic alert for any policy, as every document's context.

Used by the start-up check (a trial render of every template), the examples in
`examples/documents/`, the benchmark and the tests. The typed text deliberately carries
what breaks careless renderers: `&` and `<`, Welsh and accented names, quotes, line breaks,
tabs, a vertical tab and a NUL. People and addresses are invented (`.example` domains).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from pydantic import BaseModel

from practice_alerts.documents import context as c
from practice_alerts.documents import wording
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType, Policy

CHILD_NAME = "Siân Llŷr"
IRO_NAME = "Zoë O'Neill-Ðorđević"
HAZARD = "drift & delay <urgent>"

_NAMES = {
    Role.SOCIAL_WORKER: "Priya Shah", Role.ASSISTANT_TEAM_MANAGER: "Tomás Ó Briain",
    Role.TEAM_MANAGER: "Gareth Hughes", Role.PRACTICE_MANAGER: "Gareth Hughes",
    Role.SERVICE_MANAGER: "Aoife Brennan", Role.GROUP_MANAGER: "Aoife Brennan",
    Role.HEAD_OF_SERVICE: "Dafydd ap Rhys", Role.SERVICE_LEAD: "Dafydd ap Rhys",
    Role.AREA_DIRECTOR: "Chloé Martin", Role.ASSISTANT_DIRECTOR: "Chloé Martin",
    Role.DIRECTOR: "Olu Adebayo", Role.CORPORATE_DIRECTOR: "Olu Adebayo",
    Role.DIRECTOR_OF_CHILDRENS_SERVICES: "Olu Adebayo", Role.LSCB_CHAIR: "Margaret Ellis",
    Role.NOMINATED_OFFICER: "Helen Price", Role.LAC_ADMIN: "LAC Admin team",
    Role.QA_MANAGER: "Rhiannon Evans", Role.IRO_TEAM_MANAGER: "Rhiannon Evans",
}
_HOLIDAYS = {dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2027, 1, 1)}

RAW_CONCERN = (
    f"The care plan agreed at the review on 12 October has not been progressed: {HAZARD}.\x0b"
    "Siân has not been visited since 2 September.\x00\n\n"
    "The \"permanence\" assessment promised for November has not started."
)
RAW_IMPACT = ("Siân has told her carers she does not know where she will live next year and is anxious.\n"
              "Her school reports she is withdrawn.")
RAW_RESOLUTION = "1.\tA statutory visit within 5 working days.\n2.\tThe permanence assessment started, with a date for completion."


def _working_days_after(start: dt.date, days: int) -> dt.date:
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _HOLIDAYS:
            days -= 1
    return day


def _domain(policy: Policy) -> str:
    return f"{policy.key.replace('_', '-')}.council.example"


def person(policy: Policy, role: Role) -> c.LetterPerson:
    name = _NAMES.get(role, role.label)
    local = name.lower().replace(" ", ".").encode("ascii", "ignore").decode() or role.value
    return c.LetterPerson(name=name, role=role.label, email=f"{local}@{_domain(policy)}",
                    organisation=policy.authority)


def alert(policy: Policy) -> c.LetterAlert:
    codes = [r.code for r in policy.reason_codes[:3]]
    other = next((r.code for r in policy.reason_codes if r.other), None)
    if other and other not in codes:
        codes.append(other)
    case_type = CaseType.CLA if CaseType.CLA in policy.case_types else policy.case_types[0]
    return c.LetterAlert(
        reference="PA-2026-0042", authority=policy.authority, procedure=policy.title,
        child=c.ChildDetails(name=CHILD_NAME, child_id="MOS-118204", case_type=case_type,
                             legal_status="Full care order (s.31)" if case_type == CaseType.CLA else "Child protection plan",
                             date_of_birth=dt.date(2014, 3, 9)),
        raised_by=c.LetterPerson(name=IRO_NAME, role=Role.IRO.label, email=f"zoe.oneill@{_domain(policy)}",
                           organisation=policy.authority),
        raised_on=dt.date(2026, 12, 1),
        reasons=wording.reason_lines(policy, codes, other_text="Sibling contact stopped without a review"),
        concern=RAW_CONCERN, impact_on_child=RAW_IMPACT, resolution_sought=RAW_RESOLUTION,
        record_system=policy.record_system, mailbox=f"practice-alerts@{_domain(policy)}",
    )


def _current_index(policy: Policy) -> int:
    """The stage the sample alert has reached: the third formal stage, or the last one."""
    formal = [i for i, s in enumerate(policy.stages) if not s.informal]
    return formal[min(2, len(formal) - 1)]


def stage_records(policy: Policy, include_current: bool = False) -> tuple[c.StageRecord, ...]:
    """Earlier stages answered (one late), and optionally the current one, unanswered."""
    current = _current_index(policy)
    records, sent = [], dt.date(2026, 12, 1)
    for index, stage in enumerate(policy.stages[: current + (1 if include_current else 0)]):
        days = stage.response_days or 5
        due = _working_days_after(sent, days)
        recipient = person(policy, stage.recipient)
        if index == current:
            records.append(c.StageRecord(stage_name=stage.name, recipient=recipient, sent=sent, due=due,
                                         on_time=False, notes=("Reminder sent the working day before",)))
            break
        late = index == current - 1
        responded = _working_days_after(due, 1) if late else _working_days_after(sent, days - 1)
        response = (f"We accept there has been {HAZARD}.\nA visit is booked for next week."
                    if late else "The allocated worker was off sick; a new worker is being allocated.")
        notes = ("Reminder sent the working day before",) if late else ()
        if stage.key == policy.formal_stages[0].key and policy.time_out.allowed:
            notes = ("Time-out of 2 working days agreed by the IRO's line manager",)
        records.append(c.StageRecord(stage_name=stage.name, recipient=recipient, sent=sent, due=due,
                                     responded=responded, response=response, on_time=not late, notes=notes))
        sent = _working_days_after(responded, 1)
    return tuple(records)


def _current_stage_sent(earlier: tuple[c.StageRecord, ...]) -> dt.date:
    last = earlier[-1] if earlier else None
    return _working_days_after(last.responded, 1) if last and last.responded else dt.date(2026, 12, 1)


def stage_letter(policy: Policy) -> c.StageLetterContext:
    stage = policy.stages[_current_index(policy)]
    earlier = stage_records(policy)
    sent = _current_stage_sent(earlier)
    return c.StageLetterContext(
        alert=alert(policy), letter_date=sent, stage_name=stage.name,
        recipient=person(policy, stage.recipient),
        copies=tuple(person(policy, r) for r in stage.cc),
        due=_working_days_after(sent, stage.response_days or 5), response_days=stage.response_days,
        in_writing=stage.in_writing, agenda=stage.agenda,
        duties=wording.stage_duties(policy, stage.key), earlier_stages=earlier,
        entry_note=f"{earlier[-1].stage_name} did not resolve the concern." if earlier else None,
        if_no_response=wording.if_no_response(policy, stage.key),
    )


def acknowledgement(policy: Policy) -> c.AcknowledgementContext:
    stage = policy.stage(policy.start_stage)
    return c.AcknowledgementContext(
        alert=alert(policy), letter_date=dt.date(2026, 12, 1),
        received_at=dt.datetime(2026, 12, 1, 9, 12), stage_name=stage.name,
        sent_to=person(policy, stage.recipient), copies=tuple(person(policy, r) for r in stage.cc),
        due=_working_days_after(dt.date(2026, 12, 1), stage.response_days or 5),
        next_steps=(
            "You will receive the manager's response as soon as it arrives, with links to choose your decision.",
            "If no response arrives by the due date, you will be asked what to do next.",
        ),
    )


def decision_request(policy: Policy) -> c.DecisionRequestContext:
    earlier = stage_records(policy)
    answered = earlier[-1]
    mailbox = f"practice-alerts@{_domain(policy)}"

    def option(label: str, word: str) -> c.DecisionOption:
        subject = quote(f"PA-2026-0042 decision: {word}")
        return c.DecisionOption(label=label, url=f"mailto:{mailbox}?subject={subject}")

    options = [option("Satisfied: close the alert", "satisfied"),
               option("Not satisfied: escalate to the next stage", "not satisfied")]
    if policy.time_out.allowed:
        options.append(option("Call a time-out", "time out"))
    options.append(option("Refer to CAFCASS", "refer to CAFCASS"))
    assert answered.responded is not None  # the sample's answered stage has its response
    return c.DecisionRequestContext(
        alert=alert(policy), letter_date=answered.responded, stage_name=answered.stage_name,
        responder=answered.recipient, responded_on=answered.responded, on_time=bool(answered.on_time),
        response=answered.response or "", options=tuple(options),
        decide_by=_working_days_after(answered.responded, 2), earlier_stages=earlier[:-1],
    )


def external_agency_letter(policy: Policy) -> c.ExternalAgencyLetterContext:
    copies = tuple(person(policy, r) for r in policy.external_agencies.copy_to)
    return c.ExternalAgencyLetterContext(
        alert=alert(policy).model_copy(update=dict(
            concern="The Personal Education Plan meeting due on 20 November has not been held & the school "
                    "has not replied to two requests.\nSiân's extra reading support has stopped.",
            resolution_sought="A Personal Education Plan meeting before the end of term.")),
        letter_date=dt.date(2026, 12, 2),
        agency=c.AgencyAddress(name="Ysgol Gymraeg Aberhonddu & Oakham Primary", addressee="The Headteacher",
                               salutation="Headteacher",
                               address_lines=("1 School Lane", "Oakham", "LE15 6XX")),
        signed_by=alert(policy).raised_by, copies=copies, respond_by=_working_days_after(dt.date(2026, 12, 2), 10),
        actions_requested=("Siân's reading support restarted, or a written reason why it cannot be.",
                           "The designated teacher to attend the next review."),
    )


def chronology(policy: Policy) -> tuple[c.ChronologyEntry, ...]:
    entries = [c.ChronologyEntry(at=dt.datetime(2026, 12, 1, 9, 12), what="Practice alert raised", who=IRO_NAME)]
    for record in stage_records(policy, include_current=True):
        entries.append(c.ChronologyEntry(at=dt.datetime.combine(record.sent, dt.time(9, 30)),
                                         what=f"{record.stage_name} letter sent (due {record.due:%d/%m/%Y})",
                                         who=record.recipient.name))
        if record.responded:
            entries.append(c.ChronologyEntry(at=dt.datetime.combine(record.responded, dt.time(16, 5)),
                                             what=f"Response received: {record.response}", who=record.recipient.name))
        elif record.due is not None:
            entries.append(c.ChronologyEntry(at=dt.datetime.combine(record.due, dt.time(17, 0)),
                                             what="No response by the due date", who="Practice Alerts"))
    return tuple(entries)


def cafcass_referral(policy: Policy) -> c.CafcassReferralContext:
    cafcass = policy.cafcass
    officer = person(policy, Role.NOMINATED_OFFICER)
    return c.CafcassReferralContext(
        alert=alert(policy), letter_date=dt.date(2027, 1, 5), court="Family Court at Leicester",
        court_case_number="LE26C00417",
        care_plan_concern="The plan of permanence with long-term foster carers has not been progressed since October.",
        urgency="Urgent: the placement may end in February without a decision.",
        stages=stage_records(policy, include_current=True), chronology=chronology(policy),
        child_views="Siân wants to stay with her carers & keep seeing her brother.\nShe asked for an advocate.",
        child_told=True, child_told_note="Told by the IRO on 4 January 2027, with her advocate present.",
        outcome_sought="A decision on permanence within 20 working days, and sibling contact restored.",
        nominated_officer=officer, nominated_officer_told=dt.date(2027, 1, 4),
        nominated_officer_required=bool(cafcass.notify_first), legal_advice_required=cafcass.legal_advice,
        consulted=tuple(person(policy, r) for r in cafcass.consult),
        cafcass_contact=cafcass.contact.label, referral_form=cafcass.referral_form,
        policy_note=wording.cafcass_note(policy) or None,
        attachments=tuple(c.AttachmentItem(name=n, attached=i == 0)
                          for i, n in enumerate(wording.attachment_checklist(policy))),
    )


def case_note(policy: Policy) -> c.CaseNoteContext:
    stage = policy.stages[_current_index(policy)]
    return c.CaseNoteContext(alert=alert(policy), letter_date=dt.date(2027, 1, 5),
                             status=f"Open at {stage.name}", stages=stage_records(policy, include_current=True),
                             chronology=chronology(policy))


def closure(policy: Policy) -> c.ClosureContext:
    stages = stage_records(policy)
    return c.ClosureContext(
        alert=alert(policy), letter_date=dt.date(2027, 1, 8), closed_on=dt.date(2027, 1, 8),
        closed_by=alert(policy).raised_by,
        outcome="Visit completed on 22 December.\nThe permanence assessment starts on 11 January & ends by 26 February.",
        resolved_at_stage=stages[-1].stage_name if stages else None, stages=stages,
        working_days_taken=22, target_working_days=policy.target_working_days,
        recipients=tuple(person(policy, r) for r in policy.notifications.closed) or (person(policy, Role.LAC_ADMIN),),
        tell_child_required=policy.closure.tell_child,
        message_for_child="Siân, your social worker will visit you every 4 weeks, and by the end of February "
                          "we will know whether you can stay with your carers for good.",
        duties=wording.closure_duties(policy),
    )


def all_contexts(policy: Policy) -> dict[str, BaseModel]:
    """Every document's sample context for this policy, by document name."""
    return {
        "stage_letter": stage_letter(policy), "acknowledgement": acknowledgement(policy),
        "decision_request": decision_request(policy), "external_agency_letter": external_agency_letter(policy),
        "cafcass_referral": cafcass_referral(policy), "case_note": case_note(policy), "closure": closure(policy),
    }
