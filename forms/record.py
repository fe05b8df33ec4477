"""What reading a form gives: the validated AlertForm record and how each field was read.

The record's field names are the form's field keys (docs/form-fields.md), except that the
reason check boxes collapse into `reason_codes`. Provenance stays beside the record, so a
doubtful form (read from labels, with tracked changes, saved by another program) can be
shown to a person.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from practice_alerts.forms.fields import CHILD_INFORMED, IRO_OUTCOMES
from practice_alerts.policies.schema import CaseType

ChildInformed = StrEnum("ChildInformed", {c.value.upper(): c.value for c in CHILD_INFORMED})  # type: ignore[misc]
IroOutcome = StrEnum("IroOutcome", {c.value.upper(): c.value for c in IRO_OUTCOMES})  # type: ignore[misc]


class FieldSource(StrEnum):
    CONTROL_TAG = "control_tag"
    """A content control whose Tag is the field key: the normal, certain case."""
    CONTROL_TITLE = "control_title"
    """A content control that lost its tag, known by its Title."""
    LEGACY_FIELD = "legacy_field"
    """A legacy Word form field whose bookmark name is the field key."""
    LABEL = "label"
    """Text beside the field's printed label (a table cell or a 'Label: value' line)."""


class FieldReading(NamedTuple):
    """One field as found in the document, before validation.

    A named tuple (immutable, and ~10x cheaper to make than a model) since a form makes fifty.
    """

    key: str
    source: FieldSource
    text: str = ""
    """What the form shows, with placeholders removed; for a check box, empty."""
    checked: bool | None = None
    date: dt.date | None = None
    """A date picker's stored date, when it had one."""
    choice: str | None = None
    """A drop-down's value, when the shown text matched one of its items."""
    revisions: bool = False
    doubt: str | None = None
    """Why the value may not be what the sender meant (e.g. line breaks lost by another program)."""

    def but(self, **changes) -> FieldReading:
        return self._replace(**changes)


class FormProblem(BaseModel):
    """Something the IRO must fix or check, said in plain words."""

    model_config = ConfigDict(frozen=True)

    field: str | None
    label: str | None
    message: str


class AlertForm(BaseModel):
    """A filled Practice Alert form, valid against its policy."""

    model_config = ConfigDict(frozen=True)

    reference: str | None = None
    child_name: str
    child_id: str
    child_dob: dt.date
    case_type: CaseType
    legal_status: str | None = None
    iro_name: str
    iro_email: str
    date_raised: dt.date
    social_worker_name: str
    social_worker_email: str
    team_manager_name: str | None = None
    team_manager_email: str | None = None
    team: str
    reason_codes: list[str] = Field(min_length=1)
    other_reason: str | None = None
    concern: str
    impact_on_child: str
    resolution_sought: str
    resolve_by: dt.date | None = None
    start_stage: str | None = None
    """None means the policy's usual first stage."""
    bypass_reason: str | None = None
    informal_attempts: str | None = None
    child_informed: ChildInformed
    child_views: str | None = None
    external_agency: str | None = None
    management_response: str | None = None
    agreed_actions: str | None = None
    response_by_name: str | None = None
    response_date: dt.date | None = None
    iro_outcome: IroOutcome | None = None
    iro_outcome_notes: str | None = None



class FormReading(BaseModel):
    """Everything learned from one file: the record if it is valid, else the problems."""

    model_config = ConfigDict(frozen=True)

    filename: str
    record: AlertForm | None = None
    fields: SkipValidation[dict[str, FieldReading]] = Field(default_factory=dict)
    """How each field was read (made by the reader itself, so not validated again)."""
    errors: list[FormProblem] = Field(default_factory=list)
    checks: list[FormProblem] = Field(default_factory=list)
    """Fields read without certainty: the IRO is asked to check them."""
    policy: str | None = None
    form_version: str | None = None
    application: str | None = None
    """The program that last saved the file (docProps/app.xml), e.g. 'Microsoft Office Word'."""
    admin_flags: list[str] = Field(default_factory=list)
    """External links and fetching fields found (never followed), for an administrator."""
    made_for: str | None = None
    """The policy named in the form's version marker (another procedure's form is refused)."""

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.errors
