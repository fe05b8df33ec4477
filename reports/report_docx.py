"""The quarterly report as a Word document: the figures in sentences, tables and charts.

Written for the Performance and QA meeting (or whichever forum the policy names): headline
sentences first, then each measure with its table and, where a picture reads faster, a chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from docx import Document
from docx.shared import Cm

from practice_alerts.reports.figures_xlsx import figure_tables
from practice_alerts.reports.quarterly import QuarterlyFigures

CHART_WIDTH_CM = 16
TABLE_WIDTH_CM = 16


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _percent(value: float | None) -> str:
    return "no" if value is None else f"{value:g}%"


def headline_sentences(f: QuarterlyFigures) -> list[str]:
    """The report's opening summary, one sentence per measure, with last quarter's figure."""
    h, p, target = f.headline, f.previous, f.target_working_days
    sentences = [
        f"{plural(h.raised, 'alert')} {_was(h.raised)} raised in {f.label} ({p.raised} in the previous quarter).",
        f"{plural(h.responses_due, 'stage response')} fell due and {h.responses_on_time} came on time "
        f"({p.responses_on_time} of {p.responses_due} in the previous quarter).",
    ]
    if h.finished:
        sentences.append(
            f"{plural(h.finished, 'alert')} {_was(h.finished)} resolved; {h.within_target} of them "
            f"({_percent(h.within_target_percent)}) within {target} working days "
            f"(previous quarter: {p.within_target} of {p.finished}).")
        sentences.append(
            f"Resolution took a median of {h.median_working_days:g} working days; the longest took "
            f"{h.longest_working_days} ({f.longest_reference}).")
    else:
        sentences.append(f"No alert was resolved in the quarter (previous quarter: {p.finished}).")
    sentences.append(
        f"{plural(h.time_outs_started, 'time-out')} {_was(h.time_outs_started)} started "
        f"({plural(f.time_out_working_days, 'working day')} paused) and "
        f"{plural(h.cafcass_referrals, 'referral')} {_was(h.cafcass_referrals)} made to CAFCASS.")
    sentences.append(
        f"At the end of the quarter {plural(h.open_at_end, 'alert')} {_was(h.open_at_end)} open, "
        f"{h.overdue_at_end} overdue and {f.open_past_target} past {target} working days "
        f"(previous quarter: {p.open_at_end} open, {p.overdue_at_end} overdue).")
    return sentences


def counting_notes(f: QuarterlyFigures) -> list[str]:
    return [
        f"Alerts raised, themes and stage reached count the alerts raised from {f.start:%d %B %Y} to "
        f"{f.end:%d %B %Y}, as they stood at the end of the quarter. An alert with several reason codes "
        "counts once under each.",
        "A stage response counts in the quarter it came on time, or in the quarter its due date passed "
        "without it (then it is late or missing).",
        "An alert counts as resolved when the IRO was satisfied, referred it to CAFCASS or closed it, "
        "whichever came first.",
        f"Working days run from the first formal stage to resolution, leaving out the informal stage, "
        f"weekends, bank holidays, closure days and time-outs; the target is {f.target_working_days}.",
        "An open alert is overdue when its current stage's response due date has passed without one.",
    ]


def _text(value: object) -> str:
    return "" if value is None else (f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else str(value))


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:  # noqa: ANN001
    """A table whose columns share the page by how much they hold (names wide, figures narrow)."""
    texts = [[_text(v) for v in row] for row in rows]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    table.autofit = False
    weights = [min(max([len(h) // 2 + 1, max(len(w) for w in h.split()) + 2] + [len(r[i]) for r in texts]), 40)
               for i, h in enumerate(headers)]
    widths = [Cm(TABLE_WIDTH_CM * w / sum(weights)) for w in weights]
    for cell, header in zip(table.rows[0].cells, headers, strict=False):
        cell.text = str(header)
    for row in texts:
        for cell, value in zip(table.add_row().cells, row, strict=False):
            cell.text = value
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    document.add_paragraph()


def _chart(document, charts: Mapping[str, Path], name: str) -> None:  # noqa: ANN001

    if name in charts:
        document.add_picture(str(charts[name]), width=Cm(CHART_WIDTH_CM))


def write_report_docx(f: QuarterlyFigures, path: Path, charts: Mapping[str, Path], *,
                      presented_to: str = "") -> Path:

    tables = {name: (headers, rows) for name, headers, rows in figure_tables(f)}
    document = Document()
    document.add_heading("Practice alerts: quarterly quality assurance report", level=0)
    document.add_paragraph(f"{f.authority}. {f.label} ({f.quarter}). Figures as at the end of {f.end:%d %B %Y}."
                           + (f" For the {presented_to}." if presented_to else ""))
    document.add_heading("Summary", level=1)
    for sentence in headline_sentences(f):
        document.add_paragraph(sentence, style="List Bullet")
    document.add_heading("Change from the previous quarter", level=1)
    _table(document, *tables["Summary"])
    _chart(document, charts, "trend")
    document.add_heading("Alerts raised", level=1)
    for name in ("By case type", "By team", "By IRO"):
        document.add_heading(name, level=2)
        _table(document, *tables[name])
    _chart(document, charts, "raised_by_team")
    document.add_heading("Themes", level=1)
    _chart(document, charts, "themes")
    _table(document, *tables["Themes by category"])
    headers, rows = tables["Themes by reason"]
    _table(document, headers, [r for r in rows if r[3]] or rows)
    document.add_heading("Stage reached", level=1)
    _table(document, *tables["Stage reached"])
    _chart(document, charts, "stage_reached")
    document.add_heading("Responses on time", level=1)
    _table(document, *tables["Responses on time"])
    _chart(document, charts, "on_time")
    document.add_heading(f"Resolution within {f.target_working_days} working days", level=1)
    _table(document, *tables["Resolution"])
    document.add_heading("Open and overdue at quarter end", level=1)
    if f.open_alerts:
        _table(document, *tables["Open at quarter end"])
    else:
        document.add_paragraph("No alert was open at the end of the quarter.")
    if f.unreadable:
        document.add_heading("Alerts not counted", level=1)
        for problem in f.unreadable:
            document.add_paragraph(f"{problem.reference}: {problem.reason}", style="List Bullet")
    document.add_heading("How the figures are counted", level=1)
    for note in counting_notes(f):
        document.add_paragraph(note, style="List Bullet")
    document.save(str(path))
    return path
