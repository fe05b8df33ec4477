"""The practice-alert tracker: one row per alert, as a spreadsheet (.xlsx) or CSV.

The columns follow the tracker the seeds describe: who and what, where the alert started and
how high it went, each stage's dates and timeliness, time-outs, CAFCASS, the outcome, and the
working days the formal process took against the policy's target. ``pseudonymise`` leaves out
the people's names and e-mail addresses and the free text (the reasons for bypasses and
time-outs, the IRO's outcome), which may name people, keeping the child ID.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from practice_alerts.policies.schema import Policy
from practice_alerts.reports.rows import ReportRow
from practice_alerts.workflow.ladder import ladder

Cell = str | int | dt.date | None
Kind = Literal["text", "number", "date"]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[ReportRow], Cell]
    kind: Kind = "text"
    personal: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def yes_no(value: bool | None, unknown: str = "") -> str:
    return unknown if value is None else ("Yes" if value else "No")


def _joined(values: Sequence[str]) -> str:
    return "; ".join(values)


def _stage_columns(policy: Policy) -> list[Column]:
    columns = []
    for stage in ladder(policy):
        columns += _visit_columns(stage.name, stage.key)
    return columns


def _visit_columns(name: str, key: str) -> list[Column]:
    def to(r: ReportRow) -> str | None:
        return v.recipient if (v := r.visit(key)) else None

    def sent(r: ReportRow) -> dt.date | None:
        return v.sent if (v := r.visit(key)) else None

    def due(r: ReportRow) -> dt.date | None:
        return v.due if (v := r.visit(key)) else None

    def responded(r: ReportRow) -> dt.date | None:
        return v.responded if (v := r.visit(key)) else None

    def on_time(r: ReportRow) -> str | None:
        return _on_time(v) if (v := r.visit(key)) else None

    return [Column(f"{name}: to", to, personal=True), Column(f"{name}: sent", sent, "date"), Column(f"{name}: due", due, "date"),
            Column(f"{name}: responded", responded, "date"), Column(f"{name}: on time", on_time)]


def _on_time(visit) -> str | None:  # noqa: ANN001 - StageCells
    if visit.responded is not None:
        return yes_no(visit.on_time)
    if visit.deadline_missed or visit.response_counted:
        return "No response"
    return None


def _time_outs(row: ReportRow, with_reasons: bool) -> str:
    parts = []
    for t in row.time_outs:
        end = f"resumed {t.resumed:%d/%m/%Y}" if t.resumed else f"until {t.until:%d/%m/%Y}"
        reason = f": {t.reason}" if with_reasons and t.reason else ""
        parts.append(f"{t.started:%d/%m/%Y}, {end} ({t.working_days} working days){reason}")
    return _joined(parts)


def tracker_columns(policy: Policy, *, pseudonymise: bool = False) -> tuple[Column, ...]:
    target = policy.target_working_days
    bypass_text = (lambda r: _joined([b.split(" (")[0] for b in r.bypasses])) if pseudonymise else (
        lambda r: _joined(r.bypasses))
    columns = [
        Column("Reference", lambda r: r.reference),
        Column("Child ID", lambda r: r.child_id),
        Column("Case type", lambda r: r.case_type_label),
        Column("IRO / CP chair", lambda r: r.iro_name, personal=True),
        Column("IRO e-mail", lambda r: r.iro_email, personal=True),
        Column("Social worker", lambda r: r.social_worker_name, personal=True),
        Column("Team", lambda r: r.team),
        Column("Reason codes", lambda r: _joined(r.reason_codes)),
        Column("Reasons", lambda r: _joined(r.reason_labels)),
        Column("Themes", lambda r: _joined(r.reason_categories)),
        Column("Date raised", lambda r: r.date_raised, "date"),
        Column("Starting stage", lambda r: r.start_stage),
        Column("Bypasses", bypass_text),
        Column("Highest stage reached", lambda r: r.highest_stage),
        Column("External agency", lambda r: r.external_agency or ""),
        *_stage_columns(policy),
        Column("Time-outs", lambda r: len(r.time_outs), "number"),
        Column("Time-out working days", lambda r: r.time_out_days, "number"),
        Column("Time-out details", lambda r: _time_outs(r, not pseudonymise)),
        Column("Referred to CAFCASS", lambda r: r.cafcass_referred, "date"),
        Column("Status", lambda r: r.status),
        Column("Overdue", lambda r: yes_no(r.overdue) if r.is_open else ""),
        # The outcome is the IRO's own words (the first line of their closing note): it may name people.
        Column("Outcome", lambda r: r.outcome or "", personal=True),
        Column("Date resolved", lambda r: r.date_resolved, "date"),
        Column("Date closed", lambda r: r.date_closed, "date"),
        Column("Working days taken", lambda r: r.working_days, "number"),
        Column(f"Within {target} working days", lambda r: yes_no(r.within_target, "Not yet known")),
    ]
    return tuple(c for c in columns if not (pseudonymise and c.personal))


def tracker_table(rows: Sequence[ReportRow], policy: Policy, *, pseudonymise: bool = False) -> Table:
    columns = tracker_columns(policy, pseudonymise=pseudonymise)
    return Table(columns=columns, rows=tuple(tuple(c.value(r) for c in columns) for r in rows))


def write_csv(table: Table, path: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel opens it with the right characters; dates as YYYY-MM-DD."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])


def write_xlsx(table: Table, path: Path, *, title: str, notes: Sequence[str] = ()) -> None:
    """The tracker workbook: a frozen header row with filters, real dates, readable column widths,
    and an 'About' sheet saying what it is and as at when."""
    from practice_alerts.reports.workbook import about_sheet, new_workbook, write_table  # noqa: PLC0415 - heavy library (openpyxl) loaded only for .xlsx

    book = new_workbook()
    sheet = book.create_sheet("Tracker")
    write_table(sheet, table.headers, table.rows, kinds=[c.kind for c in table.columns])
    about_sheet(book, title, notes)
    book.save(path)
