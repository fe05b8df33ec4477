"""workflow/ stays pure: no mail, database, file, document, network or clock access."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parents[3] / "workflow"
FORBIDDEN_MODULES = {
    "smtplib", "imaplib", "email", "sqlite3", "sqlalchemy", "docx", "docxtpl", "lxml", "exchangelib", "httpx",
    "requests", "socket", "os", "pathlib", "shutil", "subprocess", "urllib", "msal", "psycopg",
}
FORBIDDEN_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
                   ("time", "time"), ("time", "monotonic")}


def _modules() -> list[Path]:
    files = sorted(WORKFLOW.glob("*.py"))
    assert len(files) > 5, f"expected the workflow modules in {WORKFLOW}"
    return files


def _problems(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            problems += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FORBIDDEN_MODULES:
            problems.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                problems.append("open(...)")
            if isinstance(func, ast.Attribute):
                owner = func.value.attr if isinstance(func.value, ast.Attribute) else getattr(func.value, "id", None)
                if (owner, func.attr) in FORBIDDEN_CALLS:
                    problems.append(f"{owner}.{func.attr}()")
                if func.attr in {"read_text", "write_text", "open"}:
                    problems.append(f".{func.attr}(...)")
    return problems


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_workflow_module_is_pure(path: Path) -> None:
    assert _problems(path.read_text(encoding="utf-8")) == [], f"{path.name} reaches outside the workflow"


def test_the_check_catches_what_it_should() -> None:
    bad = ("import smtplib\nfrom email.message import EmailMessage\nimport os.path\nimport datetime as dt\n"
           "x = dt.datetime.now()\ny = open('f')\nz = dt.date.today()\nimport time\nt = time.time()\n")
    assert sorted(_problems(bad)) == sorted(["import smtplib", "from email.message import ...", "import os.path",
                                             "datetime.now()", "open(...)", "date.today()", "time.time()"])
