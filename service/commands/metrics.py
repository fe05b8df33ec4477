"""``practice-alerts metrics [--out FILE]``: Prometheus metrics, printed or written for node_exporter."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.metrics import metrics_text


def write_metrics(args: argparse.Namespace) -> int:
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    try:
        text = metrics_text(ctx, dt.datetime.now(dt.timezone.utc))
    finally:
        ctx.close()
    if not args.out:
        print(text, end="")
        return 0
    out = Path(args.out)
    partial = out.with_name(f".{out.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, out)  # the collector never reads half a file
    return 0
