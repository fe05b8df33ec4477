"""Read Word content controls (w:sdt) and the text Word would show for any piece of a document.

python-docx does not see content controls, so this works on the lxml tree directly. Text is
read the way Word shows the final document: insertions in, deletions and moved-away text out,
placeholder text (w:showingPlcHdr, also of a control nested inside another) as nothing.
Paragraphs and line breaks both become "\\n".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from lxml import etree

from practice_alerts.forms.ooxml import W14, W
from practice_alerts.forms.record import FieldReading, FieldSource

_ = f"{{{W}}}"
T, BR, CR, TAB, P, SDT = _ + "t", _ + "br", _ + "cr", _ + "tab", _ + "p", _ + "sdt"
DEL, MOVE_FROM, INS, MOVE_TO = _ + "del", _ + "moveFrom", _ + "ins", _ + "moveTo"
SDT_PR, SDT_CONTENT, TAG, ALIAS, VAL = _ + "sdtPr", _ + "sdtContent", _ + "tag", _ + "alias", _ + "val"
PLACEHOLDER, DATE, FULL_DATE = _ + "showingPlcHdr", _ + "date", _ + "fullDate"
DROP_DOWN, COMBO, LIST_ITEM = _ + "dropDownList", _ + "comboBox", _ + "listItem"
DISPLAY, VALUE, P_PR, R_PR, RUN = _ + "displayText", _ + "value", _ + "pPr", _ + "rPr", _ + "r"
CHECKBOX, CHECKED, W14_VAL = f"{{{W14}}}checkbox", f"{{{W14}}}checked", f"{{{W14}}}val"
_TEXT_NODES = (T, BR, CR, TAB, P, SDT, DEL, MOVE_FROM, INS, MOVE_TO)
TRUE_WORDS = frozenset({"1", "true", "on"})


def _inside(node: etree._Element, roots: list[etree._Element]) -> bool:
    parent = node.getparent()
    while parent is not None:
        if any(parent is r for r in roots):
            return True
        parent = parent.getparent()
    return False


_COMPLICATIONS = (BR, CR, TAB, SDT, DEL, MOVE_FROM, INS, MOVE_TO)


def shown_text(element: etree._Element) -> tuple[str, bool]:
    """The text Word shows inside `element`, and whether it holds tracked changes."""
    if next(element.iterdescendants(_COMPLICATIONS), None) is None:
        # The common case (plain runs in one or more paragraphs) is read in C by itertext.
        paragraphs = list(element.iter(P))
        if len(paragraphs) <= 1:
            return "".join(element.itertext(T, with_tail=False)), False
        return "\n".join("".join(p.itertext(T, with_tail=False)) for p in paragraphs), False
    return _shown_text_walk(element)


def _shown_text_walk(element: etree._Element) -> tuple[str, bool]:
    parts: list[str] = []
    skipped: list[etree._Element] = []
    revisions = joined = False
    first_paragraph = True
    for node in element.iter(_TEXT_NODES):
        if skipped and _inside(node, skipped):
            continue
        tag = node.tag
        if tag == T:
            parts.append(node.text or "")
        elif tag == P:
            if not first_paragraph and not joined:
                parts.append("\n")
            first_paragraph, joined = False, False
        elif tag == BR or tag == CR:
            if node.get(_ + "type") in (None, "textWrapping"):
                parts.append("\n")
        elif tag == TAB:
            if node.getparent().tag == RUN:  # not a tab stop in the paragraph's properties
                parts.append("\t")
        elif tag == SDT:
            if node is not element and node.find(f"{SDT_PR}/{PLACEHOLDER}") is not None:
                skipped.append(node)
        elif tag == DEL or tag == MOVE_FROM:
            revisions = True
            skipped.append(node)
            parent = node.getparent()
            if tag == DEL and parent is not None and parent.tag == R_PR and parent.getparent().tag == P_PR:
                joined = True  # a deleted paragraph mark: Word joins this paragraph to the next
        else:
            revisions = True
    return "".join(parts), revisions


def control_props(sdt: etree._Element) -> dict[str, etree._Element]:
    """The control's properties (w:sdtPr children) by element name, read in one pass."""
    pr = sdt.find(SDT_PR)
    return {} if pr is None else {child.tag: child for child in pr}


def control_tag(sdt: etree._Element) -> str | None:
    tag = control_props(sdt).get(TAG)
    return None if tag is None else tag.get(VAL)


def control_title(sdt: etree._Element) -> str | None:
    alias = control_props(sdt).get(ALIAS)
    return None if alias is None else alias.get(VAL)


def is_checkbox(sdt: etree._Element) -> bool:
    return CHECKBOX in control_props(sdt)


def read_control(sdt: etree._Element, key: str, source: FieldSource, content: etree._Element | None = None,
                 props: dict[str, etree._Element] | None = None) -> FieldReading:
    """One control's value. `content` replaces the control's own content (e.g. its whole table cell)."""
    props = control_props(sdt) if props is None else props
    box = props.get(CHECKBOX)
    if box is not None:
        state = box.find(CHECKED)
        checked = state is not None and (state.get(W14_VAL) or "").strip().lower() in TRUE_WORDS
        return FieldReading(key=key, checked=checked, source=source)
    text, revisions = shown_text(content if content is not None else sdt.find(SDT_CONTENT))
    text = "" if PLACEHOLDER in props else text.strip()
    date = choice = None
    picker = props.get(DATE)
    if picker is not None and text and picker.get(FULL_DATE):
        try:
            date = dt.date.fromisoformat(picker.get(FULL_DATE)[:10])
        except ValueError:
            date = None
    items = props.get(DROP_DOWN)
    if items is None:
        items = props.get(COMBO)
    if items is not None and text:
        choice = match_item(text, [(i.get(DISPLAY) or i.get(VALUE) or "", i.get(VALUE) or "") for i in items.iter(LIST_ITEM)])
    return FieldReading(key=key, text=text, date=date, choice=choice, source=source,
                                        revisions=revisions)


_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Case, punctuation and spacing ignored: for matching labels and list items."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


def match_item(text: str, items: list[tuple[str, str]]) -> str | None:
    """The value of the (shown, value) item whose shown text or value is `text`."""
    for shown, value in items:
        if text == shown:
            return value
    wanted = normalise(text)
    for shown, value in items:
        if wanted in (normalise(shown), normalise(value)):
            return value
    return None
