"""What can happen to an alert. Events are the record: an alert's state is folded from them.

Each event says when it happened (``at``, timezone-aware) and who did it (``by``, an e-mail
address; empty for the system's own clock). Events are discriminated by ``type`` so a stored
list reads back into the right classes with ``parse_event``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from practice_alerts.workflow.admin_events import (
    ADMIN_EVENT_TYPES,
    CorrectFact,
    DecisionOnBehalf,
    MergeInto,
    RecordedResponse,
    Reopen,
    Withdraw,
)
from practice_alerts.workflow.facts import AlertFacts


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: AwareDatetime
    by: str | None = Field(default=None, description="e-mail address of whoever did it; empty for the clock")

    @field_validator("by")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value else None


class Raised(_Event):
    """The IRO filed the form. ``start_stage`` / ``bypass_reason`` override the form's."""

    type: Literal["raised"] = "raised"
    facts: AlertFacts
    start_stage: str | None = None
    bypass_reason: str | None = None


class Response(_Event):
    """The manager the alert is with (or their cover) replied."""

    type: Literal["response"] = "response"
    text: str = ""


class Satisfied(_Event):
    """The IRO is satisfied: the alert is resolved (the IRO then closes it)."""

    type: Literal["satisfied"] = "satisfied"
    notes: str = ""


class NotSatisfied(_Event):
    """The IRO is not satisfied: escalate one stage (past the last: CAFCASS, where allowed)."""

    type: Literal["not_satisfied"] = "not_satisfied"
    notes: str = ""


class EscalateTo(_Event):
    """The IRO bypasses to a later stage (or re-sends the current one once its recipient is found)."""

    type: Literal["escalate_to"] = "escalate_to"
    stage: str
    reason: str | None = None


class TimeOut(_Event):
    """The IRO stops the clock until ``until`` (the day it restarts), with agreement where needed."""

    type: Literal["time_out"] = "time_out"
    until: dt.date
    reason: str = ""
    agreed_by: str | None = Field(default=None, description="e-mail of the manager who agreed the time-out")

    @field_validator("agreed_by")
    @classmethod
    def _lower_agreed(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value else None


class Resume(_Event):
    """The clock restarts (the IRO says so, or the time-out's ``until`` day is reached)."""

    type: Literal["resume"] = "resume"


class ReferToCafcass(_Event):
    """The IRO refers the child's case to CAFCASS (children in care only)."""

    type: Literal["refer_to_cafcass"] = "refer_to_cafcass"
    nominated_officer_told_on: dt.date | None = None
    notes: str = ""


class Close(_Event):
    """The IRO closes (finalises) the alert."""

    type: Literal["close"] = "close"
    outcome: str = Field(min_length=1, description="e.g. 'resolved', 'withdrawn', 'referred to CAFCASS'")
    notes: str = ""


class OverallLimit(_Event):
    """The clock: the whole formal process nears (``days_before`` > 0) or reaches its overall limit."""

    type: Literal["overall_limit"] = "overall_limit"
    days_before: int = Field(ge=0)
    falls_on: dt.date


class Consulted(_Event):
    """The IRO records that they consulted someone the procedure names (who, when, about what)."""

    type: Literal["consulted"] = "consulted"
    who: str = Field(min_length=3, description="e-mail (or name) of the person consulted")
    role: str = Field(default="", description="their role in the procedure, e.g. service_manager, legal")
    about: str = Field(default="", description="the stage key, or 'cafcass' for a referral being considered")
    notes: str = ""


class ChildInformed(_Event):
    """The IRO records what the child was told: their rights (complaint, advocate) or the outcome."""

    type: Literal["child_informed"] = "child_informed"
    what: Literal["rights", "outcome"]
    how: str = Field(default="", description="e.g. 'in person at the review', 'by letter'")
    told_by: str = Field(default="", description="who told the child (defaults to whoever recorded it)")
    on: dt.date | None = None


class CafcassDecision(_Event):
    """After considering a CAFCASS referral (and consulting), the IRO decides not to refer."""

    type: Literal["cafcass_not_referred"] = "cafcass_not_referred"
    notes: str = ""


class ReminderDue(_Event):
    """The clock: a reminder to the stage recipient is due."""

    type: Literal["reminder_due"] = "reminder_due"
    stage: str
    days_before: int = Field(ge=0)


class DeadlineMissed(_Event):
    """The clock: the due date has passed with no response."""

    type: Literal["deadline_missed"] = "deadline_missed"
    stage: str | None
    due: dt.date


class LetterUndelivered(_Event):
    """The shell: the stage letter could not be delivered (refused or given up), so the recipient
    never had it; their deadline is not counted as missed (the IRO decides what next)."""

    type: Literal["letter_undelivered"] = "letter_undelivered"
    stage: str | None
    reason: str = ""


Event = Annotated[
    Raised | Response | Satisfied | NotSatisfied | EscalateTo | TimeOut | Resume | ReferToCafcass | Close | ReminderDue
    | DeadlineMissed | OverallLimit | Consulted | ChildInformed | CafcassDecision
    | RecordedResponse | CorrectFact | Reopen | Withdraw | MergeInto | DecisionOnBehalf | LetterUndelivered,
    Field(discriminator="type"),
]
"""Any event; pydantic picks the class from ``type``."""

EVENT_TYPES: tuple[str, ...] = (
    "raised", "response", "satisfied", "not_satisfied", "escalate_to", "time_out", "resume",
    "refer_to_cafcass", "close", "reminder_due", "deadline_missed", "overall_limit", "consulted", "child_informed",
    "cafcass_not_referred", *ADMIN_EVENT_TYPES, "letter_undelivered",
)
IRO_DECISIONS = frozenset({"satisfied", "not_satisfied", "escalate_to", "time_out", "resume", "refer_to_cafcass", "close",
                           "consulted", "child_informed", "cafcass_not_referred"})
"""Events only the IRO (or someone who may act for them) may make."""

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: dict[str, Any]) -> Event:
    """Read one stored or hand-written event; raises pydantic.ValidationError if it is wrong."""
    return _ADAPTER.validate_python(data)


def dump_event(event: Event) -> dict[str, Any]:
    return event.model_dump(mode="json")
