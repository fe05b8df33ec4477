"""Who an action copies: one rule (``Action.copied``, ``copied_by``) for the decided record's copies
and the IRO's acknowledgement, so the two never disagree about who was copied."""

from __future__ import annotations

from typing import get_args

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.workflow import actions as a
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.decide import replay_with_actions
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from tools.report_samples import rutland_with_time_outs, sample_histories

COPIES = {a.SendStageLetter: "cc", a.Notify: "to", a.NotifyBeforeCafcass: "to"}
"""The action classes that copy anyone, and which of their addressees; every other class copies nobody."""


@pytest.mark.parametrize("cls", get_args(get_args(a.Action)[0]), ids=lambda c: c.__name__)
def test_each_action_class_says_whom_it_copies(cls: type[a.Action]) -> None:
    action = cls.model_construct(reference="PA-2026-0001", to=("told@x.uk", "both@x.uk"), cc=("both@x.uk", "cc@x.uk"))
    expected = {"cc": ("cc@x.uk",), "to": ("told@x.uk", "both@x.uk")}.get(COPIES.get(cls, ""), ())
    assert action.copied == expected


def test_a_decisions_copies_are_each_named_once_in_order_and_never_blank() -> None:
    letter = a.SendStageLetter.model_construct(reference="R", to=("tm@x.uk",), cc=("sm@x.uk", "qa@x.uk", ""))
    told = a.Notify(reference="R", to=("qa@x.uk", "admin@x.uk"), cc=("iro@x.uk",), why="raised")
    draft = a.DraftCafcassReferral(reference="R", to=("iro@x.uk",), cc=("legal@x.uk",), contact_role="legal")
    assert a.copied_by([letter, told, draft]) == ("sm@x.uk", "qa@x.uk", "admin@x.uk")


def test_the_decided_record_names_whom_the_decisions_actions_copy() -> None:
    policy = rutland_with_time_outs(load_policy("rutland"))
    calendar = WorkingCalendar.for_policy(policy)
    named = 0
    for history in sample_histories(policy, PlaceholderDirectory(), calendar):
        steps = replay_with_actions(history.events, policy, PlaceholderDirectory(), calendar)
        for record, (_event, actions) in zip(history.records, steps, strict=True):
            assert tuple(p.email for p in record.copies) == a.copied_by(actions)
            named += bool(record.copies)
    assert named > 5
