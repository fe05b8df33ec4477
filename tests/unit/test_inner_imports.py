"""Every import inside a function says why (pyproject.toml [tool.ruff.lint], PLC0415).

Ruff finds the import; this finds a `noqa` that gives no reason, or only points elsewhere ("as above").
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_RUNTIME = {"tests", "bench", ".venv", ".mypy_tree", "demo"}
MARK = re.compile(r"#\s*noqa:[^#\n]*\bPLC0415\b(?P<rest>[^\n]*)")


def unexplained(source: str) -> list[int]:
    """Lines whose PLC0415 exception has no reason of at least three words."""
    lines = []
    for number, line in enumerate(source.splitlines(), start=1):
        mark = MARK.search(line)
        if mark is None:
            continue
        reason = mark["rest"].strip().removeprefix("-").strip()
        if len(reason.split()) < 3 or reason.lower().startswith(("as above", "see above", "same")):
            lines.append(number)
    return lines


def test_every_inner_import_gives_its_reason() -> None:
    found = {str(p.relative_to(ROOT)): lines for p in sorted(ROOT.rglob("*.py"))
             if p.relative_to(ROOT).parts[0] not in NOT_RUNTIME
             and (lines := unexplained(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_a_bare_or_borrowed_reason_is_found() -> None:
    source = ("import os\n"
              "def f():\n"
              "    import json  # noqa: PLC0415\n"
              "    import csv  # noqa: PLC0415 - as above\n"
              "    import lzma  # noqa: PLC0415 - optional extra [archive]\n")
    assert unexplained(source) == [3, 4]
