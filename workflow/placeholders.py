"""A stand-in directory for what-if runs without an organisation directory.

Every role resolves to a made-up address that names the role (``service.manager@placeholder.invalid``),
so a simulation still shows who would be written to. The people named on the form (the IRO,
social worker and team manager) keep their own addresses. ``.invalid`` can never be delivered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from practice_alerts.policies.roles import Role, RoleScope
from practice_alerts.workflow.directory import ExternalContact, NoRoleHolder, Person, Resolved

PLACEHOLDER_DOMAIN = "placeholder.invalid"
_FROM_FORM = frozenset({Role.IRO, Role.CP_CHAIR, Role.SOCIAL_WORKER, Role.TEAM_MANAGER})


def placeholder_address(role: Role) -> str:
    return f"{role.value.replace('_', '.')}@{PLACEHOLDER_DOMAIN}"


class PlaceholderDirectory:
    """Implements what the workflow asks of a directory, with one placeholder holder per role."""

    def resolve(self, role: Role, *, social_worker: str | None, team_manager: str | None, iro: str | None,
                on: dt.date) -> Resolved:
        if role in _FROM_FORM:
            raise NoRoleHolder(role, None, f"No directory was given, and the form does not name the {role.label}.")
        name = f"{role.label} (placeholder)"
        if role.scope is RoleScope.EXTERNAL:
            holder: Person | ExternalContact = ExternalContact(name=name, email=placeholder_address(role),
                                                               roles=[role], organisation=role.label)
        else:
            holder = Person(name=name, email=placeholder_address(role), roles=[role])
        return Resolved(role=role, holder=holder)

    def resolve_copies(self, roles: Iterable[Role], *, social_worker: str | None, team_manager: str | None,
                       iro: str | None, on: dt.date) -> tuple[list[Resolved], list[NoRoleHolder]]:
        found: list[Resolved] = []
        missing: list[NoRoleHolder] = []
        for role in dict.fromkeys(roles):
            try:
                found.append(self.resolve(role, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on))
            except NoRoleHolder as exc:
                missing.append(exc)
        return found, missing

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        return actor_email.strip().lower() == holder_email.strip().lower()
