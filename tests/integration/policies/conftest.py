"""Organisation directories written to files, for checking a policy's roles against them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from practice_alerts.policies.roles import Role, RoleScope


def write_directory(path: Path, roles: list[Role]) -> Path:
    """A directory file with one invented person (or external contact) per role, in a single chain."""
    people, external = [], []
    manager = None
    for role in roles:
        entry = {"name": f"Test {role.label}", "email": f"{role.value}@example.gov.uk", "roles": [role.value]}
        if role.scope is RoleScope.EXTERNAL:
            external.append({**entry, "email": f"{role.value}@example.org", "organisation": "Example"})
            continue
        people.append({**entry, "reports_to": manager})
        manager = entry["email"]
    path.write_text(yaml.safe_dump({"people": people[::-1], "external": external}), encoding="utf-8")
    return path


@pytest.fixture
def directory_file(tmp_path):
    def make(roles: list[Role], name: str = "directory.yaml") -> Path:
        return write_directory(tmp_path / name, roles)

    return make
