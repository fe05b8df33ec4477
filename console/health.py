"""Directory health: what would stop an alert reaching someone, found before an alert needs it.

* roles a stage needs that nobody holds in a social worker's (or an IRO's) chain;
* people away today with nobody to cover them (no cover named, and no line manager, or the
  cover away too);
* addresses that bounced, from the alerts' own records.
"""

from __future__ import annotations

from dataclasses import dataclass

from practice_alerts.console.core import Console
from practice_alerts.policies.roles import Role, RoleScope
from practice_alerts.workflow.directory import NoRoleHolder


@dataclass(frozen=True)
class Health:
    missing_roles: list[tuple[str, str, str]]
    """(stage, role, whose chain)"""
    uncovered: list[tuple[str, str]]
    """(person, absence)"""
    bounced: list[tuple[str, str, str]]
    """(address, alert reference, when)"""


def directory_health(console: Console) -> Health:
    ctx, today = console.ctx, console.today
    directory, policy = ctx.directory, ctx.policy
    missing: list[tuple[str, str, str]] = []
    starts = [(p.email, p.name, None) for p in directory.people if Role.SOCIAL_WORKER in p.roles]
    iros = [(p.email, p.name) for p in directory.people if Role.IRO in p.roles or Role.CP_CHAIR in p.roles]
    for stage in policy.stages:
        role = stage.recipient
        if role.scope is RoleScope.CHILD_CHAIN:
            chains = [(email, f"{name}'s (social worker)", {"social_worker": email, "iro": None})
                      for email, name, _ in starts]
        elif role.scope is RoleScope.IRO_CHAIN:
            chains = [(email, f"{name}'s (IRO)", {"social_worker": None, "iro": email}) for email, name in iros]
        else:
            chains = [("", "the organisation", {"social_worker": None, "iro": iros[0][0] if iros else None})]
        for _email, whose, args in chains:
            try:
                directory.resolve(role, team_manager=None, on=today, **args)
            except NoRoleHolder:
                missing.append((stage.name, role.value.replace("_", " "), whose))
    uncovered = []
    for person in directory.people:
        absence = person.absence_on(today)
        if absence is not None and directory.cover_for(person.email, today) is None:
            uncovered.append((person.name, f"{absence.start:%d/%m/%Y} to {absence.end:%d/%m/%Y}"))
    bounced = []
    for loaded in console.loaded():
        for row in loaded.stored:
            if row.event_type == "bounce":
                for address in row.payload.get("failed") or []:
                    bounced.append((str(address), loaded.reference, f"{row.occurred_at:%d/%m/%Y}"))
    return Health(missing_roles=missing, uncovered=uncovered, bounced=bounced)
