"""The clock's notices that are not workflow events: reminders to close, and the digests.

Run once a pass after the workflow's clock. Each notice has a fixed key (the alert and the
reminder's number, or the digest's day or week), so its Message-ID is known before it is
built: a notice already in the outbox is never built again, and two passes (or two machines
in turn) send it once. The id made for that check is the one enqueued (``answers.tell``'s
``message_id``), so it is made once.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.compose import Notice
from practice_alerts.mailflow.msgid import make_message_id
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.admin_digest import send_quarantine_digest
from practice_alerts.pipeline.alerts import state_of
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.weekly_digest import send_weekly_digest
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.store import LeaseClaim, unit_of_work
from practice_alerts.workflow.context import long_date
from practice_alerts.workflow.state import AlertState, Status

CLOSE_REMINDER = "close-reminder-1"


def run_followups(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None) -> int:
    """Enqueue every follow-up notice due at ``now``; returns how many were enqueued."""
    count = remind_to_close(ctx, now=now, lease=lease)
    count += send_quarantine_digest(ctx, now=now, lease=lease)
    count += send_weekly_digest(ctx, now=now, lease=lease)
    return count


def close_reminder_due(ctx: ServiceContext, state: AlertState, today: dt.date) -> bool:
    if state.status is not Status.RESOLVED or state.resolved_at is None:
        return False
    resolved_on = uk_day(state.resolved_at)
    return today >= ctx.calendar.add_working_days(resolved_on, ctx.config.notices.close_reminder_working_days)


def remind_to_close(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None) -> int:
    today = uk_day(now)
    with ctx.database.reading() as reads:
        due = []
        for stored in reads.list_states(status=Status.RESOLVED.value):
            try:
                state = state_of(stored)
            except ValueError:  # a stored state that cannot be read: 'verify' and status name it
                continue
            if state is not None and close_reminder_due(ctx, state, today):
                key = make_message_id(state.reference, CLOSE_REMINDER, secret=ctx.secret,
                                      domain=ctx.mail.message_id_domain)
                if not reads.outbox_has(key):
                    due.append((state, key))
    for state, message_id in due:
        with unit_of_work(ctx.database, now=now, lease=lease) as work:
            answers.tell(ctx, work, (state.facts.iro_email,), None, Notice.PLEASE_CLOSE, [
                f"Alert {state.reference} has been resolved since {long_date(state.resolved_at or now)}, but it is "
                "still open.",
                "What to do: reply CLOSE to this message, with the outcome on the next line, to close it. The "
                "closure notice and the case note are then sent to you for the child's file.",
            ], now, reference=state.reference, key=CLOSE_REMINDER, message_id=message_id)
    return len(due)
