"""``practice-alerts alert show REF [--json]`` and ``alert list [--json] [--status S] [--overdue]``.

Both read the stored state and the decided records (``practice_alerts.views``); nothing is
re-decided, so what they print never changes when the directory or the policy does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.pipeline.alerts import state_of
from practice_alerts.pipeline.versions import UnknownPolicyVersion, under_version
from practice_alerts.policies.time_zone import uk_day, uk_time
from practice_alerts.store import StoreReads
from practice_alerts.views import AlertView, alert_view, event_line
from practice_alerts.workflow.record import Decided


def _target(ctx: Any, reads: StoreReads, version: str | None) -> int | None:
    try:
        return under_version(ctx, reads, version).policy.target_working_days
    except UnknownPolicyVersion:
        return None


def load_view(ctx: Any, reference: str, today: dt.date) -> AlertView | None:
    """The alert's view with its events, or None when there is no such alert (or it has no state)."""
    with ctx.database.reading() as reads:
        stored = reads.state(reference)
        if stored is None:
            return None
        events = reads.events(reference)
        decisions = {k: Decided.model_validate(v.decided) for k, v in reads.alert_decisions(reference).items()}
        target = _target(ctx, reads, stored.policy_version)
    return alert_view(stored, state_of(stored), ctx.calendar, today, target=target, stored_events=events,
                      decisions=decisions)


def chronology_lines(ctx: Any, reference: str) -> list[str]:
    """One line per recorded event: when (UK time), what, who, and the state after it."""
    view = load_view(ctx, reference, uk_day(dt.datetime.now(dt.timezone.utc)))
    if view is None:
        return []
    return [event_line(e, ctx.name_of, uk_time) for e in view.events or ()]


def _missing(ctx: Any, reference: str) -> str:
    with ctx.database.reading() as reads:
        known = reads.alert(reference) is not None
        anonymised = known and reads.is_anonymised(reference)
    if anonymised:
        return (f"Alert {reference} was anonymised under the retention rule: only its reference and the types and "
                "times of its events are kept (see docs/governance.md).")
    if known:
        return (f"Alert {reference} has no stored state yet (it was raised before this version): start the service "
                "once ('practice-alerts run --once') so its record is filled in, or run 'practice-alerts verify'.")
    return f"There is no alert {reference}."


def show_alert(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        reference = args.reference.strip().upper()
        view = load_view(ctx, reference, uk_day(dt.datetime.now(dt.timezone.utc)))
        if view is None:
            print(_missing(ctx, reference), file=sys.stderr)
            return 1
        if getattr(args, "json", False):
            print(view.model_dump_json(indent=2))
            return 0
        print(f"Chronology of {reference} ({ctx.policy.authority}):")
        for line in chronology_lines(ctx, reference):
            print(f"  {line}")
        return 0
    finally:
        ctx.close()


def list_alerts(args: argparse.Namespace) -> int:
    """Every alert's summary (no events), written as it is read, so memory does not grow with the
    number of alerts; alerts that cannot be read are named and the exit code is 1."""
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    today = uk_day(dt.datetime.now(dt.timezone.utc))
    problems: list[tuple[str, str]] = []
    out = sys.stdout
    first = True
    if args.json:
        out.write('{\n  "alerts": [')
    try:
        with ctx.database.reading() as reads:
            problems = [(r, "raised before this version and not yet filled in: start the service once "
                            "('practice-alerts run --once')") for r in reads.alerts_without_state()]
            targets: dict[str | None, int | None] = {}
            for stored in reads.list_states(status=args.status):
                try:
                    state = state_of(stored)
                except ValueError as exc:
                    problems.append((stored.reference, f"its stored state cannot be read ({type(exc).__name__}); "
                                                       "run 'practice-alerts verify'"))
                    continue
                if stored.policy_version not in targets:
                    targets[stored.policy_version] = _target(ctx, reads, stored.policy_version)
                view = alert_view(stored, state, ctx.calendar, today, target=targets[stored.policy_version])
                if args.overdue and not view.overdue:
                    continue
                if args.json:
                    out.write(("\n    " if first else ",\n    ") + view.model_dump_json())
                    first = False
                else:
                    due = f" due {view.due:%d/%m/%Y}" if view.due else ""
                    out.write(f"{view.reference}  {view.status}{' at ' + view.stage_name if view.stage_name else ''}"
                              f"{due}{'  OVERDUE' if view.overdue else ''}\n")
    finally:
        ctx.close()
    if args.json:
        not_counted = json.dumps([{"reference": r, "reason": why} for r, why in problems])
        out.write(f'{"" if first else chr(10) + "  "}],\n  "not_counted": {not_counted}\n}}\n')
    for reference, why in problems:
        print(f"Not counted: alert {reference}: {why}", file=sys.stderr)
    return 1 if problems else 0
