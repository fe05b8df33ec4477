"""``practice-alerts init DIR``: a commented starter configuration and an example directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from practice_alerts.starter import starter_text

EXAMPLE_DIRECTORY = Path(__file__).resolve().parent.parent / "example_directory.yaml"


def write_starter(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    config = folder / "practice-alerts.yaml"
    directory = folder / "directory.yaml"
    existing = [str(p) for p in (config, directory) if p.exists()]
    if existing:
        print(f"Not overwriting {', '.join(existing)}: move it away or choose another folder.", file=sys.stderr)
        return 1
    for sub in ("data", "documents", "mail/new", "mail/cur", "mail/tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config.write_text(starter_text(), encoding="utf-8")
    directory.write_text(EXAMPLE_DIRECTORY.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"Wrote {config} and {directory} (an invented example: replace it with your organisation's).")
    print("Next: export PRACTICE_ALERTS_SECRET=$(openssl rand -hex 32), check the settings, then")
    print(f"  practice-alerts run --once --config {config}")
    return 0
