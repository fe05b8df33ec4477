"""Reading stored events back, and replaying them for a report."""

from __future__ import annotations

import datetime as dt

from practice_alerts.policies.schema import Stage
from practice_alerts.reports.history import (
    AlertHistory,
    ReportDirectory,
    Unreadable,
    event_from_stored,
    fold,
    fold_all,
)
from practice_alerts.workflow.calendar import LONDON
from practice_alerts.workflow.directory import Directory
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


def test_replaying_for_a_report_trusts_who_acted_even_if_the_directory_changed(histories, policy, calendar):
    # The people who replied are no longer in the (empty) directory; the report still reads the history.
    state = fold(histories[0], policy, Directory(people=[], external=[]), calendar, END)
    assert state.state.value == "closed"
    assert ReportDirectory().may_act_for("anyone@example.org", "someone@example.gov.uk", dt.date(2026, 1, 1))


def test_an_alert_that_no_longer_replays_is_reported_not_dropped(histories, policy, calendar):
    # A policy changed after the fact: stage 3 may no longer be the first stage.
    stages = [s.model_copy(update={"may_start_here": False}) if s.key == "stage3" else s for s in policy.stages]
    changed = policy.model_copy(update={"stages": stages})
    assert all(isinstance(s, Stage) for s in stages)
    states, problems = fold_all(histories, changed, None, calendar, END)
    assert [p.reference for p in problems] == ["PA-2026-0003"]
    assert isinstance(problems[0], Unreadable) and "cannot start at Stage 3" in problems[0].reason
    assert len(states) == 10


def test_events_after_the_moment_are_ignored(histories, policy, calendar):
    history = histories[1]
    before = fold(AlertHistory(history.reference, history.events), policy, None, calendar,
                  dt.datetime(2026, 7, 20, 23, 0, tzinfo=LONDON))
    assert before is not None and before.state.value == "awaiting_response"
    assert fold(history, policy, None, calendar, dt.datetime(2026, 7, 1, tzinfo=LONDON)) is None
