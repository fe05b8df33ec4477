"""The organisation directory: who holds which role, who manages whom, who covers whom.

Pure models; `practice_alerts.directory_file` reads them from YAML or CSV. The directory is
checked as a whole when built (duplicate addresses, managers or covers naming nobody,
management cycles), so the workflow can trust it. E-mail addresses compare case-insensitively.

How a role is found depends on its scope:

* child_chain — up the management chain from the child's social worker; when the social worker
  is not in the directory, from the team manager named on the form. The first person holding
  the role wins (the social worker themselves included).
* iro_chain — up the management chain from the IRO / CP chair who raised the alert.
* service — holders in the child's chain first, then in the IRO's chain, then in the social
  worker's (or IRO's) team, else every holder. `resolve` takes the first in directory order,
  `resolve_all` all of them.
* external — the external contacts holding the role.
* alert — the IRO / CP chair or social worker named on the alert, looked up in the directory.

Absence: on a day the holder is away, the letter goes to their cover (the person named on the
absence, or, if none is named, their own line manager), and the holder is copied in so the
thread is waiting for them when they return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from practice_alerts.policies.roles import Role, RoleScope
from practice_alerts.workflow.contacts import (
    Absence,
    Contact,
    ExternalContact,
    Person,
    Resolved,
    unique_addresses,
)
from practice_alerts.workflow.contacts import address_key as _key
from practice_alerts.workflow.directory_checks import NoRoleHolder, directory_problems, missing_holder_message

__all__ = [
    "Absence", "Contact", "Directory", "ExternalContact", "NoRoleHolder", "Person", "Resolved",
    "directory_problems", "unique_addresses",
]


class Directory(BaseModel):
    """Everyone the process may write to, checked as a whole when built."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    people: list[Person] = Field(default_factory=list)
    external: list[ExternalContact] = Field(default_factory=list)

    _index: dict[str, Contact] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _whole(self) -> Directory:
        problems = directory_problems(self.people, self.external)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def model_post_init(self, __context: object) -> None:
        contacts: list[Contact] = [*self.people, *self.external]
        self._index = {_key(c.email): c for c in contacts}

    # -- looking people up -------------------------------------------------------------

    def contact(self, email: str | None) -> Contact | None:
        return self._index.get(_key(email)) if email else None

    def person(self, email: str | None) -> Person | None:
        found = self.contact(email)
        return found if isinstance(found, Person) else None

    def holders(self, role: Role) -> list[Contact]:
        contacts: list[Contact] = [*self.people, *self.external]
        return [c for c in contacts if c.holds(role)]

    def unheld(self, roles: Iterable[Role]) -> list[Role]:
        """The roles nobody in the directory holds at all (for checking a policy against it)."""
        return [role for role in dict.fromkeys(roles) if not self.holders(role)]

    def chain_from(self, email: str | None) -> list[Person]:
        """That person, then each manager upward; empty if they are not in the directory."""
        chain: list[Person] = []
        seen: set[str] = set()
        current = self.person(email)
        while current is not None and _key(current.email) not in seen:
            chain.append(current)
            seen.add(_key(current.email))
            current = self.person(current.reports_to)
        return chain

    def cover_for(self, email: str, on: dt.date) -> Person | None:
        """Who acts for this person on ``on`` if they are away: their named cover, else their manager.

        If the cover is away too, their cover acts, and so on. None when they are not away
        (or nobody at all can be found, which the directory checks make unlikely).
        """
        person = self.person(email)
        seen: set[str] = set()
        while person is not None and _key(person.email) not in seen:
            absence = person.absence_on(on)
            if absence is None:
                return person if seen else None
            seen.add(_key(person.email))
            person = self.person(absence.cover or person.reports_to)
        return None

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        """The actor is the holder, or acts for them that day."""
        if _key(actor_email) == _key(holder_email):
            return True
        cover = self.cover_for(holder_email, on)
        return cover is not None and _key(cover.email) == _key(actor_email)

    # -- resolving roles ---------------------------------------------------------------

    def resolve(
        self, role: Role, *, social_worker: str | None, team_manager: str | None, iro: str | None, on: dt.date
    ) -> Resolved:
        """The one recipient for ``role``; raises NoRoleHolder when nobody can be found."""
        return self._candidates(role, social_worker, team_manager, iro, on)[0]

    def resolve_all(
        self,
        roles: Iterable[Role],
        *,
        social_worker: str | None,
        team_manager: str | None,
        iro: str | None,
        on: dt.date,
        skip_missing: bool = False,
    ) -> list[Resolved]:
        """Everyone to copy or notify for ``roles`` (service and external roles: every holder found).

        A role nobody holds raises NoRoleHolder unless ``skip_missing``; use `resolve_copies`
        to get the missing ones back as well.
        """
        found, missing = self.resolve_copies(roles, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on)
        if missing and not skip_missing:
            raise missing[0]
        return found

    def resolve_copies(
        self, roles: Iterable[Role], *, social_worker: str | None, team_manager: str | None, iro: str | None, on: dt.date
    ) -> tuple[list[Resolved], list[NoRoleHolder]]:
        """Like resolve_all, but returns the roles nobody holds instead of raising, so they can be reported."""
        found: list[Resolved] = []
        missing: list[NoRoleHolder] = []
        for role in dict.fromkeys(roles):
            try:
                candidates = self._candidates(role, social_worker, team_manager, iro, on)
            except NoRoleHolder as exc:
                missing.append(exc)
                continue
            if role.scope in (RoleScope.CHILD_CHAIN, RoleScope.IRO_CHAIN, RoleScope.ALERT):
                candidates = candidates[:1]
            found.extend(candidates)
        return found, missing

    def _candidates(
        self, role: Role, social_worker: str | None, team_manager: str | None, iro: str | None, on: dt.date
    ) -> list[Resolved]:
        scope = role.scope
        if scope is RoleScope.CHILD_CHAIN:
            start = social_worker if self.person(social_worker) else team_manager
            holders = self._first_in_chain(role, start)
            searched = start if self.person(start) else (social_worker or team_manager)
            context = {"social_worker": social_worker, "team_manager": team_manager}
        elif scope is RoleScope.IRO_CHAIN:
            holders, searched, context = self._first_in_chain(role, iro), iro, {"iro": iro}
        elif scope is RoleScope.ALERT:
            named = iro if role in (Role.IRO, Role.CP_CHAIR) else social_worker
            person = self.person(named)
            holders, searched, context = ([person] if person else []), named, {"named": named}
        elif scope is RoleScope.EXTERNAL:
            holders = [c for c in self.external if c.holds(role)]
            searched, context = None, {}
        else:
            holders, searched, context = self._service_holders(role, social_worker, team_manager, iro), None, {}
        if not holders:
            raise NoRoleHolder(role, searched, missing_holder_message(role, self.chain_from(searched), context))
        return [self._with_cover(role, holder, on) for holder in holders]

    def _first_in_chain(self, role: Role, start: str | None) -> list[Contact]:
        return next(([p] for p in self.chain_from(start) if p.holds(role)), [])

    def _service_holders(self, role: Role, social_worker: str | None, team_manager: str | None, iro: str | None) -> list[Contact]:
        everyone = self.holders(role)
        child_start = social_worker if self.person(social_worker) else team_manager
        for chain in (self.chain_from(child_start), self.chain_from(iro)):
            in_chain: list[Contact] = [p for p in chain if p.holds(role)]
            if in_chain:
                return in_chain[:1]
        teams = {p.team for p in (self.person(child_start), self.person(iro)) if p is not None and p.team}
        in_team: list[Contact] = [c for c in everyone if isinstance(c, Person) and c.team in teams]
        return in_team or everyone

    def _with_cover(self, role: Role, holder: Contact, on: dt.date) -> Resolved:
        acting = self.cover_for(holder.email, on) if isinstance(holder, Person) else None
        return Resolved(role=role, holder=holder, acting=acting)
