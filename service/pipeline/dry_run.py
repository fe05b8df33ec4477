"""``run --dry-run``: what the service would do with each inbox message, changing nothing.

Each message is fetched, classified against the directory, the policy and the stored alerts, and
described in a sentence. Nothing is stored, moved, sent or recorded: the messages stay in the
inbox and the database is only read. Used before go-live on a real mailbox.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from practice_alerts.mailflow.classify import Classification, classify
from practice_alerts.mailflow.transports import TransportError
from practice_alerts.pipeline.alerts import StoreAlertIndex
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.cutoff import is_before, received_at
from practice_alerts.store import InboundMail

_FOLDER = {"processed": "processed", "quarantined": "quarantine", "failed": "quarantine"}


def describe(found: Classification) -> str:
    """One sentence for what handling this classification would do."""
    kind, ref = found.kind, found.reference
    if kind == "new_alert":
        return ("a new practice alert: would read its form, start an alert and send the first stage letter "
                "(or tell the sender what to fix in the form); then move it to processed")
    if kind == "quarantine":
        return f"would hold it in quarantine for review: {'; '.join(found.reasons) or 'no reason given'}"
    if ref is None:
        return f"{kind.replace('_', ' ')} that matches no alert: would move it to processed without acting on it"
    if kind == "response":
        return f"a response on {ref}: would record it and tell the IRO; then move it to processed"
    if kind == "decision" and found.decision is not None:
        if found.decision.kind == "unclear":
            return f"an unclear decision on {ref}: would send the IRO the options to reply with"
        return f"the IRO's decision '{found.decision.kind.replace('_', ' ')}' on {ref}: would apply it"
    if kind in ("auto_reply", "bounce", "comment"):
        return (f"{kind.replace('_', ' ')} about {ref}: would note it on the alert where it matters; "
                "then move it to processed")
    return f"{kind.replace('_', ' ')} about {ref}: would move it to processed"


def print_dry_run(ctx: ServiceContext, out: TextIO, *, now: dt.datetime | None = None) -> int:
    """Describe every inbox message; returns the exit code (0, or 1 if the mailbox could not be read)."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    kind = ctx.config.transport.kind
    count = 0
    try:
        for message in ctx.transport.fetch():
            count += 1
            arrived = received_at(message.data)
            when = f"{arrived:%Y-%m-%d %H:%M}" if arrived else "date unknown"
            line = f"{count}. message {message.transport_id} ({when}): "
            if is_before(message.data, ctx.config.ignore_mail_before):
                out.write(line + f"older than ignore_mail_before ({ctx.config.ignore_mail_before}): "
                          "would leave it in the inbox untouched\n")
                continue
            with ctx.database.reading() as reads:
                stored = reads.find_inbound(InboundMail(transport=kind, transport_id=message.transport_id,
                                                        raw=message.data))
                if stored is not None and stored.status in _FOLDER:
                    out.write(line + f"already handled ({stored.status}): would move it to {_FOLDER[stored.status]}\n")
                    continue
                found = classify(message.data, directory=ctx.directory,
                                 alerts=StoreAlertIndex(reads, ctx.cache, ctx), policy=ctx.policy,
                                 settings=ctx.inbound, secret=ctx.secret, received=arrived or moment)
            sender = f" from {found.sender}" if found.sender else ""
            out.write(line + f"{describe(found)}{sender}\n")
    except TransportError as exc:
        out.write(f"Could not read the mailbox: {exc}\n")
        return 1
    out.write(f"{count} message(s) in the inbox; nothing was changed (dry run).\n")
    return 0
