"""The organisation directory: chains, cover, role resolution and the errors people read."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from practice_alerts.policies.roles import Role
from practice_alerts.workflow.directory import (
    Absence,
    Directory,
    ExternalContact,
    NoRoleHolder,
    Person,
    unique_addresses,
)

D = dt.date
ON = D(2026, 3, 10)


def person(name: str, roles: list[Role], reports_to: str | None = None, team: str | None = None, **kw) -> Person:
    email = name.lower().replace(" ", ".") + "@example.gov.uk"
    boss = reports_to.lower().replace(" ", ".") + "@example.gov.uk" if reports_to else None
    return Person(name=name, email=email, roles=roles, reports_to=boss, team=team, **kw)


def addr(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.gov.uk"


AWAY = Absence(start=D(2026, 3, 9), end=D(2026, 3, 13), cover=addr("Cover Manager"), note="leave")
PEOPLE = [
    person("Sue Worker", [Role.SOCIAL_WORKER], "Tom Manager", team="North"),
    person("Tom Manager", [Role.TEAM_MANAGER], "Sara Service", team="North"),
    person("Sara Service", [Role.SERVICE_MANAGER], "Hal Head", team="North", absences=[AWAY]),
    person("Cover Manager", [Role.SERVICE_MANAGER], "Hal Head", team="South"),
    person("Hal Head", [Role.HEAD_OF_SERVICE], None),
    person("Ivy Reviewer", [Role.IRO], "Iain Teamlead", team="IRS"),
    person("Iain Teamlead", [Role.IRO_TEAM_MANAGER], None, team="IRS"),
    person("Admin North", [Role.LAC_ADMIN], None, team="North"),
    person("Admin South", [Role.LAC_ADMIN], None, team="South"),
]
EXTERNAL = [ExternalContact(name="CAFCASS Legal", email="legal@cafcass.example.org", roles=[Role.CAFCASS_LEGAL], organisation="Cafcass")]
DIRECTORY = Directory(people=PEOPLE, external=EXTERNAL)
CASE = dict(social_worker=addr("Sue Worker"), team_manager=addr("Tom Manager"), iro=addr("Ivy Reviewer"))


def test_lookup_ignores_case() -> None:
    assert DIRECTORY.person("SUE.Worker@Example.gov.uk").name == "Sue Worker"
    assert DIRECTORY.contact("LEGAL@cafcass.example.org").organisation == "Cafcass"
    assert DIRECTORY.person("legal@cafcass.example.org") is None
    assert DIRECTORY.person("nobody@example.gov.uk") is None


def test_chain_from_walks_upward() -> None:
    assert [p.name for p in DIRECTORY.chain_from(addr("Sue Worker"))] == [
        "Sue Worker", "Tom Manager", "Sara Service", "Hal Head",
    ]
    assert DIRECTORY.chain_from("stranger@example.gov.uk") == []


def test_resolve_child_chain_finds_the_first_holder() -> None:
    resolved = DIRECTORY.resolve(Role.TEAM_MANAGER, **CASE, on=ON)
    assert resolved.holder.name == "Tom Manager"
    assert resolved.acting is None
    assert resolved.addresses == [addr("Tom Manager")]
    head = DIRECTORY.resolve(Role.HEAD_OF_SERVICE, **CASE, on=ON)
    assert head.to == addr("Hal Head")


def test_away_holder_goes_to_cover_and_is_copied() -> None:
    resolved = DIRECTORY.resolve(Role.SERVICE_MANAGER, **CASE, on=ON)
    assert resolved.holder.name == "Sara Service"
    assert resolved.acting.name == "Cover Manager"
    assert resolved.to == addr("Cover Manager")
    assert resolved.cc == [addr("Sara Service")]
    # the day after the absence ends she gets it herself
    back = DIRECTORY.resolve(Role.SERVICE_MANAGER, **CASE, on=D(2026, 3, 14))
    assert back.acting is None and back.to == addr("Sara Service")


def test_cover_and_may_act_for() -> None:
    sara = addr("Sara Service")
    assert DIRECTORY.cover_for(sara, ON).name == "Cover Manager"
    assert DIRECTORY.cover_for(sara, D(2026, 3, 8)) is None
    assert DIRECTORY.cover_for(addr("Tom Manager"), ON) is None
    assert DIRECTORY.may_act_for("COVER.manager@example.gov.uk", sara, ON)
    assert DIRECTORY.may_act_for(sara.upper(), sara, D(2026, 3, 20))
    assert not DIRECTORY.may_act_for(addr("Cover Manager"), sara, D(2026, 3, 20))
    assert not DIRECTORY.may_act_for(addr("Tom Manager"), sara, ON)


def test_away_without_named_cover_falls_to_their_manager_and_skips_absent_covers() -> None:
    people = [
        person("Sue Worker", [Role.SOCIAL_WORKER], "Tom Manager"),
        person("Tom Manager", [Role.TEAM_MANAGER], "Sara Service", absences=[Absence(start=ON, end=ON)]),
        person("Sara Service", [Role.SERVICE_MANAGER], "Hal Head",
               absences=[Absence(start=ON, end=ON, cover=addr("Hal Head"))]),
        person("Hal Head", [Role.HEAD_OF_SERVICE]),
    ]
    directory = Directory(people=people)
    # Tom is away with no cover named: his manager Sara would act, but she is away too; her cover Hal acts.
    assert directory.cover_for(addr("Tom Manager"), ON).name == "Hal Head"


def test_team_manager_on_the_form_is_used_when_the_social_worker_is_unknown() -> None:
    resolved = DIRECTORY.resolve(
        Role.TEAM_MANAGER, social_worker="agency.worker@example.com", team_manager=addr("Tom Manager"),
        iro=addr("Ivy Reviewer"), on=ON,
    )
    assert resolved.holder.name == "Tom Manager"


def test_iro_chain() -> None:
    assert DIRECTORY.resolve(Role.IRO_TEAM_MANAGER, **CASE, on=ON).holder.name == "Iain Teamlead"


def test_alert_roles_are_the_people_named_on_the_alert() -> None:
    assert DIRECTORY.resolve(Role.IRO, **CASE, on=ON).holder.name == "Ivy Reviewer"
    assert DIRECTORY.resolve(Role.SOCIAL_WORKER, **CASE, on=ON).holder.name == "Sue Worker"


def test_service_role_prefers_the_childs_team_and_copies_go_to_that_holder() -> None:
    assert DIRECTORY.resolve(Role.LAC_ADMIN, **CASE, on=ON).holder.name == "Admin North"
    copies = DIRECTORY.resolve_all([Role.LAC_ADMIN], **CASE, on=ON)
    assert [c.holder.name for c in copies] == ["Admin North"]


def test_service_role_with_no_team_match_goes_to_every_holder() -> None:
    copies = DIRECTORY.resolve_all(
        [Role.LAC_ADMIN], social_worker=None, team_manager=None, iro=addr("Iain Teamlead"), on=ON
    )
    assert [c.holder.name for c in copies] == ["Admin North", "Admin South"]


def test_external_role() -> None:
    resolved = DIRECTORY.resolve(Role.CAFCASS_LEGAL, **CASE, on=ON)
    assert resolved.to == "legal@cafcass.example.org"
    assert resolved.acting is None


def test_resolve_all_and_unique_addresses() -> None:
    copies = DIRECTORY.resolve_all([Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.TEAM_MANAGER], **CASE, on=ON)
    assert [c.role for c in copies] == [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER]
    assert unique_addresses(copies, exclude=[addr("Sue Worker").upper()]) == [
        addr("Tom Manager"), addr("Cover Manager"), addr("Sara Service"),
    ]


def test_missing_chain_role_names_the_chain_and_the_fix() -> None:
    with pytest.raises(NoRoleHolder) as caught:
        DIRECTORY.resolve(Role.ASSISTANT_DIRECTOR, **CASE, on=ON)
    error = caught.value
    assert error.role is Role.ASSISTANT_DIRECTOR
    assert error.searched_from == addr("Sue Worker")
    message = str(error)
    assert "Nobody in the management chain of Sue Worker" in message
    assert "Assistant Director" in message
    assert "Sue Worker (Social Worker) -> Tom Manager (Team Manager)" in message
    assert "Add an Assistant Director above Hal Head in the directory" in message


def test_missing_roles_are_never_skipped_silently() -> None:
    with pytest.raises(NoRoleHolder):
        DIRECTORY.resolve_all([Role.TEAM_MANAGER, Role.LEGAL], **CASE, on=ON)
    found = DIRECTORY.resolve_all([Role.TEAM_MANAGER, Role.LEGAL], **CASE, on=ON, skip_missing=True)
    assert [r.role for r in found] == [Role.TEAM_MANAGER]
    found, missing = DIRECTORY.resolve_copies([Role.TEAM_MANAGER, Role.LEGAL, Role.LSCB_CHAIR], **CASE, on=ON)
    assert [m.role for m in missing] == [Role.LEGAL, Role.LSCB_CHAIR]
    assert "Nobody in the organisation directory holds the role Legal Services" in str(missing[0])
    assert "no external contact for Independent Chair of the LSCB" in str(missing[1])


def test_unknown_social_worker_and_team_manager() -> None:
    with pytest.raises(NoRoleHolder) as caught:
        DIRECTORY.resolve(Role.TEAM_MANAGER, social_worker="x@example.com", team_manager=None, iro=None, on=ON)
    assert "Neither the social worker (x@example.com) nor the team manager (not named)" in str(caught.value)


def test_unknown_iro() -> None:
    with pytest.raises(NoRoleHolder) as caught:
        DIRECTORY.resolve(Role.IRO_TEAM_MANAGER, **{**CASE, "iro": "who@example.com"}, on=ON)
    assert "(who@example.com) is not in the organisation directory" in str(caught.value)
    with pytest.raises(NoRoleHolder, match="The alert does not name the Independent Reviewing Officer"):
        DIRECTORY.resolve(Role.IRO, **{**CASE, "iro": None}, on=ON)


def problems_of(people: list[Person], external: list[ExternalContact] = ()) -> str:
    with pytest.raises(ValidationError) as caught:
        Directory(people=people, external=list(external))
    return str(caught.value)


def test_duplicate_addresses_are_refused_whatever_their_case() -> None:
    twin = Person(name="Sue Twin", email=addr("Sue Worker").upper(), roles=[Role.SOCIAL_WORKER])
    message = problems_of([PEOPLE[0].model_copy(update={"reports_to": None}), twin])
    assert "Sue Twin has the same e-mail address as Sue Worker" in message


def test_manager_and_cover_naming_nobody_are_refused() -> None:
    message = problems_of([
        person("Sue Worker", [Role.SOCIAL_WORKER], "Ghost Manager"),
        person("Tom Manager", [Role.TEAM_MANAGER], absences=[Absence(start=ON, end=ON, cover="ghost@example.gov.uk")]),
    ])
    assert "Sue Worker (sue.worker@example.gov.uk) reports to ghost.manager@example.gov.uk, who is not in the directory" in message
    assert "names ghost@example.gov.uk as cover, who is not in the directory" in message


def test_management_cycle_is_refused() -> None:
    message = problems_of([
        person("Ann One", [Role.TEAM_MANAGER], "Bob Two"),
        person("Bob Two", [Role.SERVICE_MANAGER], "Cat Three"),
        person("Cat Three", [Role.HEAD_OF_SERVICE], "Ann One"),
        person("Dan Four", [Role.SOCIAL_WORKER], "Ann One"),
    ])
    assert message.count("goes round in a circle") == 1
    assert "Ann One -> Bob Two -> Cat Three -> Ann One" in message
    assert "reports to themselves" in problems_of([person("Solo Self", [Role.IRO], "Solo Self")])


def test_absence_and_address_checks() -> None:
    with pytest.raises(ValidationError, match="ends before it starts"):
        Absence(start=D(2026, 3, 10), end=D(2026, 3, 9))
    with pytest.raises(ValidationError, match="is not an e-mail address"):
        Person(name="No Address", email="not-an-address")


def test_unheld_roles() -> None:
    assert DIRECTORY.unheld([Role.TEAM_MANAGER, Role.LEGAL, Role.CAFCASS_LEGAL, Role.LEGAL]) == [Role.LEGAL]
