"""``practice-alerts status``: open alerts by state, overdue ones, the quarantine, the outbox, the last poll."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.health import check_health
from practice_alerts.pipeline.alerts import state_of
from practice_alerts.pipeline.held_headers import headers_of
from practice_alerts.policies.time_zone import uk_day, uk_time

SHOWN = 10
"""At most this many quarantined messages and troubled outbox messages are listed one by one."""


def _uk(moment: dt.datetime) -> str:
    return f"{uk_time(moment):%d/%m/%Y %H:%M}"


def _listed(lines: Iterable[str]) -> list[str]:
    """The lines, cut to SHOWN, with a note when there were more."""
    lines = list(lines)
    return lines[:SHOWN] + ([f"  ... and more (only the first {SHOWN} are listed)"] if len(lines) > SHOWN else [])


def _who(raw: bytes | None) -> str:
    """'sender, subject "..."' for a held message (the operator needs both to find it)."""
    heads = headers_of(raw or b"")
    return f'{heads.sender}, subject "{heads.subject}"'


def status_counts(ctx: Any, now: dt.datetime) -> dict[str, Any]:
    """The figures ``status`` shows, from the stored states (docs/json.md describes them)."""
    today = uk_day(now)
    with ctx.database.reading() as reads:
        facts = reads.status_facts(due_before=today, shown=SHOWN)
        by_status = facts.by_status
        not_counted = [{"reference": r, "reason": "raised before this version and not yet filled in: start the "
                        "service once ('practice-alerts run --once')"} for r in facts.without_state]
        overdue = []
        for stored in facts.open_due_before:
            try:
                state = state_of(stored)
            except ValueError:
                not_counted.append({"reference": stored.reference, "reason": "its stored state cannot be read; "
                                    "run 'practice-alerts verify'"})
                continue
            if state.is_overdue(now, ctx.calendar) and state.current is not None:
                overdue.append({"reference": state.reference, "stage_name": state.current.name,
                                "due": state.due.isoformat() if state.due else None, "status": state.status.value})
    inbound = facts.inbound_by_status
    oldest, last = facts.oldest_waiting_since, facts.last_poll
    open_by = {k: v for k, v in sorted(by_status.items()) if k in _OPEN}
    return {
        "open": sum(open_by.values()), "open_by_status": open_by,
        "overdue": len(overdue), "overdue_alerts": sorted(overdue, key=lambda o: o["due"] or ""),
        "finished": sum(v for k, v in by_status.items() if k not in _OPEN), "by_status": dict(sorted(by_status.items())),
        "not_counted": not_counted,
        "inbound": {"quarantined": inbound.get("quarantined", 0), "failed": inbound.get("failed", 0),
                    "waiting": inbound.get("received", 0)},
        "outbox": {"waiting": facts.outbox_waiting, "oldest_waiting_since": oldest.isoformat() if oldest else None,
                   "given_up": len(facts.given_up)},
        "last_poll": last.isoformat() if last else None,
        "_held": facts.held, "_heads": facts.heads, "_troubled": facts.troubled, "_stuck": facts.given_up,
    }


_OPEN = ("informal", "awaiting_response", "awaiting_decision", "timed_out")


def status_lines(ctx, now: dt.datetime) -> list[str]:

    c = status_counts(ctx, now)
    lines = []
    by_state = c["open_by_status"]
    lines.append(f"Open alerts: {c['open']}" + (f" ({', '.join(f'{k} {v}' for k, v in by_state.items())})"
                                                 if by_state else ""))
    lines.append(f"Overdue: {c['overdue']}")
    for o in c["overdue_alerts"]:
        lines.append(f"  {o['reference']} at {o['stage_name']}, response was due "
                     f"{dt.date.fromisoformat(o['due']):%d/%m/%Y} ({o['status']})")
    lines.append(f"Resolved, referred or closed: {c['finished']}")
    for problem in c["not_counted"]:
        lines.append(f"Not counted: alert {problem['reference']}: {problem['reason']}")
    lines.append(f"Quarantine: {c['inbound']['quarantined']} message(s) held for review; "
                 f"failed: {c['inbound']['failed']}; waiting to be handled: {c['inbound']['waiting']}")
    lines += _listed(f"  message {m.id} received {_uk(m.received_at)} ({m.status}) from {_who(c['_heads'].get(m.id))}: "
                     f"{m.outcome or 'no outcome'}"
                     for m in c["_held"])
    backlog = f"Outbox: {c['outbox']['waiting']} waiting"
    if c["outbox"]["oldest_waiting_since"] is not None:
        backlog += f" (oldest since {_uk(dt.datetime.fromisoformat(c['outbox']['oldest_waiting_since']))})"
    lines.append(backlog + f"; {c['outbox']['given_up']} given up")
    lines += _listed(f"  {o.alert_reference or 'no alert'} {o.purpose}: next try {_uk(o.next_attempt_at)} "
                     f"after {o.attempts} attempt(s): {o.last_error}" for o in c["_troubled"])
    lines += _listed(f"  given up: {o.alert_reference or 'no alert'} {o.purpose} (outgoing {o.id}) after "
                     f"{o.attempts} attempt(s): {o.last_error}" for o in c["_stuck"])
    if c["_stuck"] or c["inbound"]["failed"]:
        lines.append("  To try again: practice-alerts mail retry outbound ID... (or --all); failed inbound "
                     "messages: practice-alerts mail retry inbound ID...")
    last = c["last_poll"]
    lines.append("Last successful poll: " + (f"{uk_time(dt.datetime.fromisoformat(last)):%d/%m/%Y %H:%M:%S} "
                                             "(UK time)" if last else "never"))
    return lines


def print_status(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    now = dt.datetime.now(dt.timezone.utc)
    try:
        health = check_health(ctx.database, ctx.config.health, now)  # shown; 'health' gives it as an exit code
        if getattr(args, "json", False):
            counts = {k: v for k, v in status_counts(ctx, now).items() if not k.startswith("_")}
            counts["health"] = health.as_json()
            print(json.dumps(counts, indent=2))
            return 1 if counts["not_counted"] else 0
        lines = status_lines(ctx, now)
        for line in lines:
            print(line)
        print("Health: " + ("ok" if health.ok else " ".join(health.problems)))
        return 1 if any(line.startswith("Not counted:") for line in lines) else 0
    finally:
        ctx.close()
