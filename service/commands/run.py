"""``practice-alerts run [--once | --dry-run]``: the service itself."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.mailflow.transports import TransportError
from practice_alerts.pipeline.context import StartupError, open_service
from practice_alerts.pipeline.dry_run import print_dry_run
from practice_alerts.policies.time_zone import as_uk_time
from practice_alerts.runloop import Runner
from practice_alerts.store import DatabaseUnavailableError, LeaseLostError


def run_service(args: argparse.Namespace) -> int:
    try:
        config = load_config(config_path(args.config), os.environ)
    except ConfigError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    as_of: dt.datetime | None = None
    if getattr(args, "as_of", None):
        moment = rehearsal_moment(args, config)
        if isinstance(moment, str):
            print(moment, file=sys.stderr)
            return 2
        as_of = moment
    dry_run = getattr(args, "dry_run", False)
    try:
        ctx = open_service(config, os.environ, check_templates=not dry_run)
    except StartupError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    if dry_run:
        try:
            return print_dry_run(ctx, sys.stdout)
        finally:
            ctx.close()
    runner = Runner(ctx) if as_of is None else Runner(ctx, clock=_fixed(as_of))
    try:
        if not args.once:
            runner.run_forever()
            return 0
        runner.stop_on_signals()  # SIGTERM ends the pass between messages and frees the mailbox
        try:
            report = runner.one_pass()
        except (LeaseLostError, DatabaseUnavailableError, TransportError) as exc:
            runner.log("pass_failed", level="error", **runner.failure_fields(exc))
            print(f"The pass was interrupted and nothing half-done was kept: {exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # as in the loop: the type only, a message could quote mail
            runner.log("pass_failed", level="error", **runner.failure_fields(exc))
            return 1
        finally:
            try:  # ended or failed, the next run need not wait for the lease to expire
                runner.release()
            except Exception:  # the database may be what failed; the lease then expires on its own
                pass
        if not report.leader:
            print(_held_elsewhere(runner), file=sys.stderr)
            return 3
        if report.failed_steps:
            print(f"The pass ran, but these steps failed and are in the log: {', '.join(report.failed_steps)}.",
                  file=sys.stderr)
            return 1
    finally:
        ctx.close()
    return 0


def _held_elsewhere(runner: Runner) -> str:
    """Who holds the mailbox and until when, so a stale lease can be told from a running service."""
    holder = runner.holder_of_mailbox()
    if holder is None:
        return "Another service process holds the mailbox; nothing done."
    return (f"Another service process ({holder.holder}) holds the mailbox until "
            f"{holder.expires_at:%Y-%m-%d %H:%M:%S} UTC; nothing done. If that process is no longer running "
            "(check the host and process id it names), the lease lapses then and the next run proceeds.")


def _fixed(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always says ``moment`` (a rehearsal pass)."""
    return lambda: moment


def rehearsal_moment(args: argparse.Namespace, config: object) -> dt.datetime | str:
    """The pretend moment of a rehearsal pass, or why it is refused (a live service never runs on one)."""
    if not getattr(config, "rehearsal", False):
        return ("--as-of is only for rehearsals: this configuration does not say 'rehearsal: true', so it may be "
                "the live service, which must run on the real clock. Make a rehearsal copy of the configuration "
                "(its own database and mailbox) with 'rehearsal: true' and run it there.")
    if not args.once:
        return "--as-of runs one pass only: add --once."
    try:
        moment = dt.datetime.fromisoformat(args.as_of)
    except ValueError:
        return f"--as-of {args.as_of}: give a date and time like 2026-12-09T09:00 (UK time)."
    return as_uk_time(moment)
