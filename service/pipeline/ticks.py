"""The clock's pass: reminders, missed deadlines and the ends of time-outs, for the alerts due.

Each alert's stored state carries the moment its clock next has work to do, so the pass finds
what is due with one indexed query (``StoreReads.due_for_clock``) instead of reading every alert.
``workflow.clock.due_clock_events`` says what is due at ``now`` from the alert's state alone, so
running the clock again (after a crash, or on two machines in turn) applies nothing twice: an
event already applied is no longer due. Each alert's clock events are committed in their own
unit of work, under the policy version the alert runs on.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.pipeline.alerts import state_to_save
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.record import apply_event
from practice_alerts.pipeline.versions import under_version
from practice_alerts.store import (
    DatabaseUnavailableError,
    LeaseClaim,
    LeaseLostError,
    UnitOfWork,
    unit_of_work,
)
from practice_alerts.workflow.clock import MAX_CLOCK_STEPS, due_clock_events, next_clock_at


def run_ticks(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None,
              failed: list[tuple[str, str]] | None = None) -> int:
    """Apply every clock event due at ``now``; returns how many were applied.

    An alert whose clock cannot be run is skipped and added to ``failed`` as (reference, error
    type), so one bad alert never stops the others. Losing the lease or the database stops the pass.
    """
    with ctx.database.reading() as reads:
        references = reads.due_for_clock(now)
    applied = 0
    for reference in references:
        try:
            applied += _tick_one(ctx, reference, now, lease)
        except (LeaseLostError, DatabaseUnavailableError):
            raise
        except Exception as exc:
            if failed is None:
                raise
            failed.append((reference, type(exc).__name__))
    return applied


def _tick_one(ctx: ServiceContext, reference: str, now: dt.datetime, lease: LeaseClaim | None) -> int:
    applied = 0
    with unit_of_work(ctx.database, now=now, lease=lease) as work:
        for _ in range(MAX_CLOCK_STEPS):
            loaded = ctx.cache.load(work, reference, ctx)
            rules = under_version(ctx, work, loaded.version)
            due = due_clock_events(loaded.state, rules.policy, rules.calendar, now) if loaded.state else []
            if not due:
                break
            apply_event(ctx, work, loaded, due[0], now)
            applied += 1
        if not applied:
            _reschedule(ctx, work, reference)
    return applied


def _reschedule(ctx: ServiceContext, work: UnitOfWork, reference: str) -> None:
    """Nothing was due after all (the rules moved on): store the clock's real next moment."""
    row = work.state(reference)
    if row is None:
        return
    loaded = ctx.cache.load(work, reference, ctx)
    rules = under_version(ctx, work, row.policy_version)
    state = loaded.state
    if state is None:
        return
    work.save_state(reference, state_to_save(
        state, version=row.policy_version, event_id=row.last_event_id,
        next_clock_at=next_clock_at(state, rules.policy, rules.calendar)))
