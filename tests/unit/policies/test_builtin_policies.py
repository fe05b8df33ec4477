"""What holds for every policy that comes with the product (seeds 000-004)."""

from __future__ import annotations

import re

import pytest

from practice_alerts.policies.load import load_policy, policy_names
from practice_alerts.policies.roles import RAISING_ROLES

SEED_FILES = {
    "practice_learning_alert": "000",
    "integrated_childrens_services": "001",
    "rutland": "002",
    "professional_challenge": "003",
    "west_sussex": "004",
}


def test_one_policy_per_seed_000_to_004():
    assert set(SEED_FILES) <= set(policy_names())


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_each_seed_policy_loads_with_its_file_name_as_key(name):
    policy = load_policy(name)
    assert policy.key == name
    assert f"seed {SEED_FILES[name]}" in policy.source


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_each_seed_policy_has_lowercase_codes_and_exactly_one_other(name):
    policy = load_policy(name)
    assert all(re.fullmatch(r"[a-z0-9_]+", r.code) for r in policy.reason_codes)
    assert len([r for r in policy.reason_codes if r.other]) == 1


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_no_seed_names_closure_days(name):
    assert load_policy(name).working_days.closure_days == []


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_each_seed_policy_refers_to_cafcass_for_children_in_care_only(name):
    assert [c.value for c in load_policy(name).cafcass.case_types] == ["CLA"]


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_nobody_raising_an_alert_is_a_stage_recipient(name):
    assert not {s.recipient for s in load_policy(name).stages} & RAISING_ROLES
