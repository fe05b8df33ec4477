"""Whole-policy checks: each broken policy gives the problem, where it is and what to fix."""

from __future__ import annotations


def test_minimal_policy_has_no_problems(policy_data, problems):
    assert problems(policy_data) == []


def test_unknown_role_lists_the_known_ones_and_guesses(policy_data, problems):
    policy_data["stages"][1]["recipient"] = "servise_manager"
    [found] = problems(policy_data)
    assert found.startswith("stages[stage2].recipient: unknown role 'servise_manager' (did you mean 'service_manager'?)")
    assert "known roles are: iro, cp_chair," in found


def test_unknown_setting_gets_did_you_mean(policy_data, problems):
    policy_data["stages"][0]["respond_days"] = 5
    assert "stages[stage1].respond_days: unknown setting 'respond_days' (did you mean 'response_days'?)" in problems(policy_data)


def test_unknown_setting_without_a_close_match_lists_the_allowed_ones(policy_data, problems):
    policy_data["cafcass"] = {"colour": "blue"}
    [found] = problems(policy_data)
    assert found.startswith("cafcass.colour: unknown setting 'colour'; the settings allowed here are: case_types,")


def test_missing_setting_says_what_it_is(policy_data, problems):
    del policy_data["authority"]
    assert problems(policy_data) == [
        "authority: the setting 'authority' is missing; add it (the council's name as letters print it)"
    ]


def test_numeric_reason_code_must_be_quoted(policy_data, problems):
    policy_data["reason_codes"][0]["code"] = 1
    assert 'reason_codes[1].code: should be text; put it in quotes, e.g. "1"' in problems(policy_data)


def test_unquoted_cut_off_is_caught_although_pydantic_accepts_it(policy_data, problems):
    policy_data["working_days"] = {"cut_off": 1020}
    [found] = problems(policy_data)
    assert found.startswith('working_days.cut_off: put the time in quotes, e.g. cut_off: "17:00"')


def test_unreachable_stage(policy_data, problems):
    policy_data["stages"][0]["next"] = "stage3"
    assert problems(policy_data) == [
        "stages[stage2]: can never be reached: no stage escalates to it and it is not the start_stage, "
        "may_start_here or may_bypass_to; point the stage below at it with next, or remove it"
    ]


def test_a_may_bypass_to_stage_counts_as_reachable(policy_data, problems):
    policy_data["stages"][0]["next"] = "stage3"
    policy_data["stages"][1]["may_bypass_to"] = True
    assert problems(policy_data) == []


def test_non_final_stage_without_next_or_days(policy_data, problems):
    del policy_data["stages"][0]["next"]
    del policy_data["stages"][0]["response_days"]
    found = problems(policy_data)
    assert "stages[stage1]: has no next stage but is not the last one; add the stage it escalates to, e.g. next: stage2" in found
    assert "stages[stage1]: has no response_days; say how many working days the recipient has to respond" in found
    assert any(p.startswith("stages[stage2]: can never be reached") for p in found)


def test_cycle_in_next(policy_data, problems):
    policy_data["stages"][2]["next"] = "stage2"
    found = problems(policy_data)
    assert any(p.startswith("stages[stage2].next: the stages go round in a circle (stage2 -> stage3 -> stage2)") for p in found)


def test_next_naming_a_missing_stage_guesses(policy_data, problems):
    policy_data["stages"][1]["next"] = "stage_3"
    found = problems(policy_data)
    assert found[0] == ("stages[stage2].next: names stage 'stage_3', which is not in stages (did you mean 'stage3'?); "
                        "the stages are: stage1, stage2, stage3")


def test_informal_stage_after_a_formal_one(policy_data, problems):
    policy_data["stages"].append({"key": "informal", "name": "Informal", "informal": True,
                                  "recipient": "social_worker", "response_days": 1})
    policy_data["stages"][2]["next"] = "informal"
    found = problems(policy_data)
    assert any("stages[informal]: is informal but listed after a formal stage" in p for p in found)
    assert any("stages[stage3].next: escalates to the informal stage 'informal'" in p for p in found)


def test_start_stage_unknown_or_part_way_up(policy_data, problems):
    policy_data["start_stage"] = "stage9"
    assert problems(policy_data)[0].startswith("start_stage: names stage 'stage9', which is not in stages")
    policy_data["start_stage"] = "stage2"
    found = problems(policy_data)
    assert found[0].startswith("start_stage: is 'stage2', part-way up the ladder ('stage1' escalates to it)")


def test_duplicate_stage_key(policy_data, problems):
    policy_data["stages"][2]["key"] = "stage2"
    found = problems(policy_data)
    assert "stages[stage2]: 2 stages share the key 'stage2'; give each stage its own key" in found


def test_duplicate_reason_code_label_and_two_others(policy_data, problems):
    policy_data["reason_codes"] += [
        {"code": "1", "label": "Something else", "category": "Other"},
        {"code": "3", "label": "statutory visit  NOT undertaken", "category": "Other"},
        {"code": "4", "label": "Other again", "category": "Other", "other": True},
    ]
    found = problems(policy_data)
    assert "reason_codes[1]: the code '1' is used twice; give each reason its own code" in found
    assert any(p.startswith("reason_codes[3]: has the same label as reason '1'") for p in found)
    assert "reason_codes: 2 codes are marked other: true (2, 4); mark only the one 'Other' code" in found


def test_closure_day_ending_before_it_starts(policy_data, problems):
    policy_data["working_days"] = {"closure_days": [{"start": "2026-12-31", "end": "2026-12-29"}]}
    assert problems(policy_data) == [
        "working_days.closure_days[0]: ends (2026-12-29) before it starts (2026-12-31); swap start and end"
    ]


def test_cafcass_for_children_not_in_care(policy_data, problems):
    policy_data["cafcass"] = {"case_types": ["CLA", "CP"]}
    assert problems(policy_data) == [
        "cafcass.case_types: includes 'CP': CAFCASS referrals are for children in care only; use case_types: [CLA]"
    ]


def test_a_child_protection_only_policy_keeps_the_default_cafcass_rule(policy_data, problems):
    policy_data["case_types"] = ["CP"]
    assert problems(policy_data) == []


def test_cafcass_allowing_no_referral(policy_data, problems):
    policy_data["cafcass"] = {"after_last_stage": False, "at_any_time": False}
    assert problems(policy_data) == ["cafcass: allows no referral at all; set after_last_stage: true (or at_any_time: true)"]


def test_file_name_not_matching_key(policy_data, problems):
    policy_data["key"] = "otherplace"
    assert problems(policy_data) == [
        "key: is 'otherplace' but the file is named exampleshire.yaml; rename the file to otherplace.yaml or set key: exampleshire"
    ]


def test_escalating_by_itself_from_the_last_stage(policy_data, problems):
    policy_data["on_deadline_missed"] = "escalate"
    assert problems(policy_data) == [
        "stages[stage3]: escalates by itself when the response is late, but there is no next stage; "
        "add on_deadline_missed: ask_iro to this stage"
    ]
    policy_data["stages"][2]["on_deadline_missed"] = "ask_iro"
    assert problems(policy_data) == []


def test_iro_as_recipient_and_copies_that_repeat(policy_data, problems):
    policy_data["stages"][0].update(recipient="iro", cc=["iro", "social_worker", "social_worker"], notify=["social_worker"])
    found = problems(policy_data)
    assert any(p.startswith("stages[stage1].recipient: is iro: whoever raised the alert cannot also answer it") for p in found)
    assert "stages[stage1].cc: copies the recipient (iro) to themselves; remove it from cc" in found
    assert "stages[stage1].cc: lists social_worker twice; list each role once" in found
    assert any(p.startswith("stages[stage1].notify: social_worker already gets the stage letter") for p in found)


def test_iro_sets_timescale_needs_the_longest_allowed(policy_data, problems):
    policy_data["stages"][0].update(iro_sets_timescale=True)
    del policy_data["stages"][0]["response_days"]
    assert problems(policy_data)[0].startswith("stages[stage1]: lets the IRO set the timescale but has no response_days")


def test_duty_owned_by_other_needs_a_role(policy_data, problems):
    policy_data["stages"][2]["duties"] = [
        {"text": "Notify the DCE.", "owner": "other"},
        {"text": "Respond.", "owner": "recipient", "role": "ad_quality"},
    ]
    found = problems(policy_data)
    assert found[0].startswith("stages[stage3].duties[0]: has owner: other but no role")
    assert found[1].startswith("stages[stage3].duties[1]: names role 'ad_quality' but owner is 'recipient'")


def test_time_out_agreement_without_time_out(policy_data, problems):
    policy_data["time_out"] = {"allowed": False, "agreed_by": "iro_team_manager"}
    assert problems(policy_data)[0].startswith("time_out.agreed_by: is set but time_out.allowed is false")


def test_purpose_for_an_empty_notification_list(policy_data, problems):
    policy_data["notifications"] = {"purposes": {"escalated": "to track escalation"}}
    assert problems(policy_data)[0].startswith("notifications.purposes.escalated: explains a message nobody receives")


def test_unknown_notification_kind(policy_data, problems):
    policy_data["notifications"] = {"escalated": ["lac_admin"], "purposes": {"escalation": "x"}}
    [found] = problems(policy_data)
    assert found.startswith("notifications.purposes.escalation: 'escalation' is not a kind of notification; use one of: raised, escalated,")


def test_every_problem_is_reported_even_when_the_schema_rejects_the_file(policy_data, problems):
    policy_data["stages"][0]["recipient"] = "team_boss"
    policy_data["stages"][1]["next"] = "stage7"
    policy_data["reason_codes"][1]["code"] = "1"
    found = problems(policy_data)
    assert any(p.startswith("stages[stage1].recipient: unknown role 'team_boss'") for p in found)
    assert any(p.startswith("stages[stage2].next: names stage 'stage7'") for p in found)
    assert any(p.startswith("reason_codes[1]: the code '1' is used twice") for p in found)
    assert any(p.startswith("stages[stage3]: can never be reached") for p in found)


def test_a_single_value_where_a_list_is_needed(policy_data, problems):
    policy_data["case_types"] = "CLA"
    assert problems(policy_data) == ["case_types: should be a list in square brackets, e.g. [first, second]; for one item write [CLA]"]


def test_no_stages_at_all(policy_data, problems):
    policy_data["stages"] = []
    assert problems(policy_data) == ["stages: needs at least one entry"]


def test_a_bad_stage_key_does_not_make_every_stage_unreachable(policy_data, problems):
    policy_data["stages"][0]["key"] = "Stage 1"
    found = problems(policy_data)
    assert found[0] == ("stages[Stage 1].key: 'Stage 1' should be lowercase letters, digits and underscores, "
                        "starting with a letter, e.g. stage_2")
    assert found[1].startswith("start_stage: names stage 'stage1', which is not in stages")
    assert len(found) == 2


def test_unknown_value_lists_the_allowed_ones(policy_data, problems):
    policy_data["on_deadline_missed"] = "escalte"
    assert problems(policy_data) == ["on_deadline_missed: 'escalte' is not an allowed value; use one of: escalate, ask_iro"]
