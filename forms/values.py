"""Turn what a field shows into its value: dates in British forms, list choices, ticks.

Errors are returned as sentences for the IRO, naming the field by its label.
"""

from __future__ import annotations

import datetime as dt
import re

from practice_alerts.forms.controls import match_item
from practice_alerts.forms.fields import Field, Kind, case_type_choices
from practice_alerts.forms.record import FieldReading

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({name[:3]: n for name, n in list(MONTHS.items())})
MONTHS["sept"] = 9
NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
WORDS = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})$")


def parse_british_date(text: str) -> dt.date | None:
    """3/12/2026, 03.12.26, 3 December 2026, Thursday 3rd Dec 2026, 2026-12-03; None if not a date."""
    cleaned = " ".join(text.strip().lower().split())
    try:
        if m := ISO.match(cleaned):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMERIC.match(cleaned):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))
        if (m := WORDS.match(cleaned)) and m[2] in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))
    except ValueError:
        return None
    return None


Value = str | bool | dt.date | None
ANY_CASE_TYPE = case_type_choices(None)
"""Every case type's choice: the form's value is read against all of them, the policy's own are checked later."""


def field_value(field: Field, reading: FieldReading | None) -> tuple[Value, str | None]:
    """The field's value (None when empty) and, if it cannot be understood, why."""
    if reading is None:
        return (False if field.kind is Kind.CHECK else None), None
    if field.kind is Kind.CHECK:
        return bool(reading.checked), None
    text = reading.text
    if not text:
        return None, None
    if field.kind is Kind.DATE:
        date = reading.date or parse_british_date(text)
        if date is None:
            return None, f"{field.label} '{text}' is not a date we can read: write it as 3/12/2026 or 3 December 2026."
        return date, None
    if field.kind is Kind.CHOICE and (field.choices or reading.choice):
        choices = ANY_CASE_TYPE if field.key == "case_type" else field.choices  # policy checks it
        value = reading.choice or match_item(text, [(c.shown, c.value) for c in choices])
        if value is None:
            allowed = ", ".join(c.shown for c in field.choices)
            return None, f"{field.label} '{text}' is not one of the choices ({allowed}): pick one from the list."
        return value, None
    return text, None
