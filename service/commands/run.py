"""``practice-alerts run [--once]``: the service itself."""

from __future__ import annotations

import argparse
import os
import sys


def run_service(args: argparse.Namespace) -> int:
    from practice_alerts.config import ConfigError, config_path, load_config
    from practice_alerts.pipeline.context import StartupError, open_service
    from practice_alerts.runloop import Runner

    try:
        config = load_config(config_path(args.config), os.environ)
        ctx = open_service(config, os.environ)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    runner = Runner(ctx)
    try:
        if args.once:
            report = runner.one_pass()
            if not report.leader:
                print("Another service process holds the mailbox; nothing done.", file=sys.stderr)
                return 3
            runner.release()
        else:
            runner.run_forever()
    finally:
        ctx.close()
    return 0
