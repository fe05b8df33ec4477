"""How long read-only commands take, as a multiple of a bare interpreter start, in one run.

    .venv/bin/python bench/bench_commands.py [--repeat 7]

Builds a service folder with one alert (a demo pass), then times each command as a fresh
process (best of --repeat, which filters out the noise of a busy machine) against
``python -c pass`` in the same venv. The aim: every read-only command within 10x the bare start.
With ``PYTHONDONTWRITEBYTECODE`` set, the project's own modules (an editable install) are compiled
at every start and each figure includes that; compare runs made under the same setting. The last
figures are in docs/service.md ("Quick to run").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare
from practice_alerts.policies.load import load_policy

SECRET = "bench-commands-message-id-key-0123456789"


def _best(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    with tempfile.TemporaryDirectory() as folder:
        config = prepare(Path(folder) / "svc")
        policy = load_policy("rutland")
        at = dt.datetime.now(dt.timezone.utc)
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name="Dana Reviewer", iro_email="dana.reviewer@example.gov.uk",
            social_worker=("Alex Example", "alex.example@example.gov.uk"), team_manager=None, raised=at.date()))
        (config.parent / "mail" / "new" / "1.M1P1.bench").write_bytes(demo_mail.new_alert(
            sender=("Dana Reviewer", "dana.reviewer@example.gov.uk"), mailbox="practice.alerts@example.gov.uk",
            form=form, at=at, message_id="<bench-commands@example.gov.uk>"))
        pa = [sys.executable, "-m", "practice_alerts"]
        subprocess.run([*pa, "run", "--once", "--config", str(config)], env=env, check=True, capture_output=True)
        reference = f"PA-{at.year}-0001"
        commands = {
            "health": ["health", "--config", str(config)],
            "status": ["status", "--config", str(config)],
            "alert show": ["alert", "show", reference, "--config", str(config)],
            "metrics": ["metrics", "--config", str(config)],
            "deadline": ["deadline", "--policy", "rutland", "--from", "2026-12-21T10:00", "--days", "5"],
            "policy list": ["policy", "list"],
            "--version": ["--version"],
        }
        bare = _best([sys.executable, "-c", "pass"], args.repeat, env)
        print(f"bare interpreter (python -c pass): {bare * 1000:7.0f} ms  (the baseline)")
        for name, argv in commands.items():
            took = _best([*pa, *argv], args.repeat, env)
            mark = "" if took <= 10 * bare else "   over the 10x aim"
            print(f"  {name:<14} {took * 1000:7.0f} ms  {took / bare:5.1f}x{mark}")


if __name__ == "__main__":
    main()
