"""Seed 003, Professional Challenge and Escalation: each rule, as the policy file says it."""

from __future__ import annotations

from itertools import accumulate

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType


@pytest.fixture(scope="module")
def policy():
    return load_policy("professional_challenge")


def test_seed_003_informal_step_with_sw_and_atm_tm_takes_1_working_day(policy):
    informal = policy.stage(policy.start_stage)
    assert informal.informal
    assert informal.recipient is Role.SOCIAL_WORKER
    assert informal.cc == [Role.TEAM_MANAGER] and informal.cc_if_held == [Role.ASSISTANT_TEAM_MANAGER]  # "ATM /TM"
    assert informal.response_days == 1
    assert informal.next == "stage1"


def test_seed_003_a_challenge_begins_with_the_informal_step_or_stage_1(policy):
    assert policy.start_stage == "informal"
    assert [s.key for s in policy.stages if s.may_start_here or s.key == policy.start_stage] == ["informal", "stage1"]


def test_seed_003_formal_stages_tm_sm_hos_ad(policy):
    assert [(s.name, s.recipient) for s in policy.formal_stages] == [
        ("Stage 1", Role.TEAM_MANAGER),
        ("Stage 2", Role.SERVICE_MANAGER),
        ("Stage 3", Role.HEAD_OF_SERVICE),
        ("Stage 4", Role.ASSISTANT_DIRECTOR),
    ]


def test_seed_003_5_working_days_each_cumulative_5_10_15_20(policy):
    assert list(accumulate(s.response_days for s in policy.formal_stages)) == [5, 10, 15, 20]
    assert policy.target_working_days == 20


def test_seed_003_iro_consults_own_service_manager_before_stage_2(policy):
    assert policy.stage("stage2").consult_first == [Role.NOMINATED_OFFICER]


def test_seed_003_cafcass_at_any_time_for_children_in_care_only(policy):
    assert policy.cafcass.at_any_time
    assert policy.cafcass.case_types == [CaseType.CLA]
    assert policy.case_types == [CaseType.CLA, CaseType.CP]


def test_seed_003_nominated_officer_told_before_cafcass_referral(policy):
    assert policy.cafcass.notify_first == [Role.NOMINATED_OFFICER]
    assert policy.cafcass.contact is Role.CAFCASS_LEGAL
    assert "telephone" in policy.cafcass.note


def test_seed_003_the_iro_finalises_the_form(policy):
    assert policy.closure.closed_by is Role.IRO
    assert any("Finalise the Professional Challenge and Escalation Form" in d.text for d in policy.closure.duties)
