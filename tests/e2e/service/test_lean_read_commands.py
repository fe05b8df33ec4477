"""Read-only commands load only what they use (issue 16: quick commands).

``status``, ``health``, ``alert list`` and ``metrics`` run many times a day from scripts and
monitoring; each heavy library below is needed only to migrate, render, fetch or send. The
check is on ``sys.modules`` in a fresh interpreter, not on time, so it cannot flake on a busy
machine, and it fails the day someone imports one of them at module level again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from practice_alerts.commands.demo import prepare

HEAVY = ("alembic", "jinja2", "docxtpl", "docx", "openpyxl", "exchangelib", "msal", "authlib", "starlette",
         "uvicorn", "hypothesis", "imaplib", "smtplib", "practice_alerts.documents.engine",
         "practice_alerts.documents.checks")
"""Migrations, the Word and Jinja engines, spreadsheets, Exchange and Graph, the console, test-only
libraries, the mail protocols and the template checker."""

_LOADED = "import json, sys; print(json.dumps(sorted(n for n in {heavy!r} if n in sys.modules)))"


def _heavy_loaded(code: str, cwd: Path, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    script = f"{code}\n{_LOADED.format(heavy=heavy)}"
    done = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "PRACTICE_ALERTS_SECRET": "lean-read-commands-key-0123456789abcdef"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_cli_and_the_read_only_commands_loads_no_heavy_library(tmp_path: Path) -> None:
    modules = ", ".join(f"practice_alerts.commands.{name}" for name in ("status", "alert", "health", "metrics"))
    # The bank holidays too: they load when a working day is first counted, not on import.
    assert _heavy_loaded(f"import practice_alerts.cli, {modules}", tmp_path, (*HEAVY, "holidays")) == []


def test_read_only_commands_on_a_service_folder_load_no_heavy_library(tmp_path: Path) -> None:
    config = prepare(tmp_path / "svc")
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": "lean-read-commands-key-0123456789abcdef"}
    # The first opening creates and migrates the database (Alembic runs then, as it must).
    subprocess.run([sys.executable, "-m", "practice_alerts", "status", "--config", str(config)], env=env,
                   capture_output=True, check=True)
    runs = [["status", "--config", str(config)], ["health", "--config", str(config)],
            ["alert", "list", "--json", "--config", str(config)], ["metrics", "--config", str(config)],
            ["alert", "show", "PA-2026-0001", "--config", str(config)]]
    code = ("import contextlib, io\nfrom practice_alerts.cli import main\n"
            f"for argv in {runs!r}:\n"
            "    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            "        main(argv)")
    assert _heavy_loaded(code, tmp_path) == []
