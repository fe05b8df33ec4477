"""WordprocessingML names and the small pieces of markup the form builder writes.

Kept apart from build.py so the builder reads as a description of the form, not of XML.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

ROOT_NS = f'xmlns:w="{W}" xmlns:w14="{W14}" xmlns:r="{R}" xmlns:mc="{MC}" mc:Ignorable="w14"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every part gets the same timestamp so that building twice gives identical bytes."""


def q(text: str) -> str:
    return quoteattr(text)


def t(text: str) -> str:
    """A w:t run text, keeping leading and trailing spaces."""
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str, rpr: str = "") -> str:
    parts = text.split("\n")
    inner = "<w:br/>".join(t(p) for p in parts)
    return f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}{inner}</w:r>"


def para(content: str = "", style: str | None = None, ppr: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{content}</w:p>"


def text_para(text: str, style: str | None = None, ppr: str = "") -> str:
    return para(run(text), style, ppr)


def cell(content: str, width: int, shade: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>{content}</w:tc>'


def table(rows: list[str], widths: tuple[int, int]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="FormTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def row(*cells: str, cant_split: bool = True) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>" if cant_split else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def page_field(code: str) -> str:
    return (
        f'<w:fldSimple w:instr=" {code} \\* MERGEFORMAT ">'
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
    )


def write_package(parts: dict[str, str | bytes]) -> bytes:
    """A zip of the parts in the given order, byte-for-byte reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body.encode("utf-8") if isinstance(body, str) else body)
    return out.getvalue()
