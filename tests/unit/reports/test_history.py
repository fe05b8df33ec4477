"""Reading stored events back, and replaying them for a report."""

from __future__ import annotations

import datetime as dt

from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.history import (
    AlertHistory,
    Unreadable,
    event_from_stored,
    fold,
    fold_all,
)
from practice_alerts.workflow.events import dump_event

END = dt.datetime(2026, 12, 31, 23, 0, tzinfo=LONDON)


def test_a_stored_event_reads_back_equal(histories):
    for event in histories[2].events:
        payload = dump_event(event)
        assert event_from_stored(event.type, payload, event.at, event.by) == event


def test_the_row_columns_fill_in_what_the_payload_leaves_out(histories):
    event = histories[0].events[1]  # a response
    payload = {k: v for k, v in dump_event(event).items() if k not in ("at", "by", "type")}
    assert event_from_stored("response", payload, event.at, event.by) == event


def test_a_state_is_folded_from_its_records_without_the_directory_or_policy(histories):
    # Nothing is passed but the history: the people who replied may have left, the policy changed.
    state = fold(histories[0], END)
    assert state.status.value == "closed"
    assert state.stages[0].recipient_email and state.stages[0].due is not None


def test_the_stored_state_stands_in_when_nothing_happened_after_the_moment(histories):
    whole = fold(histories[1], END)
    stored = AlertHistory(histories[1].reference, state=whole)
    assert fold(stored, END) == whole
    assert fold(stored, dt.datetime(2026, 7, 1, tzinfo=LONDON)) is None


def test_a_record_that_does_not_match_its_events_is_reported_not_dropped(histories):
    broken = AlertHistory(histories[2].reference, events=histories[2].events, records=histories[2].records[:-1])
    states, problems = fold_all([*histories[:2], broken], END)
    assert [p.reference for p in problems] == [histories[2].reference]
    assert isinstance(problems[0], Unreadable) and "practice-alerts verify" in problems[0].reason
    assert len(states) == 2


def test_events_after_the_moment_are_ignored(histories):
    history = histories[1]
    before = fold(history, dt.datetime(2026, 7, 20, 23, 0, tzinfo=LONDON))
    assert before is not None and before.status.value == "awaiting_response"
    assert fold(history, dt.datetime(2026, 7, 1, tzinfo=LONDON)) is None
