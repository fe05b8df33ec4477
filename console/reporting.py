"""The reports page: this quarter's figures on the page, the tracker and the quarterly report to download."""

from __future__ import annotations

from pathlib import Path

from practice_alerts.console.core import Console
from practice_alerts.reports.build import write_quarterly, write_tracker
from practice_alerts.reports.load import histories_from_database
from practice_alerts.reports.periods import Quarter, QuarterError
from practice_alerts.reports.quarterly import QuarterlyFigures, quarterly_figures


def _quarter(console: Console, text: str) -> Quarter:
    try:
        return Quarter.parse(text) if text else Quarter.containing(console.today)
    except QuarterError:
        return Quarter.containing(console.today)


def quarter_figures(console: Console, text: str) -> tuple[QuarterlyFigures, str]:
    ctx = console.ctx
    histories, problems = histories_from_database(ctx.database)
    figures = quarterly_figures(histories, ctx.policy, ctx.directory, ctx.calendar, _quarter(console, text))
    problem = f"{len(problems)} alert(s) could not be read and are left out." if problems else ""
    return figures, problem


def write_report(console: Console, kind: str, quarter: str, folder: Path) -> Path | None:
    ctx = console.ctx
    histories, _problems = histories_from_database(ctx.database)
    if kind == "tracker.xlsx":
        return write_tracker(histories, ctx.policy, ctx.directory, ctx.calendar, console.clock(),
                             folder / "practice-alert-tracker.xlsx").path
    if kind == "quarterly.docx":
        return write_quarterly(histories, ctx.policy, ctx.directory, ctx.calendar, _quarter(console, quarter),
                               folder).docx
    return None
