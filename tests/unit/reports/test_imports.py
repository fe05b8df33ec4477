"""The reports stay light to import and read the store in one place only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[3] / "reports"


def test_only_load_py_touches_the_store():
    for module in REPORTS.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        uses_store = any(name.startswith(("practice_alerts.store", "sqlalchemy")) for name in imported)
        assert uses_store == (module.name == "load.py"), module.name


def test_computing_figures_does_not_load_the_file_writers():
    code = ("import sys, practice_alerts.reports.quarterly, practice_alerts.reports.build, practice_alerts.commands.reports; "
            "print(sorted(m for m in ('PIL', 'docx', 'openpyxl', 'sqlalchemy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
