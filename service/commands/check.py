"""``practice-alerts check``: is this installation ready to run? One line per part, one sentence per problem."""

from __future__ import annotations

import argparse
import os

from practice_alerts.checks import run_checks
from practice_alerts.config import config_path


def check_installation(args: argparse.Namespace) -> int:
    report = run_checks(config_path(args.config), os.environ)
    for line in report.lines():
        print(line)
    problems = sum(len(p.problems) for p in report.parts)
    print("Ready to run." if report.ok else f"{problems} problem(s) to fix before the service can run.")
    return 0 if report.ok else 1
