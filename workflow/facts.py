"""What the workflow needs to know about an alert, taken from the filed form.

The field names are exactly the form's field keys, so the form parser's whole record can be
passed in (anything else it carries, such as the child's name, is ignored: the workflow never
needs it and so never holds it).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from practice_alerts.policies.schema import CaseType


class AlertFacts(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    reference: str = Field(min_length=1, description="PA-YYYY-NNNN, given when the alert is filed (the form may not carry it: "
                           "pass the record with the reference set)")
    child_id: str = Field(min_length=1, description="the child's case-record number")
    case_type: CaseType
    iro_name: str = Field(min_length=1)
    iro_email: str = Field(min_length=3)
    social_worker_name: str = ""
    social_worker_email: str | None = None
    team_manager_name: str = ""
    team_manager_email: str | None = None
    team: str = ""
    reason_codes: list[str] = Field(default_factory=list)
    resolve_by: dt.date | None = Field(default=None, description="the IRO's own timescale, where the stage lets them set it")
    start_stage: str | None = Field(default=None, description="the stage the IRO chose to start at, if not the policy's")
    bypass_reason: str | None = Field(default=None, description="why the IRO starts past the first stage")
    external_agency: str | None = Field(default=None, description="the agency the concern is about, if not the council")
    date_raised: dt.date

    @field_validator("iro_email", "social_worker_email", "team_manager_email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else None

    @field_validator("social_worker_name", "team_manager_name", "team", mode="before")
    @classmethod
    def _none_is_blank(cls, value: str | None) -> str:
        return "" if value is None else value

    @field_validator("start_stage", "bypass_reason", "external_agency")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None
