"""Step 1 of every pass: store each message in the mailbox, raw, before anything acts on it.

Storing is idempotent (same Message-ID, transport id or bytes: the stored row is returned), so a
message fetched twice — because the process stopped before moving it out of the inbox — is
stored once. A message already handled is just moved out of the inbox again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.store import InboundMail, get_inbound, store_inbound

TRANSPORT_OUTCOME = {"processed": "processed", "quarantined": "quarantine", "failed": "quarantine"}


def poll_mailbox(ctx: ServiceContext, *, now: dt.datetime, limit: int = 1000,
                 repeats: list[tuple[str, int]] | None = None, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Store up to ``limit`` new messages (fewer if asked to stop); returns how many were new.

    A repeat of a message not yet handled is added to ``repeats`` (transport id, stored id), to
    be moved out of the inbox once the first copy is handled.
    """
    kind = ctx.config.transport.kind
    new = 0
    for index, message in enumerate(ctx.transport.fetch()):
        if index >= limit or should_stop():  # what is left stays in the inbox for the next pass
            break
        with ctx.database.transaction() as session:
            stored = store_inbound(session, InboundMail(transport=kind, transport_id=message.transport_id,
                                                        raw=message.data), now=now)
        crashpoint("after-store")
        if stored.is_new:
            new += 1
        elif stored.status in TRANSPORT_OUTCOME:
            ctx.transport.mark_handled(message.transport_id, TRANSPORT_OUTCOME[stored.status])  # type: ignore[arg-type]
        elif repeats is not None and stored.transport_id != message.transport_id:
            repeats.append((message.transport_id, stored.id))
    return new


def move_repeats(ctx: ServiceContext, repeats: list[tuple[str, int]]) -> None:
    """Move repeated copies out of the inbox once their first copy has an outcome."""
    for transport_id, inbound_id in repeats:
        with ctx.database.reading() as session:
            status = get_inbound(session, inbound_id).status
        move_out_of_inbox(ctx, transport_id, status)


def move_out_of_inbox(ctx: ServiceContext, transport_id: str | None, status: str) -> None:
    """After the outcome is committed: move the message to processed or quarantine."""
    if transport_id and status in TRANSPORT_OUTCOME:
        ctx.transport.mark_handled(transport_id, TRANSPORT_OUTCOME[status])  # type: ignore[arg-type]
