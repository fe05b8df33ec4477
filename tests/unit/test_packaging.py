"""Every code folder is installed: a real (non-editable) install only ships the listed packages."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_folder_with_python_code_is_a_listed_package():
    config = _setuptools()
    listed = set(config["packages"])
    mapping = config["package-dir"]
    expected = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            name = ".".join([package, *relative.parts]) if relative.parts else package
            expected.add(name)
    assert expected - listed == set(), "add these to [tool.setuptools] packages and package-dir"


def test_every_listed_package_maps_to_a_folder_with_an_init():
    config = _setuptools()
    for package in config["packages"]:
        folder = config["package-dir"].get(package)
        assert folder is not None, f"{package} has no package-dir entry"
        assert (ROOT / folder / "__init__.py").exists(), f"{folder}/__init__.py is missing"
