"""What the mail steps need from the rest of the service, as small Protocols.

The inbound steps take their context as arguments (style.md items 7 and 11): the staff
directory (``practice_alerts.workflow.directory.Directory`` satisfies ``StaffDirectory``)
and an index of open alerts (the store implements ``AlertIndex``). Tests pass hand-written
fakes, so every step can be checked with a stored .eml and no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType


class StaffMember(Protocol):
    """A person in the directory, as far as mail needs one."""

    @property
    def email(self) -> str: ...

    @property
    def roles(self) -> Sequence[Role]: ...


class StaffDirectory(Protocol):
    """Who is who. Addresses compare case-insensitively.

    ``person`` finds staff of the authority (only they can raise alerts); ``contact`` finds
    staff and external contacts (the LSCB chair, CAFCASS Legal), who may respond at a stage.
    """

    def person(self, email: str | None) -> StaffMember | None: ...

    def contact(self, email: str | None) -> StaffMember | None: ...

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        """The actor is the holder, or covers for them on that day."""
        ...


class AlertSummary(BaseModel):
    """What matching and the security checks need to know about one alert.

    ``recipients`` are the addresses the current stage's letter is waiting on (the holder
    of the stage role, and their cover if one was used). ``paused`` is true while the
    alert is in a time-out. ``status`` is the workflow's own word for where the alert is;
    mail only reads ``open`` (false once closed).
    """

    model_config = ConfigDict(frozen=True)

    reference: str = Field(pattern=r"^PA-\d{4}-\d{4,6}$")
    iro_email: str
    stage_key: str | None = None
    stage_name: str | None = None
    recipients: tuple[str, ...] = ()
    status: str = "open"
    open: bool = True
    paused: bool = False
    due: dt.date | None = None
    case_type: CaseType | None = None
    policy_key: str | None = None

    @field_validator("iro_email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("recipients")
    @classmethod
    def _lower_all(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().lower() for v in value)


class AlertIndex(Protocol):
    """Looks alerts up by their reference (``PA-YYYY-NNNN``); None when there is none."""

    def by_reference(self, reference: str) -> AlertSummary | None: ...
