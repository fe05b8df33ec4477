"""Seed 001, IRO Practice Alert process (Integrated Children's Services): each rule, as the policy says it."""

from __future__ import annotations

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType, OnDeadlineMissed


@pytest.fixture(scope="module")
def policy():
    return load_policy("integrated_childrens_services")


def test_seed_001_starts_with_informal_resolution_with_the_social_worker_in_writing(policy):
    informal = policy.stage(policy.start_stage)
    assert informal.informal and informal.name == "Informal Resolution"
    assert informal.recipient is Role.SOCIAL_WORKER
    assert informal.in_writing
    assert informal.next == "level1"


def test_seed_001_iro_sets_the_informal_timescale_and_formal_action_follows_10_working_days(policy):
    informal = policy.stage("informal")
    assert informal.iro_sets_timescale
    assert informal.response_days == 10
    assert informal.on_deadline_missed is OnDeadlineMissed.ASK_IRO


def test_seed_001_levels_1_to_5_and_their_recipients(policy):
    assert [(s.name, s.recipient) for s in policy.formal_stages] == [
        ("Level 1", Role.TEAM_MANAGER),
        ("Level 2", Role.SERVICE_MANAGER),
        ("Level 3", Role.AREA_DIRECTOR),
        ("Level 4", Role.DIRECTOR),
        ("Level 5", Role.CORPORATE_DIRECTOR),
    ]


def test_seed_001_work_to_be_completed_in_4_working_days_at_each_level(policy):
    assert [s.response_days for s in policy.formal_stages] == [4, 4, 4, 4, 4]
    assert policy.target_working_days == 20


def test_seed_001_copy_lists_grow_level_by_level(policy):
    cc = {s.key: set(s.cc) for s in policy.formal_stages}
    assert cc["level1"] == {Role.SOCIAL_WORKER}
    assert cc["level2"] == {Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.QA_MANAGER}
    assert cc["level3"] == {Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.QA_MANAGER, Role.HEAD_OF_QA}
    # "Copy to Assistant Director/...": the Assistant Director the seed names, and the Area Director who had level 3
    assert cc["level4"] == cc["level3"] | {Role.ASSISTANT_DIRECTOR, Role.AREA_DIRECTOR, Role.AD_QUALITY}
    assert cc["level5"] >= cc["level4"]


def test_seed_001_process_may_start_with_the_manager_who_has_authority_to_act(policy):
    assert all(s.may_start_here for s in policy.formal_stages)
    assert "authority" in policy.stage("level2").entry_condition
    assert [s.key for s in policy.stages if s.may_bypass_to] == ["level2", "level3", "level4", "level5"]


def test_seed_001_iro_discusses_with_line_manager_before_formal_process(policy):
    assert policy.stage("level1").consult_first == [Role.IRO_TEAM_MANAGER]


def test_seed_001_level_5_alert_in_writing_after_consulting_qa_manager_and_head_of_qa(policy):
    level5 = policy.stage("level5")
    assert level5.in_writing
    assert level5.consult_first == [Role.QA_MANAGER, Role.HEAD_OF_QA]


def test_seed_001_time_out_with_line_manager_agreement(policy):
    assert policy.time_out.allowed
    assert policy.time_out.agreed_by is Role.IRO_TEAM_MANAGER
    assert "family need time" in policy.time_out.note


def test_seed_001_level_6_considers_cafcass_with_qa_and_legal_advice(policy):
    cafcass = policy.cafcass
    assert cafcass.stage_name == "Level 6"
    assert cafcass.after_last_stage and not cafcass.at_any_time
    assert cafcass.consult == [Role.QA_MANAGER, Role.HEAD_OF_QA, Role.AD_QUALITY]
    assert cafcass.legal_advice
    assert cafcass.case_types == [CaseType.CLA]


def test_seed_001_concerns_about_external_agencies_raised_by_letter(policy):
    assert policy.external_agencies.by_letter
    assert policy.external_agencies.letter_from is Role.IRO


def test_seed_001_is_silent_on_late_formal_responses_so_the_iro_decides(policy):
    assert policy.on_deadline_missed is OnDeadlineMissed.ASK_IRO
