"""The console's caseload row for an alert: who it is with and its red/amber/green status (pure)."""

from __future__ import annotations

import datetime as dt

from practice_alerts.console.caseload import Filters, as_csv, row_of


def _row(alert, day: str):
    return row_of(alert.state, alert.policy, alert.calendar, dt.date.fromisoformat(day))


def test_green_then_amber_near_the_due_date_then_red_when_overdue(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    due = alert.state.due
    assert _row(alert, "2026-03-02").rag == "green"
    assert _row(alert, due.isoformat()).rag == "amber"
    late = alert.calendar.add_working_days(due, 1)
    assert _row(alert, late.isoformat()).rag == "red"
    row = _row(alert, "2026-03-02")
    assert row.with_name == "Toni Team" and row.with_email == wf.TM and row.limit == alert.policy.target_working_days


def test_with_the_iro_while_a_decision_is_awaited(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00")
    alert.apply("response", "2026-03-03 10:00", by=wf.TM, text="done")
    row = _row(alert, "2026-03-04")
    assert row.with_name == "Iris Reviewer (IRO, to decide)" and row.with_email == wf.IRO


def test_stuck_when_nobody_can_be_found_to_send_it_to(wf):
    alert = wf.Alert("rutland", directory=wf.build_directory(without=("team_manager", "practice_manager")))
    alert.raise_("2026-03-02 10:00", team_manager_email=None, team_manager_name="")
    row = _row(alert, "2026-03-02")
    assert row.stuck == "Nobody found to send it to" and row.rag == "red"
    assert Filters(status="stuck").keep(row) and not Filters(status="green").keep(row)


def test_the_csv_never_starts_a_cell_with_a_formula(wf):
    alert = wf.Alert("rutland")
    alert.raise_("2026-03-02 10:00", child_id="=HYPERLINK(\"http://x\")")
    text = as_csv([_row(alert, "2026-03-02")])
    assert "'=HYPERLINK" in text
