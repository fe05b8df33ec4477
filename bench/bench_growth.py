"""Cost as history grows: the same commands at 100, 1,000 and 10,000 alerts, as ratios to 100.

    .venv/bin/python bench/bench_growth.py [--sizes 100,1000,10000]

For each size a fresh SQLite database is filled with that many alerts (copies of the eleven
sample alerts of ``tools.report_samples``, played through the real workflow: about
ten events each, most closed, some open), stored the way the service stores them (events,
decided records, stored states). Then each command runs in its own process, in turns, and its
whole-process CPU time and peak memory are measured:

* an idle ``run --once`` (a rehearsal pass at the moment the history ends: nothing is due),
* ``status``, ``alert list --json``, ``tracker``, ``report quarterly --quarter 2026-Q4``.

It prints each figure and its ratio to the 100-alert figure of the same run. The aim: at 10,000
alerts each within 1.5x of its 100-alert cost (the tracker and report within 3x), and peak
memory within 1.5x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SECRET = "bench-message-id-key-0123456789"
END = "2026-12-31T23:59"
COMMANDS = {
    "idle pass": ["run", "--once", "--as-of", END],
    "status": ["status"],
    "alert list --json": ["alert", "list", "--json"],
    "tracker": ["tracker", "--out", "{out}/tracker.xlsx"],
    "report quarterly": ["report", "quarterly", "--quarter", "2026-Q4", "--out", "{out}/report"],
}


def build(folder: Path, alerts: int) -> Path:
    """A service folder whose database holds ``alerts`` alerts; returns the configuration file."""
    import yaml

    from practice_alerts.commands.demo import prepare
    from practice_alerts.pipeline.writing import record_history
    from practice_alerts.policies.load import load_policy
    from practice_alerts.policies.time_zone import LONDON
    from practice_alerts.store import open_database, unit_of_work
    from practice_alerts.workflow.calendar import WorkingCalendar
    from practice_alerts.workflow.events import parse_event
    from practice_alerts.workflow.placeholders import PlaceholderDirectory
    from practice_alerts.workflow.record import policy_version

    sys.path.append(str(Path(__file__).resolve().parents[1]))  # tools/ (sample generators, not installed)
    from tools.report_samples import rutland_with_time_outs, sample_histories  # noqa: PLC0415, I001 - after the path

    config = prepare(folder, "rutland")
    data = yaml.safe_load(config.read_text())
    data["rehearsal"] = True
    config.write_text(yaml.safe_dump(data))
    policy = rutland_with_time_outs(load_policy("rutland"))
    calendar = WorkingCalendar.for_policy(policy)
    templates = sample_histories(policy, PlaceholderDirectory(), calendar)
    dumped = [([json.dumps(e.model_dump(mode="json")) for e in h.events],
               [json.dumps(r.model_dump(mode="json")) for r in h.records], h.reference) for h in templates]
    from practice_alerts.config import load_config

    database = open_database(load_config(config, {"PRACTICE_ALERTS_SECRET": SECRET}).database)
    now = dt.datetime(2026, 12, 31, 23, 59, tzinfo=LONDON)
    try:
        made = 0
        while made < alerts:
            with unit_of_work(database, now=now) as work:
                work.keep_policy_version(policy_version(policy), policy.key, policy.model_dump(mode="json"))
                for _ in range(min(500, alerts - made)):
                    events, records, old = dumped[made % len(dumped)]
                    reference = work.create_alert().reference
                    record_history(work, reference, [parse_event(json.loads(e.replace(old, reference))) for e in events],
                                   [json.loads(r.replace(old, reference)) for r in records],
                                   policy=policy, calendar=calendar)
                    made += 1
    finally:
        database.dispose()
    return config


def measure(config: Path, argv: list[str], out: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak resident KiB) of one command in its own process."""
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET, "PRACTICE_ALERTS_CONFIG": str(config)}
    args = [a.format(out=out) for a in argv]
    if args[0] in ("run", "status", "alert"):
        args += ["--config", str(config)]
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "practice_alerts", *args], env=env, cwd=config.parent,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed: {error[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--turns", type=int, default=2, help="runs of each command per size (the lowest counts)")
    parser.add_argument("--keep", help="a folder to build the databases in and keep (reused when run again)")
    parser.add_argument("--build-one", nargs=2, metavar=("FOLDER", "ALERTS"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build_one:
        build(Path(options.build_one[0]), int(options.build_one[1]))
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    turns = options.turns
    results: dict[int, dict[str, tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="pa-growth-") as scratch:
        tmp = options.keep or scratch
        configs = {}
        for size in sizes:
            started = time.perf_counter()
            folder = Path(tmp) / f"n{size}"
            if (folder / "built").is_file():
                configs[size] = folder / "practice-alerts.yaml"
                continue
            # Built in a process of its own: a child's peak memory counts the parent's size when it was
            # started (Linux keeps the high-water mark across exec), so the measuring process stays small.
            subprocess.run([sys.executable, __file__, "--build-one", str(folder), str(size)], check=True)
            configs[size] = folder / "practice-alerts.yaml"
            (folder / "built").write_text("complete\n")
            print(f"built {size} alerts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for size in sizes:
            results[size] = {}
        for _ in range(turns):  # in turns, so a slow moment of the machine falls on every size alike
            for size in sizes:
                out = Path(tmp) / f"out{size}"
                out.mkdir(exist_ok=True)
                for name, argv in COMMANDS.items():
                    figure = measure(configs[size], argv, out)
                    best = results[size].get(name)
                    results[size][name] = figure if best is None else (
                        min(best[0], figure[0]), min(best[1], figure[1]), min(best[2], figure[2]))
    base = sizes[0]
    print(f"{'command':<20}" + "".join(f"{f'{n} alerts':>26}" for n in sizes))
    for name in COMMANDS:
        cells = []
        for size in sizes:
            wall, cpu, rss = results[size][name]
            ratio = cpu / results[base][name][1]
            cells.append(f"{cpu:6.2f}s cpu {ratio:4.2f}x {rss / 1024:5.0f}MB")
        print(f"{name:<20}" + "".join(f"{c:>26}" for c in cells))
    print(f"{'peak memory':<20}" + "".join(
        f"{max(r[2] for r in results[s].values()) / max(r[2] for r in results[base].values()):>25.2f}x" for s in sizes))


if __name__ == "__main__":
    main()
