"""Who is signed in, and which alerts they may see and act on.

LAC admin and the QA service see every alert and may take the administrative actions. An IRO
sees their own alerts and those of the IROs they cover or manage. A manager sees the alerts
that are or were with them, their team, or the people who report to them. Someone not in the
directory cannot sign in. Roles come from the organisation directory, never from the sign-in provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.policies.roles import Role
from practice_alerts.workflow.contacts import address_key
from practice_alerts.workflow.directory import Directory, Person
from practice_alerts.workflow.state import AlertState

ADMIN_ROLES = frozenset({Role.LAC_ADMIN, Role.QA_SERVICE, Role.QA_MANAGER, Role.HEAD_OF_QA, Role.AD_QUALITY})


@dataclass(frozen=True)
class Viewer:
    """The signed-in person, as the directory knows them."""

    email: str
    name: str
    roles: frozenset[Role]
    team: str | None

    @property
    def is_admin(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @property
    def role_names(self) -> str:
        return ", ".join(sorted(r.value.replace("_", " ") for r in self.roles)) or "no role"

    @classmethod
    def of(cls, person: Person) -> Viewer:
        return cls(email=address_key(person.email), name=person.name, roles=frozenset(person.roles), team=person.team)


def viewer_for(directory: Directory, email: str | None) -> Viewer | None:
    """The directory's person with this address, or None (who is then refused)."""
    person = directory.person(email)
    return Viewer.of(person) if person is not None else None


def _above(directory: Directory, viewer: Viewer, email: str | None) -> bool:
    """The viewer is this person's manager (at any level)."""
    return any(address_key(p.email) == viewer.email for p in directory.chain_from(email)[1:])


def _covers(directory: Directory, viewer: Viewer, email: str | None, today: dt.date) -> bool:
    person = directory.person(email)
    if person is None:
        return False
    return any(a.cover and address_key(a.cover) == viewer.email and a.start <= today <= a.end
               for a in person.absences)


def may_see(viewer: Viewer, state: AlertState, directory: Directory, today: dt.date) -> bool:
    if viewer.is_admin:
        return True
    iro = state.facts.iro_email
    if address_key(iro) == viewer.email or _above(directory, viewer, iro) or _covers(directory, viewer, iro, today):
        return True
    for visit in state.stages:
        for email in (visit.recipient_email, visit.holder_email):
            if not email:
                continue
            if address_key(email) == viewer.email or _above(directory, viewer, email):
                return True
            person = directory.person(email)
            if viewer.team and person is not None and person.team == viewer.team:
                return True
    return False


def may_act(viewer: Viewer) -> bool:
    """The administrative actions are LAC admin's and the QA service's."""
    return viewer.is_admin
