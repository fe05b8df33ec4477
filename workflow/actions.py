"""What the shell must do after a decision: frozen values, performed in the order given.

Every action names its addressees as e-mail addresses (``to``, ``cc``); building and sending the
message, rendering the letter or the referral, and recording it all happen outside the workflow.
Who an action copies in or tells of its step is its ``copied`` property; ``copied_by`` gathers
them for one decision (the decided record's copies and the IRO's acknowledgement both read it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class DutyNote(BaseModel):
    """A duty printed on a letter or notice: who must do it (iro, recipient, admin, or a role) and what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: str
    text: str

    @classmethod
    def of(cls, duty: object) -> DutyNote:
        owner = duty.owner.value  # type: ignore[attr-defined]
        role = getattr(duty, "role", None)
        return cls(owner=role.value if owner == "other" and role else owner, text=duty.text)  # type: ignore[attr-defined]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()

    @property
    def copied(self) -> tuple[str, ...]:
        """Who this action copies in or tells of its step: nobody, unless the class says otherwise.
        A draft's ``cc`` (the agency letter, the CAFCASS referral) is not counted: they get a draft for
        the IRO to send, not a copy of the step; a reminder or a question goes only to who must act."""
        return ()


class SendStageLetter(_Action):
    """Send the stage letter to the manager the alert is now with."""

    kind: Literal["send_stage_letter"] = "send_stage_letter"
    stage: str
    stage_name: str
    recipient_role: str
    recipient_name: str
    acting: bool = Field(default=False, description="the recipient is covering for the role's holder")
    due: dt.date | None
    duties: tuple[DutyNote, ...] = ()
    in_writing: bool = False
    informal: bool = False
    bypassed_from: str | None = None
    bypass_reason: str | None = None
    own_due: dt.date | None = Field(default=None, description="the stage's own days, before any cumulative mark")
    mark: int | None = Field(default=None, description="the cumulative mark: working day of the process it is due by")
    mark_due: dt.date | None = None
    process_day: int | None = Field(default=None, description="working day of the whole process the letter is sent on")
    limit_days: int | None = Field(default=None, description="the whole process's overall limit in working days")
    limit_falls_on: dt.date | None = None

    @property
    def copied(self) -> tuple[str, ...]:
        """The letter's copies (``cc``); someone it is also addressed to is its recipient, not a copy."""
        return tuple(e for e in self.cc if e not in self.to)


class Notify(_Action):
    """Tell people (not the letter's addressees) about a step, saying why."""

    kind: Literal["notify"] = "notify"
    why: str = Field(description="raised, stage_reached, escalated, response_received, deadline_missed, timed_out, "
                     "resumed, resolved, closed, cafcass, cafcass_parallel, cafcass_consultation, overall_limit, "
                     "unresolved, top_of_ladder, duty, consulted, child_informed, filing")
    stage: str | None = None
    purpose: str = ""
    due: dt.date | None = None

    @property
    def copied(self) -> tuple[str, ...]:
        """Everyone the notice tells (its ``to``); its ``cc`` is the IRO, whose step it is, not a copy."""
        return self.to


class AcknowledgeIro(_Action):
    """Tell the IRO the alert's reference, where it is and when the response is due."""

    kind: Literal["acknowledge_iro"] = "acknowledge_iro"
    stage: str | None
    stage_name: str
    due: dt.date | None


class AskIro(_Action):
    """Ask the IRO to decide, listing what they may do now."""

    kind: Literal["ask_iro"] = "ask_iro"
    why: Literal["response_received", "deadline_missed", "last_stage_reached", "cafcass_consideration"]
    stage: str | None
    response_text: str = ""
    options: tuple[str, ...] = ()


class Remind(_Action):
    """Remind the stage recipient that a response is due (or overdue)."""

    kind: Literal["remind"] = "remind"
    stage: str
    due: dt.date
    days_before: int | None = Field(description="working days before the due date; empty when already overdue")
    overdue: bool = False


class EscalateAutomatically(_Action):
    """Tell the IRO the policy escalated the alert by itself because the deadline passed."""

    kind: Literal["escalate_automatically"] = "escalate_automatically"
    from_stage: str
    to_stage: str
    missed_due: dt.date


class DraftExternalAgencyLetter(_Action):
    """Draft the letter raising the concern with another agency, for the IRO to send."""

    kind: Literal["draft_external_agency_letter"] = "draft_external_agency_letter"
    agency: str
    letter_number: int = Field(ge=1, description="1 for the first letter, then 2, 3... for each follow-up")
    due: dt.date | None


class NotifyBeforeCafcass(_Action):
    """Tell the people the policy says must know before a CAFCASS referral is made."""

    kind: Literal["notify_before_cafcass"] = "notify_before_cafcass"
    roles: tuple[str, ...]

    @property
    def copied(self) -> tuple[str, ...]:
        """Everyone the notice tells (its ``to``); its ``cc`` is the IRO, whose step it is, not a copy."""
        return self.to


class DraftCafcassReferral(_Action):
    """Draft the CAFCASS referral, with the whole chronology, for the IRO to make."""

    kind: Literal["draft_cafcass_referral"] = "draft_cafcass_referral"
    contact_role: str
    referral_form: str | None = None
    consult: tuple[str, ...] = ()
    legal_advice: bool = False
    nominated_officer_told_on: dt.date | None = None


class AddToAgenda(_Action):
    """Add the alert to a meeting's agenda (e.g. the Challenge Meeting)."""

    kind: Literal["add_to_agenda"] = "add_to_agenda"
    meeting: str
    stage: str


class ReportRecipientError(_Action):
    """Nobody could be found to receive (or be copied into) a stage: the IRO and admin must fix it."""

    kind: Literal["report_recipient_error"] = "report_recipient_error"
    stage: str | None
    role: str
    message: str
    blocking: bool = Field(description="true when the stage letter itself could not be sent")


class CloseAlert(_Action):
    """Send the closure notice."""

    kind: Literal["close_alert"] = "close_alert"
    outcome: str
    tell_child: bool = False
    duties: tuple[DutyNote, ...] = ()


Action = Annotated[
    SendStageLetter | Notify | AcknowledgeIro | AskIro | Remind | EscalateAutomatically | DraftExternalAgencyLetter | NotifyBeforeCafcass | DraftCafcassReferral | AddToAgenda | ReportRecipientError | CloseAlert,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)


def copied_by(actions: Iterable[Action]) -> tuple[str, ...]:
    """Everyone one decision's actions copy in or tell, each once, in order: the one rule for "who
    was copied", read by the decided record (``record.decided``) and the IRO's acknowledgement."""
    return tuple(dict.fromkeys(e for action in actions for e in action.copied if e))


def parse_action(data: dict[str, Any]) -> Action:
    """Read one stored action back into its class."""
    return _ADAPTER.validate_python(data)
