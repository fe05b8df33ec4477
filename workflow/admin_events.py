"""Events an administrator records on an alert (from the console or the command line).

Each says who recorded it (``by``), when, and why (``reason``); the workflow decides each like
any other event (``workflow.admin``), so the chronology, letters, tracker and reports stay
consistent. Kept apart from ``workflow.events`` so the procedure's own events stay readable.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class _AdminEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: AwareDatetime
    by: str | None = Field(default=None, description="e-mail address of the person who recorded it")
    reason: str = Field(default="", max_length=2000, description="why it was recorded, in their words")

    @field_validator("by")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value else None


class RecordedResponse(_AdminEvent):
    """The manager the alert is with responded by phone, in a meeting (or by mail that was held):
    it stops the clock as a mailed response would."""

    type: Literal["recorded_response"] = "recorded_response"
    on_behalf_of: str | None = Field(default=None, description="who responded; empty: the stage recipient")
    how: Literal["phone", "meeting", "mail", "other"] = "phone"
    text: str = ""


class CorrectFact(_AdminEvent):
    """A fact on the form was wrong (e.g. the social worker's address): corrected, and the stage
    letter sent again to whoever the corrected facts lead to."""

    type: Literal["correct_fact"] = "correct_fact"
    field: Literal["social_worker_name", "social_worker_email", "team_manager_name", "team_manager_email", "team"]
    value: str = Field(max_length=320)


class Reopen(_AdminEvent):
    """A closed (or resolved) alert is opened again; the IRO decides what happens next."""

    type: Literal["reopen"] = "reopen"


class Withdraw(_AdminEvent):
    """The alert was raised in error: closed as withdrawn."""

    type: Literal["withdraw"] = "withdraw"


class MergeInto(_AdminEvent):
    """The alert repeats another one: closed, pointing at the alert it repeats."""

    type: Literal["merge_into"] = "merge_into"
    into: str = Field(pattern=r"^PA-\d{4}-\d{4,}$")


class DecisionOnBehalf(_AdminEvent):
    """The IRO gave their decision by phone or in person; an administrator records it for them."""

    type: Literal["decision_on_behalf"] = "decision_on_behalf"
    iro_name: str = Field(min_length=1, max_length=200)
    decision: Literal["satisfied", "not_satisfied", "escalate_to", "close"]
    stage: str | None = None
    notes: str = ""


ADMIN_EVENT_CLASSES = (RecordedResponse, CorrectFact, Reopen, Withdraw, MergeInto, DecisionOnBehalf)
ADMIN_EVENT_TYPES: tuple[str, ...] = (
    "recorded_response", "correct_fact", "reopen", "withdraw", "merge_into", "decision_on_behalf",
)


_WHAT = {"recorded_response": "Response recorded", "correct_fact": "Form corrected", "reopen": "Reopened",
         "withdraw": "Withdrawn (raised in error)", "merge_into": "Merged as a duplicate",
         "decision_on_behalf": "Decision recorded for the IRO"}


def admin_what(event: object, default: str = "") -> str:
    """One chronology line for an admin event: what, and why."""
    kind = getattr(event, "type", "")
    what = _WHAT.get(kind, default)
    if isinstance(event, RecordedResponse):
        what += f" ({event.how}){': ' + event.text if event.text else ''}"
    elif isinstance(event, CorrectFact):
        what += f": {event.field.replace('_', ' ')} is now {event.value or '(blank)'}"
    elif isinstance(event, MergeInto):
        what += f" into {event.into}"
    elif isinstance(event, DecisionOnBehalf):
        what += f": {event.decision.replace('_', ' ')}{' to ' + event.stage if event.stage else ''} ({event.iro_name})"
    reason = getattr(event, "reason", "")
    return f"{what}. Why: {reason}" if reason else what
