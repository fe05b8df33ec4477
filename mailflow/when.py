"""Dates as people write them in e-mail: British ``12/01/2027``, ISO ``2027-01-12``,
``12 January 2027``, ``Tuesday 12th Jan``, ``January 12, 2027``. Never US month-first."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, names in enumerate([
    (), ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")]) for m in names}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+(\d{4}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:3]]


def _build(year: int | None, month: int, day: int, today: dt.date) -> dt.date | None:
    if year is not None and year < 100:
        year += 2000
    try:
        if year is not None:
            return dt.date(year, month, day)
        candidate = dt.date(today.year, month, day)
        return candidate if candidate >= today else dt.date(today.year + 1, month, day)
    except ValueError:
        return None


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """The date ``text`` starts with (after spaces and a weekday), or None."""
    return _first(text, today, anchored=True)


def first_date_after(text: str, today: dt.date) -> dt.date | None:
    """The first date anywhere in ``text``, or None."""
    return _first(text, today, anchored=False)


def _first(text: str, today: dt.date, anchored: bool) -> dt.date | None:
    best: tuple[int, dt.date] | None = None
    for pattern, build in (
        (_ISO, lambda m: _build(int(m[1]), int(m[2]), int(m[3]), today)),
        (_NUMERIC, lambda m: _build(int(m[3]) if m[3] else None, int(m[2]), int(m[1]), today)),
        (_DAY_MONTH, lambda m: _build(int(m[3]) if m[3] else None, _month(m[2]), int(m[1]), today)),
        (_MONTH_DAY, lambda m: _build(int(m[3]) if m[3] else None, _month(m[1]), int(m[2]), today)),
    ):
        for match in pattern.finditer(text):
            if anchored and text[:match.start()].strip(" ,:-").lower().rstrip(",") not in _WEEKDAY_PREFIXES:
                break
            value = build(match)
            if value is not None and (best is None or match.start() < best[0]):
                best = (match.start(), value)
            break
    return best[1] if best else None


_WEEKDAY_PREFIXES = {"", "on", "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur",
                     "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday"} | {
    f"{p} {d}" for p in ("on",) for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
