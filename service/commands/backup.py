"""``practice-alerts backup --out FILE`` and ``practice-alerts restore FILE [--force]``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from practice_alerts.backup import BackupError, make_backup, restore_backup
from practice_alerts.config import Config, ConfigError, config_path, load_config
from practice_alerts.store import StoreError


def _config(args: argparse.Namespace) -> Config | None:
    try:
        return load_config(config_path(args.config), os.environ, require_secret=False)
    except ConfigError as exc:
        print(f"Cannot read the configuration: {exc}", file=sys.stderr)
        return None


def write_backup(args: argparse.Namespace) -> int:
    config = _config(args)
    if config is None:
        return 2
    try:
        report = make_backup(config, Path(args.out))
    except (BackupError, StoreError, OSError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    what = "the database and " if report.database else ""
    print(f"Wrote {report.archive}: {what}{report.documents} document(s) and the configuration files.")
    for line in report.instructions:
        print(line)
    print("The signing key and mail passwords are not in it: keep them with the council's secrets.")
    return 0


def restore(args: argparse.Namespace) -> int:
    config = _config(args)
    if config is None:
        return 2
    try:
        report = restore_backup(config, Path(args.archive), force=args.force)
    except (BackupError, StoreError, OSError, EOFError) as exc:
        print(f"Restore failed: {exc}", file=sys.stderr)
        return 1
    what = "the database and " if report.database else ""
    print(f"Restored {what}{report.documents} document(s) from {report.archive}.")
    for line in report.instructions:
        print(line)
    print("Run 'practice-alerts check', then start the service.")
    return 0
