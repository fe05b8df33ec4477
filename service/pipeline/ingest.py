"""Step 1 of every pass: store each message in the mailbox, raw, before anything acts on it.

Storing is idempotent (same transport id, bytes, or Message-ID and content: the stored row is
returned), so a message fetched twice — because the process stopped before moving it out of the
inbox — is stored once. A message already handled is just moved out of the inbox again; a
``failed`` one put back into the inbox by a person is tried again.

Each message is contained: if storing it fails in a way that is about the message itself, it is
moved to the quarantine folder and logged with the reason, and the pass carries on with the next
one. Only a database or lease fault (which stops every message alike) ends the poll.

Mail that arrived before ``ignore_mail_before`` is neither stored nor moved: it stays in the
inbox for a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from practice_alerts.mailflow.transports import TransportError
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.cutoff import is_before
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.store import (
    DatabaseUnavailableError,
    InboundMail,
    LeaseLostError,
    StoredInbound,
    unit_of_work,
)

TRANSPORT_OUTCOME = {"processed": "processed", "quarantined": "quarantine", "failed": "quarantine"}


def poll_mailbox(ctx: ServiceContext, *, now: dt.datetime, limit: int = 1000,
                 repeats: list[tuple[str, int]] | None = None, should_stop: Callable[[], bool] = lambda: False,
                 log: JsonLog | None = None) -> int:
    """Store up to ``limit`` new messages (fewer if asked to stop); returns how many were new.

    A repeat of a message not yet handled is added to ``repeats`` (transport id, stored id), to
    be moved out of the inbox once the first copy is handled.
    """
    log = log or JsonLog()
    new = taken = 0
    for message in ctx.transport.fetch():
        if taken >= limit or should_stop():  # what is left stays in the inbox for the next pass
            break
        if is_before(message.data, ctx.config.ignore_mail_before):
            continue  # older than go-live: left untouched in the inbox for a person
        taken += 1
        try:
            stored = _store(ctx, message.transport_id, message.data, now)
        except (DatabaseUnavailableError, LeaseLostError):
            raise
        except Exception as exc:  # about this message alone: set it aside, say why, go on
            _set_aside(ctx, message.transport_id, type(exc).__name__, log)
            continue
        crashpoint("after-store")
        if stored.is_new:
            new += 1
        elif stored.status == "failed" and stored.transport_id == message.transport_id:
            with unit_of_work(ctx.database, now=now) as work:  # a person put it back into the inbox: try again
                work.retry_failed_inbound(stored.id)
            log("message_retried", inbound_id=stored.id, reason="put back into the inbox")
        elif stored.status in TRANSPORT_OUTCOME:
            ctx.transport.mark_handled(message.transport_id, TRANSPORT_OUTCOME[stored.status])  # type: ignore[arg-type]
        elif repeats is not None and stored.transport_id != message.transport_id:
            repeats.append((message.transport_id, stored.id))
    return new


def _store(ctx: ServiceContext, transport_id: str, data: bytes, now: dt.datetime) -> StoredInbound:
    kind = ctx.config.transport.kind
    with unit_of_work(ctx.database, now=now) as work:
        return work.store_inbound(InboundMail(transport=kind, transport_id=transport_id, raw=data))


def _set_aside(ctx: ServiceContext, transport_id: str, error: str, log: JsonLog) -> None:
    """A message that could not be stored goes to the quarantine folder, so it neither blocks the
    inbox nor is lost; the log says which and why (no personal data: the error's kind)."""
    log("message_not_stored", level="error", transport_id=transport_id, error=error,
        action="moved to the quarantine folder; nothing was acted on")
    try:
        ctx.transport.mark_handled(transport_id, "quarantine")
    except TransportError as exc:
        log("message_not_set_aside", level="error", transport_id=transport_id, error=type(exc).__name__)


def move_repeats(ctx: ServiceContext, repeats: list[tuple[str, int]]) -> None:
    """Move repeated copies out of the inbox once their first copy has an outcome."""
    for transport_id, inbound_id in repeats:
        with ctx.database.reading() as reads:
            status = reads.inbound(inbound_id).status
        move_out_of_inbox(ctx, transport_id, status)


def move_out_of_inbox(ctx: ServiceContext, transport_id: str | None, status: str) -> None:
    """After the outcome is committed: move the message to processed or quarantine."""
    if transport_id and status in TRANSPORT_OUTCOME:
        ctx.transport.mark_handled(transport_id, TRANSPORT_OUTCOME[status])  # type: ignore[arg-type]
