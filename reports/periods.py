"""Reporting quarters: ``2026-Q4`` is October to December 2026 (calendar quarters).

A quarter's figures are taken "as at" the last instant of its last day, London time, so an
event at 23:59 on 31 December belongs to Q4 and one at 00:00 on 1 January to the next quarter.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field

from practice_alerts.policies.time_zone import uk_moment

_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


class QuarterError(ValueError):
    """The quarter was written in a way we cannot read; the message says how to write it."""


class Quarter(BaseModel):
    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=2000, le=2999)
    number: int = Field(ge=1, le=4)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PATTERN.match(text or "")
        if not match:
            raise QuarterError(f"'{text}' is not a quarter; write it like 2026-Q4 (Q1 is January to March)")
        return cls(year=int(match.group(1)), number=int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(year=day.year, number=(day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def as_of(self) -> dt.datetime:
        """The last instant of the quarter, London time: figures are taken as at this moment."""
        return uk_moment(self.end, dt.time.max)

    @property
    def label(self) -> str:
        """E.g. 'October to December 2026'."""
        return f"{self.start:%B} to {self.end:%B} {self.year}"

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(year=self.year - 1, number=4)
        return Quarter(year=self.year, number=self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(year=self.year + 1, number=1)
        return Quarter(year=self.year, number=self.number + 1)

    def __str__(self) -> str:
        return self.key
