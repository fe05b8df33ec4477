"""The layers, enforced: which top-level folder may import which (.ci/run runs this before the suite).

Each code folder is a sub-package of practice_alerts ([tool.setuptools.package-dir]); an import of
practice_alerts.X is charged to the folder X lives in. The rules:

- policies/ and workflow/ are the pure core: they import no I/O library and nothing from service,
  mailflow, store, documents or reports (workflow may use policies; policies use nothing).
- forms/ and mailflow/ never import workflow/: reading a form or a mail does not decide anything.
- only service/ joins the parts: no other folder imports service/ (the package root, commands/, pipeline/),
  except console/, the web shell, which performs actions through the service's pipeline.
- only store/ imports sqlalchemy or alembic, and only store/ opens a unit of work's session: elsewhere a
  step goes through ``work.<method>()`` (no ``work.session``, no ``._session``).
- rawmail/ (reading a Message-ID from raw mail) is a leaf that imports no other folder and no I/O library,
  so store/ and mailflow/ may both use it (its package docstring says why it stands apart).
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Which other folders each folder may import from (service/ may import all of them).
ALLOWED: dict[str, set[str]] = {
    "policies": set(),
    "workflow": {"policies"},
    "forms": {"policies"},
    "mailflow": {"policies", "rawmail"},
    "rawmail": set(),
    "store": {"rawmail"},
    "documents": {"policies", "workflow", "forms"},
    "reports": {"policies", "workflow", "store"},
    "templates": set(),
    "console": {"policies", "workflow", "forms", "mailflow", "store", "documents", "reports", "service"},
}
# Libraries that reach a database, the network, mail servers, other processes or office files.
IO_LIBRARIES = {
    "sqlalchemy", "alembic", "sqlite3", "psycopg", "smtplib", "imaplib", "socket", "ssl", "http", "urllib",
    "httpx", "requests", "exchangelib", "msal", "subprocess", "shutil", "docx", "docxtpl", "openpyxl", "PIL",
}
PURE = {"policies", "workflow", "rawmail"}
DATABASE = {"sqlalchemy", "alembic"}


def package_dirs(root: Path) -> dict[str, str]:
    return tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]


def _folder_of(module: str, packages: Mapping[str, str]) -> str | None:
    """The top-level folder that holds ``module`` (practice_alerts.pipeline.x -> service), or None if outside."""
    for package in sorted(packages, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return packages[package].split("/")[0]
    return None


def _imports(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "practice_alerts":
            yield from (f"practice_alerts.{alias.name}" for alias in node.names)  # demo_mail, commands, ...
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _sessions_opened(source: str) -> Iterator[str]:
    """``work.session`` and ``x._session``: a unit of work's session reached into from outside store/."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and (
                node.attr == "_session" or node.attr == "session" and isinstance(node.value, ast.Name)
                and node.value.id == "work"):
            yield f"{ast.unparse(node)} (line {node.lineno})"


def layer_violations(root: Path, packages: Mapping[str, str]) -> list[str]:
    """Every import that breaks a rule above, as 'file: imports module (why not)'."""
    found = []
    files = sorted({f for folder in set(packages.values()) for f in (root / folder).glob("*.py")})
    for file in files:
        here = file.relative_to(root).parts[0]
        source = file.read_text(encoding="utf-8")
        if here != "store":
            found += [f"{file.relative_to(root)}: uses {use} (only store/ touches the session; call work.<method>())"
                      for use in _sessions_opened(source)]
        for module in _imports(source):
            where = f"{file.relative_to(root)}: imports {module}"
            library = module.split(".")[0]
            there = _folder_of(module, packages)
            if here in PURE and library in IO_LIBRARIES:
                found.append(f"{where} (the pure core does no I/O)")
            if library in DATABASE and here != "store":
                found.append(f"{where} (only store/ talks to the database)")
            if there is None or there == here or here == "service":
                continue
            if there == "service" and "service" not in ALLOWED.get(here, set()):
                found.append(f"{where} (only service/ joins the parts; nothing imports it)")
            elif there not in ALLOWED.get(here, set()):
                found.append(f"{where} ({here}/ may import only {sorted(ALLOWED.get(here, set())) or 'itself'})")
    return found


def test_the_code_keeps_its_layers() -> None:
    assert layer_violations(ROOT, package_dirs(ROOT)) == []


def test_every_code_folder_has_rules() -> None:
    folders = {folder.split("/")[0] for folder in package_dirs(ROOT).values()}
    assert folders - {"service"} == set(ALLOWED)


def test_a_forbidden_import_fails_the_check(tmp_path: Path) -> None:
    packages = {"practice_alerts": "service", "practice_alerts.workflow": "workflow",
                "practice_alerts.forms": "forms", "practice_alerts.mailflow": "mailflow",
                "practice_alerts.documents": "documents", "practice_alerts.store": "store",
                "practice_alerts.policies": "policies", "practice_alerts.commands": "service/commands",
                "practice_alerts.pipeline": "service/pipeline", "practice_alerts.rawmail": "rawmail"}
    for folder, source in {
        "workflow": "import smtplib\nfrom practice_alerts.store import open_database\n",
        "policies": "from practice_alerts.mailflow.compose import compose\n",
        "forms": "from practice_alerts.workflow.decide import decide\n",
        "mailflow": "import practice_alerts.workflow.events\n",
        "documents": "from practice_alerts.commands import status\nfrom sqlalchemy import select\n",
        "store": "from practice_alerts import demo_mail\nself._session.flush()\n",  # store/ may use its session
        "rawmail": "import socket\nfrom practice_alerts.mailflow.decode import parse\n",
        "service": "from sqlalchemy import select\nfrom practice_alerts.workflow import decide\n",
        "service/pipeline": "from sqlalchemy.orm import Session\nrow = work.session.get(x)\nwork._session.flush()\n"
                            "request.session.clear()\n",  # a web request's session is not the database's
    }.items():
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "bad.py").write_text(source)
    found = layer_violations(tmp_path, packages)
    assert found == [
        "documents/bad.py: imports practice_alerts.commands (only service/ joins the parts; nothing imports it)",
        "documents/bad.py: imports sqlalchemy (only store/ talks to the database)",
        "forms/bad.py: imports practice_alerts.workflow.decide (forms/ may import only ['policies'])",
        "mailflow/bad.py: imports practice_alerts.workflow.events (mailflow/ may import only ['policies', 'rawmail'])",
        "policies/bad.py: imports practice_alerts.mailflow.compose (policies/ may import only itself)",
        "rawmail/bad.py: imports socket (the pure core does no I/O)",
        "rawmail/bad.py: imports practice_alerts.mailflow.decode (rawmail/ may import only itself)",
        "service/bad.py: imports sqlalchemy (only store/ talks to the database)",
        "service/pipeline/bad.py: uses work.session (line 2) (only store/ touches the session; call work.<method>())",
        "service/pipeline/bad.py: uses work._session (line 3) (only store/ touches the session; call work.<method>())",
        "service/pipeline/bad.py: imports sqlalchemy.orm (only store/ talks to the database)",
        "store/bad.py: imports practice_alerts.demo_mail (only service/ joins the parts; nothing imports it)",
        "workflow/bad.py: imports smtplib (the pure core does no I/O)",
        "workflow/bad.py: imports practice_alerts.store (workflow/ may import only ['policies'])",
    ]
