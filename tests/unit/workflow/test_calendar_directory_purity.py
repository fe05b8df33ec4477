"""The calendar and directory stay pure: no clock, files, mail or network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parents[3] / "workflow"
ALLOWED_IMPORTS = {"__future__", "datetime", "collections", "functools", "zoneinfo", "holidays", "pydantic", "practice_alerts"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "read_text", "read_bytes", "monotonic", "perf_counter"}


@pytest.mark.parametrize("module", ["calendar.py", "contacts.py", "directory.py", "directory_checks.py"])
def test_module_is_pure(module: str) -> None:
    tree = ast.parse((WORKFLOW / module).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS
    called = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree) if isinstance(node, ast.Call)
    }
    assert not called & FORBIDDEN_CALLS
    assert "time" not in imported  # so no time.time()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("practice_alerts."):
            assert node.module.split(".")[1] in {"policies", "workflow"}, node.module
