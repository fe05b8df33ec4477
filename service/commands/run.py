"""``practice-alerts run [--once]``: the service itself."""

from __future__ import annotations

import argparse
import os
import sys

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.mailflow.transports import TransportError
from practice_alerts.pipeline.context import StartupError, open_service
from practice_alerts.runloop import Runner
from practice_alerts.store import DatabaseUnavailableError, LeaseLostError


def run_service(args: argparse.Namespace) -> int:
    try:
        config = load_config(config_path(args.config), os.environ)
        ctx = open_service(config, os.environ)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    runner = Runner(ctx)
    try:
        if not args.once:
            runner.run_forever()
            return 0
        runner.stop_on_signals()  # SIGTERM ends the pass between messages and frees the mailbox
        try:
            report = runner.one_pass()
        except (LeaseLostError, DatabaseUnavailableError, TransportError) as exc:
            print(f"The pass was interrupted and nothing half-done was kept: {exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # as in the loop: the type only, a message could quote mail
            runner.log("pass_failed", level="error", error=type(exc).__name__)
            return 1
        finally:
            try:  # ended or failed, the next run need not wait for the lease to expire
                runner.release()
            except Exception:  # the database may be what failed; the lease then expires on its own
                pass
        if not report.leader:
            print("Another service process holds the mailbox; nothing done.", file=sys.stderr)
            return 3
    finally:
        ctx.close()
    return 0

