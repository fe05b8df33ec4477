"""The reports read alerts under every built-in policy, informal stages and external agencies included."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.policies.load import load_policy, policy_names
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import quarterly_figures, rows_as_at
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.ladder import ladder
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from tools.report_samples import DANA, NORTH, RECIPIENT, ScriptedAlert, _facts, play, step

END = dt.datetime(2026, 12, 31, 23, 0, tzinfo=LONDON)


def two_stages(policy, **extra):
    facts = _facts(1, policy.case_types[0].value, NORTH, DANA, [policy.reason_codes[0].code], "2026-10-05", **extra)
    return ScriptedAlert(facts, (
        step("2026-10-05", "raised"), step("2026-10-06", "response", by=RECIPIENT, text="Done."),
        step("2026-10-07", "not_satisfied"), step("2026-10-08", "response", by=RECIPIENT, text="Done."),
        step("2026-10-09", "satisfied"), step("2026-10-09", "close", "15:00", outcome="resolved"),
    ))


@pytest.mark.parametrize("name", policy_names())
def test_an_alert_climbing_one_stage(name):
    policy = load_policy(name)
    calendar = WorkingCalendar.for_policy(policy)
    history = play(two_stages(policy), policy, PlaceholderDirectory(), calendar, END)
    figures = quarterly_figures([history], policy, None, calendar, Quarter.parse("2026-Q4"))
    first, second = ladder(policy)[0], policy.stage(ladder(policy)[0].next)
    assert figures.unreadable == ()
    assert (figures.headline.raised, figures.headline.finished, figures.headline.within_target) == (1, 1, 1)
    assert [(r.name, r.due, r.on_time) for r in figures.responses if r.due] == [(first.name, 1, 1), (second.name, 1, 1)]
    assert [c.name for c in figures.stage_reached if c.count] == [second.name]
    # The informal stage does not count towards the formal process's working days.
    assert figures.headline.median_working_days == (2.0 if first.informal else 4.0)


def test_a_concern_about_an_external_agency_is_a_letter_not_a_stage():
    policy = load_policy("rutland")
    calendar = WorkingCalendar.for_policy(policy)
    script = ScriptedAlert(two_stages(policy).facts.model_copy(update={"external_agency": "Exampletown Health Trust"}), (
        step("2026-10-05", "raised"), step("2026-10-08", "response", by=RECIPIENT, text="We will act."),
        step("2026-10-09", "satisfied"),
    ))
    history = play(script, policy, PlaceholderDirectory(), calendar, END)
    (row,), _ = rows_as_at([history], policy, None, calendar, END)
    assert (row.external_agency, row.highest_stage, row.highest_stage_key) == (
        "Exampletown Health Trust", "Letter 1 to Exampletown Health Trust", None)
    assert (row.status, row.date_resolved, row.working_days) == ("Resolved (not yet closed)", dt.date(2026, 10, 9), 4)
    figures = quarterly_figures([history], policy, None, calendar, Quarter.parse("2026-Q4"))
    assert figures.stage_reached[-1].model_dump() == {"name": "Letter to an external agency", "count": 1}
    assert [(r.name, r.due, r.on_time) for r in figures.responses if r.due] == [("Letters to external agencies", 1, 1)]
