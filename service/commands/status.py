"""``practice-alerts status``: open alerts by state, overdue ones, the quarantine, the outbox, the last poll."""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter

from sqlalchemy import func, select


def status_lines(ctx, now: dt.datetime) -> list[str]:
    from practice_alerts.runloop import LAST_POLL
    from practice_alerts.store import current_lease, given_up, list_alerts
    from practice_alerts.store.tables import InboundMessage, OutboxMessage
    from practice_alerts.workflow.calendar import LONDON

    today = now.astimezone(LONDON).date()
    lines = []
    with ctx.database.reading() as session:
        states = [ctx.cache.load(session, a.reference, ctx).state for a in list_alerts(session)]
        inbound = dict(session.execute(select(InboundMessage.status, func.count()).group_by(InboundMessage.status)).all())
        pending = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))
        oldest = session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending"))
        stuck = given_up(session)
        last = current_lease(session, LAST_POLL)
    open_states = [s for s in states if s is not None and s.is_open]
    by_state = Counter(s.state.value for s in open_states)
    lines.append(f"Open alerts: {len(open_states)}" + (f" ({', '.join(f'{k} {v}' for k, v in sorted(by_state.items()))})"
                                                       if by_state else ""))
    overdue = [s for s in open_states if s.current is not None and s.current.due is not None and s.current.due < today
               and s.current.responded_at is None and s.state.value != "timed_out"]
    lines.append(f"Overdue: {len(overdue)}")
    for s in sorted(overdue, key=lambda s: s.current.due):
        lines.append(f"  {s.reference} at {s.current.name}, response was due {s.current.due:%d/%m/%Y} ({s.state.value})")
    closed = sum(1 for s in states if s is not None and not s.is_open)
    lines.append(f"Resolved, referred or closed: {closed}")
    lines.append(f"Quarantine: {inbound.get('quarantined', 0)} message(s) held for review; "
                 f"failed: {inbound.get('failed', 0)}; waiting to be handled: {inbound.get('received', 0)}")
    backlog = f"Outbox: {pending or 0} waiting"
    if oldest is not None:
        backlog += f" (oldest since {oldest.astimezone(LONDON):%d/%m/%Y %H:%M})"
    lines.append(backlog + f"; {len(stuck)} given up")
    lines.append("Last successful poll: " + (f"{last.expires_at.astimezone(LONDON):%d/%m/%Y %H:%M:%S} (UK time)"
                                             if last else "never"))
    return lines


def print_status(args: argparse.Namespace) -> int:
    from practice_alerts.commands.opening import open_for_reading

    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        for line in status_lines(ctx, dt.datetime.now(dt.timezone.utc)):
            print(line)
    finally:
        ctx.close()
    return 0
