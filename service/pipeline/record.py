"""Applying one workflow event to a stored alert: decide, append, record, act — inside the caller's unit of work.

Shared by message handling and the clock. ``decide`` may refuse (``workflow.context.Refused``);
then nothing is appended and the caller says why to whoever sent it. Beside each appended event
go what was decided (``workflow.record.Decided``) and the alert's new stored state, in the same
transaction, so the record never depends on the directory or policy again.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.pipeline.actions import perform
from practice_alerts.pipeline.alerts import LoadedAlert, state_to_save
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.handling import Step
from practice_alerts.pipeline.overdue import tell_line_manager
from practice_alerts.pipeline.returned import ReturnedForm
from practice_alerts.pipeline.versions import keep_current, under_version
from practice_alerts.store import NewEvent, UnitOfWork
from practice_alerts.workflow.clock import next_clock_at
from practice_alerts.workflow.context import Decision
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import Event, dump_event
from practice_alerts.workflow.record import decided


def apply_event(ctx: ServiceContext, work: UnitOfWork, loaded: LoadedAlert, event: Event, now: dt.datetime, *,
                inbound_id: int | None = None, inbound_message_id: str | None = None,
                decision: Decision | None = None, returned: ReturnedForm | None = None) -> Decision:
    """Decide ``event`` on the alert (unless ``decision`` is given), record it and enqueue its mail."""
    version = loaded.version if loaded.state is not None else keep_current(ctx, work)
    rules = under_version(ctx, work, version)
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
    thread = tuple(m for m in (work.first_message_id(loaded.reference),) if m)  # Outlook threads under it
    step = Step(reference=loaded.reference, sequence=stored.sequence, event=event, state=decision.state,
                events=events, form=loaded.form, event_id=stored.id, inbound_message_id=inbound_message_id,
                thread=thread, returned=returned)
    perform(rules, work, step, decision.actions, now)
    if event.type == "deadline_missed":
        tell_line_manager(rules, work, loaded.state, decision.state, stored.sequence, now)
    return decision

