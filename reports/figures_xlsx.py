"""The quarterly report's figures as a workbook: one sheet per table, each with a frozen,
filterable header, so the numbers behind the Word report can be checked and re-used."""

from __future__ import annotations

from pathlib import Path

from practice_alerts.reports.quarterly import QuarterlyFigures
from practice_alerts.reports.workbook import about_sheet, new_workbook, write_table


def _blank(value: object) -> object:
    return "" if value is None else value


def figure_tables(f: QuarterlyFigures) -> list[tuple[str, list[str], list[list[object]]]]:
    """(sheet name, headers, rows) for every table of the report, in the report's order."""
    share = lambda part, whole: round(100 * part / whole, 1) if whole else ""  # noqa: E731
    raised = f.headline.raised
    return [
        ("Summary", ["Measure", f.quarter, f.previous.quarter, "Change"],
         [[c.measure, _blank(c.this_quarter), _blank(c.previous_quarter), _blank(c.change)] for c in f.changes]),
        ("By case type", ["Case type", "Alerts raised", "% of alerts"],
         [[c.name, c.count, share(c.count, raised)] for c in f.by_case_type]),
        ("By team", ["Team", "Alerts raised", "% of alerts"], [[c.name, c.count, share(c.count, raised)] for c in f.by_team]),
        ("By IRO", ["IRO / CP chair", "Alerts raised"], [[c.name, c.count] for c in f.by_iro]),
        ("Themes by reason", ["Code", "Reason", "Theme", "Alerts"],
         [[r.code, r.label, r.category, r.count] for r in f.by_reason]),
        ("Themes by category", ["Theme", "Alerts", "% of alerts"],
         [[c.name, c.count, share(c.count, raised)] for c in f.by_category]),
        ("Stage reached", ["Highest stage reached", "Alerts"], [[c.name, c.count] for c in f.stage_reached]),
        ("Responses on time", ["Stage", "Responses due", "On time", "Late or missing", "% on time"],
         [[r.name, r.due, r.on_time, r.late, _blank(r.percent_on_time)] for r in f.responses]),
        ("Responses by team", ["Team", "Responses due", "On time", "Late or missing", "% on time"],
         [[r.name, r.due, r.on_time, r.late, _blank(r.percent_on_time)] for r in f.responses_by_team]),
        ("Responses by manager", ["Manager", "Responses due", "On time", "Late or missing", "% on time"],
         [[r.name, r.due, r.on_time, r.late, _blank(r.percent_on_time)] for r in f.responses_by_manager]),
        ("Outcomes", ["Outcome", f.quarter, f.previous.quarter], [
            ["Resolved (the IRO satisfied)", f.headline.resolved, f.previous.resolved],
            ["Closed without resolution", f.headline.closed_unresolved, f.previous.closed_unresolved],
            ["Referred to CAFCASS", f.headline.referred, f.previous.referred],
            ["Withdrawn", f.headline.withdrawn, f.previous.withdrawn],
            ["Still open at quarter end", f.headline.open_at_end, f.previous.open_at_end],
        ]),
        ("Resolution", ["Measure", "Value"], [
            ["Alerts reaching an outcome in the quarter", f.headline.finished],
            [f"Resolved within {f.target_working_days} working days", f.headline.within_target],
            [f"% resolved within {f.target_working_days} working days", _blank(f.headline.within_target_percent)],
            ["Median working days to resolution", _blank(f.headline.median_working_days)],
            ["Longest working days to resolution", _blank(f.headline.longest_working_days)],
            ["Alert that took longest", _blank(f.longest_reference)],
            ["Time-outs started", f.headline.time_outs_started],
            ["Working days in those time-outs", f.time_out_working_days],
            ["CAFCASS referrals", f.headline.cafcass_referrals],
            ["Open at quarter end", f.headline.open_at_end],
            ["Overdue at quarter end", f.headline.overdue_at_end],
            [f"Open past {f.target_working_days} working days", f.open_past_target],
        ]),
        ("Open at quarter end", ["Reference", "Stage", "Status", "Due", "Working days so far", "Overdue"],
         [[a.reference, a.current_stage, a.status, a.current_due, a.working_days, "Yes" if a.overdue else "No"]
          for a in f.open_alerts]),
        ("Trend", ["Quarter", "Alerts raised", "Responses on time", "Responses due", "Resolved",
                   f"Within {f.target_working_days} working days", "% within", "Open at end", "Overdue at end"],
         [[h.quarter, h.raised, h.responses_on_time, h.responses_due, h.finished, h.within_target,
           _blank(h.within_target_percent), h.open_at_end, h.overdue_at_end] for h in f.trend]),
    ]


def write_figures_xlsx(figures: QuarterlyFigures, path: Path) -> Path:
    book = new_workbook()
    for name, headers, rows in figure_tables(figures):
        write_table(book.create_sheet(name), headers, rows)
    notes = [f"{figures.authority}: practice alerts, {figures.label} ({figures.quarter}).",
             f"Figures as at the end of {figures.end:%d %B %Y}; policy '{figures.policy}'.",
             "How each figure is counted: see 'How the figures are counted' in the Word report."]
    notes += [f"Not counted: {u.reference}: {u.reason}" for u in figures.unreadable]
    about_sheet(book, "Quarterly practice alert figures", notes)
    book.save(path)
    return path
