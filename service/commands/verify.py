"""``practice-alerts verify``: every alert re-folded from its recorded events, compared with its stored state.

Exit 0 when every alert's stored state is exactly what its records fold to; 1 when any differs
or cannot be checked (each named, with what differs), so a scheduled check can raise the alarm.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.pipeline.upgrade import why_not_filled
from practice_alerts.workflow.events import EVENT_TYPES
from practice_alerts.workflow.record import fold


@dataclass(frozen=True)
class Difference:
    reference: str
    what: str


def verify_database(database: Any, ctx: Any = None) -> tuple[int, list[Difference]]:
    """How many alerts were checked, and every difference found (with ``ctx``, why an older alert
    could not be filled in)."""
    checked, found = 0, []
    with database.reading() as reads:
        for reference in reads.alerts_without_state():
            why = None
            if ctx is not None:
                why = why_not_filled(ctx, reads, reference)
            found.append(Difference(reference, "it has events but no stored state: " + (
                why or "raised before this version and not yet filled in; start the service once with 'run --once'")))
        for stored in reads.list_states():
            checked += 1
            decisions = reads.alert_decisions(stored.reference)
            events = [e for e in reads.events(stored.reference)
                      if e.event_type in EVENT_TYPES or e.id in decisions]
            missing = [e.sequence for e in events if e.id not in decisions]
            if missing:
                found.append(Difference(stored.reference, f"events {', '.join(map(str, missing))} have no decided record"))
                continue
            try:
                folded = fold(decisions[e.id].decided for e in events)
            except ValueError as exc:
                found.append(Difference(stored.reference, f"its records do not fold: {type(exc).__name__}: {exc}"))
                continue
            if folded is None:
                found.append(Difference(stored.reference, "a stored state but no workflow events"))
                continue
            again = folded.model_dump(mode="json")
            fields = sorted(k for k in set(again) | set(stored.state) if again.get(k) != stored.state.get(k))
            if fields:
                found.append(Difference(stored.reference, f"stored state differs in: {', '.join(fields)}"))
            elif events and events[-1].id != stored.last_event_id:
                found.append(Difference(stored.reference, f"stored after event {stored.last_event_id}, "
                                                           f"but the last event is {events[-1].id}"))
            elif stored.status != folded.status.value or stored.due != folded.due or stored.stage != folded.stage:
                found.append(Difference(stored.reference, "the status, stage or due date columns differ from the state"))
    return checked, found


def verify_records(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        checked, found = verify_database(ctx.database, ctx)
    finally:
        ctx.close()
    for difference in found:
        print(f"{difference.reference}: {difference.what}")
    if found:
        print(f"{len(found)} of {checked + sum(1 for d in found if 'no stored state' in d.what)} alerts differ from "
              "their records; nothing was changed. Send this output to whoever supports Practice Alerts.",
              file=sys.stderr)
        return 1
    print(f"All {checked} alerts match their recorded events.")
    return 0
