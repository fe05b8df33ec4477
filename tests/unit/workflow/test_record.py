"""The record: each decision written down, the state folded back from the records alone."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.clock import due_clock_events, next_clock_at
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from practice_alerts.workflow.record import Decided, fold, policy_version
from tools.report_samples import rutland_with_time_outs, sample_histories


@pytest.fixture(scope="module")
def setting():
    policy = rutland_with_time_outs(load_policy("rutland"))
    calendar = WorkingCalendar.for_policy(policy)
    return policy, calendar, sample_histories(policy, PlaceholderDirectory(), calendar)


def test_folding_the_records_gives_exactly_what_decide_gave_after_every_event(setting):
    policy, calendar, histories = setting
    for history in histories:
        state = None
        for index, event in enumerate(history.events):
            state = decide(state, event, policy, PlaceholderDirectory(), calendar, event.at).state
            assert fold(history.records[: index + 1]) == state


def test_records_survive_json_and_say_what_was_decided(setting):
    policy, _calendar, histories = setting
    raised = histories[0].records[0]
    assert Decided.model_validate(raised.model_dump(mode="json")) == raised
    assert raised.stage == "stage1" and raised.recipient is not None and raised.due is not None
    assert raised.policy_version == policy_version(policy) and len(raised.policy_version) == 64
    assert raised.reminders and all(day < raised.due for day in raised.reminders)


def test_the_policy_version_is_its_content(setting):
    policy, _calendar, _ = setting
    assert policy_version(policy) == policy_version(policy.model_copy())
    assert policy_version(policy) != policy_version(load_policy("rutland"))  # time-outs allowed here


def test_the_next_clock_moment_is_exactly_when_the_clock_first_has_work(setting):
    policy, calendar, histories = setting
    checked = 0
    for history in histories:
        state = None
        for event in history.events:
            state = decide(state, event, policy, PlaceholderDirectory(), calendar, event.at).state
            moment = next_clock_at(state, policy, calendar)
            if moment is None:
                assert not due_clock_events(state, policy, calendar, state.last_event_at + dt.timedelta(days=400))
                continue
            assert due_clock_events(state, policy, calendar, moment)
            assert not due_clock_events(state, policy, calendar, moment - dt.timedelta(seconds=1))
            checked += 1
    assert checked > 20
