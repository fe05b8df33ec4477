"""Checks on the directory as a whole, and the words for a role nobody holds.

Both are for people: `directory_problems` names each person and what to fix in the directory
file; `NoRoleHolder` carries a message for the IRO and admin saying whose chain was searched and
what to add, so a missing manager is an error that reaches them rather than a silent skip.
"""

from __future__ import annotations

from practice_alerts.policies.roles import Role, RoleScope
from practice_alerts.workflow.contacts import Contact, ExternalContact, Person
from practice_alerts.workflow.contacts import address_key as _key

__all__ = ["NoRoleHolder", "directory_problems", "missing_holder_message"]


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


def missing_holder_message(role: Role, chain: list[Person], context: dict[str, str | None]) -> str:
    """What to tell the IRO and admin when nobody holds ``role``; ``chain`` is the chain searched."""
    label = role.label
    scope = role.scope
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
    contacts: list[Contact] = [*people, *external]
    for contact in contacts:
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
