"""The quarterly report as a Word document: the figures in sentences, tables and charts.

Written for the Performance and QA meeting (or whichever forum the policy names): headline
sentences first, then each measure with its table and, where a picture reads faster, a chart.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from practice_alerts.reports.figures_xlsx import figure_tables
from practice_alerts.reports.quarterly import QuarterlyFigures

CHART_WIDTH_CM = 16
TABLE_WIDTH_CM = 16


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _percent(value: float | None) -> str:
    """A percentage as a meeting reads it: 83%, not 83.3%."""
    return "no" if value is None else f"{round(value)}%"


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
            f"{plural(h.finished, 'alert')} reached an outcome: {h.resolved} resolved, "
            f"{h.closed_unresolved} closed without resolution, {h.referred} referred to CAFCASS and "
            f"{h.withdrawn} withdrawn.")
        sentences.append(
            f"{h.within_target} of the {plural(h.finished, 'alert')} ({_percent(h.within_target_percent)}) "
            f"{_was(h.within_target)} resolved within {target} working days "
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
    if h.unresolved_at_top:
        sentences.append(
            f"{plural(h.unresolved_at_top, 'alert')} {_was(h.unresolved_at_top)} left unresolved at the top of the "
            "procedure and went to the route the policy names; these are not counted as resolved.")
    if h.children_told_rights or h.outcomes_told_to_child:
        sentences.append(
            f"{plural(h.children_told_rights, 'child', 'children')} {_was(h.children_told_rights)} told of their right "
            f"to complain and to an advocate, and {plural(h.outcomes_told_to_child, 'outcome')} "
            f"{_was(h.outcomes_told_to_child)} communicated to the child.")
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
        "An alert reaches an outcome when the IRO was satisfied (resolved), referred it to CAFCASS (ending the "
        "council's escalation) or closed it (withdrawn, or closed without resolution), whichever came first. A "
        "referral made alongside the escalation does not end it; an alert closed while unresolved at the top of "
        "the procedure is closed without resolution. Only resolutions count as resolved within the target; the "
        "percentage is of every alert that reached an outcome.",
        f"Working days run from the first formal stage to resolution, leaving out the informal stage, "
        f"weekends, bank holidays, closure days and time-outs; the target is {f.target_working_days}.",
        "An open alert is overdue when its current stage's response due date has passed without one.",
    ]


def _text(value: object) -> str:
    return "" if value is None else (f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else str(value))


def _percent_cells(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Percentages written as 83%: in a column headed with %, or a row whose measure starts with %."""
    out = []
    for row in rows:
        whole_row = isinstance(row[0], str) and row[0].startswith("%")
        out.append([f"{round(v)}%" if isinstance(v, (int, float)) and not isinstance(v, bool)
                    and (whole_row or "%" in headers[i]) else v for i, v in enumerate(row)])
    return out


def _repeat_header(row) -> None:  # noqa: ANN001
    """Mark a table's first row as its header, repeated at the top of each page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    properties.append(no_split)


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:  # noqa: ANN001
    """A table whose columns share the page by how much they hold (names wide, figures narrow);
    no column is narrower than its header's longest word, so header words never break."""
    texts = [[_text(v) for v in row] for row in _percent_cells(headers, rows)]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    table.autofit = False
    weights = [min(max([len(h) // 2 + 1, max(len(w) for w in h.split()) + 2] + [len(r[i]) for r in texts]), 40)
               for i, h in enumerate(headers)]
    words = [max(len(w) for w in h.split()) + 2 for h in headers]
    if sum(words) * 0.2 <= TABLE_WIDTH_CM:  # about 0.2 cm a character at the table's size
        weights = [max(w, round(n * sum(weights) * 0.2 / TABLE_WIDTH_CM)) for w, n in zip(weights, words, strict=True)]
    widths = [Cm(TABLE_WIDTH_CM * w / sum(weights)) for w in weights]
    for cell, header in zip(table.rows[0].cells, headers, strict=False):
        cell.text = str(header)
    _repeat_header(table.rows[0])
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width  # first, so each row added takes its cells' widths from the columns
    for cell, width in zip(table.rows[0].cells, widths, strict=False):
        cell.width = width
    template = None
    for row in texts:
        if template is None or any(PLAIN.search(value) for value in row):
            added = table.add_row()
            for cell, value in zip(added.cells, row, strict=False):
                cell.text = value
            template = template if template is not None else added._tr
        else:
            _copy_row(table, template, row)
    document.add_paragraph()


PLAIN = re.compile(r"[\x00-\x1f]")
"""Text python-docx writes as more than one plain run (tabs, line breaks) or refuses: such rows are added its way."""


def _copy_row(table, template, row: Sequence[str]) -> None:  # noqa: ANN001
    """A row like ``template`` (the table's first row added by python-docx: each cell its width and one
    paragraph of one run) holding ``row``; the same XML as ``cell.text = value`` writes, made much faster
    for the long tables (every open alert)."""
    tr = copy.deepcopy(template)
    cells = [element for element in tr if element.tag == TC]
    for tc, value in zip(cells, row, strict=False):
        run = tc[-1][0]
        for child in list(run):
            run.remove(child)
        if value:
            text = etree.SubElement(run, T)
            text.text = value
            if len(value.strip()) < len(value):
                text.set(SPACE, "preserve")
    table._tbl.append(tr)


TC, T, SPACE = qn("w:tc"), qn("w:t"), qn("xml:space")


CHART_ALT_TEXT = {
    "trend": "Line chart of the headline figures over the last four quarters; the Trend table gives the numbers.",
    "raised_by_team": "Bar chart of alerts raised by team; the By team table gives the numbers.",
    "themes": "Bar chart of alerts by theme; the Themes tables give the numbers.",
    "stage_reached": "Bar chart of the highest stage each alert reached; the Stage reached table gives the numbers.",
    "on_time": "Bar chart of stage responses on time and late by stage; the Responses on time table gives the numbers.",
}


def _chart(document, charts: Mapping[str, Path], name: str) -> None:  # noqa: ANN001

    if name in charts:
        shape = document.add_picture(str(charts[name]), width=Cm(CHART_WIDTH_CM))
        described = shape._inline.docPr
        described.set("descr", CHART_ALT_TEXT.get(name, name.replace("_", " ").capitalize()))
        described.set("title", name.replace("_", " ").capitalize())


def write_report_docx(f: QuarterlyFigures, path: Path, charts: Mapping[str, Path], *,
                      presented_to: str = "", authority: str | None = None, logo: Path | None = None) -> Path:
    """``authority`` and ``logo`` come from the configuration's ``reporting`` section (the policy's
    authority name otherwise)."""

    tables = {name: (headers, rows) for name, headers, rows in figure_tables(f)}
    document = Document()
    if logo is not None:
        picture = document.add_picture(str(logo), height=Cm(2))
        picture._inline.docPr.set("descr", f"{authority or f.authority} logo")
    document.add_heading("Practice alerts: quarterly quality assurance report", level=0)
    document.add_paragraph(f"{authority or f.authority}. {f.label} ({f.quarter}). Figures as at the end of "
                           f"{f.end:%d %B %Y}." + (f" For the {presented_to}." if presented_to else ""))
    document.add_heading("Summary", level=1)
    for sentence in headline_sentences(f):
        document.add_paragraph(sentence, style="List Bullet")
    document.add_heading("Commentary by the quality assurance manager", level=1)
    document.add_paragraph("[To be written by the QA manager before the meeting: what the figures show, the "
                           "themes behind them, and the actions proposed.]")
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
    for name in ("Responses by team", "Responses by manager"):
        if tables[name][1]:
            document.add_heading(f"Responses on time {name[len('Responses '):]}", level=2)
            _table(document, *tables[name])
    document.add_heading("Outcomes", level=1)
    _table(document, *tables["Outcomes"])
    document.add_heading(f"Resolution within {f.target_working_days} working days", level=1)
    _table(document, *tables["Resolution"])
    document.add_heading("Open and overdue at quarter end", level=1)
    if f.open_alerts:
        _table(document, *tables["Open at quarter end"])
    else:
        document.add_paragraph("No alert was open at the end of the quarter.")
    if f.learning_section:
        document.add_heading("Learning", level=1)
        document.add_paragraph(
            "The learning from this quarter's alerts, for the IRO/CPA team managers to complete before the report "
            f"is presented{' to ' + f.presented_to if f.presented_to else ''} and disseminated within the practice "
            "forums. The themes above are the starting point:")
        for category in [c for c in f.by_category if c.count][:5]:
            document.add_paragraph(f"{category.name} ({plural(category.count, 'alert')}): ", style="List Bullet")
    if f.unreadable:
        document.add_heading("Alerts not counted", level=1)
        for problem in f.unreadable:
            document.add_paragraph(f"{problem.reference}: {problem.reason}", style="List Bullet")
    document.add_heading("How the figures are counted", level=1)
    for note in counting_notes(f):
        document.add_paragraph(note, style="List Bullet")
    document.save(str(path))
    return path
