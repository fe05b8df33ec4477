"""Shared helpers for the form tests: fixture files, the Rutland policy, a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from practice_alerts.forms.build import build_form
from practice_alerts.policies.load import load_policy

FIXTURES = Path(__file__).parents[2] / "fixtures" / "forms"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def rutland():
    return load_policy("rutland")


@pytest.fixture(scope="session")
def blank(rutland) -> bytes:
    return build_form(rutland)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def today() -> dt.date:
    return TODAY


@pytest.fixture(scope="session")
def expected():
    """expected("filled_full") is the record that fixture must parse to."""
    return lambda name: json.loads((FIXTURES / "expected" / f"{name}.json").read_text())
