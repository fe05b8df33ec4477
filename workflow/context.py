"""The inputs every decision shares, what a decision returns, and how it says no."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.workflow.actions import Action
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.facts import AlertFacts
from practice_alerts.workflow.recipients import AlertPeople, DirectoryLike
from practice_alerts.workflow.state import AlertState


class Refused(Exception):
    """The event cannot be applied. ``reason`` is written for the IRO (or the manager who sent it):
    it says what is wrong and what they can do instead. Nothing is refused without one."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class Decision(BaseModel):
    """The state after the event, and what the shell must now do, in order."""

    model_config = ConfigDict(frozen=True)

    state: AlertState
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Context:
    policy: Policy
    directory: DirectoryLike
    calendar: WorkingCalendar
    now: dt.datetime
    recorded: bool = False
    """Replaying stored events: who sent them was checked when they were accepted, so it is not
    checked again (the directory may have changed since: someone left, a cover ended)."""

    def people(self, facts: AlertFacts, at: dt.datetime) -> AlertPeople:
        """The directory as it stands on the (London) day of ``at``: covers for absences apply."""
        return AlertPeople(self.directory, facts, uk_day(at))

    def day(self, at: dt.datetime) -> dt.date:
        return uk_day(at)


def long_date(day: dt.date | dt.datetime) -> str:
    """A date as letters print it: 6 March 2026 (a moment is shown as its UK date)."""
    if isinstance(day, dt.datetime):
        day = uk_day(day)
    return f"{day.day} {day:%B %Y}"


def new_state(current: AlertState, event: Event, /, **changes: object) -> AlertState:
    """``current`` with ``changes``, counting ``event`` as applied."""
    last = max(current.last_event_at, event.at)
    return current.model_copy(update={**changes, "last_event_at": last, "events_applied": current.events_applied + 1})
