"""A form sent twice: hold the second until the IRO says it is a new alert.

Two forms are a likely duplicate when they name the same child (case number) and the same
concern (the concern text, ignoring case, spacing and punctuation) within
``notices.duplicate_window_days``. The second raises nothing and writes to nobody but the IRO,
who is asked to reply RAISE AS NEW if it is a new alert. That reply answers our message, whose
signed Message-ID carries the held message's id, so the held form is found and raised then.
"""

from __future__ import annotations

import datetime as dt
import re

from practice_alerts.forms.record import AlertForm
from practice_alerts.mailflow import attachments
from practice_alerts.mailflow.classify import Classification
from practice_alerts.mailflow.compose import Notice
from practice_alerts.mailflow.decode import UnreadableMessage, parse
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.alerts import FORM_NOTE
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.store import NewEvent, StoredInbound, UnitOfWork
from practice_alerts.workflow.context import long_date

KEY = "duplicate"
HELD_NOTE = "duplicate_held"
CONFIRM = re.compile(r"^\W*(RAISE( IT)? AS (A )?NEW( ALERT)?|NEW ALERT|CONFIRM(ED)?)\b", re.IGNORECASE)


def _same(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def likely_duplicate(ctx: ServiceContext, work: UnitOfWork, record: AlertForm,
                     received: dt.datetime) -> str | None:
    """The reference of an alert raised for the same child and concern within the window, if any."""
    days = ctx.config.notices.duplicate_window_days
    if days <= 0:
        return None
    child, concern = _same(record.child_id), _same(record.concern)
    for stored in work.events_of_type_since(FORM_NOTE, received - dt.timedelta(days=days)):
        form = stored.payload.get("form") or {}
        if _same(form.get("child_id")) == child and _same(form.get("concern")) == concern:
            return stored.alert_reference
    return None


def hold_duplicate(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                   earlier: str, now: dt.datetime) -> None:
    """Note the held form on the earlier alert and ask the IRO to confirm."""
    state = ctx.cache.load(work, earlier, ctx).state
    work.append_event(earlier, NewEvent(event_type=HELD_NOTE, payload={"held_inbound_id": inbound.id},
                                        occurred_at=inbound.received_at, actor_email=found.sender,
                                        inbound_id=inbound.id))
    raised = f" on {long_date(state.raised_at)}" if state is not None else ""
    answers.send(ctx, work, found, inbound, Notice.POSSIBLE_DUPLICATE, [
        f"The form you sent looks like alert {earlier}, raised{raised} for the same child with the same concern. "
        "No new alert has been raised and nobody else has been written to.",
        "What to do: if this is a new alert, reply to this message with RAISE AS NEW on the first line and it "
        "will be raised at once. If the form was sent twice by mistake, there is nothing to do.",
    ], now, reference=earlier, key=KEY)


def is_duplicate_confirmation(found: Classification) -> bool:
    action = found.replied_to_action or ""
    first = next((line for line in found.text.splitlines() if line.strip()), "")
    return action.startswith(f"{KEY}-") and bool(CONFIRM.match(first))


def held_original(ctx: ServiceContext, work: UnitOfWork,
                  found: Classification) -> tuple[StoredInbound, Classification] | None:
    """The held message and its forms, unless it was raised already (a second RAISE AS NEW)."""
    try:
        inbound_id = int((found.replied_to_action or "").removeprefix(f"{KEY}-"))
    except ValueError:
        return None
    if any(e.event_type == FORM_NOTE for e in work.events_from_inbound(inbound_id)):
        return None
    try:
        held = work.inbound(inbound_id)
        message = parse(work.inbound_raw(inbound_id))
    except (LookupError, UnreadableMessage):
        return None
    forms = attachments.find_forms(message).forms
    if not forms:
        return None
    return held, found.model_copy(update={"forms": forms, "kind": "new_alert"})
