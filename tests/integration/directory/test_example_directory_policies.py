"""The example directory gives every built-in policy a holder for every role it uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import BaseModel

from practice_alerts.directory_file import load_directory
from practice_alerts.policies.check import directory_problems
from practice_alerts.policies.load import load_policy, policy_names
from practice_alerts.policies.roles import Role

EXAMPLE = load_directory(Path(__file__).resolve().parents[3] / "examples" / "directory.yaml")
CASE = dict(
    social_worker="alex.example@example.gov.uk",
    team_manager="jo.bloggs@example.gov.uk",
    iro="dana.reviewer@example.gov.uk",
)


def roles_in(value: object) -> set[Role]:
    """Every role a policy mentions anywhere (stages, copies, notifications, CAFCASS...)."""
    if isinstance(value, Role):
        return {value}
    if isinstance(value, BaseModel):
        return set().union(*(roles_in(getattr(value, name)) for name in type(value).model_fields))
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(roles_in(item) for item in value))
    if isinstance(value, dict):
        return set().union(*(roles_in(item) for item in value.values()))
    return set()


@pytest.mark.parametrize("name", policy_names())
@pytest.mark.parametrize("on", [dt.date(2026, 3, 10), dt.date(2026, 12, 21)])
def test_every_stage_and_every_role_resolves(name: str, on: dt.date) -> None:
    policy = load_policy(name)
    for stage in policy.stages:
        recipient = EXAMPLE.resolve(stage.recipient, **CASE, on=on)
        assert recipient.to.endswith(("@example.gov.uk", "@example.org"))
        EXAMPLE.resolve_all([*stage.cc, *stage.notify], **CASE, on=on)
    for role in roles_in(policy):
        assert EXAMPLE.resolve_all([role], **CASE, on=on), f"{name}: {role}"


def test_each_chain_role_is_a_different_manager_up_the_childs_chain() -> None:
    on = dt.date(2026, 3, 10)
    ladder = [Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE, Role.AREA_DIRECTOR,
              Role.ASSISTANT_DIRECTOR, Role.DIRECTOR, Role.CORPORATE_DIRECTOR]
    names = [EXAMPLE.resolve(role, **CASE, on=on).holder.name for role in ladder]
    assert names == ["Jo Bloggs", "Sam Sample", "Pat Placeholder", "Chris Demo", "Morgan Mock", "Taylor Test", "Robin Dummy"]


def test_service_manager_on_leave_over_christmas_is_covered() -> None:
    resolved = EXAMPLE.resolve(Role.SERVICE_MANAGER, **CASE, on=dt.date(2026, 12, 21))
    assert resolved.addressee.name == "Sky Standin"
    assert resolved.addresses == ["sky.standin@example.gov.uk", "sam.sample@example.gov.uk"]


def test_iro_chain_in_the_example() -> None:
    on = dt.date(2026, 3, 10)
    assert [EXAMPLE.resolve(r, **CASE, on=on).holder.name for r in
            (Role.IRO_TEAM_MANAGER, Role.PRINCIPAL_MANAGER, Role.HEAD_OF_QA, Role.AD_QUALITY)] == [
        "Lee Overseer", "Kim Checker", "Ash Assurance", "Val Quality",
    ]


def test_every_role_has_a_holder_in_the_example() -> None:
    held = {role for contact in [*EXAMPLE.people, *EXAMPLE.external] for role in contact.roles}
    assert set(Role) - held == set()


EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_seed_all_the_two_example_directories_are_the_same_directory() -> None:
    from_yaml, from_csv = load_directory(EXAMPLES / "directory.yaml"), load_directory(EXAMPLES / "directory.csv")
    yaml_data, csv_data = from_yaml.model_dump(), from_csv.model_dump()
    for person in [*yaml_data["people"], *csv_data["people"]]:
        for absence in person["absences"]:
            absence["note"] = ""  # a CSV row has no column for the note
    assert csv_data == yaml_data


@pytest.mark.parametrize("file", ["directory.yaml", "directory.csv"])
@pytest.mark.parametrize("name", policy_names())
def test_seed_all_each_example_directory_holds_every_role_each_policy_uses(file: str, name: str) -> None:
    problems = directory_problems(name, load_policy(name), load_directory(EXAMPLES / file))
    assert [str(p) for p in problems] == []
