"""``practice-alerts status``: open alerts by state, overdue ones, the quarantine, the outbox, the last poll."""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.runloop import LAST_POLL
from practice_alerts.store import StoredInbound, current_lease, given_up, list_alerts
from practice_alerts.store.tables import InboundMessage, OutboxMessage
from practice_alerts.workflow.calendar import LONDON

SHOWN = 10
"""At most this many quarantined messages and troubled outbox messages are listed one by one."""


def _uk(moment: dt.datetime) -> str:
    return f"{moment.astimezone(LONDON):%d/%m/%Y %H:%M}"


def _listed(lines: Iterable[str]) -> list[str]:
    """The lines, cut to SHOWN, with a note when there were more."""
    lines = list(lines)
    return lines[:SHOWN] + ([f"  ... and more (only the first {SHOWN} are listed)"] if len(lines) > SHOWN else [])


def status_lines(ctx, now: dt.datetime) -> list[str]:
    today = now.astimezone(LONDON).date()
    lines = []
    with ctx.database.reading() as session:
        states = [ctx.cache.load(session, a.reference, ctx).state for a in list_alerts(session)]
        inbound = dict(session.execute(select(InboundMessage.status, func.count()).group_by(InboundMessage.status)).all())
        pending = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))
        oldest = session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending"))
        stuck = given_up(session)
        troubled = session.execute(select(OutboxMessage.alert_reference, OutboxMessage.purpose, OutboxMessage.attempts,
                                          OutboxMessage.next_attempt_at, OutboxMessage.last_error)
                                   .where(OutboxMessage.status == "pending", OutboxMessage.last_error.is_not(None))
                                   .order_by(OutboxMessage.next_attempt_at).limit(SHOWN + 1)).all()
        held = [StoredInbound.model_validate(row) for row in session.scalars(
            select(InboundMessage).options(defer(InboundMessage.raw))  # the bytes are not shown
            .where(InboundMessage.status.in_(("quarantined", "failed")))
            .order_by(InboundMessage.id.desc()).limit(SHOWN + 1))]
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
    lines += _listed(f"  message {m.id} received {_uk(m.received_at)} ({m.status}): {m.outcome or 'no outcome'}"
                     for m in held)
    backlog = f"Outbox: {pending or 0} waiting"
    if oldest is not None:
        backlog += f" (oldest since {_uk(oldest)})"
    lines.append(backlog + f"; {len(stuck)} given up")
    lines += _listed(f"  {o.alert_reference or 'no alert'} {o.purpose}: next try {_uk(o.next_attempt_at)} "
                     f"after {o.attempts} attempt(s): {o.last_error}" for o in troubled)
    lines += _listed(f"  given up: {o.alert_reference or 'no alert'} {o.purpose} (outgoing {o.id}) after "
                     f"{o.attempts} attempt(s): {o.last_error}" for o in stuck)
    if stuck or inbound.get("failed"):
        lines.append("  To try again: practice-alerts mail retry inbound|outbound ID... (or --all)")
    lines.append("Last successful poll: " + (f"{last.expires_at.astimezone(LONDON):%d/%m/%Y %H:%M:%S} (UK time)"
                                             if last else "never"))
    return lines


def print_status(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        for line in status_lines(ctx, dt.datetime.now(dt.timezone.utc)):
            print(line)
    finally:
        ctx.close()
    return 0
