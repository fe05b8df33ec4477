"""Writing the tracker and the quarterly report from alert histories: the one call each command makes.

Pure of the database and the clock: the caller passes the histories, the policy, the directory
(or None: placeholders stand in for role holders, which the reports do not show), the calendar
and the moment (``as_of`` for the tracker; the quarter for the report). The histories are read
once, one alert at a time (``reports.load.read_alerts`` streams them; any ``Unreadable`` among them
is reported as not counted), so only what the files show is kept, not every alert's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_time
from practice_alerts.reports.history import AlertHistory, Unreadable
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import NotCounted, QuarterlyFigures, each_row, quarterly_figures
from practice_alerts.reports.tracker import Cell, Table, tracker_columns, write_csv, write_xlsx
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.recipients import DirectoryLike


@dataclass(frozen=True)
class TrackerOutput:
    path: Path
    alerts: int
    unreadable: tuple[Unreadable, ...]


@dataclass(frozen=True)
class QuarterlyOutput:
    docx: Path
    xlsx: Path
    charts: dict[str, Path]
    figures: QuarterlyFigures


def tracker_cells(histories: Iterable[AlertHistory | Unreadable], policy: Policy, calendar: WorkingCalendar,
                  as_of: dt.datetime, *, pseudonymise: bool = False) -> tuple[Table, list[Unreadable]]:
    """The tracker's table, one alert at a time: each is folded as at ``as_of`` and only its cells are kept
    (equal values shared), in reference order; and the alerts not counted (those passed in first, as given,
    then those whose fold failed, in reference order)."""
    columns = tracker_columns(policy, pseudonymise=pseudonymise)
    not_counted = NotCounted()
    shared: dict[tuple[type, Cell], Cell] = {}
    kept = [(row.reference, tuple(shared.setdefault((type(v), v), v) for v in (c.value(row) for c in columns)))
            for row in each_row(histories, policy, calendar, as_of, not_counted)]
    kept.sort(key=lambda k: k[0])
    return Table(columns=columns, rows=tuple(cells for _reference, cells in kept)), not_counted.in_order()


def write_tracker(histories: Iterable[AlertHistory | Unreadable], policy: Policy, directory: DirectoryLike | None,
                  calendar: WorkingCalendar, as_of: dt.datetime, out: Path, *, as_csv: bool = False,
                  pseudonymise: bool = False, problems: Iterable[Unreadable] = ()) -> TrackerOutput:
    table, unreadable = tracker_cells(histories, policy, calendar, as_of, pseudonymise=pseudonymise)
    problems = [*problems, *unreadable]
    out.parent.mkdir(parents=True, exist_ok=True)
    if as_csv:
        write_csv(table, out)
    else:
        notes = [f"{policy.authority}: every practice alert, one row each, as at "
                 f"{uk_time(as_of):%d %B %Y %H:%M} (UK time).",
                 f"Working days leave out the informal stage, weekends, bank holidays, closure days and time-outs; "
                 f"the target is {policy.target_working_days}.",
                 "Personal data left out: only the child ID is kept." if pseudonymise else
                 "Contains personal data: keep it where case records are kept."]
        notes += [f"Not included: {p.reference}: {p.reason}" for p in problems]
        write_xlsx(table, out, title="Practice alert tracker", notes=notes)
    return TrackerOutput(path=out, alerts=len(table.rows), unreadable=tuple(problems))


def report_file_names(quarter: Quarter) -> tuple[str, str]:
    return f"practice-alerts-{quarter.key}.docx", f"practice-alerts-{quarter.key}-figures.xlsx"


def write_quarterly(histories: Iterable[AlertHistory | Unreadable], policy: Policy, directory: DirectoryLike | None,
                    calendar: WorkingCalendar, quarter: Quarter, out_dir: Path,
                    problems: Iterable[Unreadable] = (), *, authority: str | None = None,
                    logo: Path | None = None) -> QuarterlyOutput:
    from practice_alerts.reports.figures_xlsx import write_figures_xlsx  # noqa: PLC0415 - heavy library (python-docx, Pillow, openpyxl) loaded only when the file is written
    from practice_alerts.reports.report_charts import draw_report_charts  # noqa: PLC0415 - heavy library (python-docx, Pillow, openpyxl) loaded only when the file is written
    from practice_alerts.reports.report_docx import write_report_docx  # noqa: PLC0415 - heavy library (python-docx, Pillow, openpyxl) loaded only when the file is written

    figures = quarterly_figures(histories, policy, directory, calendar, quarter, problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx_name, xlsx_name = report_file_names(quarter)
    charts = draw_report_charts(figures, out_dir / "charts")
    docx = write_report_docx(figures, out_dir / docx_name, charts, presented_to=policy.reporting.presented_to,
                             authority=authority, logo=logo)
    xlsx = write_figures_xlsx(figures, out_dir / xlsx_name)
    return QuarterlyOutput(docx=docx, xlsx=xlsx, charts=charts, figures=figures)
