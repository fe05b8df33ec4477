"""The view models clean what they are given; the policy's wording reaches the documents."""

import datetime as dt

import pytest
from pydantic import ValidationError

from practice_alerts.documents import context as c
from practice_alerts.documents import samples, wording
from practice_alerts.policies.load import load_policy, policy_names


def test_typed_text_is_cleaned_on_the_way_in():
    alert = samples.alert(load_policy("rutland"))
    assert "\x00" not in alert.concern and "\x0b" not in alert.concern
    assert "drift & delay <urgent>.\nSiân has not been visited" in alert.concern
    assert alert.child.name == "Siân Llŷr"


def test_contexts_are_frozen_values():
    letter = samples.stage_letter(load_policy("rutland"))
    with pytest.raises(ValidationError):
        letter.due = dt.date(2027, 1, 1)


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        c.LetterPerson(name="A", role="B", nickname="C")


def test_stage_record_outcome_in_words():
    person = c.LetterPerson(name="A", role="Team Manager")
    base = dict(stage_name="Stage 1", recipient=person, sent=dt.date(2026, 12, 1), due=dt.date(2026, 12, 8))
    assert c.StageRecord(**base).outcome == "Awaiting response"
    assert c.StageRecord(**base, on_time=False).outcome == "No response by the due date"
    assert c.StageRecord(**base, responded=dt.date(2026, 12, 9), on_time=False).outcome == "Responded late"


def test_reason_lines_use_the_policy_labels_and_the_other_text():
    policy = load_policy("rutland")
    lines = wording.reason_lines(policy, ["4", "13"], other_text="Sibling contact stopped")
    assert lines[0].label == "Statutory visit not undertaken within required timescale"
    assert lines[1].label == "Other: Sibling contact stopped"


def test_reasons_print_the_procedures_numbers_but_not_internal_keys():
    numbered = c.ReasonLine(code="4", label="Statutory visit not undertaken", category="Statutory duties")
    assert numbered.numbered_label == "4. Statutory visit not undertaken"
    keyed = numbered.model_copy(update={"code": "statutory_visit"})
    assert keyed.shown_code == "" and keyed.numbered_label == "Statutory visit not undertaken"
    assert numbered.model_copy(update={"code": "R12a"}).numbered_label.startswith("R12a. ")


@pytest.mark.parametrize("name", policy_names())
def test_if_no_response_follows_the_policy_rule(name):
    policy = load_policy(name)
    first = policy.formal_stages[0]
    sentence = wording.if_no_response(policy, first.key)
    rule = first.on_deadline_missed or policy.on_deadline_missed
    following = policy.stage(first.next) if first.next else None
    if following is None:
        assert "Independent Reviewing Officer will decide" in sentence
    elif rule == "escalate":
        assert f"escalate automatically to {following.name}" in sentence
    else:
        assert f"decide whether to escalate to {following.name}" in sentence


@pytest.mark.parametrize("name", policy_names())
def test_stage_duties_carry_the_policy_words(name):
    policy = load_policy(name)
    for stage in policy.stages:
        duties = wording.stage_duties(policy, stage.key)
        printed = [d for d in stage.duties if d.owner.value != "other"]  # others' duties go to them as notices
        assert [d.text for d in duties] == [d.text for d in printed]
        assert [d.agenda for d in duties] == [d.agenda for d in printed]


def test_a_cafcass_referral_is_only_for_a_child_looked_after():
    policy = load_policy("rutland")
    referral = samples.cafcass_referral(policy)
    data = referral.model_dump()
    data["alert"]["child"]["case_type"] = "CP"
    with pytest.raises(ValidationError, match="only for a child looked after; this alert is about a child protection case"):
        c.CafcassReferralContext.model_validate(data)
