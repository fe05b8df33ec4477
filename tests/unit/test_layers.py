"""The layers, enforced: which top-level folder may import which (.ci/run runs this before the suite).

Each code folder is a sub-package of practice_alerts ([tool.setuptools.package-dir]); an import of
practice_alerts.X is charged to the folder X lives in. Relative imports (``from .x import y``, used
inside store/) are resolved against the file's package and checked like absolute ones. The rules:

- policies/, workflow/ and rawmail/ are the pure core: they import no I/O library and nothing from
  service, mailflow, store, documents or reports (workflow may use policies; policies use nothing).
- the pure core touches no files (no os, pathlib, io, tempfile, glob, no ``open()``, ``.read_text()``,
  ``.glob()``...), with one narrow exception: policies/load.py reads policy files (pathlib, ``.exists()``,
  ``.read_text()``, ``.glob()`` of its built-in folder) and writes nothing. A policy is data the
  product ships beside its schema; every caller (service, tools, bench, tests) names one by key or path.
- forms/ and mailflow/ never import workflow/: reading a form or a mail does not decide anything.
- which folder may use which is the ALLOWED table below: forms/ uses policies/; mailflow/ policies/ and
  rawmail/; store/ rawmail/; documents/ policies/, workflow/ and forms/; reports/ policies/, workflow/ and
  store/ (reports/load.py is its only database reader: tests/unit/reports/test_imports.py).
- service/ joins all the parts, and no other folder imports service/ (the package root, commands/,
  pipeline/) except console/, the web shell, which performs actions through the service's pipeline.
- only store/ imports sqlalchemy or alembic, and only store/ touches a session: elsewhere a step goes
  through ``work.<method>()`` and a read through ``database.reading()``'s methods (no ``work.session``,
  no ``._session``, no ``database._read_session()`` or ``._write_session()``).
- outside store/, code imports the package practice_alerts.store itself, never its modules
  (``practice_alerts.store.states``...): only what store/__init__ exports, none of which takes a session.
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
STORE = "practice_alerts.store"
# Touching files: the libraries, and the calls on a path (``open`` also as the builtin).
FILE_LIBRARIES = {"os", "pathlib", "io", "tempfile", "glob", "fileinput"}
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "glob", "rglob", "iterdir", "exists",
              "is_file", "is_dir", "mkdir", "unlink", "rmdir", "touch", "chmod"}
# The one exception in the pure core: reading the policy files, and nothing else.
READS_FILES = {"policies/load.py": {"import pathlib", ".exists()", ".read_text()", ".glob()"}}
SESSION_ATTRIBUTES = {"_session", "_read_session", "_write_session"}


def package_dirs(root: Path) -> dict[str, str]:
    return tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]


def _folder_of(module: str, packages: Mapping[str, str]) -> str | None:
    """The top-level folder that holds ``module`` (practice_alerts.pipeline.x -> service), or None if outside."""
    for package in sorted(packages, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return packages[package].split("/")[0]
    return None


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module ``from ... import`` reads from, a relative one resolved against ``package``."""
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(parts + ([node.module] if node.module else []))


def _imports(source: str, package: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if module == "practice_alerts" or node.module is None:  # demo_mail, commands...; from . import x
                yield from (f"{module}.{alias.name}" for alias in node.names)
            elif module:
                yield module


def _exported(init: Path) -> set[str]:
    """The names a package's ``__all__`` lists (a function may share its module's name)."""
    if not init.is_file():
        return set()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return {ast.literal_eval(e) for e in node.value.elts} if isinstance(node.value, ast.List) else set()
    return set()


def _store_modules_imported(source: str, package: str, store_modules: set[str]) -> Iterator[str]:
    """Imports of store/'s modules (not the package): ``practice_alerts.store.states``, also as
    ``from practice_alerts.store import states``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith(STORE + "."))
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if module.startswith(STORE + "."):
                yield module
            elif module == STORE:
                yield from (f"{STORE}.{alias.name}" for alias in node.names if alias.name in store_modules)


def _sessions_opened(source: str) -> Iterator[str]:
    """``work.session``, ``x._session``, ``database._read_session()``: a session reached from outside store/."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and (
                node.attr in SESSION_ATTRIBUTES or node.attr == "session" and isinstance(node.value, ast.Name)
                and node.value.id == "work"):
            yield f"{ast.unparse(node)} (line {node.lineno})"


def _files_touched(source: str) -> Iterator[str]:
    """What in ``source`` reaches the file system: a file library imported, ``open()``, a path's reads and writes."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (f"import {a.name.split('.')[0]}" for a in node.names if a.name.split(".")[0] in FILE_LIBRARIES)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in FILE_LIBRARIES:
            yield f"import {(node.module or '').split('.')[0]}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            yield "open()"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FILE_CALLS:
            yield f".{node.func.attr}()"


def layer_violations(root: Path, packages: Mapping[str, str]) -> list[str]:
    """Every import that breaks a rule above, as 'file: imports module (why not)'."""
    found = []
    package_of = {folder: package for package, folder in packages.items()}
    store_folder = root / packages.get(STORE, "store")
    store_modules = {p.stem for p in store_folder.glob("*.py") if p.stem != "__init__"}
    store_modules |= {p.name for p in store_folder.iterdir() if (p / "__init__.py").is_file()} if store_folder.is_dir() else set()
    store_modules -= _exported(store_folder / "__init__.py")  # ``unit_of_work`` the function, not the module
    files = sorted({f for folder in set(packages.values()) for f in (root / folder).glob("*.py")})
    for file in files:
        here = file.relative_to(root).parts[0]
        name = file.relative_to(root).as_posix()
        package = package_of[file.parent.relative_to(root).as_posix()]
        source = file.read_text(encoding="utf-8")
        if here != "store":
            found += [f"{name}: uses {use} (only store/ touches the session; call work.<method>() or reads.<method>())"
                      for use in _sessions_opened(source)]
            found += [f"{name}: imports {module} (outside store/, import practice_alerts.store, never its modules)"
                      for module in _store_modules_imported(source, package, store_modules)]
        if here in PURE:
            allowed = READS_FILES.get(name, set())
            found += [f"{name}: {use} (the pure core touches no files; only policies/load.py reads policy files)"
                      for use in dict.fromkeys(_files_touched(source)) if use not in allowed]
        for module in _imports(source, package):
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
                "practice_alerts.pipeline": "service/pipeline", "practice_alerts.rawmail": "rawmail",
                "practice_alerts.reports": "reports"}
    for folder, source in {
        "workflow": "import smtplib\nfrom practice_alerts.store import open_database\nwith open('f') as f:\n    pass\n",
        "policies": "from practice_alerts.mailflow.compose import compose\nfrom pathlib import Path\n"
                    "Path('p.yaml').read_text()\n",
        "forms": "from practice_alerts.workflow.decide import decide\nfrom ..workflow import events\n",
        "mailflow": "import practice_alerts.workflow.events\n",
        "documents": "from practice_alerts.commands import status\nfrom sqlalchemy import select\n",
        "store": "from practice_alerts import demo_mail\nself._session.flush()\n"  # store/ may use its session
                 "from . import states\nfrom .states import list_states\nfrom ..mailflow import decode\n",
        "rawmail": "import socket\nfrom practice_alerts.mailflow.decode import parse\n",
        "reports": "from practice_alerts.store import Database, unit_of_work\nfrom practice_alerts.store import states\n"
                   "import practice_alerts.store.tables\n",
        "service": "from sqlalchemy import select\nfrom practice_alerts.workflow import decide\n",
        "service/pipeline": "from sqlalchemy.orm import Session\nrow = work.session.get(x)\nwork._session.flush()\n"
                            "request.session.clear()\n"  # a web request's session is not the database's
                            "with database._write_session() as s:\n    pass\n"
                            "from practice_alerts.store.states import list_states\n",
    }.items():
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "bad.py").write_text(source)
    # store/ has a module named like a function it exports; policies/load.py may read (only read) files.
    (tmp_path / "store" / "__init__.py").write_text('__all__ = ["Database", "unit_of_work"]\n')
    (tmp_path / "store" / "states.py").write_text("")
    (tmp_path / "store" / "unit_of_work.py").write_text("")
    (tmp_path / "policies" / "load.py").write_text("from pathlib import Path\nif Path('p.yaml').exists():\n"
                                                   "    Path('p.yaml').read_text()\nPath('p.yaml').write_text('')\n")
    found = layer_violations(tmp_path, packages)
    assert found == [
        "documents/bad.py: imports practice_alerts.commands (only service/ joins the parts; nothing imports it)",
        "documents/bad.py: imports sqlalchemy (only store/ talks to the database)",
        "forms/bad.py: imports practice_alerts.workflow.decide (forms/ may import only ['policies'])",
        "forms/bad.py: imports practice_alerts.workflow (forms/ may import only ['policies'])",
        "mailflow/bad.py: imports practice_alerts.workflow.events (mailflow/ may import only ['policies', 'rawmail'])",
        "policies/bad.py: import pathlib (the pure core touches no files; only policies/load.py reads policy files)",
        "policies/bad.py: .read_text() (the pure core touches no files; only policies/load.py reads policy files)",
        "policies/bad.py: imports practice_alerts.mailflow.compose (policies/ may import only itself)",
        "policies/load.py: .write_text() (the pure core touches no files; only policies/load.py reads policy files)",
        "rawmail/bad.py: imports socket (the pure core does no I/O)",
        "rawmail/bad.py: imports practice_alerts.mailflow.decode (rawmail/ may import only itself)",
        "reports/bad.py: imports practice_alerts.store.states (outside store/, import practice_alerts.store, never its "
        "modules)",
        "reports/bad.py: imports practice_alerts.store.tables (outside store/, import practice_alerts.store, never its "
        "modules)",
        "service/bad.py: imports sqlalchemy (only store/ talks to the database)",
        "service/pipeline/bad.py: uses work.session (line 2) (only store/ touches the session; call work.<method>() or "
        "reads.<method>())",
        "service/pipeline/bad.py: uses work._session (line 3) (only store/ touches the session; call work.<method>() "
        "or reads.<method>())",
        "service/pipeline/bad.py: uses database._write_session (line 5) (only store/ touches the session; call "
        "work.<method>() or reads.<method>())",
        "service/pipeline/bad.py: imports practice_alerts.store.states (outside store/, import practice_alerts.store, "
        "never its modules)",
        "service/pipeline/bad.py: imports sqlalchemy.orm (only store/ talks to the database)",
        "store/bad.py: imports practice_alerts.demo_mail (only service/ joins the parts; nothing imports it)",
        "store/bad.py: imports practice_alerts.mailflow (store/ may import only ['rawmail'])",
        "workflow/bad.py: open() (the pure core touches no files; only policies/load.py reads policy files)",
        "workflow/bad.py: imports smtplib (the pure core does no I/O)",
        "workflow/bad.py: imports practice_alerts.store (workflow/ may import only ['policies'])",
    ]
