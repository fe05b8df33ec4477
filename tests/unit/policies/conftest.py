"""A small valid policy to break in tests, and a way to list its problems without files."""

from __future__ import annotations

import copy

import pytest

from practice_alerts.policies.load import policy_from_data

MINIMAL = {
    "key": "exampleshire",
    "authority": "Exampleshire County Council",
    "title": "Practice Alert Procedure",
    "source": "test",
    "case_types": ["CLA", "CP"],
    "start_stage": "stage1",
    "on_deadline_missed": "ask_iro",
    "stages": [
        {"key": "stage1", "name": "Stage 1", "recipient": "team_manager", "response_days": 5, "next": "stage2"},
        {"key": "stage2", "name": "Stage 2", "recipient": "service_manager", "response_days": 5, "next": "stage3"},
        {"key": "stage3", "name": "Stage 3", "recipient": "head_of_service", "response_days": 5},
    ],
    "reason_codes": [
        {"code": "1", "label": "Statutory visit not undertaken", "category": "Statutory duties"},
        {"code": "2", "label": "Other", "category": "Other", "other": True},
    ],
}


@pytest.fixture
def policy_data() -> dict:
    """A fresh copy of a minimal valid policy, to change in one place."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def problems():
    """problems(data) -> ['where: message', ...] for the data as policy exampleshire.yaml."""

    def check(data: dict) -> list[str]:
        _, found = policy_from_data("exampleshire.yaml", data, expected_key="exampleshire")
        return [f"{p.where}: {p.message}" for p in found]

    return check
