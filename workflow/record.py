"""What was decided when an event happened, and an alert's state as a fold of those records.

``decide`` works out what an event means with the policy and directory in force; this module
writes that down (:class:`Decided`) so the record stands on its own: the stage entered, who it
went to and who was copied (address and name, as resolved then), acting cover, the due date,
the reminders scheduled and the policy version. Each record also holds the change it made to
the alert's state, and :func:`fold` rebuilds the state from the records alone: it never
consults the directory or the policy, so editing either never changes an alert's history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from practice_alerts.policies.schema import Policy
from practice_alerts.workflow import actions as a
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.state import AlertState, Status

_LISTS = ("stages", "time_outs", "clock", "reminders_sent")
"""State fields that only grow at the end or change their last item: recorded as a tail."""


class RecordedPerson(BaseModel):
    """A person as the record names them when it happened: address and name, never looked up again."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str
    name: str = ""


class Decided(BaseModel):
    """The facts decided when one event happened, stored beside it and never recomputed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    stage: str | None = None
    stage_name: str | None = None
    recipient: RecordedPerson | None = None
    acting_for: str | None = Field(default=None, description="the role holder, when someone covers for them")
    copies: tuple[RecordedPerson, ...] = ()
    due: dt.date | None = None
    reminders: tuple[dt.date, ...] = Field(default=(), description="the days the recipient will be reminded")
    policy_version: str | None = None
    change: dict[str, Any] = Field(description="what the event changed in the alert's state (see fold)")
    filled_at_migration: bool = Field(default=False, description="worked out when an older database was "
                                      "upgraded, from the directory and policy in force then")


def policy_version(policy: Policy) -> str:
    """The policy's content hash: the same rules give the same version, whatever the file's layout."""
    text = json.dumps(policy.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def state_change(before: AlertState | None, after: AlertState) -> dict[str, Any]:
    """The change from ``before`` to ``after``: new values, and for the growing lists the tail from
    the first item that differs."""
    old = before.model_dump(mode="json") if before is not None else {}
    new = after.model_dump(mode="json")
    values: dict[str, Any] = {}
    tails: dict[str, Any] = {}
    for key, value in new.items():
        if key in _LISTS:
            previous = old.get(key) or []
            keep = 0
            while keep < min(len(previous), len(value)) and previous[keep] == value[keep]:
                keep += 1
            if keep != len(previous) or keep != len(value):
                tails[key] = {"keep": keep, "add": value[keep:]}
        elif key not in old or old[key] != value:
            values[key] = value
    return {"set": values, "tail": tails}


def apply_change(data: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """The state (as JSON) after ``change``; pure bookkeeping, no rules."""
    out = dict(data)
    out.update(change.get("set", {}))
    for key, tail in change.get("tail", {}).items():
        out[key] = [*(out.get(key) or [])[: tail["keep"]], *tail["add"]]
    return out


def fold(records: Iterable[Decided | Mapping[str, Any]]) -> AlertState | None:
    """The alert's state from its decided records, oldest first (None when there are none)."""
    data: dict[str, Any] | None = None
    for record in records:
        change = record.change if isinstance(record, Decided) else record["change"]
        data = apply_change(data or {}, change)
    return AlertState.model_validate(data) if data is not None else None


def scheduled_reminders(state: AlertState, policy: Policy, calendar: WorkingCalendar) -> tuple[dt.date, ...]:
    """The working days on which the stage recipient will be reminded of the current due date."""
    visit = state.current
    if state.due is None or visit is None or not visit.recipient_email or not state.is_open:
        return ()
    day0 = state.day0
    days = {calendar.subtract_working_days(state.due, n) for n in policy.reminders.days_before_due}
    return tuple(sorted(d for d in days if day0 is None or d > day0))


def decided(before: AlertState | None, after: AlertState, actions: Iterable[a.Action], *, policy: Policy,
            calendar: WorkingCalendar, version: str | None, name_of: Callable[[str], str]) -> Decided:
    """Write down what one decision decided (``name_of`` gives a person's name as the directory has it now).
    Who was copied is ``actions.copied_by``: the rule the IRO's acknowledgement names them by, too."""
    visit = after.current
    recipient = None
    if visit is not None and visit.recipient_email:
        recipient = RecordedPerson(email=visit.recipient_email, name=visit.recipient_name or name_of(visit.recipient_email))
    stage_name = visit.name if visit is not None else None
    return Decided(
        status=after.status, stage=after.stage, stage_name=stage_name, recipient=recipient,
        acting_for=visit.holder_email if visit is not None else None,
        copies=tuple(RecordedPerson(email=e, name=name_of(e)) for e in a.copied_by(actions)),
        due=after.due, reminders=scheduled_reminders(after, policy, calendar), policy_version=version,
        change=state_change(before, after),
    )

