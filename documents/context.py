"""What each outgoing document is filled with: frozen view models, one per document.

These are the only things templates see. They hold words and dates ready to print (the
authority's name, the stage's name, duties in the policy's words), never the policy or the
workflow's state, so an authority's own template cannot reach into either. The service maps
an alert's events onto them; `documents.wording` turns the policy into the printable parts.

Everything a person typed is cleaned on the way in (see `documents.text`).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from practice_alerts.documents.text import Line, Text
from practice_alerts.policies.schema import CaseType


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LetterPerson(_Frozen):
    name: Line
    role: Line = Field(description="the job title as the letter prints it, e.g. 'Team Manager'")
    email: str | None = None
    organisation: Line | None = None


class ChildDetails(_Frozen):
    name: Line
    child_id: Line = Field(description="the child's ID in the case-management system")
    case_type: CaseType
    legal_status: Line = Field(description="e.g. 'Full care order (s.31)', 'Accommodated (s.20)'")
    date_of_birth: dt.date | None = None

    @property
    def case_type_label(self) -> str:
        return self.case_type.label


class ReasonLine(_Frozen):
    code: str
    label: Line
    category: Line

    @property
    def shown_code(self) -> str:
        """The code as the procedure numbers it ('1', '13', 'R4'); '' for an internal key such as
        'statutory_visit', which means nothing to a reader."""
        return self.code if len(self.code) <= 8 and any(ch.isdigit() for ch in self.code) else ""

    @property
    def numbered_label(self) -> str:
        """'4. Statutory visit not undertaken...' or, without a shown code, just the label."""
        return f"{self.shown_code}. {self.label}" if self.shown_code else self.label


class DutyLine(_Frozen):
    """A duty the policy puts on a stage or on closure, with who holds it in words."""

    text: Line
    who: Line = Field(description="'You', 'The Independent Reviewing Officer', 'LAC Admin'...")
    agenda: Line | None = None


class StageRecord(_Frozen):
    """One stage the alert has been through, for chronology tables."""

    stage_name: Line
    recipient: LetterPerson
    sent: dt.date
    due: dt.date | None = None
    responded: dt.date | None = None
    response: Text | None = None
    on_time: bool | None = Field(default=None, description="None while the stage is still open")
    notes: tuple[Line, ...] = Field(default=(), description="bypassed, timed out, reminded, escalated automatically...")
    ended: Line | None = Field(default=None, description="how the stage ended (the workflow's word), when it has")

    @property
    def outcome(self) -> str:
        """The stage's true outcome: a response, a missed deadline, or how the IRO moved it on."""
        if self.responded is not None:
            return "Responded on time" if self.on_time else "Responded late"
        if self.on_time is False:
            return "No response by the due date"
        return _ENDED.get(self.ended or "", "Awaiting response")


_ENDED = {
    "bypassed": "Bypassed by the IRO before a response", "escalated": "Escalated by the IRO before a response",
    "escalated_automatically": "Escalated automatically", "resolved": "Resolved before a response",
    "referred_to_cafcass": "Referred to CAFCASS before a response", "closed": "Closed before a response",
}


class ChronologyEntry(_Frozen):
    at: dt.datetime
    what: Text
    who: Line


class LetterAlert(_Frozen):
    """What every document says about the alert itself."""

    reference: Line
    authority: Line
    procedure: Line = Field(description="the procedure's own title")
    child: ChildDetails
    raised_by: LetterPerson
    raised_on: dt.date
    reasons: tuple[ReasonLine, ...]
    concern: Text
    impact_on_child: Text
    resolution_sought: Text
    record_system: Line | None = None
    mailbox: str = Field(description="the shared mailbox replies go to")


class _DocumentContext(_Frozen):
    alert: LetterAlert
    letter_date: dt.date


class StageLetterContext(_DocumentContext):
    """The letter to the manager at one stage."""

    stage_name: Line
    recipient: LetterPerson
    copies: tuple[LetterPerson, ...] = ()
    due: dt.date
    response_days: int | None = None
    in_writing: bool = False
    agenda: Line | None = None
    duties: tuple[DutyLine, ...] = ()
    earlier_stages: tuple[StageRecord, ...] = ()
    entry_note: Line | None = Field(default=None, description="why the alert starts or arrives at this stage, e.g. a bypass")
    if_no_response: Line = Field(description="what happens when no response arrives by the due date")


class AcknowledgementContext(_DocumentContext):
    """The reply to the IRO confirming the alert was received and sent on."""

    received_at: dt.datetime
    stage_name: Line
    sent_to: LetterPerson
    copies: tuple[LetterPerson, ...] = ()
    due: dt.date
    next_steps: tuple[Line, ...] = ()


class DecisionOption(_Frozen):
    label: Line
    url: str = Field(description="a mailto: URL the mail helper built")


class DecisionRequestContext(_DocumentContext):
    """Forwards a manager's response to the IRO and asks for a decision."""

    stage_name: Line
    responder: LetterPerson
    responded_on: dt.date
    on_time: bool
    response: Text
    options: tuple[DecisionOption, ...]
    decide_by: dt.date | None = None
    earlier_stages: tuple[StageRecord, ...] = ()


class AgencyAddress(_Frozen):
    name: Line = Field(description="the agency, e.g. 'Oakham Church of England Primary School'")
    addressee: Line = Field(description="the person or post addressed, e.g. 'The Headteacher'")
    salutation: Line = Field(default="Sir or Madam", description="what follows 'Dear', e.g. 'Headteacher'")
    address_lines: tuple[Line, ...] = ()
    email: str | None = None


class ExternalAgencyLetterContext(_DocumentContext):
    """A formal letter about another agency's part in the child's plan, for a person to send."""

    agency: AgencyAddress
    signed_by: LetterPerson
    copies: tuple[LetterPerson, ...] = ()
    respond_by: dt.date
    actions_requested: tuple[Line, ...] = ()


class AttachmentItem(_Frozen):
    name: Line
    attached: bool = False


class CafcassReferralContext(_DocumentContext):
    """The draft referral to CAFCASS (children in care only), for the IRO to check and send."""

    court: Line | None = None
    court_case_number: Line | None = None
    care_plan_concern: Text
    urgency: Text
    stages: tuple[StageRecord, ...]
    chronology: tuple[ChronologyEntry, ...]
    child_views: Text
    child_told: bool
    child_told_note: Text | None = None
    outcome_sought: Text
    nominated_officer: LetterPerson | None = None
    nominated_officer_told: dt.date | None = None
    nominated_officer_required: bool = False
    legal_advice_required: bool = False
    consulted: tuple[LetterPerson, ...] = ()
    cafcass_contact: Line
    referral_form: Line | None = None
    policy_note: Line | None = None
    attachments: tuple[AttachmentItem, ...]

    @model_validator(mode="after")
    def _child_in_care(self) -> CafcassReferralContext:
        if self.alert.child.case_type != CaseType.CLA:
            raise ValueError("a CAFCASS referral is only for a child looked after; "
                             f"this alert is about a {self.alert.child.case_type_label.lower()} case")
        return self


class CaseNoteContext(_DocumentContext):
    """The alert's whole chronology as one note for the case record."""

    status: Line = Field(description="'Open at Stage 2', 'Closed'...")
    stages: tuple[StageRecord, ...]
    chronology: tuple[ChronologyEntry, ...]
    outcome: Text | None = None
    finalised_by: LetterPerson | None = None


class ClosureContext(_DocumentContext):
    """The notice that the IRO has closed the alert, and what to tell the child."""

    closed_on: dt.date
    closed_by: LetterPerson
    outcome: Text
    resolved_at_stage: Line | None = None
    stages: tuple[StageRecord, ...] = ()
    working_days_taken: int | None = None
    target_working_days: int | None = None
    recipients: tuple[LetterPerson, ...] = ()
    tell_child_required: bool = False
    message_for_child: Text = ""
    duties: tuple[DutyLine, ...] = ()

    @property
    def within_target(self) -> bool | None:
        if self.working_days_taken is None or self.target_working_days is None:
            return None
        return self.working_days_taken <= self.target_working_days
