"""Fill a form's content controls by tag, as Word would when a person types into them.

The service uses this to stamp the reference on copies it sends; the test fixtures and the
benchmark use it to make filled forms from the real template.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping

from lxml import etree

from practice_alerts.forms.ooxml import W14, ZIP_TIME, W
from practice_alerts.forms.xml import parse_xml

Value = str | bool | dt.date | None
_w = f"{{{W}}}"
_w14 = f"{{{W14}}}"


def _run(text: str) -> etree._Element:
    r = etree.Element(_w + "r")
    for i, line in enumerate(text.replace("\n", "\v").split("\v")):
        if i:
            etree.SubElement(r, _w + "br")
        node = etree.SubElement(r, _w + "t")
        node.text = line
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _set_content(sdt: etree._Element, text: str) -> None:
    content = sdt.find(_w + "sdtContent")
    block = content.find(_w + "p") is not None
    for child in list(content):
        content.remove(child)
    if block:
        for line in text.split("\n"):
            p = etree.SubElement(content, _w + "p")
            p.append(_run(line))
    else:
        content.append(_run(text))


def fill_control(sdt: etree._Element, value: Value) -> None:
    pr = sdt.find(_w + "sdtPr")
    for flag in pr.findall(_w + "showingPlcHdr"):
        pr.remove(flag)
    box = pr.find(_w14 + "checkbox")
    if box is not None:
        ticked = bool(value)
        box.find(_w14 + "checked").set(_w14 + "val", "1" if ticked else "0")
        _set_content(sdt, "\u2612" if ticked else "\u2610")
        return
    if value is None or value == "":
        return
    date = pr.find(_w + "date")
    if date is not None and isinstance(value, dt.date):
        date.set(_w + "fullDate", value.isoformat() + "T00:00:00Z")
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    items = pr.find(_w + "dropDownList")
    if items is not None:
        for item in items.findall(_w + "listItem"):
            if item.get(_w + "value") == text:
                text = item.get(_w + "displayText")
    _set_content(sdt, text)


def fill_xml(xml: bytes, values: Mapping[str, Value]) -> bytes:
    root = parse_xml(xml)
    for sdt in root.iter(_w + "sdt"):
        tag = sdt.find(f"{_w}sdtPr/{_w}tag")
        if tag is not None and tag.get(_w + "val") in values:
            fill_control(sdt, values[tag.get(_w + "val")])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fill_form(docx: bytes, values: Mapping[str, Value], *, application: str | None = None) -> bytes:
    """A copy of `docx` with the controls tagged by `values`' keys filled in.

    In long answers "\n" starts a new paragraph (Enter) and "\v" is a line break (Shift+Enter),
    as in Word's own object model; in one-line controls both are line breaks.
    `application` replaces the saving application named in docProps/app.xml.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("word/") and info.filename.endswith(".xml") and b"<w:sdt>" in body:
                body = fill_xml(body, values)
            if application and info.filename == "docProps/app.xml":
                body = body.replace(b"Practice Alerts form builder", application.encode())
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()
