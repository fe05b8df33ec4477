"""An alert's current state, derived from its events (see ``workflow.decide.replay``).

Frozen values: every decision returns a new state. The state keeps what the next decision,
the clock and the reports need: where the alert is, when the response is due, every stage it
has been at, its time-outs, and the working days the formal process has run.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.facts import AlertFacts


class Status(StrEnum):
    INFORMAL = "informal"
    """At an informal stage, waiting for the social worker (the formal clock has not started)."""
    AWAITING_RESPONSE = "awaiting_response"
    AWAITING_DECISION = "awaiting_decision"
    """A response arrived (or the deadline passed): the IRO must decide."""
    TIMED_OUT = "timed_out"
    REFERRED_TO_CAFCASS = "referred_to_cafcass"
    UNRESOLVED = "unresolved"
    """Unresolved at the top of the procedure: the last stage did not resolve it and no CAFCASS referral is
    open to the child; it is with the route the authority names. Not counted as resolved."""
    CONSIDERING_CAFCASS = "considering_cafcass"
    """After the last stage the IRO is considering, with the people the procedure names, whether to refer."""
    RESOLVED = "resolved"
    """The IRO is satisfied; the alert waits for the IRO to close (finalise) it."""
    CLOSED = "closed"


OPEN_STATES = frozenset({Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION, Status.TIMED_OUT,
                         Status.UNRESOLVED, Status.CONSIDERING_CAFCASS})
"""States in which the alert is still open (with a manager, the IRO, or the route after the top)."""
LADDER_STATES = frozenset({Status.INFORMAL, Status.AWAITING_RESPONSE, Status.AWAITING_DECISION, Status.TIMED_OUT})
"""States in which the ladder can still move."""


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageVisit(_Value):
    """One stage the alert was at: who had it, when, and how it ended."""

    key: str | None = Field(description="the stage's key; empty for a letter to an external agency")
    name: str
    informal: bool = False
    recipient_role: str
    recipient_name: str | None = Field(description="empty when nobody could be found for the role")
    recipient_email: str | None
    holder_email: str | None = Field(default=None, description="the role holder, when someone else is acting for them")
    sent_at: AwareDatetime
    received_on: dt.date = Field(description="day 0 of the count")
    resumed_on: dt.date | None = Field(default=None, description="day 0 of the count since the last time-out ended")
    due: dt.date | None = Field(description="the current due date (moved on by a time-out)")
    first_due: dt.date | None = None
    responded_at: AwareDatetime | None = None
    response_by: str | None = None
    on_time: bool | None = None
    bypassed_from: str | None = None
    bypass_reason: str | None = None
    deadline_missed: bool = False
    undelivered: bool = False
    """The stage letter could not be delivered: no reminder, and the deadline is not counted as missed."""
    ended: str | None = Field(default=None, description="escalated, bypassed, escalated_automatically, resolved, "
                              "referred_to_cafcass, closed")


class TimeOutRecord(_Value):
    started_at: AwareDatetime
    until: dt.date
    reason: str = ""
    agreed_by: str | None = None
    remaining_days: int | None
    resumed_at: AwareDatetime | None = None


class ClockRun(_Value):
    """A stretch of the formal process during which the clock ran: working days after ``start``
    up to and including ``end`` (or the day asked about, while it still runs)."""

    start: dt.date
    end: dt.date | None = None


class Consultation(_Value):
    """Someone the procedure names was consulted (or told) by the IRO: who, when, about what."""

    who: str
    role: str = ""
    about: str = ""
    at: AwareDatetime
    notes: str = ""


class ChildTold(_Value):
    """What the child was told, when, how and by whom (seed 004's child's rights and outcome)."""

    what: str
    on: dt.date
    how: str = ""
    told_by: str = ""


class ReminderSent(_Value):
    stage: str
    due: dt.date
    days_before: int
    at: AwareDatetime


class AlertState(_Value):
    reference: str
    facts: AlertFacts
    status: Status
    stage: str | None = Field(description="the stage the alert is at; empty when with an external agency")
    due: dt.date | None
    remaining_days: int | None = Field(default=None, description="working days left when the clock was stopped")
    resume_to: Status | None = Field(default=None, description="the state a time-out returns to")
    stages: tuple[StageVisit, ...] = ()
    time_outs: tuple[TimeOutRecord, ...] = ()
    clock: tuple[ClockRun, ...] = ()
    reminders_sent: tuple[ReminderSent, ...] = ()
    external_agency: str | None = Field(default=None, description="set while the concern is raised with another agency by letter")
    letters_to_agency: int = 0
    raised_at: AwareDatetime
    resolved_at: AwareDatetime | None = None
    cafcass_referred_at: AwareDatetime | None = None
    cafcass_considered_at: AwareDatetime | None = None
    cafcass_not_referred_at: AwareDatetime | None = None
    unresolved_at: AwareDatetime | None = Field(default=None, description="when it became unresolved at the top")
    limit_notices: tuple[int, ...] = Field(default=(), description="overall-limit notices sent (working days before)")
    consultations: tuple[Consultation, ...] = ()
    child_told: tuple[ChildTold, ...] = ()
    closed_at: AwareDatetime | None = None
    outcome: str | None = None
    last_event_at: AwareDatetime
    events_applied: int = 1

    # -- reading ---------------------------------------------------------------------

    @model_validator(mode="before")
    @classmethod
    def _stored_before_the_rename(cls, data: Any) -> Any:
        """States and records written before issue 10 name the status "state": read it as ``status``
        (a later record's "status" wins, since records are folded oldest first)."""
        if isinstance(data, dict) and "state" in data:
            data = dict(data)
            old = data.pop("state")
            data.setdefault("status", old)
        return data

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def current(self) -> StageVisit | None:
        """The visit to the stage the alert is at now."""
        return self.stages[-1] if self.stages else None

    @property
    def day0(self) -> dt.date | None:
        """Day 0 of the current stage's count (moved on by a time-out)."""
        visit = self.current
        return None if visit is None else visit.resumed_on or visit.received_on

    @property
    def clock_running(self) -> bool:
        return bool(self.clock) and self.clock[-1].end is None

    @property
    def formal_started_on(self) -> dt.date | None:
        return self.clock[0].start if self.clock else None

    def is_overdue(self, now: dt.datetime, calendar: WorkingCalendar) -> bool:
        """Overdue: open, with a manager whose response has not come, and the due date over by ``now``'s London date.

        The one meaning of "overdue" that people see (alert views, ``status``, the reports, the console).
        A time-out stops the clock, so a timed-out alert is never overdue; closed and responded ones neither.
        For a report as at a day, pass ``calendar.end_of_day(day)``.
        """
        visit = self.current
        return (self.is_open and self.status is not Status.TIMED_OUT and visit is not None
                and visit.responded_at is None and self.due is not None and calendar.is_after(now, self.due))

    def process_day_date(self, calendar: WorkingCalendar, n: int, *, start: dt.date | None = None) -> dt.date | None:
        """The day the formal process reaches working day ``n`` (None while it is paused short of it).

        ``start`` is day 0 of the process when its clock has not started yet (an alert being raised).
        """
        runs = self.clock or ((ClockRun(start=start),) if start else ())
        used = 0
        for run in runs:
            length = None if run.end is None else calendar.working_days_between(run.start, run.end)
            if length is None or used + length >= n:
                return calendar.add_working_days(run.start, max(n - used, 0))
            used += length
        return None

    def working_days_elapsed(self, calendar: WorkingCalendar, on: dt.date) -> int:
        """Working days the formal process has run up to ``on``: informal stage and time-outs excluded."""
        total = 0
        for run in self.clock:
            end = on if run.end is None else min(run.end, on)
            total += calendar.working_days_between(run.start, end)
        return total

    def reminded(self, stage: str, due: dt.date, days_before: int) -> bool:
        """A reminder this many days (or fewer) before this due date already went.

        Keyed on the due date, so a due date moved by a time-out gets its own reminders.
        """
        return any(
            r.stage == stage and r.due == due and r.days_before <= days_before for r in self.reminders_sent
        )

    # -- changing (each returns a new state) ---------------------------------------------

    def with_current(self, **changes: object) -> AlertState:
        """The same state with the current stage visit changed."""
        visit = self.current
        if visit is None:
            return self
        return self.model_copy(update={"stages": (*self.stages[:-1], visit.model_copy(update=changes))})

    def start_clock(self, day: dt.date) -> AlertState:
        if self.clock_running:
            return self
        return self.model_copy(update={"clock": (*self.clock, ClockRun(start=day))})

    def stop_clock(self, day: dt.date) -> AlertState:
        if not self.clock_running:
            return self
        last = self.clock[-1]
        return self.model_copy(update={"clock": (*self.clock[:-1], last.model_copy(update={"end": max(day, last.start)}))})
