"""The morning digest of held mail for LAC admin: every message quarantined the day before.

Messages that name an alert already reached LAC admin when they arrived (``pipeline.held``);
the digest lists everything held, so nothing sits in the quarantine folder unseen. Sent once
a day after ``notices.digest_hour`` (UK time), only when something was held.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.compose import Notice
from practice_alerts.mailflow.msgid import make_unreferenced_message_id
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.held import what_admin_can_do
from practice_alerts.pipeline.held_headers import headers_of
from practice_alerts.policies.time_zone import uk_moment, uk_time
from practice_alerts.store import LeaseClaim, unit_of_work

HEAD_BYTES = 64 * 1024
"""Only the start of each held message is read for its From and Subject."""


def _midnight(day: dt.date) -> dt.datetime:
    return uk_moment(day)


def digest_lines(ctx: ServiceContext, held: list[tuple[int, dt.datetime, str | None, bytes]]) -> list[str]:
    lines = [f"{len(held)} message(s) sent to the Practice Alerts mailbox yesterday were held for review and not "
             "acted on. Each is in the quarantine folder."]
    for number, (inbound_id, received, outcome, raw) in enumerate(held, 1):
        heads = headers_of(raw[:HEAD_BYTES])
        why = outcome or "held for review"
        lines.append(f"{number}. From: {heads.sender}\nSubject: {heads.subject}\n"
                     f"Received: {uk_time(received):%d/%m/%Y %H:%M} (stored message {inbound_id})\n"
                     f"Why it was held: {why}\nWhat you can do: {what_admin_can_do(why)}")
    return lines


def send_quarantine_digest(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None) -> int:
    local = uk_time(now)
    if not ctx.config.notices.quarantine_digest or local.hour < ctx.config.notices.digest_hour or not ctx.lac_admin:
        return 0
    key = f"quarantine-digest-{local:%Y%m%d}"
    message_id = make_unreferenced_message_id(key, secret=ctx.secret, domain=ctx.mail.message_id_domain)
    with ctx.database.reading() as reads:
        if reads.outbox_has(message_id):
            return 0
        held = reads.held_between(_midnight(local.date() - dt.timedelta(days=1)), _midnight(local.date()))
    if not held:
        return 0
    with unit_of_work(ctx.database, now=now, lease=lease) as work:
        answers.tell(ctx, work, ctx.lac_admin, None, Notice.QUARANTINE, digest_lines(ctx, held), now, key=key,
                     subject=f"Messages held for review on {local.date() - dt.timedelta(days=1):%d/%m/%Y}",
                     message_id=message_id)
    return 1
