"""Seed 000, Formal Practice Learning Alert: each rule of the procedure, as the policy file says it."""

from __future__ import annotations

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType, DutyOwner, OnDeadlineMissed


@pytest.fixture(scope="module")
def policy():
    return load_policy("practice_learning_alert")


def test_seed_000_ladder_is_tm_sm_hos_ad(policy):
    assert [(s.name, s.recipient) for s in policy.stages] == [
        ("Stage 1", Role.TEAM_MANAGER),
        ("Stage 2", Role.SERVICE_MANAGER),
        ("Stage 3", Role.HEAD_OF_SERVICE),
        ("Stage 4", Role.ASSISTANT_DIRECTOR),
    ]
    assert [s.next for s in policy.stages] == ["stage2", "stage3", "stage4", None]
    assert not any(s.informal for s in policy.stages)


def test_seed_000_each_manager_responds_within_5_working_days(policy):
    assert {s.response_days for s in policy.stages} == {5}


def test_seed_000_resolution_period_is_20_working_days(policy):
    assert policy.target_working_days == 20
    assert sum(s.response_days for s in policy.formal_stages) == 20


def test_seed_000_iro_may_enter_at_any_stage_and_escalate_to_any_level(policy):
    assert policy.start_stage == "stage1"
    assert all(s.may_start_here for s in policy.stages)
    assert [s.key for s in policy.stages if s.may_bypass_to] == ["stage2", "stage3", "stage4"]


def test_seed_000_stage_1_goes_to_tm_copying_sw_and_lac_admin_who_uploads_to_mosaic(policy):
    stage1 = policy.stage("stage1")
    assert stage1.cc == [Role.SOCIAL_WORKER, Role.LAC_ADMIN]
    admin = [d.text for d in stage1.duties if d.owner is DutyOwner.ADMIN]
    assert admin == ["Upload the Practice and Learning Alert to Mosaic."]
    assert policy.notifications.raised == [Role.LAC_ADMIN]
    assert policy.notifications.purposes["raised"] == "to upload the alert to Mosaic"


def test_seed_000_every_manager_appends_the_case_record_on_mosaic(policy):
    assert policy.record_system == "Mosaic"
    for stage in policy.stages:
        texts = [d.text for d in stage.duties if d.owner is DutyOwner.RECIPIENT]
        assert any("append the Practice and Learning Alert case record on Mosaic" in t for t in texts), stage.key


def test_seed_000_iro_appends_the_case_record_at_each_escalation(policy):
    for key in ("stage2", "stage3", "stage4"):
        iro = [d.text for d in policy.stage(key).duties if d.owner is DutyOwner.IRO]
        assert "Append the Practice and Learning Alert case record on Mosaic." in iro


def test_seed_000_lac_admin_emailed_at_every_escalation_to_track_it(policy):
    assert policy.notifications.escalated == [Role.LAC_ADMIN]
    assert policy.notifications.purposes["escalated"] == "to track escalation"
    assert policy.notifications.cafcass == [Role.LAC_ADMIN]
    assert policy.notifications.purposes["cafcass"] == "to track escalation"


def test_seed_000_lac_admin_emailed_to_complete_the_alert_when_iro_satisfied(policy):
    assert policy.notifications.resolved == [Role.LAC_ADMIN]
    assert policy.notifications.purposes["resolved"] == "to complete the alert"
    assert policy.closure.closed_by is Role.IRO
    assert "Append the Practice and Learning Alert case record on Mosaic." in [d.text for d in policy.closure.duties]


def test_seed_000_stage_4_adds_the_alert_to_the_challenge_meeting_agenda(policy):
    stage4 = policy.stage("stage4")
    assert stage4.agenda == "Challenge Meeting"
    assert [d.agenda for d in policy.stage("stage1").duties if d.agenda] == []


def test_seed_000_cafcass_follows_stage_4_on_the_appendix_3_form(policy):
    assert policy.cafcass.after_last_stage and not policy.cafcass.at_any_time
    assert policy.cafcass.referral_form == "Appendix 3"
    assert policy.cafcass.case_types == [CaseType.CLA]


def test_seed_000_authority_is_a_description_because_the_seed_names_none(policy):
    assert policy.authority == "Local authority (Practice and Learning Alert procedure)"


def test_seed_000_is_silent_on_late_responses_so_the_iro_decides(policy):
    assert policy.on_deadline_missed is OnDeadlineMissed.ASK_IRO
    assert all(s.on_deadline_missed is None for s in policy.stages)


def test_seed_000_has_no_time_out_and_no_closure_days(policy):
    assert not policy.time_out.allowed
    assert policy.working_days.closure_days == []
