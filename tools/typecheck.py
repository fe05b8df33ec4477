"""Run mypy over the sources as the package ``practice_alerts`` they install as.

The folders (service/, workflow/, policies/, ...) become sub-packages of practice_alerts through
[tool.setuptools.package-dir], which mypy cannot read. This script mirrors that mapping as a tree
of symbolic links in .mypy_tree/, runs mypy on it (settings from [tool.mypy] in pyproject.toml)
and names the real files in what it prints.

    .venv/bin/python tools/typecheck.py [extra mypy arguments]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / ".mypy_tree"


def build_tree() -> Path:
    """.mypy_tree/practice_alerts/... : one link per source file, laid out by import name."""
    package_dir = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    package_dir = {**package_dir, "tools": "tools"}  # the build scripts, checked too (not installed)
    if TREE.exists():
        shutil.rmtree(TREE)
    for package, folder in package_dir.items():
        target = TREE.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted((ROOT / folder).glob("*.py")):
            link = target / source.name
            link.symlink_to(os.path.relpath(source, target))
    return TREE / "practice_alerts"


def real_path(line: str) -> str:
    """Replace a leading .mypy_tree/... path with the file it links to."""
    head, sep, rest = line.partition(":")
    candidate = ROOT / head
    if sep and head.startswith(".mypy_tree") and candidate.is_symlink():
        return f"{candidate.resolve().relative_to(ROOT)}{sep}{rest}"
    return line


def main(argv: list[str]) -> int:
    package = build_tree()
    (TREE / "tools" / "__init__.py").write_text("")  # a package in the tree only, so mypy names its modules
    result = subprocess.run([sys.executable, "-m", "mypy", *argv, str(package.relative_to(ROOT)), ".mypy_tree/tools"],
                            cwd=ROOT, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        print(real_path(line))
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
