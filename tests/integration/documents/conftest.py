"""Reading generated documents back: every paragraph, in tables too, with breaks and tabs."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs_of(data: bytes, part: str = "word/document.xml") -> list[str]:
    """Each paragraph's text (table cells included), a line break as "\\n", a tab as "\\t",
    a page break as "\\f". Opens the file with python-docx first, as a reader would."""
    docx.Document(io.BytesIO(data))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))
    result = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter(f"{W}t", f"{W}br", f"{W}tab"):
            if node.tag == f"{W}t":
                pieces.append(node.text or "")
            elif node.tag == f"{W}tab":
                pieces.append("\t")
            else:
                pieces.append("\f" if node.get(f"{W}type") == "page" else "\n")
        result.append("".join(pieces))
    return result


def table_cells_of(data: bytes) -> list[list[list[str]]]:
    """Every table as rows of cell texts, read with python-docx."""
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def text_of(data: bytes) -> str:
    return "\n".join(paragraphs_of(data))


@pytest.fixture
def read_paragraphs():
    return paragraphs_of


@pytest.fixture
def read_tables():
    return table_cells_of


@pytest.fixture
def read_text():
    return text_of
