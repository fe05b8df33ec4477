"""A scripted quarter, figure by figure against values worked out by hand.

Seven alerts raised from July to September 2026 under Rutland's ladder (time-outs allowed), each
ending differently: resolved at the first stage, escalated then resolved, referred to CAFCASS,
closed without resolution, withdrawn, in a time-out at the quarter's end, and still awaiting a
response. They are played through the real workflow, stored the way the service stores them,
read back, and counted.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.pipeline.writing import record_history
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.load import histories_from_database
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import quarterly_figures
from practice_alerts.store import open_database, unit_of_work
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from tools.report_samples import CASEY, DANA, NORTH, RECIPIENT, SOUTH, ScriptedAlert, _facts, play, step

Q3 = Quarter.parse("2026-Q3")
r = RECIPIENT


def script() -> list[ScriptedAlert]:
    return [
        ScriptedAlert(_facts(1, "CLA", NORTH, DANA, ["4"], "2026-07-06"), (  # resolved at stage 1
            step("2026-07-06", "raised"),
            step("2026-07-09", "response", by=r, text="Visit done."),
            step("2026-07-10", "satisfied"),
            step("2026-07-10", "close", "14:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(2, "CP", SOUTH, CASEY, ["3", "5"], "2026-07-14"), (  # escalated, then resolved
            step("2026-07-14", "raised"),
            step("2026-07-22", "response", by=r, text="Will update the plan."),
            step("2026-07-23", "not_satisfied"),
            step("2026-07-29", "response", by=r, text="Plan updated."),
            step("2026-07-31", "satisfied"),
            step("2026-07-31", "close", "15:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(3, "CLA", NORTH, DANA, ["6"], "2026-08-03"), (  # to the top, then CAFCASS
            step("2026-08-03", "raised", start_stage="stage3", bypass_reason="Serious."),
            step("2026-08-12", "not_satisfied"),
            step("2026-08-18", "response", by=r, text="Meeting booked."),
            step("2026-08-20", "not_satisfied"),
            step("2026-09-07", "response", by=r, text="Partnership review."),
            step("2026-09-08", "not_satisfied"),
            step("2026-09-09", "close", outcome="referred to CAFCASS"),
        )),
        ScriptedAlert(_facts(4, "CLA", SOUTH, CASEY, ["9"], "2026-07-20"), (  # closed without resolution
            step("2026-07-20", "raised"),
            step("2026-07-22", "response", by=r, text="The child has moved out of the area."),
            step("2026-07-24", "close", outcome="Closed: the child moved out of the area"),
        )),
        ScriptedAlert(_facts(5, "CP", NORTH, DANA, ["2"], "2026-07-27"), (  # withdrawn
            step("2026-07-27", "raised"),
            step("2026-07-28", "close", outcome="Withdrawn: raised in error"),
        )),
        ScriptedAlert(_facts(6, "CLA", SOUTH, CASEY, ["12"], "2026-09-07"), (  # in a time-out at the end
            step("2026-09-07", "raised"),
            step("2026-09-10", "response", by=r, text="Waiting for the placement."),
            step("2026-09-14", "time_out", until="2026-10-05", reason="The placement starts in October."),
        )),
        ScriptedAlert(_facts(7, "CLA", NORTH, DANA, ["4"], "2026-09-28"), (  # still awaiting a response
            step("2026-09-28", "raised"),
        )),
    ]


@pytest.fixture(scope="module")
def figures(policy, calendar, tmp_path_factory):
    end = dt.datetime(2026, 9, 30, 23, 59, tzinfo=LONDON)
    histories = [play(s, policy, PlaceholderDirectory(), calendar, end) for s in script()]
    database = open_database(tmp_path_factory.mktemp("q") / "alerts.db")
    try:
        for history in histories:
            with unit_of_work(database, now=end) as work:
                reference = work.create_alert().reference
                assert reference == history.reference
                record_history(work, reference, history.events, history.records, policy=policy, calendar=calendar)
        read, problems = histories_from_database(database, records_after=Q3.previous().previous().previous().as_of)
    finally:
        database.dispose()
    assert problems == []
    return quarterly_figures(read, policy, None, calendar, Q3)


def test_every_alert_is_counted_once(figures):
    assert figures.headline.raised == 7 and figures.unreadable == ()


def test_outcomes_kept_apart(figures):
    h = figures.headline
    # 1 and 2 resolved; 3 referred to CAFCASS; 4 closed without resolution; 5 withdrawn; 6 and 7 open.
    assert (h.finished, h.resolved, h.referred, h.closed_unresolved, h.withdrawn) == (5, 2, 1, 1, 1)
    assert figures.finished_references == ("PA-2026-0001", "PA-2026-0002", "PA-2026-0003", "PA-2026-0004",
                                           "PA-2026-0005")
    assert (h.open_at_end, h.overdue_at_end) == (2, 0)  # 6 is in a time-out; 7 is due on 5 October
    assert {a.reference: a.status for a in figures.open_alerts} == {
        "PA-2026-0006": "Open: time-out", "PA-2026-0007": "Open: awaiting response"}


def test_resolved_within_twenty_working_days_counts_only_resolutions(figures):
    # 1 took 4 working days (6 to 10 July), 2 took 13 (14 to 31 July): both resolutions within 20.
    # 3, 4 and 5 reached an outcome but were not resolved: they count in the whole, never as within.
    h = figures.headline
    assert (h.within_target, h.within_target_percent) == (2, 40.0)


def test_cafcass_referrals_and_highest_stage_come_from_the_record(figures):
    assert figures.headline.cafcass_referrals == 1
    reached = {c.name: c.count for c in figures.stage_reached}
    # 1, 4, 5, 6, 7 stayed at Stage 1; 2 reached Stage 2; 3 went from Stage 3 to the top, Stage 5.
    assert reached == {"Stage 1": 5, "Stage 2": 1, "Stage 3": 0, "Stage 4": 0, "Stage 5": 1}


def test_time_outs(figures):
    # 6's time-out began on 14 September and still ran on 30 September: 12 working days (15-30 Sep).
    assert figures.headline.time_outs_started == 1
    assert figures.time_out_working_days == 12
