"""Issue 13: the whole-process settings are checked, and ``policy check`` names the rules left undefined."""

from __future__ import annotations

from practice_alerts.policies.load import load_policy, policy_from_data, policy_names
from practice_alerts.policies.whole_process import whole_process_gaps


def test_seed003_cumulative_marks_must_grow_and_stay_within_the_limit(policy_data, problems):
    policy_data["overall_limit"] = {"working_days": 12}
    for stage, mark in zip(policy_data["stages"], (5, 5, 15), strict=True):
        stage["by_working_day"] = mark
    assert problems(policy_data) == [
        "stages[stage2].by_working_day: is 5, not after the mark of an earlier stage (5); marks must grow up the ladder",
        "stages[stage3].by_working_day: is 15, past the overall limit of 12 working days; lower it or raise the limit",
    ]


def test_seed004_tell_only_on_a_duty_of_someone_else_and_ladder_continues_only_with_at_any_time(policy_data, problems):
    policy_data["stages"][2]["duties"] = [{"text": "Tell the DCE.", "owner": "recipient",
                                           "tell": "director_of_childrens_services"}]
    policy_data["cafcass"] = {"ladder_continues": True}
    assert problems(policy_data) == [
        "cafcass.ladder_continues: only applies when at_any_time is true; remove it or set at_any_time",
        "stages[stage3].duties[0].tell: only applies to a duty with owner: other (the person who must tell someone)",
    ]


def test_seed_all_built_in_policies_leave_no_whole_process_rule_undefined():
    assert [str(p) for name in policy_names() for p in whole_process_gaps(name, load_policy(name))] == []


def test_a_policy_without_whole_process_rules_is_reported(policy_data):
    policy_data["cafcass"] = {"at_any_time": True}
    policy, _ = policy_from_data("exampleshire.yaml", policy_data, expected_key="exampleshire")
    assert [p.where for p in whole_process_gaps("exampleshire.yaml", policy)] == [
        "overall_limit", "top_of_ladder", "cafcass.ladder_continues"]
