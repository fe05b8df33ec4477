"""Each alert's history, and its state as at a moment, through the workflow's own fold.

The tracker and the quarterly report never re-implement the process: they replay the stored
events through ``workflow.decide.replay`` (the same fold the service uses), keeping only the
events that had happened by the moment asked about.

Replaying for a report trusts who did what: each stored event was checked when it was first
decided, and the directory may have changed since (a manager left, a cover ended). So the
directory given here is wrapped in :class:`ReportDirectory`, which resolves roles as the real
one does but never refuses an actor. An alert whose events still cannot be replayed (the policy
changed under it) is reported as a problem, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Policy
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.decide import ReplayError, replay
from practice_alerts.workflow.directory import NoRoleHolder, Resolved
from practice_alerts.workflow.events import Event, parse_event
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.state import AlertState


@dataclass(frozen=True)
class AlertHistory:
    """One alert's events, oldest first."""

    reference: str
    events: tuple[Event, ...]

    def as_at(self, moment: dt.datetime) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.at <= moment)


@dataclass(frozen=True)
class Unreadable:
    """An alert whose history could not be replayed: shown in the report, with the reason."""

    reference: str
    reason: str


class ReportDirectory:
    """A directory for replaying stored events: resolves like ``inner``, accepts every actor."""

    def __init__(self, inner: DirectoryLike | None = None) -> None:
        if inner is None:
            inner = PlaceholderDirectory()
        self.inner = inner

    def resolve(self, role: Role, *, social_worker: str | None, team_manager: str | None, iro: str | None,
                on: dt.date) -> Resolved:
        return self.inner.resolve(role, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on)

    def resolve_copies(self, roles: Iterable[Role], *, social_worker: str | None, team_manager: str | None,
                       iro: str | None, on: dt.date) -> tuple[list[Resolved], list[NoRoleHolder]]:
        return self.inner.resolve_copies(roles, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on)

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        return True


def event_from_stored(event_type: str, payload: Mapping[str, Any], occurred_at: dt.datetime,
                      actor_email: str | None) -> Event:
    """A workflow event from a stored row (payload as ``dump_event`` wrote it; the row's columns
    fill in the type, time and actor where the payload leaves them out)."""
    data = dict(payload)
    data["type"] = event_type
    data.setdefault("at", occurred_at)
    data.setdefault("by", actor_email)
    return parse_event(data)


def fold(history: AlertHistory, policy: Policy, directory: DirectoryLike, calendar: WorkingCalendar,
         as_of: dt.datetime) -> AlertState | Unreadable | None:
    """The alert's state as at ``as_of`` (None if it had not been raised by then)."""
    events = history.as_at(as_of)
    if not events:
        return None
    try:
        return replay(events, policy, ReportDirectory(directory) if not isinstance(directory, ReportDirectory)
                      else directory, calendar)
    except ReplayError as exc:
        return Unreadable(reference=history.reference, reason=str(exc))
    except (ValueError, KeyError) as exc:
        return Unreadable(reference=history.reference, reason=f"its events cannot be read: {exc}")


def fold_all(histories: Iterable[AlertHistory], policy: Policy, directory: DirectoryLike | None,
             calendar: WorkingCalendar, as_of: dt.datetime) -> tuple[list[AlertState], list[Unreadable]]:
    """Every alert raised by ``as_of``, as it stood then, in reference order; and those that failed."""
    wrapped = ReportDirectory(directory)
    states: list[AlertState] = []
    problems: list[Unreadable] = []
    for history in sorted(histories, key=lambda h: h.reference):
        result = fold(history, policy, wrapped, calendar, as_of)
        if isinstance(result, Unreadable):
            problems.append(result)
        elif result is not None:
            states.append(result)
    return states, problems
