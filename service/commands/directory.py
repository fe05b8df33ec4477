"""``practice-alerts directory sync [--dry-run]``: rebuild the directory from Microsoft Entra ID."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.directory_sync import sync_directory
from practice_alerts.entra import EntraError, GraphReader


def sync(args: argparse.Namespace) -> int:
    try:
        config = load_config(config_path(args.config), os.environ, require_secret=False)
    except ConfigError as exc:
        print(f"Cannot read the configuration: {exc}", file=sys.stderr)
        return 2
    settings = config.directory_sync
    if settings is None:
        print("There is no directory_sync section in the configuration (tenant_id, client_id, client_secret_env, "
              "groups); see docs/operations.md.", file=sys.stderr)
        return 2
    directory = Path(config.directory)
    if directory.suffix.lower() not in (".yaml", ".yml"):
        print(f"directory sync writes YAML, but the directory is {directory}; point 'directory' at a .yaml file.",
              file=sys.stderr)
        return 2
    try:
        reader = GraphReader(settings, os.environ)
        try:
            people = reader.read()
        finally:
            reader.close()
    except EntraError as exc:
        print(f"Directory sync failed: {exc}", file=sys.stderr)
        return 1
    report = sync_directory(settings, people, directory, now=dt.datetime.now(dt.timezone.utc), write=not args.dry_run)
    for line in report.lines():
        print(f"  {line}")
    if report.problems:
        print(f"The directory was not changed; fix these first ({directory}):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    counted = f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed"
    if args.dry_run:
        print(f"Dry run: {counted}; nothing was written.")
    else:
        print(f"Wrote {directory}: {counted}, {len(report.kept_local)} local addition(s) kept "
              "(the previous file is kept as .bak). Restart the service to use it.")
    return 0
