"""Applying one workflow event to a stored alert: decide, append, record, act — inside the caller's unit of work.

Shared by message handling and the clock. ``decide`` may refuse (``workflow.context.Refused``);
then nothing is appended and the caller says why to whoever sent it. Beside each appended event
go what was decided (``workflow.record.Decided``) and the alert's new stored state, in the same
transaction, so the record never depends on the directory or policy again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from practice_alerts.pipeline.actions import Step, perform
from practice_alerts.pipeline.alerts import LoadedAlert, state_to_save
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.versions import keep_current, under_version
from practice_alerts.store import NewEvent, UnitOfWork
from practice_alerts.store.tables import OutboxMessage
from practice_alerts.workflow.clock import next_clock_at
from practice_alerts.workflow.context import Decision
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import Event, dump_event
from practice_alerts.workflow.record import decided


def apply_event(ctx: ServiceContext, work: UnitOfWork, loaded: LoadedAlert, event: Event, now: dt.datetime, *,
                inbound_id: int | None = None, inbound_message_id: str | None = None,
                decision: Decision | None = None) -> Decision:
    """Decide ``event`` on the alert (unless ``decision`` is given), record it and enqueue its mail."""
    version = loaded.version if loaded.state is not None else keep_current(ctx, work.session, now)
    rules = under_version(ctx, work.session, version)
    if decision is None:
        decision = decide(loaded.state, event, rules.policy, rules.directory, rules.calendar, now)
    stored = work.append_event(loaded.reference, NewEvent(
        event_type=event.type, payload=dump_event(event), occurred_at=event.at, actor_email=event.by,
        inbound_id=inbound_id))
    record = decided(loaded.state, decision.state, decision.actions, policy=rules.policy, calendar=rules.calendar,
                     version=version, name_of=ctx.name_of)
    work.save_decision(loaded.reference, stored.id, record.model_dump(mode="json"))
    work.save_state(loaded.reference, state_to_save(
        decision.state, version=version, event_id=stored.id,
        next_clock_at=next_clock_at(decision.state, rules.policy, rules.calendar)))
    events = [*loaded.events, event]
    thread = tuple(m for m in (_thread_root(work, loaded.reference),) if m)
    step = Step(reference=loaded.reference, sequence=stored.sequence, event=event, state=decision.state,
                events=events, form=loaded.form, event_id=stored.id, inbound_message_id=inbound_message_id,
                thread=thread)
    perform(rules, work, step, decision.actions, now)
    return decision


def _thread_root(work: UnitOfWork, reference: str) -> str | None:
    """The first message sent about the alert: later ones name it in References, so Outlook threads them."""

    return work.session.scalar(select(OutboxMessage.message_id).where(OutboxMessage.alert_reference == reference)
                               .order_by(OutboxMessage.id).limit(1))
