"""``practice-alerts alert show PA-YYYY-NNNN``: the alert's chronology, from its event log."""

from __future__ import annotations

import argparse
import sys

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.documents.from_alert import chronology
from practice_alerts.pipeline.alerts import event_of
from practice_alerts.store import alert_events
from practice_alerts.workflow.calendar import LONDON
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import EVENT_TYPES

_NOTES = {"form_filed": "Form filed", "out_of_office": "Out-of-office reply from the stage recipient",
          "bounce": "A message could not be delivered", "comment": "Comment received",
          "refused": "Request refused (reason sent back)",
          "delivery_failed": "A message from the service could not be delivered (LAC admin and the IRO told)"}


def chronology_lines(ctx, reference: str) -> list[str]:
    """One line per recorded event: when (UK time), what, who, and the state after it."""
    with ctx.database.reading() as session:
        stored = alert_events(session, reference)
    lines, state = [], None
    for row in stored:
        when = row.occurred_at.astimezone(LONDON).strftime("%d/%m/%Y %H:%M")
        who = (ctx.name_of(row.actor_email) or row.actor_email) if row.actor_email else "Practice Alerts"
        if row.event_type in EVENT_TYPES:
            event = event_of(row)
            state = decide(state, event, ctx.policy, ctx.directory, ctx.calendar, event.at, recorded=True).state
            what = chronology([event], ctx.name_of)[0].what.splitlines()[0][:90]
            where = f"{state.state.value}" + (f" at {ctx.policy.stage(state.stage).name}" if state.stage else "")
            due = f", due {state.due:%d/%m/%Y}" if state.due and state.is_open else ""
            lines.append(f"{when}  {what} - {who}  [{where}{due}]")
        else:
            lines.append(f"{when}  {_NOTES.get(row.event_type, row.event_type)} - {who}")
    return lines


def show_alert(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        reference = args.reference.strip().upper()
        lines = chronology_lines(ctx, reference)
        if not lines:
            print(f"There is no alert {reference}.", file=sys.stderr)
            return 1
        print(f"Chronology of {reference} ({ctx.policy.authority}):")
        for line in lines:
            print(f"  {line}")
        return 0
    finally:
        ctx.close()
