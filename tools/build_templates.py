"""Build the built-in Word templates by code, so that every Jinja tag sits in one run.

Word splits text into runs around spell-check marks and formatting changes, and a tag split
across runs no longer works. Here each tag is written as a run of its own, and
`documents.checks` refuses any template (ours or an authority's) where that is not so.

The layouts themselves are in `tools.letter_layouts`; this module is the small vocabulary they
are written in. Run `python -m tools.build_templates` (from the repository root) to rewrite the
.docx files in `templates/letters/` after changing a layout.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tools.letter_layouts import LAYOUTS

BUILT_IN_FOLDER = Path(__file__).resolve().parent.parent / "templates" / "letters"

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
_BOLD_MARK = re.compile(r"(\*\*)")
_FIXED_DATE = "2026-01-01T00:00:00Z"


class LetterBuilder:
    """A Word document written paragraph by paragraph, each Jinja tag in a run of its own.

    Text passed to `para` may mix literal words, `**bold words**` and Jinja tags.
    """

    def __init__(self, title: str) -> None:
        self.doc = Document()
        self._set_up(title)

    def _set_up(self, title: str) -> None:
        doc = self.doc
        normal = doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
        lang = normal.element.rPr.makeelement(qn("w:lang"), {qn("w:val"): "en-GB"})
        normal.element.rPr.append(lang)
        for name in ("Title", "Heading 1", "Heading 2"):
            style = doc.styles[name]
            style.font.name = "Arial"
            style.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        doc.styles["Title"].font.size = Pt(20)
        section = doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.0)
        header = section.header.paragraphs[0]
        self._fill(header, "{{ alert.authority }}")
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        marking = section.header.add_paragraph()
        self._fill(marking, "OFFICIAL-SENSITIVE: PERSONAL")
        marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer = section.footer.paragraphs[0]
        self._fill(footer, "Practice Alert {{ alert.reference }}")
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        props = doc.core_properties
        props.title, props.author, props.comments = title, "Practice Alerts", ""
        props.last_modified_by = "Practice Alerts"

    # -- paragraphs -------------------------------------------------------------------------
    def para(self, text: str = "", style: str | None = None, bold: bool = False) -> None:
        paragraph = self.doc.add_paragraph(style=style)
        self._fill(paragraph, text, bold)

    def title(self, text: str) -> None:
        self.para(text, style="Title")

    def heading(self, text: str, level: int = 1) -> None:
        paragraph = self.doc.add_heading(level=level)
        self._fill(paragraph, text)

    def bullet(self, text: str) -> None:
        self.para(text, style="List Bullet")

    def control(self, statement: str) -> None:
        """A paragraph holding only `{%p statement %}`; the renderer removes the paragraph."""
        self.para("{%p " + statement + " %}")

    def multiline(self, expression: str, style: str | None = None) -> None:
        """Typed text printed as real paragraphs, its line breaks and tabs kept."""
        self.control(f"for paragraph in {expression}|paragraphs")
        self.para("{{ paragraph }}", style=style)
        self.control("endfor")

    def bullets(self, loop: str, text: str) -> None:
        self.control(f"for {loop}")
        self.bullet(text)
        self.control("endfor")

    # -- tables -----------------------------------------------------------------------------
    def facts(self, rows: list[tuple[str, str]]) -> None:
        """A two-column table of label and value."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            self._fill(cells[0].paragraphs[0], label, bold=True)
            self._fill(cells[1].paragraphs[0], value)
        self._widths(table, [Cm(5.0), Cm(11.6)])
        self.doc.add_paragraph()

    def rows(self, loop: str, headings: list[str], cells: list[str], widths_cm: list[float]) -> None:
        """A table with a heading row and one row per item of `loop` (a Jinja for-clause)."""
        table = self.doc.add_table(rows=0, cols=len(headings))
        table.style = "Table Grid"
        head = table.add_row().cells
        for cell, text in zip(head, headings, strict=False):
            self._fill(cell.paragraphs[0], text, bold=True)
        self._fill(table.add_row().cells[0].paragraphs[0], "{%tr for " + loop + " %}")
        for cell, text in zip(table.add_row().cells, cells, strict=False):
            self._fill(cell.paragraphs[0], text)
        self._fill(table.add_row().cells[0].paragraphs[0], "{%tr endfor %}")
        self._widths(table, [Cm(w) for w in widths_cm])
        self.doc.add_paragraph()

    # -- output -----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _widths(table, widths) -> None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=False):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width

    @staticmethod
    def _fill(paragraph, text: str, bold: bool = False) -> None:
        strong = False
        for part in _BOLD_MARK.split(text):
            if part == "**":
                strong = not strong
                continue
            for piece in _TAG.split(part):
                if not piece:
                    continue
                run = paragraph.add_run(piece)
                run.bold = (bold or strong) or None
                if _TAG.fullmatch(piece):
                    run._r.t_lst[0].set(qn("xml:space"), "preserve")


def build_all(folder: Path = BUILT_IN_FOLDER) -> list[Path]:
    """Write every built-in .docx template into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (title, layout) in LAYOUTS.items():
        builder = LetterBuilder(title)
        layout(builder)
        path = folder / f"{name}.docx"
        path.write_bytes(_stable(builder))
        written.append(path)
    return written


def _stable(builder: LetterBuilder) -> bytes:
    """The .docx with fixed dates in its properties and its zip, so rebuilding changes nothing in git."""
    fixed = dt.datetime.fromisoformat(_FIXED_DATE)
    props = builder.doc.core_properties
    props.created = props.modified = fixed
    props.last_printed = fixed
    props.revision = 1
    source = zipfile.ZipFile(io.BytesIO(builder.to_bytes()))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed_zip:
        for info in source.infolist():  # python-docx stamps each part with the current time
            fixed_zip.writestr(zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6]), source.read(info),
                               compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    for written_path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILT_IN_FOLDER):
        print(written_path)
