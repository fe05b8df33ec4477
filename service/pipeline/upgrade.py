"""Filling in the record of alerts written before decided facts and stored states were kept.

Once per database (it finds nothing to do afterwards): each such alert's events are decided
again, in order, with the directory and the policy in force now, and what that gives is stored
beside each event, marked ``filled_at_migration``, with the alert's state and the policy
version. From then on the alert reads from its record like any other. Who acted is not checked
again (the directory may have changed since). An alert whose events cannot be decided again is
left without a state and named, with the reason, by ``status``, the reports and ``verify``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from practice_alerts.pipeline.alerts import event_of, state_to_save
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.versions import keep_current
from practice_alerts.policies.roles import Role
from practice_alerts.store import StoreReads, UnitOfWork, unit_of_work
from practice_alerts.workflow.clock import next_clock_at
from practice_alerts.workflow.context import Refused
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.directory import NoRoleHolder, Resolved
from practice_alerts.workflow.events import EVENT_TYPES
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.record import decided
from practice_alerts.workflow.state import AlertState


@dataclass(frozen=True)
class NotFilled:
    reference: str
    reason: str


class _TrustingDirectory:
    """Resolves like the real directory; accepts whoever acted (they were checked at the time)."""

    def __init__(self, inner: DirectoryLike) -> None:
        self.inner = inner

    def resolve(self, role: Role, *, social_worker: str | None, team_manager: str | None, iro: str | None,
                on: dt.date) -> Resolved:
        return self.inner.resolve(role, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on)

    def resolve_copies(self, roles: Iterable[Role], *, social_worker: str | None, team_manager: str | None,
                       iro: str | None, on: dt.date) -> tuple[list[Resolved], list[NoRoleHolder]]:
        return self.inner.resolve_copies(roles, social_worker=social_worker, team_manager=team_manager, iro=iro, on=on)

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        return True


def fill_in_records(ctx: ServiceContext, now: dt.datetime) -> tuple[int, list[NotFilled]]:
    """Fill in every alert that has events but no stored state; returns how many, and those that failed."""
    with ctx.database.reading() as reads:
        references = reads.alerts_without_state()
    filled, failed = 0, []
    for reference in references:
        try:
            with unit_of_work(ctx.database, now=now) as work:
                filled += _fill_one(ctx, work, reference, now)
        except (Refused, ValueError) as exc:  # the unit of work rolled back: nothing half-filled is kept
            failed.append(NotFilled(reference, _why(exc)))
    return filled, failed


def _why(exc: Exception) -> str:
    reason = exc.reason if isinstance(exc, Refused) else f"a stored event cannot be read ({type(exc).__name__})"
    return (f"its events, written before this version, cannot be filled in from the current policy and directory: "
            f"{reason}. Restore the policy or directory entry it needs, start the service again, and it is filled in")


def why_not_filled(ctx: ServiceContext, reads: StoreReads, reference: str) -> str | None:
    """Why the service could not fill this alert in (None if it could now): for ``verify`` and the reports."""
    directory = _TrustingDirectory(ctx.directory)
    state: AlertState | None = None
    try:
        for stored in reads.events(reference):
            if stored.event_type in EVENT_TYPES:
                event = event_of(stored)
                state = decide(state, event, ctx.policy, directory, ctx.calendar, event.at, recorded=True).state
    except (Refused, ValueError) as exc:
        return _why(exc)
    return None


def _fill_one(ctx: ServiceContext, work: UnitOfWork, reference: str, now: dt.datetime) -> int:
    directory = _TrustingDirectory(ctx.directory)
    version = keep_current(ctx, work)
    state: AlertState | None = None
    last_id = 0
    for stored in work.events(reference):
        if stored.event_type not in EVENT_TYPES:
            continue
        event = event_of(stored)
        decision = decide(state, event, ctx.policy, directory, ctx.calendar, event.at, recorded=True)
        record = decided(state, decision.state, decision.actions, policy=ctx.policy, calendar=ctx.calendar,
                         version=version, name_of=ctx.name_of)
        work.save_decision(reference, stored.id, {**record.model_dump(mode="json"), "filled_at_migration": True},
                           filled_at_migration=True)
        state, last_id = decision.state, stored.id
    if state is None:
        return 0
    work.save_state(reference, state_to_save(state, version=version, event_id=last_id,
                                             next_clock_at=next_clock_at(state, ctx.policy, ctx.calendar)))
    return 1
