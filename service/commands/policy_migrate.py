"""``practice-alerts policy migrate [--dry-run]``: move open alerts onto the policy file in force now.

An alert runs on under the policy version it was raised with. Moving it is a step someone takes
on purpose, recorded on the alert (a ``policy_migrated`` entry saying who, when, why, and from
which version to which). The due date already given to the manager stands; from then on the new
version decides what happens next (the following stages, their days and copies, reminders).
``--dry-run`` shows, alert by alert, what would change and changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.pipeline.alerts import state_of, state_to_save
from practice_alerts.pipeline.versions import UnknownPolicyVersion, current_version, keep_current, stored_policy
from practice_alerts.store import NewEvent, StoreReads, unit_of_work
from practice_alerts.workflow.clock import next_clock_at
from practice_alerts.workflow.record import Decided

MIGRATED = "policy_migrated"


def _stage_rules(policy: Any, key: str | None) -> str:
    if key is None:
        return "with an external agency"
    try:
        stage = policy.stage(key)
    except KeyError:
        return f"stage '{key}' does not exist"
    copies = ", ".join(r.value for r in stage.cc) or "none"
    following = policy.stage(stage.next).name if stage.next else "none (last stage)"
    return f"{stage.response_days or 'no'} working days, copies: {copies}, next: {following}"


def plan(ctx: Any, reads: StoreReads) -> tuple[str, list[tuple[str, str | None, list[str], str | None]]]:
    """The current version and, for each open alert on another version: (reference, its version, the
    changes, why it cannot move or None)."""
    target = current_version(ctx)
    out = []
    for stored in reads.list_states(open_only=True):
        if stored.policy_version == target:
            continue
        state = state_of(stored)
        try:
            old = stored_policy(reads, stored.policy_version) if stored.policy_version else None
        except UnknownPolicyVersion:
            old = None
        changes, problem = [], None
        if state.stage is not None:
            try:
                ctx.policy.stage(state.stage)
            except KeyError:
                problem = (f"its stage '{state.stage}' is not in the new policy; it stays on its version until it "
                           "closes")
        before = _stage_rules(old, state.stage) if old is not None else "not known"
        after = _stage_rules(ctx.policy, state.stage)
        if before != after:
            changes.append(f"at {state.current.name if state.current else state.stage}: {before} -> {after}")
        if old is not None and old.reminders.days_before_due != ctx.policy.reminders.days_before_due:
            changes.append(f"reminders (working days before the due date): {old.reminders.days_before_due} -> "
                           f"{ctx.policy.reminders.days_before_due}")
        if old is not None and old.target_working_days != ctx.policy.target_working_days:
            changes.append(f"target: {old.target_working_days} -> {ctx.policy.target_working_days} working days")
        if state.due is not None:
            changes.append(f"the due date given to the manager stays {state.due:%d/%m/%Y}")
        out.append((stored.reference, stored.policy_version, changes, problem))
    return target, out


def migrate_policy(args: argparse.Namespace) -> int:
    if not args.dry_run and not (args.by and args.reason):
        print("Say who is moving the alerts and why: --by EMAIL --reason TEXT (or look first with --dry-run).",
              file=sys.stderr)
        return 2
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with ctx.database.reading() as reads:
            target, alerts = plan(ctx, reads)
        for reference, version, changes, problem in alerts:
            print(f"{reference}: policy version {(version or 'unknown')[:12]} -> {target[:12]}"
                  + (f": NOT MOVED: {problem}" if problem else ""))
            for change in changes:
                print(f"  {change}")
        if not alerts:
            print(f"Every open alert already runs under the policy in force ({target[:12]}).")
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return 0
        moved = 0
        for reference, version, _changes, problem in alerts:
            if problem:
                continue
            with unit_of_work(ctx.database, now=now) as work:
                stored = work.state(reference)
                if stored is None or stored.policy_version != version:
                    continue
                keep_current(ctx, work)
                state = state_of(stored)
                event = work.append_event(reference, NewEvent(
                    event_type=MIGRATED, occurred_at=now, actor_email=args.by,
                    payload={"from_version": version, "to_version": target, "reason": args.reason}))
                visit = state.current
                record = Decided(status=state.status, stage=state.stage, stage_name=visit.name if visit else None,
                                 due=state.due, policy_version=target, change={"set": {}, "tail": {}})
                work.save_decision(reference, event.id, record.model_dump(mode="json"))
                work.save_state(reference, state_to_save(state, version=target, event_id=event.id,
                                                         next_clock_at=next_clock_at(state, ctx.policy, ctx.calendar)))
                moved += 1
        print(f"Moved {moved} alert{'s' if moved != 1 else ''} to policy version {target[:12]}.")
        return 1 if any(problem for *_rest, problem in alerts) else 0
    finally:
        ctx.close()
