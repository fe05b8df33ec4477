"""``practice-alerts retention --dry-run|--apply`` and ``practice-alerts export --case-number X --out DIR``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.export import ExportError, export_case
from practice_alerts.pipeline.context import ServiceContext, StartupError, open_service
from practice_alerts.retention import apply_retention, describe_rule


def _open(config_arg: str | None) -> ServiceContext | None:
    try:
        return open_service(load_config(config_path(config_arg), os.environ, require_secret=False), os.environ,
                            check_templates=False, reading_only=True)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot read the configuration: {exc}", file=sys.stderr)
        return None


def run_retention(args: argparse.Namespace) -> int:
    ctx = _open(args.config)
    if ctx is None:
        return 2
    try:
        rule = ctx.config.retention
        if rule is None or (rule.years_after_closure is None and rule.until_age is None):
            print("There is no retention rule in the configuration (retention: years_after_closure and/or "
                  "until_age); nothing is removed. See docs/governance.md.", file=sys.stderr)
            return 2
        now = dt.datetime.now(dt.timezone.utc)
        if args.as_of:
            now = dt.datetime.combine(dt.date.fromisoformat(args.as_of), dt.time(12), tzinfo=dt.timezone.utc)
        lines = apply_retention(ctx, rule, now, apply=args.apply)
        print(f"Retention rule: {describe_rule(rule)}.")
        for line in lines:
            print(f"  {line}")
        if not lines:
            print("  Nothing is past the rule.")
        elif not args.apply:
            print("Dry run: nothing was changed. Run with --apply to remove it (back up first).")
        else:
            print("Done; each removal is recorded in the database (retention_records).")
        return 0
    finally:
        ctx.close()


def run_export(args: argparse.Namespace) -> int:
    ctx = _open(args.config)
    if ctx is None:
        return 2
    try:
        made = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            report = export_case(ctx, args.case_number, Path(args.out), made=made)
        except ExportError as exc:
            print(f"Export failed: {exc}", file=sys.stderr)
            return 1
        if not report.alerts:
            print(f"No alert is held for the case number {args.case_number}.", file=sys.stderr)
            return 1
        print(f"Wrote {report.files} file(s) about {len(report.alerts)} alert(s) ({', '.join(report.alerts)}) "
              f"into {args.out}; read its README.txt before disclosing anything.")
        return 0
    finally:
        ctx.close()
