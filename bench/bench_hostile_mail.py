"""Hostile inbound mail at three sizes: time and peak memory as ratios to the message size.

    .venv/bin/python bench/bench_hostile_mail.py [--sizes 250000,1000000,4000000]

Each message (built by tests/unit/mailflow/hostile_mail.py: a fake bounce, unfinished <a tags,
a From of many RFC 2047 words, a long References header, a big attachment, a big plain body)
is classified as the service classifies it, before any sender check. For each size it prints
seconds per MB and peak traced memory as a multiple of the message's size, and, against the
smallest size as the baseline, how time and memory grew: linear cost keeps "time x" close to
"size x"; a quadratic cost squares it. Aims (issue 12): a few seconds per MB, memory <= 3x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _hostile():
    spec = importlib.util.spec_from_file_location("hostile_mail", ROOT / "tests/unit/mailflow/hostile_mail.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.HOSTILE


def _classify(raw: bytes) -> None:
    from practice_alerts.mailflow.classify import InboundSettings, classify
    from practice_alerts.policies.load import load_policy
    from practice_alerts.workflow.directory import Directory

    classify(raw, directory=Directory(people=[]), alerts=_NoAlerts(), policy=load_policy("rutland"),
             settings=InboundSettings(own_addresses=("practice.alerts@council.example",)),
             secret=b"bench-secret-0123456789", received=dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc))


class _NoAlerts:
    def by_reference(self, reference: str) -> None:
        return None


def measure(raw: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    _classify(raw)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        _classify(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250000,1000000,4000000")
    sizes = [int(s) for s in parser.parse_args(argv).sizes.split(",")]
    _classify(b"From: warm@up.example\r\n\r\nwarm up\r\n")
    print(f"{'message':26} {'size':>9} {'s/MB':>7} {'mem/size':>9} {'size x':>7} {'time x':>7} {'mem x':>7}")
    for name, build in _hostile().items():
        base: tuple[int, float, int] | None = None
        for size in sizes:
            raw = build(size)
            seconds, peak = measure(raw)
            base = base or (len(raw), seconds, peak)
            print(f"{name:26} {len(raw):>9} {seconds / (len(raw) / 1e6):>7.2f} {peak / len(raw):>9.2f} "
                  f"{len(raw) / base[0]:>7.1f} {seconds / max(base[1], 1e-6):>7.1f} {peak / base[2]:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
