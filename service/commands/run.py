"""``practice-alerts run [--once | --dry-run]``: the service itself."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practice_alerts.runloop import Runner


def run_service(args: argparse.Namespace) -> int:
    from practice_alerts.config import ConfigError, config_path, load_config
    from practice_alerts.mailflow.transports import TransportError
    from practice_alerts.pipeline.context import StartupError, open_service
    from practice_alerts.runloop import Runner
    from practice_alerts.store import DatabaseUnavailableError, LeaseLostError

    try:
        config = load_config(config_path(args.config), os.environ)
        ctx = open_service(config, os.environ, check_templates=not getattr(args, "dry_run", False))
    except (ConfigError, StartupError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "dry_run", False):
        from practice_alerts.pipeline.dry_run import print_dry_run

        try:
            return print_dry_run(ctx, sys.stdout)
        finally:
            ctx.close()
    runner = Runner(ctx)
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
        if not report.leader:
            print(_held_elsewhere(runner), file=sys.stderr)
            return 3
        runner.release()
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
