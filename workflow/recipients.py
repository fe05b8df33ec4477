"""Turning a policy's roles into e-mail addresses for one alert, on one day.

Wraps the organisation directory with the alert's own people: the IRO and social worker named
on the form are used when the directory does not list them, and so is the team manager named on
the form when the directory knows nobody in the child's chain. A role nobody holds is never
dropped quietly: it comes back as a ``Missing`` to be reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from practice_alerts.policies.roles import Role
from practice_alerts.workflow.directory import NoRoleHolder, Resolved
from practice_alerts.workflow.facts import AlertFacts


class DirectoryLike(Protocol):
    """What the workflow asks of a directory (``workflow.directory.Directory`` provides it)."""

    def resolve(self, role: Role, *, social_worker: str | None, team_manager: str | None,
                iro: str | None, on: dt.date) -> Resolved: ...

    def resolve_copies(self, roles: Iterable[Role], *, social_worker: str | None, team_manager: str | None,
                       iro: str | None, on: dt.date) -> tuple[list[Resolved], list[NoRoleHolder]]: ...

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool: ...


@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to: the addressee (a cover when the holder is away) and the absent holder."""

    role: Role
    name: str
    email: str
    holder_email: str | None = None

    @property
    def acting(self) -> bool:
        return self.holder_email is not None

    @property
    def addresses(self) -> list[str]:
        return [self.email, *([self.holder_email] if self.holder_email else [])]


@dataclass(frozen=True)
class Missing:
    role: Role
    message: str


@dataclass(frozen=True)
class Copies:
    addresses: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _from_resolved(found: Resolved) -> Recipient:
    addressee = found.acting or found.holder
    return Recipient(
        role=found.role, name=addressee.name, email=addressee.email.lower(),
        holder_email=found.holder.email.lower() if found.acting else None,
    )


@dataclass(frozen=True)
class AlertPeople:
    """The directory seen from one alert on one day."""

    directory: DirectoryLike
    facts: AlertFacts
    on: dt.date

    @property
    def iro(self) -> str:
        return self.facts.iro_email

    def _ask(self) -> dict[str, Any]:
        return {"social_worker": self.facts.social_worker_email, "team_manager": self.facts.team_manager_email,
                "iro": self.facts.iro_email, "on": self.on}

    def _from_form(self, role: Role) -> Recipient | None:
        named = {
            Role.IRO: (self.facts.iro_name, self.facts.iro_email),
            Role.CP_CHAIR: (self.facts.iro_name, self.facts.iro_email),
            Role.SOCIAL_WORKER: (self.facts.social_worker_name, self.facts.social_worker_email),
            Role.TEAM_MANAGER: (self.facts.team_manager_name, self.facts.team_manager_email),
        }.get(role)
        if named is None or not named[1]:
            return None
        return Recipient(role=role, name=named[0] or named[1], email=named[1])

    def one(self, role: Role) -> Recipient | Missing:
        """The single recipient of a stage letter for ``role``."""
        try:
            return _from_resolved(self.directory.resolve(role, **self._ask()))
        except NoRoleHolder as exc:
            return self._from_form(role) or Missing(role, str(exc))

    def copies(self, roles: Iterable[Role], *, exclude: Iterable[str] = ()) -> Copies:
        """Everyone holding ``roles`` (each address once, minus ``exclude``) and the roles nobody holds."""
        found, missing = self.directory.resolve_copies(list(roles), **self._ask())
        recipients = [_from_resolved(r) for r in found]
        really_missing: list[Missing] = []
        for exc in missing:
            stand_in = self._from_form(exc.role)
            if stand_in is not None:
                recipients.append(stand_in)
            else:
                really_missing.append(Missing(exc.role, str(exc)))
        seen = {e.lower() for e in exclude}
        addresses: list[str] = []
        for recipient in recipients:
            for address in recipient.addresses:
                if address not in seen:
                    seen.add(address)
                    addresses.append(address)
        return Copies(addresses, really_missing)

    def may_act_for(self, actor: str, holder: str) -> bool:
        return actor.lower() == holder.lower() or self.directory.may_act_for(actor, holder, self.on)
