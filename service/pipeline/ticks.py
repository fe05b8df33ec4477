"""The clock's pass: reminders, missed deadlines and the ends of time-outs, for every open alert.

``workflow.clock.due_clock_events`` says what is due at ``now`` from the alert's state alone, so
running the clock again (after a crash, or on two machines in turn) applies nothing twice: an
event already applied is no longer due. Each alert's clock events are committed in their own
unit of work.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.record import apply_event
from practice_alerts.store import DatabaseUnavailableError, LeaseClaim, LeaseLostError, list_alerts, unit_of_work
from practice_alerts.workflow.clock import MAX_CLOCK_STEPS, due_clock_events
from practice_alerts.workflow.state import Status

QUIET = frozenset({Status.CLOSED, Status.RESOLVED, Status.REFERRED_TO_CAFCASS})


def run_ticks(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None,
              failed: list[tuple[str, str]] | None = None) -> int:
    """Apply every clock event due at ``now``; returns how many were applied.

    An alert whose clock cannot be run (its events no longer replay, say) is skipped and added
    to ``failed`` as (reference, error type), so one bad alert never stops the others.
    Losing the lease or the database stops the pass.
    """
    with ctx.database.reading() as session:
        references = [a.reference for a in list_alerts(session)]
    applied = 0
    for reference in references:
        if ctx.cache.is_closed(reference):
            continue
        try:
            applied += _tick_one(ctx, reference, now, lease)
        except (LeaseLostError, DatabaseUnavailableError):
            ctx.cache.clear()
            raise
        except Exception as exc:
            ctx.cache.clear()
            if failed is None:
                raise
            failed.append((reference, type(exc).__name__))
    return applied


def _tick_one(ctx: ServiceContext, reference: str, now: dt.datetime, lease: LeaseClaim | None) -> int:
    with ctx.database.reading() as session:
        loaded = ctx.cache.load(session, reference, ctx)
    if loaded.state is None or loaded.state.state in QUIET or not due_clock_events(loaded.state, ctx.policy,
                                                                                      ctx.calendar, now):
        return 0
    applied = 0
    with unit_of_work(ctx.database, now=now, lease=lease) as work:
        for _ in range(MAX_CLOCK_STEPS):
            loaded = ctx.cache.load(work.session, reference, ctx)
            due = due_clock_events(loaded.state, ctx.policy, ctx.calendar, now)
            if not due:
                break
            apply_event(ctx, work, loaded, due[0], now)
            applied += 1
    return applied
