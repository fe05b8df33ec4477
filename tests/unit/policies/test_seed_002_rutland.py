"""Seed 002, Rutland Practice Alerts Guidance: each rule, as the policy file says it."""

from __future__ import annotations

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType, DutyOwner, OnDeadlineMissed


@pytest.fixture(scope="module")
def policy():
    return load_policy("rutland")


def test_seed_002_stages_1_to_5_are_the_managers_and_the_lscb_chair(policy):
    assert policy.authority == "Rutland County Council"
    assert [(s.name, s.recipient) for s in policy.stages] == [
        ("Stage 1", Role.TEAM_MANAGER),
        ("Stage 2", Role.SERVICE_MANAGER),
        ("Stage 3", Role.HEAD_OF_SERVICE),
        ("Stage 4", Role.DIRECTOR),
        ("Stage 5", Role.LSCB_CHAIR),
    ]


def test_seed_002_stage_6_is_cafcass_for_children_looked_after(policy):
    assert policy.cafcass.stage_name == "Stage 6"
    assert policy.cafcass.after_last_stage
    assert policy.cafcass.case_types == [CaseType.CLA]
    assert "IRO Handbook" in policy.cafcass.note


def test_seed_002_response_within_5_working_days_of_receipt(policy):
    assert {s.response_days for s in policy.stages} == {5}


def test_seed_002_chair_may_go_straight_to_stage_3_or_4_when_serious_or_urgent(policy):
    direct = [s.key for s in policy.stages if s.may_bypass_to]
    assert direct == ["stage3", "stage4"]
    assert [s.key for s in policy.stages if s.may_start_here and s.key != policy.start_stage] == ["stage3", "stage4"]
    assert policy.stage("stage3").entry_condition == "more serious or urgent cases"


def test_seed_002_covers_child_protection_and_children_looked_after(policy):
    assert policy.case_types == [CaseType.CLA, CaseType.CP]


def test_seed_002_has_13_reason_codes_in_its_words(policy):
    assert [r.code for r in policy.reason_codes] == [str(n) for n in range(1, 14)]
    assert policy.reason("1").label == "Report not completed for CPC/CLA review"
    assert policy.reason("10").label == "Missing protocol not followed"
    assert policy.reason("12").label == "Pathway Planning not completed within required timescales"
    assert [r.code for r in policy.reason_codes if r.other] == ["13"]


def test_seed_002_one_case_note_per_alert_finalised_by_the_chair(policy):
    assert policy.closure.closed_by is Role.IRO
    assert any("finalises the single Practice Alert case note" in d.text for d in policy.closure.duties)
    assert any("single Practice Alert case note" in d.text for d in policy.raise_duties)
    for stage in policy.stages:
        assert any("same Practice Alert case note" in d.text for d in stage.duties if d.owner is DutyOwner.RECIPIENT)


def test_seed_002_chair_tells_the_next_conference_or_review(policy):
    assert any("next Child Protection Conference or Children Looked After Review" in d.text for d in policy.raise_duties)


def test_seed_002_quality_assurance_service_keeps_the_tracker(policy):
    told = policy.notifications
    for kind in ("raised", "escalated", "resolved", "closed", "cafcass"):
        assert getattr(told, kind) == [Role.QA_SERVICE], kind
    assert "tracker" in told.purposes["raised"]


def test_seed_002_quarterly_report_to_performance_and_qa_meeting(policy):
    report = policy.reporting
    assert report.quarterly and report.prepared_by is Role.QA_SERVICE
    assert report.presented_to == "Performance and QA meeting"
    assert report.measures == [
        "the number of alerts raised",
        "the themes raised as concerns",
        "whether the timescales for resolution have been met",
    ]


def test_seed_002_is_silent_on_late_responses_so_the_chair_decides(policy):
    assert policy.on_deadline_missed is OnDeadlineMissed.ASK_IRO
    assert not policy.time_out.allowed
