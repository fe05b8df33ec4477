"""Validation against the policy: each rule, with the sentence the IRO gets."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.forms.fill import fill_form
from practice_alerts.forms.reader import read_form
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Stage

GOOD = {
    "child_name": "Ava Reid", "child_id": "C-1", "child_dob": dt.date(2015, 5, 1), "case_type": "CLA",
    "iro_name": "Jo", "iro_email": "jo@example.org", "date_raised": dt.date(2026, 11, 20),
    "social_worker_name": "Sam", "social_worker_email": "sam@example.org", "team": "North",
    "concern": "No visit.", "impact_on_child": "Unsettled.", "resolution_sought": "Visit.", "child_informed": "yes",
    "reason_4": True,
}


@pytest.fixture()
def check(blank, rutland, today):
    def run(policy=None, **changes):
        values = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
        reading = read_form(fill_form(blank, values), filename="f.docx", policy=policy or rutland, today=today)
        return {e.field: e.message for e in reading.errors}
    return run


def test_a_good_form_has_no_errors(check):
    assert check() == {}


def test_no_reason_ticked(check):
    assert check(reason_4=None)["reason_codes"] == "No reason is ticked: tick at least one reason for the alert."


def test_other_needs_its_details(check):
    assert "describe the reason" in check(reason_13=True)["other_reason"]
    assert check(reason_13=True, other_reason="Placement plan") == {}


def test_a_reason_code_the_policy_does_not_have(blank, rutland, today):
    form = fill_form(blank, GOOD)  # ticks reason 4, which this policy lacks
    policy = rutland.model_copy(update={"reason_codes": [r for r in rutland.reason_codes if r.code != "4"]})
    reading = read_form(form, filename="f.docx", policy=policy, today=today)
    assert [e.field for e in reading.errors] == ["reason_4"]
    assert "does not use" in reading.errors[0].message


def test_start_stage_must_be_allowed_and_later_stages_need_a_reason(check):
    # the form offers only the stages the policy allows; anything else is not one of its choices
    assert check(start_stage="stage2")["start_stage"].startswith("Stage to start at 'stage2' is not one of the choices")
    assert "say why" in check(start_stage="stage3")["bypass_reason"]
    assert check(start_stage="stage3", bypass_reason="Third missed visit.") == {}
    assert check(start_stage="stage1") == {}


def test_cafcass_only_for_children_looked_after(check, rutland):
    cafcass = Stage(key="cafcass", name="CAFCASS referral", recipient=Role.CAFCASS_LEGAL, may_start_here=True)
    policy = rutland.model_copy(update={"stages": [*rutland.stages, cafcass]})
    assert "child looked after" in check(policy, case_type="CP", start_stage="cafcass", bypass_reason="x")["start_stage"]
    assert check(policy, case_type="CLA", start_stage="cafcass", bypass_reason="x") == {}


def test_case_type_outside_the_procedure(check):
    assert check(case_type="CL")["case_type"] == "Rutland County Council's procedure does not cover care leaver cases."


def test_email_addresses(check):
    assert check(iro_email="jo at example")["iro_email"].startswith("IRO / CP chair e-mail 'jo at example' is not an e-mail")
    assert "team_manager_email" in check(team_manager_email="priya@")


@pytest.mark.parametrize("changes, field, words", [
    ({"child_dob": dt.date(2027, 1, 1)}, "child_dob", "in the future"),
    ({"child_dob": dt.date(1990, 1, 1)}, "child_dob", "older than 26"),
    ({"date_raised": dt.date(2027, 6, 1)}, "date_raised", "more than a week ahead"),
    ({"resolve_by": dt.date(2026, 11, 1)}, "resolve_by", "before the date raised"),
])
def test_dates_must_be_plausible(check, changes, field, words):
    assert words in check(**changes)[field]


def test_unreadable_dates_and_choices_are_explained(blank, rutland, today):
    form = fill_form(blank, {**GOOD, "child_dob": "next Tuesday", "child_informed": "Maybe"})
    reading = read_form(form, filename="f.docx", policy=rutland, today=today)
    messages = {e.field: e.message for e in reading.errors}
    assert messages["child_dob"] == ("Child's date of birth 'next Tuesday' is not a date we can read: "
                                     "write it as 3/12/2026 or 3 December 2026.")
    assert messages["child_informed"].startswith("Has the child been told about this alert? 'Maybe' is not one of")
