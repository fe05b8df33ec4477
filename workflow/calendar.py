"""Working days: England & Wales bank holidays, the authority's closure days and the daily cut-off.

The rule every deadline follows (docs/working-days.md has worked examples):

* A message is *received* on its London date, unless it arrives after the cut-off (17:00 by
  default) or on a non-working day; then it is received on the next working day.
* "N working days from receipt": the receipt day is day 0; the due date is the Nth working day
  after it, and a response is on time if its London date is on or before the due date.

Pure: no clock and no files. Bank holidays come from the ``holidays`` package (a data library),
computed per year once and cached, so any year asked about is covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day, uk_moment, uk_time
from practice_alerts.workflow.uk_holidays import england_and_wales

_ONE_DAY = dt.timedelta(days=1)


@cache
def _bank_holidays_for_year(year: int) -> dict[dt.date, str]:
    # Without subdiv="ENG" Easter Monday and the August bank holiday go missing.
    # Neighbouring years are asked for too, in case a substitute day crosses the year's edge.
    table = england_and_wales(range(year - 1, year + 2))
    return {day: name for day, name in table.items() if day.year == year}


def bank_holiday_name(day: dt.date) -> str | None:
    """The England & Wales bank holiday on this day, if any (weekend holidays included)."""
    return _bank_holidays_for_year(day.year).get(day)


class ClosurePeriod(BaseModel):
    """Days the authority is closed, first and last inclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    end: dt.date
    reason: str = ""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ClosurePeriod:
        if self.end < self.start:
            raise ValueError(
                f"closure period starting {self.start.isoformat()} ends before it starts "
                f"({self.end.isoformat()}); give the last closed day as 'end'"
            )
        return self


class WorkingCalendar(BaseModel):
    """An immutable working-day calendar for one authority."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    closures: tuple[ClosurePeriod, ...] = ()
    cut_off: dt.time = Field(default=dt.time(17, 0), description="later receipts count from the next working day")

    _closed: dict[dt.date, str] = PrivateAttr(default_factory=dict)
    _years: dict[int, list[int]] = PrivateAttr(default_factory=dict)
    """Per year, the working days from 1 January up to and including each day (counting reads it)."""

    def model_post_init(self, __context: object) -> None:
        closed: dict[dt.date, str] = {}
        for period in self.closures:
            day = period.start
            while day <= period.end:
                closed.setdefault(day, period.reason or "authority closure day")
                day += _ONE_DAY
        self._closed = closed

    @classmethod
    def for_policy(cls, policy: Policy) -> WorkingCalendar:
        """The calendar a policy describes (its closure days and cut-off)."""
        settings = policy.working_days
        return cls.from_closures(
            ((c.start, c.end or c.start, c.reason) for c in settings.closure_days), cut_off=settings.cut_off
        )

    @classmethod
    def from_closures(
        cls, closures: Iterable[tuple[dt.date, dt.date] | tuple[dt.date, dt.date, str]] = (), *, cut_off: dt.time = dt.time(17, 0)
    ) -> WorkingCalendar:
        periods = tuple(ClosurePeriod(start=c[0], end=c[1], reason=c[2] if len(c) > 2 else "") for c in closures)
        return cls(closures=periods, cut_off=cut_off)

    # -- single days ------------------------------------------------------------------

    def non_working_reason(self, d: dt.date) -> str | None:
        """Why this is not a working day ("Saturday", "Christmas Day", a closure's reason), or None."""
        if d.weekday() >= 5:
            return d.strftime("%A")
        return bank_holiday_name(d) or self._closed.get(d)

    def is_working_day(self, d: dt.date) -> bool:
        return self.non_working_reason(d) is None

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d``."""
        d -= _ONE_DAY
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    # -- instants -----------------------------------------------------------------------

    def receipt_day(self, at: dt.datetime) -> dt.date:
        """The working day a message arriving at ``at`` counts as received (day 0)."""
        local = uk_time(at)
        day = local.date()
        if local.time() > self.cut_off or not self.is_working_day(day):
            return self.next_working_day(day)
        return day

    def end_of_day(self, d: dt.date) -> dt.datetime:
        """The last instant of London day ``d`` (aware): a response by then is on time for due date ``d``."""
        return uk_moment(d, dt.time.max)

    def is_on_time(self, responded_at: dt.datetime, due: dt.date) -> bool:
        """On time means the response's London date is on or before the due date (the cut-off does not apply)."""
        return uk_day(responded_at) <= due

    def is_after(self, now: dt.datetime, day: dt.date) -> bool:
        """``day`` is over by ``now``: ``now`` falls on a London date after it (a due date passes at midnight).

        The one date comparison behind every deadline: ``AlertState.is_overdue`` (an alert is overdue)
        and ``climb.deadline_passed`` / ``replies.deadline_missed`` (the workflow may act on a missed deadline).
        """
        return uk_day(now) > day

    # -- counting ---------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The nth working day after ``start`` (day 0); n=0 is ``start`` itself if working, else the next working day."""
        if n < 0:
            raise ValueError(f"cannot add {n} working days; use subtract_working_days")
        if n == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        day = start
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def subtract_working_days(self, d: dt.date, n: int) -> dt.date:
        """The working day n working days before ``d`` (for reminders); n=0 is ``d`` if working, else the one before."""
        if n < 0:
            raise ValueError(f"cannot subtract {n} working days; use add_working_days")
        if n == 0:
            return d if self.is_working_day(d) else self.previous_working_day(d)
        day = d if self.is_working_day(d) else self.previous_working_day(d)
        for _ in range(n):
            day = self.previous_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 if ``end`` is not after ``start``."""
        if end <= start:
            return 0
        if start.year == end.year:
            return self._upto(end) - self._upto(start)
        count = self._year(start.year)[-1] - self._upto(start) + self._upto(end)
        return count + sum(self._year(year)[-1] for year in range(start.year + 1, end.year))

    def _year(self, year: int) -> list[int]:
        counts = self._years.get(year)
        if counts is None:
            counts, total, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                total += self.is_working_day(day)
                counts.append(total)
                day += _ONE_DAY
            self._years[year] = counts
        return counts

    def _upto(self, day: dt.date) -> int:
        return self._year(day.year)[day.timetuple().tm_yday - 1]

    def due_date(self, received_at: dt.datetime, days: int) -> dt.date:
        """The date a response is due: ``days`` working days after the receipt day."""
        return self.add_working_days(self.receipt_day(received_at), days)

    # -- time-outs --------------------------------------------------------------------

    def remaining_working_days(self, now_day: dt.date, due: dt.date) -> int:
        """Working days left before ``due`` when the clock stops on ``now_day`` (that day counts as used).

        Pass the UK date of the pause, not ``receipt_day``: a pause after the cut-off must not also use
        the next working day, which the recipient has not had.
        """
        return self.working_days_between(now_day, due)

    def resume_due_date(self, resume_at: dt.datetime, remaining: int) -> dt.date:
        """The new due date when the clock restarts at ``resume_at`` with ``remaining`` working days kept.

        The resume day is day 0, exactly as for a new receipt, so no working day is lost or gained.
        """
        return self.add_working_days(self.receipt_day(resume_at), remaining)
