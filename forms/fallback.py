"""Find fields in forms whose content controls lost their tags.

Other word processors (LibreOffice among them) drop control tags, placeholder flags and some
titles when they save; people also fill old copies made with legacy form fields, or type into
the printed table. In order of certainty, a field is found by: a control's Title, a legacy
form field whose bookmark name is the key, the label printed beside it in a two-column table
row, a "Label: value" line. A reason check box is known by the reason printed beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from practice_alerts.forms.controls import (
    CHECKBOX,
    SDT,
    SDT_PR,
    VAL,
    P,
    T,
    _,
    control_title,
    is_checkbox,
    normalise,
    read_control,
    shown_text,
)
from practice_alerts.forms.fields import Field, Kind
from practice_alerts.forms.record import FieldReading, FieldSource

TR, TC, FLD_CHAR, FF_DATA = _ + "tr", _ + "tc", _ + "fldChar", _ + "ffData"
TICKED_GLYPHS = frozenset("\u2612\u2611\u2713\u2714xX\u25a0")
UNTICKED_GLYPHS = frozenset("\u2610\u25a1")
LOST_BREAKS = ("line breaks in it may have been lost when the form was saved by another program; "
               "check that it reads as you meant")


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row.iter(TC) if c.getparent() is row or c.getparent().getparent().getparent() is row]


def _cell_reading(cell: etree._Element, field: Field, source: FieldSource) -> FieldReading:
    """A value cell read whole: another program may have moved paragraphs outside the control."""
    if field.kind is Kind.CHECK:
        return _tick(cell, field.key, source)
    control = next(cell.iter(SDT), None)
    raw, revisions = shown_text(cell)
    if control is not None:
        reading = read_control(control, field.key, source, content=cell)
    else:
        reading = FieldReading(key=field.key, text=raw.strip(), source=source, revisions=revisions)
    if field.kind is Kind.RICH and raw.lstrip(" \t").startswith("\n") and raw.strip():
        reading = reading.but(doubt=LOST_BREAKS)
    return reading


def _tick(element: etree._Element, key: str, source: FieldSource) -> FieldReading:
    box = next((s for s in element.iter(SDT) if s.find(f"{SDT_PR}/{CHECKBOX}") is not None), None)
    if box is not None:
        return read_control(box, key, source)
    text = shown_text(element)[0].strip()
    if text and all(c in TICKED_GLYPHS for c in text):
        return FieldReading(key=key, checked=True, source=source)
    if not text or all(c in UNTICKED_GLYPHS for c in text):
        return FieldReading(key=key, checked=False, source=source)
    return FieldReading(key=key, checked=False, source=source,
                        doubt=f"the tick box shows {text!r}, which is neither ticked nor empty")


def by_title(roots: Iterable[etree._Element], wanted: dict[str, Field]) -> dict[str, FieldReading]:
    labels = {normalise(f.label): f for f in wanted.values()}
    found: dict[str, FieldReading] = {}
    for root in roots:
        for sdt in root.iter(SDT):
            title = control_title(sdt)
            field = labels.get(normalise(title)) if title else None
            if field is None or field.key in found:
                continue
            if field.kind is Kind.CHECK:
                found[field.key] = _tick(sdt, field.key, FieldSource.CONTROL_TITLE)
                continue
            if is_checkbox(sdt):
                continue
            cell = next((a for a in sdt.iterancestors(TC)), None)
            if cell is not None and field.kind is Kind.RICH:
                found[field.key] = _cell_reading(cell, field, FieldSource.CONTROL_TITLE)
            else:
                found[field.key] = read_control(sdt, field.key, FieldSource.CONTROL_TITLE)
    return found


def legacy_fields(roots: Iterable[etree._Element], wanted: dict[str, Field]) -> dict[str, FieldReading]:
    """FORMTEXT / FORMCHECKBOX / FORMDROPDOWN fields named by their bookmark."""
    found: dict[str, FieldReading] = {}
    for root in roots:
        current: tuple[str, etree._Element] | None = None
        in_result, depth = False, 0
        text: list[str] = []
        for node in root.iter(FLD_CHAR, T, P):
            if node.tag == FLD_CHAR:
                kind = node.get(_ + "fldCharType")
                if kind == "begin":
                    depth += 1
                    data = node.find(FF_DATA)
                    if data is not None and depth == 1:
                        name = data.find(_ + "name")
                        current = (name.get(VAL) if name is not None else "", data)
                        in_result, text = False, []
                elif kind == "separate" and depth == 1:
                    in_result = True
                elif kind == "end":
                    depth = max(depth - 1, 0)
                    if depth == 0 and current is not None:
                        key, data = current
                        if key in wanted:
                            found.setdefault(key, _legacy_value(key, data, "".join(text).strip()))
                        current, in_result = None, False
            elif current is not None and in_result:
                text.append(node.text or "" if node.tag == T else "\n")
    return found


def _legacy_value(key: str, data: etree._Element, text: str) -> FieldReading:
    box = data.find(_ + "checkBox")
    if box is not None:
        state = box.find(_ + "checked")
        if state is None:
            state = box.find(_ + "default")
        checked = state is not None and (state.get(VAL) or "1").lower() in ("1", "true", "on")
        return FieldReading(key=key, checked=checked, source=FieldSource.LEGACY_FIELD)
    listing = data.find(_ + "ddList")
    if listing is not None:
        entries = [e.get(VAL) or "" for e in listing.findall(_ + "listEntry")]
        result = listing.find(_ + "result")
        index = int(result.get(VAL) or 0) if result is not None and (result.get(VAL) or "0").isdigit() else 0
        text = entries[index] if 0 <= index < len(entries) else ""
    return FieldReading(key=key, text=text, source=FieldSource.LEGACY_FIELD)


def by_label(roots: Iterable[etree._Element], wanted: dict[str, Field]) -> dict[str, FieldReading]:
    """Two-column rows and "Label: value" lines whose label is a field's label."""
    labels = {normalise(f.label): f for f in wanted.values()}
    found: dict[str, FieldReading] = {}

    def keep(reading: FieldReading) -> None:
        field = wanted[reading.key]
        if reading.text and normalise(reading.text) == normalise(field.prompt):
            reading = reading.but(text="", date=None, choice=None)
        earlier = found.get(reading.key)
        if earlier is None or (not earlier.text and earlier.checked is None):
            found[reading.key] = reading
        elif not reading.text and reading.checked is None:
            return
        elif (earlier.text, earlier.checked) != (reading.text, reading.checked) and not earlier.doubt:
            found[reading.key] = earlier.but(doubt="it appears more than once with different answers")

    roots = list(roots)
    for root in roots:
        for row in root.iter(TR):
            cells = _cells(row)
            if len(cells) < 2:
                continue
            names = [normalise("".join(c.itertext(T, with_tail=False))) for c in cells]  # in C; labels are plain
            for i, name in enumerate(names):
                field = labels.get(name)
                if field is None:
                    continue
                if field.kind is Kind.CHECK:
                    others = [c for j, c in enumerate(cells) if j != i]
                    keep(_tick(others[0] if len(others) == 1 else row, field.key, FieldSource.LABEL))
                elif i + 1 < len(cells):
                    keep(_cell_reading(cells[i + 1], field, FieldSource.LABEL))
                break
    lines = {k: f for k, f in labels.items() if f.kind is not Kind.CHECK and not getattr(found.get(f.key), "text", "")}
    if not lines:
        return found
    for root in roots:  # "Label: value" lines, only for what the tables did not give
        for paragraph in root.iter(P):
            if ":" not in "".join(paragraph.itertext(T, with_tail=False)):
                continue
            line = shown_text(paragraph)[0]
            head, _sep, rest = line.partition(":")
            field = lines.get(normalise(head))
            if field is not None and rest.strip():
                keep(FieldReading(key=field.key, text=rest.strip(), source=FieldSource.LABEL))
    return found
