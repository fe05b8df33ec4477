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

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from practice_alerts.policies.roles import Role, RoleScope

__all__ = [
    "Absence", "Contact", "Directory", "ExternalContact", "NoRoleHolder", "Person", "Resolved",
    "directory_problems", "unique_addresses",
]


def _key(email: str) -> str:
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
    seen = {_key(e) for e in exclude}
    out: list[str] = []
    for item in resolved:
        for address in item.addresses:
            if _key(address) not in seen:
                seen.add(_key(address))
                out.append(address)
    return out


class NoRoleHolder(LookupError):
    """Nobody holds a role the process needs. The message is for the IRO and LAC admin: what to fix."""

    def __init__(self, role: Role, searched_from: str | None, message: str):
        self.role = role
        self.searched_from = searched_from
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)


def _who(contact: Contact) -> str:
    return f"{contact.name} ({contact.email})"


def _article(label: str) -> str:
    return "an" if label[:1] in "AEIOU" else "a"


def _chain_text(chain: list[Person]) -> str:
    def one(p: Person) -> str:
        roles = ", ".join(r.label for r in p.roles) or "no role"
        return f"{p.name} ({roles})"

    return " -> ".join(one(p) for p in chain)


def missing_holder_message(
    directory: Directory, role: Role, searched: str | None, context: dict[str, str | None]
) -> str:
    label = role.label
    scope = role.scope
    chain = directory.chain_from(searched)
    if scope is RoleScope.SERVICE:
        return (
            f"Nobody in the organisation directory holds the role {label}. "
            "Give the role to the person or team mailbox that does this work, then try again."
        )
    if scope is RoleScope.EXTERNAL:
        return (
            f"The organisation directory has no external contact for {label}. Add one under 'external' "
            "with the organisation, e-mail address and postal address, then try again."
        )
    if scope is RoleScope.ALERT:
        named = context.get("named")
        if not named:
            return f"The alert does not name the {label}. Add their e-mail address to the form."
        return (
            f"The {label} named on the alert ({named}) is not in the organisation directory. "
            "Add them to the directory, or correct the e-mail address on the form."
        )
    if not chain:
        if scope is RoleScope.IRO_CHAIN:
            who = context.get("iro") or "not named"
            return (
                f"The IRO / CP chair who raised the alert ({who}) is not in the organisation directory, "
                f"so their {label} cannot be found. Add them to the directory with who they report to."
            )
        return (
            f"Neither the social worker ({context.get('social_worker') or 'not named'}) nor the team manager "
            f"({context.get('team_manager') or 'not named'}) named on the alert is in the organisation directory, "
            f"so the child's {label} cannot be found. Add them to the directory with who they report to, "
            "or correct the e-mail addresses on the form."
        )
    whose = "the IRO " if scope is RoleScope.IRO_CHAIN else ""
    return (
        f"Nobody in the management chain of {whose}{_who(chain[0])} holds the role {label}. "
        f"The chain searched was: {_chain_text(chain)}. Add {_article(label)} {label} above {chain[-1].name} in the "
        "directory (or give the role to the right manager in that chain), then try again."
    )


def directory_problems(people: list[Person], external: list[ExternalContact]) -> list[str]:
    """Everything wrong with the directory as a whole, each naming the person and what to fix."""
    problems: list[str] = []
    first_with: dict[str, Contact] = {}
    for contact in [*people, *external]:
        key = _key(contact.email)
        if key in first_with:
            problems.append(
                f"{contact.name} has the same e-mail address as {_who(first_with[key])}; "
                "each person needs their own address."
            )
        else:
            first_with[key] = contact
    by_key = {_key(p.email): p for p in people}
    external_keys = {_key(c.email) for c in external}
    for person in people:
        if person.reports_to:
            manager = _key(person.reports_to)
            if manager == _key(person.email):
                problems.append(f"{_who(person)} reports to themselves; leave reports_to empty at the top of the organisation.")
            elif manager in external_keys:
                problems.append(f"{_who(person)} reports to {person.reports_to}, an external contact; reports_to must name someone under 'people'.")
            elif manager not in by_key:
                problems.append(f"{_who(person)} reports to {person.reports_to}, who is not in the directory; add that manager or correct reports_to.")
        for absence in person.absences:
            if absence.cover is None:
                continue
            cover = _key(absence.cover)
            when = f"absence from {absence.start.isoformat()} to {absence.end.isoformat()}"
            if cover == _key(person.email):
                problems.append(f"{_who(person)} is named as their own cover for the {when}; name the person acting for them.")
            elif cover not in by_key:
                problems.append(f"{_who(person)}'s {when} names {absence.cover} as cover, who is not in the directory; add them or correct the cover.")
    problems.extend(_cycles(people, by_key))
    return problems


def _cycles(people: list[Person], by_key: dict[str, Person]) -> list[str]:
    problems: list[str] = []
    reported: set[frozenset[str]] = set()
    for person in people:
        path: list[str] = []
        key: str | None = _key(person.email)
        while key is not None and key in by_key and key not in path:
            path.append(key)
            manager = by_key[key].reports_to
            key = _key(manager) if manager else None
        if key is None or key not in path:
            continue
        cycle = path[path.index(key):]
        if len(cycle) > 1 and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            names = " -> ".join(by_key[k].name for k in [*cycle, cycle[0]])
            problems.append(f"The management chain goes round in a circle: {names}; correct one of their reports_to.")
    return problems


class Directory(_Value):
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
        self._index = {_key(c.email): c for c in [*self.people, *self.external]}

    # -- looking people up -------------------------------------------------------------

    def contact(self, email: str | None) -> Contact | None:
        return self._index.get(_key(email)) if email else None

    def person(self, email: str | None) -> Person | None:
        found = self.contact(email)
        return found if isinstance(found, Person) else None

    def holders(self, role: Role) -> list[Contact]:
        return [c for c in [*self.people, *self.external] if c.holds(role)]

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
            raise NoRoleHolder(role, searched, missing_holder_message(self, role, searched, context))
        return [self._with_cover(role, holder, on) for holder in holders]

    def _first_in_chain(self, role: Role, start: str | None) -> list[Contact]:
        return next(([p] for p in self.chain_from(start) if p.holds(role)), [])

    def _service_holders(self, role: Role, social_worker: str | None, team_manager: str | None, iro: str | None) -> list[Contact]:
        everyone = self.holders(role)
        child_start = social_worker if self.person(social_worker) else team_manager
        for chain in (self.chain_from(child_start), self.chain_from(iro)):
            in_chain = [p for p in chain if p.holds(role)]
            if in_chain:
                return in_chain[:1]
        teams = {p.team for p in (self.person(child_start), self.person(iro)) if p is not None and p.team}
        in_team = [c for c in everyone if isinstance(c, Person) and c.team in teams]
        return in_team or everyone

    def _with_cover(self, role: Role, holder: Contact, on: dt.date) -> Resolved:
        acting = self.cover_for(holder.email, on) if isinstance(holder, Person) else None
        return Resolved(role=role, holder=holder, acting=acting)
