"""What people typed, made safe to print: cleaning, paragraphs, British dates.

Text from forms and e-mails may hold characters XML 1.0 cannot carry (NUL, vertical tab,
stray control codes, lone surrogates); one such character makes Word refuse the whole
document. `clean_text` removes them, keeping the layout the person meant:

* a vertical tab (Word's own "manual line break" when text is copied out of it) becomes a
  line break;
* Windows and old Mac line endings become "\\n";
* tabs and form feeds stay, and the renderers turn them into tabs and page breaks.

Everything else — `&`, `<`, quotes, Welsh and accented letters — is kept exactly as typed;
escaping is the renderer's job, never the cleaner's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from markupsafe import Markup, escape
from pydantic import AfterValidator

from practice_alerts.policies.time_zone import uk_day

_NEWLINES = re.compile(r"\r\n?|\x0b|\x85|\u2028")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+|\u2029")
# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
# Form feed is not allowed in XML, but it is kept here as the page-break signal and turned into
# markup (or a blank line) by the renderers.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_RUN_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_RUN_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
_RUN_PAGE = '</w:t><w:br w:type="page"/><w:t xml:space="preserve">'


def printable(value: str) -> str:
    """The text with line endings made "\\n" and characters XML cannot hold removed; nothing trimmed."""
    return _NOT_PRINTABLE.sub("", _NEWLINES.sub("\n", value))


def clean_text(value: str) -> str:
    """`printable`, and trailing spaces on each line and blank lines at either end dropped.

    The words are not touched.
    """
    text = printable(value)
    lines = [line.rstrip(" ") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def clean_line(value: str) -> str:
    """A one-line value (a name, an ID, a subject): cleaned, with any line breaks made spaces."""
    text = clean_text(value).replace("\f", " ")
    return re.sub(r"\s*\n\s*", " ", text).strip()


Text = Annotated[str, AfterValidator(clean_text)]
"""Free text someone typed, possibly over several lines and paragraphs."""

Line = Annotated[str, AfterValidator(clean_line)]
"""A short one-line value someone typed or the directory holds (names, IDs, job titles)."""


def paragraphs(value: str) -> list[str]:
    """The text split into paragraphs at blank lines; line breaks inside a paragraph stay "\\n".

    A form feed starts a new page: it stays at the start of the paragraph that follows it.
    Empty text gives no paragraphs, so a loop over them prints nothing.
    """
    text = clean_text(value)
    if not text.strip():
        return []
    text = re.sub(r"\n*\f\n*", "\n\n\f", text)
    parts = _PARAGRAPH_BREAK.split(text)
    return [part.strip("\n") for part in parts if part.strip("\n\f ")]


def docx_runs(value: str) -> Markup:
    """Escaped text for inside a Word `<w:t>`, with line breaks, tabs and page breaks as markup.

    The template's run must be `<w:t xml:space="preserve">`; the breaks close and reopen it.
    """
    text = str(escape(printable(value)))
    text = text.replace("\n", _RUN_BREAK).replace("\t", _RUN_TAB).replace("\f", _RUN_PAGE)
    return Markup(text)


def html_lines(value: str) -> Markup:
    """Escaped text for an HTML paragraph, line breaks as `<br>`, page breaks dropped."""
    text = str(escape(printable(value).replace("\f", "")))
    return Markup(text.replace("\n", "<br>\n"))


def plain(value: str) -> str:
    """Cleaned text for a plain-text rendering; a page break becomes a blank line."""
    return printable(value).replace("\f", "\n")


def _day(value: dt.date | dt.datetime) -> dt.date:
    """The day a date or moment stands for: a moment's UK day (a naive one is taken as written)."""
    if isinstance(value, dt.datetime):
        return uk_day(value) if value.tzinfo is not None else value.date()
    return value


def long_date(value: dt.date | dt.datetime | None) -> str:
    """A British long date: "Wednesday 30 December 2026". None prints as "not recorded"."""
    if value is None:
        return "not recorded"
    day = _day(value)
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_month_year(value: dt.date | dt.datetime | None) -> str:
    """A date without the weekday, for dates of birth: "9 March 2014". None prints as ""."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(value: dt.date | dt.datetime | None) -> str:
    """A British short date for tables: "30 Dec 2026"."""
    if value is None:
        return "—"
    day = _day(value)
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def date_time(value: dt.datetime | None) -> str:
    """"Wednesday 30 December 2026 at 14:05" (the time as recorded, UK time by the caller)."""
    if value is None:
        return "not recorded"
    return f"{long_date(value)} at {value:%H:%M}"


def short_date_time(value: dt.datetime | None) -> str:
    """"30 Dec 2026 14:05" for chronology tables."""
    if value is None:
        return "—"
    return f"{short_date(value)} {value:%H:%M}"


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
