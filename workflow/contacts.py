"""The people and contacts in the organisation directory, and who a role resolved to.

Frozen values; `practice_alerts.workflow.directory.Directory` holds them and finds who holds a
role. E-mail addresses compare case-insensitively (`address_key`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from practice_alerts.policies.roles import Role

__all__ = [
    "Absence", "Contact", "ExternalContact", "Person", "Resolved", "address_key", "unique_addresses",
]


def address_key(email: str) -> str:
    """The form of an address used to compare it: stripped and case-folded."""
    return email.strip().casefold()


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_email(value: str) -> str:
    value = value.strip()
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in value):
        raise ValueError(f"'{value}' is not an e-mail address")
    return value


def _optional_email(value: str | None) -> str | None:
    return None if value is None or not value.strip() else _check_email(value)


class Absence(_Value):
    """A period (first and last day inclusive) someone is away, and who acts for them."""

    start: dt.date
    end: dt.date
    cover: str | None = Field(default=None, description="e-mail of the acting manager / delegate")
    note: str = ""

    @field_validator("cover")
    @classmethod
    def _cover_address(cls, value: str | None) -> str | None:
        return _optional_email(value)

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.end < self.start:
            raise ValueError(f"the absence from {self.start} ends before it starts ({self.end})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Person(_Value):
    """Someone in the authority: a social worker, manager, IRO, or a team mailbox."""

    name: str = Field(min_length=1)
    email: str
    roles: list[Role] = Field(default_factory=list)
    team: str | None = None
    reports_to: str | None = Field(default=None, description="the line manager's e-mail")
    absences: list[Absence] = Field(default_factory=list)

    @field_validator("email")
    @classmethod
    def _address(cls, value: str) -> str:
        return _check_email(value)

    @field_validator("reports_to")
    @classmethod
    def _manager_address(cls, value: str | None) -> str | None:
        return _optional_email(value)

    def holds(self, role: Role) -> bool:
        return role in self.roles

    def absence_on(self, day: dt.date) -> Absence | None:
        return next((a for a in self.absences if a.covers(day)), None)


class ExternalContact(_Value):
    """Someone outside the authority the process writes to (CAFCASS Legal, the LSCB chair)."""

    name: str = Field(min_length=1)
    email: str
    roles: list[Role] = Field(default_factory=list)
    organisation: str = Field(min_length=1)
    address: str | None = None
    phone: str | None = None

    @field_validator("email")
    @classmethod
    def _address(cls, value: str) -> str:
        return _check_email(value)

    def holds(self, role: Role) -> bool:
        return role in self.roles


Contact = Person | ExternalContact


class Resolved(_Value):
    """Who a role resolved to, and who acts for them today if they are away."""

    role: Role
    holder: Person | ExternalContact
    acting: Person | None = None

    @property
    def addressee(self) -> Contact:
        """Whom the letter is addressed to: the acting cover when the holder is away."""
        return self.acting or self.holder

    @property
    def to(self) -> str:
        return self.addressee.email

    @property
    def cc(self) -> list[str]:
        """The absent holder is copied, so the thread waits for them on their return."""
        return [self.holder.email] if self.acting else []

    @property
    def addresses(self) -> list[str]:
        """Every address to send to: the addressee first, then the absent holder."""
        return [self.to, *self.cc]


def unique_addresses(resolved: Iterable[Resolved], *, exclude: Iterable[str] = ()) -> list[str]:
    """All addresses of ``resolved``, each once (case-insensitively), in order, minus ``exclude``."""
    seen = {address_key(e) for e in exclude}
    out: list[str] = []
    for item in resolved:
        for address in item.addresses:
            if address_key(address) not in seen:
                seen.add(address_key(address))
                out.append(address)
    return out
