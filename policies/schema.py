"""What a policy file may say: the pydantic schema of one authority's escalation procedure.

A policy is data, loaded from YAML and checked as a whole before the service starts
(see policies.check). Field descriptions are the reference for people writing a policy;
docs/policies.md walks through them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from practice_alerts.policies.roles import Role

Key = Field(pattern=r"^[a-z][a-z0-9_]*$")


class CaseType(StrEnum):
    CLA = "CLA"
    """Child looked after (in care)."""
    CP = "CP"
    """Child on a child protection plan."""
    CL = "CL"
    """Care leaver."""

    @property
    def label(self) -> str:
        return {"CLA": "Child looked after", "CP": "Child protection", "CL": "Care leaver"}[self.value]


class OnDeadlineMissed(StrEnum):
    ESCALATE = "escalate"
    """Escalate to the next stage automatically and tell the IRO."""
    ASK_IRO = "ask_iro"
    """Remind the recipient and ask the IRO to decide (escalate, time out, close)."""


class DutyOwner(StrEnum):
    IRO = "iro"
    RECIPIENT = "recipient"
    ADMIN = "admin"
    OTHER = "other"
    """Someone else told of the stage, named by the duty's role (e.g. West Sussex's AD SQP tells the DCE)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duty(_Model):
    """Something a person must do at a stage; printed on the stage letter."""

    text: str = Field(min_length=3, description="the duty in plain words, as the letter will print it")
    owner: DutyOwner = Field(description="who must do it: iro, recipient, admin, or other (then name the role)")
    role: Role | None = Field(
        default=None, description="with owner 'other': the role that must do it, e.g. ad_quality"
    )
    agenda: str | None = Field(
        default=None,
        description="name of a meeting whose agenda the alert is added to (e.g. 'Challenge Meeting')",
    )
    tell: Role | None = Field(
        default=None,
        description="with owner 'other': the role the duty's owner must tell (e.g. the DCE); the notice to the "
                    "owner names them",
    )


class Stage(_Model):
    """One rung of the ladder."""

    key: str = Key
    name: str = Field(min_length=1, description="what the authority calls it, e.g. 'Stage 2' or 'Level 3'")
    informal: bool = Field(default=False, description="an informal step before the formal process starts")
    recipient: Role = Field(description="the role the stage letter is addressed to")
    recipient_title: str = Field(
        default="", description="what the procedure calls the recipient when it differs from the role's label "
                                "(Rutland's Stage 4: 'Director for People'); letters and summaries print it",
    )
    cc: list[Role] = Field(default_factory=list, description="roles copied into the stage letter")
    cc_if_held: list[Role] = Field(
        default_factory=list,
        description="roles copied when someone holds them for this child, and silently left out when nobody does "
                    "(seed 003's 'ATM /TM': not every team has an assistant team manager)",
    )
    notify: list[Role] = Field(default_factory=list, description="roles told separately that the alert reached this stage")
    response_days: int | None = Field(
        default=None, ge=1, le=60,
        description="working days the recipient has to respond, counted from receipt",
    )
    iro_sets_timescale: bool = Field(
        default=False,
        description="the IRO sets the timescale on the form; response_days is then the default and the longest allowed",
    )
    next: str | None = Field(default=None, description="key of the stage an escalation goes to; empty on the last stage")
    on_deadline_missed: OnDeadlineMissed | None = Field(
        default=None, description="overrides the policy-wide rule for this stage"
    )
    may_start_here: bool = Field(default=False, description="the IRO may raise the alert straight at this stage")
    may_bypass_to: bool = Field(default=False, description="the IRO may escalate straight to this stage, skipping others")
    entry_condition: str = Field(
        default="",
        description="when the IRO may start or bypass to this stage, in the procedure's words (e.g. 'more serious or urgent cases')",
    )
    in_writing: bool = Field(default=False, description="the seed requires this stage to be raised in writing")
    by_working_day: int | None = Field(
        default=None, ge=1, le=120,
        description="a cumulative mark: the response is due by this working day of the formal process at the latest "
                    "(e.g. seed 003's '10 working days from start of the challenge'); the due date is the earlier of "
                    "response_days and the mark",
    )
    consult_first: list[Role] = Field(
        default_factory=list,
        description="roles the IRO consults before sending this stage (e.g. their own Service Manager); "
                    "the consultation is recorded with who and when",
    )
    duties: list[Duty] = Field(default_factory=list)

    @property
    def recipient_label(self) -> str:
        return self.recipient_title or self.recipient.label

    @property
    def agenda(self) -> str | None:
        return next((d.agenda for d in self.duties if d.agenda), None)


class ClosureDay(_Model):
    """A day (or run of days) the authority is closed, on top of bank holidays."""

    start: dt.date
    end: dt.date | None = Field(default=None, description="last closed day, inclusive; empty for a single day")
    reason: str = ""


class WorkingDays(_Model):
    timezone: Literal["Europe/London"] = "Europe/London"
    cut_off: dt.time = Field(
        default=dt.time(17, 0),
        description="mail received after this time counts as received on the next working day",
    )
    closure_days: list[ClosureDay] = Field(default_factory=list)


class Reminders(_Model):
    days_before_due: list[int] = Field(
        default_factory=lambda: [1],
        description="working days before the due date on which the recipient is reminded (0 = on the day)",
    )


class TimeOut(_Model):
    allowed: bool = False
    agreed_by: Role | None = Field(default=None, description="whose agreement the IRO needs (their line manager)")
    note: str = ""


class Cafcass(_Model):
    case_types: list[CaseType] = Field(default_factory=lambda: [CaseType.CLA])
    at_any_time: bool = Field(default=False, description="the IRO may refer without finishing the ladder")
    after_last_stage: bool = Field(default=True, description="referral is the step after the last stage")
    notify_first: list[Role] = Field(default_factory=list, description="roles that must be told before the referral")
    consult: list[Role] = Field(default_factory=list, description="roles the IRO must consult before referring")
    legal_advice: bool = Field(default=False, description="legal advice must be taken before referring")
    ladder_continues: bool | None = Field(
        default=None,
        description="with at_any_time: the council's own escalation goes on while the referral is made (both run in "
                    "parallel and are tracked); false ends the ladder at the referral. Must be said when at_any_time is true",
    )
    consider_first: bool = Field(
        default=False,
        description="after the last stage the IRO first considers a referral (consulting the consult roles and, with "
                    "legal_advice, Legal) and then decides to refer or not; nothing is drafted until they decide",
    )
    contact: Role = Role.CAFCASS_LEGAL
    referral_form: str | None = Field(default=None, description="the authority's referral form, e.g. 'Appendix 3'")
    stage_name: str | None = Field(
        default=None, description="what the procedure calls the CAFCASS step, e.g. 'Stage 6' or 'Level 6'"
    )
    note: str = ""


class OverallLimit(_Model):
    """The whole formal process's limit (the IRO Handbook's 20 working days) and what happens as it nears and passes."""

    working_days: int = Field(ge=1, le=120, description="working days the whole formal process may take")
    warn_days_before: list[int] = Field(
        default_factory=lambda: [3],
        description="working days before the limit on which the notice goes (the notice on the day always goes)",
    )
    notify: list[Role] = Field(
        default_factory=list,
        description="roles told before and on the day the limit falls, besides the IRO (e.g. iro_team_manager, qa_manager)",
    )
    note: str = Field(default="", description="the procedure's words for the limit")


class TopOfLadder(_Model):
    """Where an alert goes when the last stage has not resolved it and CAFCASS is not open to the child."""

    route: str = Field(
        min_length=3,
        description="the route the authority names after the last stage, in plain words (e.g. 'the Director of "
                    "Children's Services and the safeguarding partnership's escalation procedure')",
    )
    route_role: Role | None = Field(default=None, description="the role the IRO takes the concern to, told by notice")
    notify: list[Role] = Field(
        default_factory=list, description="roles told that the alert is unresolved at the top (e.g. the IRO's manager)"
    )


class ChildsRights(_Model):
    """What the procedure says about the child's own rights around an alert."""

    complaint_and_advocate: bool = Field(
        default=False,
        description="the IRO makes sure the child understands their right to complain and to an advocate; recorded",
    )
    outcome_to_child: bool = Field(
        default=False, description="the outcome is communicated to the child; when, how and by whom is recorded",
    )


class CaseRecord(_Model):
    """Who files each step on the child's case record, and what they are sent to file."""

    filed_by: Role = Field(description="the role that files every step on the record (e.g. lac_admin), or iro")
    case_note_each_step: bool = Field(
        default=True,
        description="every message to them carries the case note so far (paste-ready text and .docx) and the "
                    "step's letter, not only the one at closure",
    )


class ExternalAgencies(_Model):
    by_letter: bool = Field(default=True, description="concerns about another agency are raised by letter, not escalated")
    letter_from: Role = Role.IRO
    copy_to: list[Role] = Field(default_factory=list)


NotificationKind = Literal[
    "raised", "escalated", "response_received", "deadline_missed", "timed_out",
    "resolved", "closed", "cafcass", "recipient_error",
]


class Notifications(_Model):
    """Who is told, beyond the stage letter's recipient and copies, at each kind of step.

    A role that already gets the stage letter (recipient or copy) for a step is not sent a
    second message for the same step.
    """

    raised: list[Role] = Field(default_factory=list)
    escalated: list[Role] = Field(default_factory=list)
    response_received: list[Role] = Field(default_factory=list)
    deadline_missed: list[Role] = Field(default_factory=list)
    timed_out: list[Role] = Field(default_factory=list)
    resolved: list[Role] = Field(default_factory=list)
    closed: list[Role] = Field(default_factory=list)
    cafcass: list[Role] = Field(default_factory=list)
    recipient_error: list[Role] = Field(
        default_factory=lambda: [Role.LAC_ADMIN],
        description="told (with the IRO) when nobody holds a stage's role or an address bounces",
    )
    purposes: dict[NotificationKind, str] = Field(
        default_factory=dict,
        description="why they are told, printed in the message, e.g. escalated: 'to track escalation'",
    )


class Closure(_Model):
    closed_by: Role = Role.IRO
    tell_child: bool = Field(default=False, description="the outcome must be communicated to the child")
    duties: list[Duty] = Field(default_factory=list)


class Reporting(_Model):
    """The authority's own reporting on alerts (the quarterly report reads it)."""

    quarterly: bool = Field(default=False, description="alerts are reported on every quarter")
    prepared_by: Role | None = Field(default=None, description="who prepares the report")
    presented_to: str = Field(default="", description="the meeting or forum the report goes to")
    measures: list[str] = Field(default_factory=list, description="what the report must show, in the procedure's words")
    learning: bool = Field(default=False, description="the report has a learning section (seed 004: 'the learning from which')")


class ReasonCode(_Model):
    code: str = Field(pattern=r"^[a-z0-9_]+$", description="short code, used in the form's check box tag reason_<code>")
    label: str = Field(min_length=3)
    category: str = Field(min_length=2)
    other: bool = Field(default=False, description="the 'Other' code: the IRO must then describe the reason")


class Policy(_Model):
    schema_version: Literal[1] = 1
    key: str = Key
    authority: str = Field(min_length=2, description="the council's name as letters print it")
    title: str = Field(description="the procedure's own title")
    source: str = Field(description="where the rules come from (document, seed)")
    record_system: str | None = Field(default=None, description="the case-management system, e.g. Mosaic")
    case_types: list[CaseType] = Field(min_length=1, description="which children this procedure covers")
    working_days: WorkingDays = Field(default_factory=WorkingDays)
    target_working_days: int = Field(default=20, ge=1, description="the whole formal process should take no more")
    overall_limit: OverallLimit | None = Field(
        default=None, description="the whole-process limit acted on: notices before and on the day; letters show it",
    )
    top_of_ladder: TopOfLadder | None = Field(
        default=None, description="the route after the last stage for an alert that is still unresolved",
    )
    childs_rights: ChildsRights = Field(default_factory=ChildsRights)
    case_record: CaseRecord | None = Field(
        default=None, description="who files each step on the child's record and gets what to file",
    )
    start_stage: str = Field(description="key of the stage an alert starts at unless the IRO chooses another")
    bypass_requires_reason: bool = True
    on_deadline_missed: OnDeadlineMissed
    reminders: Reminders = Field(default_factory=Reminders)
    time_out: TimeOut = Field(default_factory=TimeOut)
    cafcass: Cafcass = Field(default_factory=Cafcass)
    external_agencies: ExternalAgencies = Field(default_factory=ExternalAgencies)
    notifications: Notifications = Field(default_factory=Notifications)
    closure: Closure = Field(default_factory=Closure)
    reporting: Reporting = Field(default_factory=Reporting)
    raise_duties: list[Duty] = Field(
        default_factory=list, description="duties when an alert is raised, whatever stage it starts at"
    )
    stages: list[Stage] = Field(min_length=1)
    reason_codes: list[ReasonCode] = Field(min_length=1)
    detailed_reasons: dict[str, list[str]] = Field(
        default_factory=dict, description="longer guidance lists of reasons, by heading"
    )

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"policy {self.key!r} has no stage {key!r}")

    @property
    def formal_stages(self) -> list[Stage]:
        return [s for s in self.stages if not s.informal]

    def reason(self, code: str) -> ReasonCode:
        for reason in self.reason_codes:
            if reason.code == code:
                return reason
        raise KeyError(f"policy {self.key!r} has no reason code {code!r}")
