"""States and records stored before ``AlertState.state`` became ``AlertState.status`` (issue 10) still load."""

from __future__ import annotations

import json
from typing import Any

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from practice_alerts.workflow.record import fold
from practice_alerts.workflow.state import AlertState
from tools.report_samples import rutland_with_time_outs, sample_histories


def _old(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as it was written before the rename: the status under the key "state"."""
    out = dict(data)
    if "status" in out:
        out["state"] = out.pop("status")
    return out


@pytest.fixture(scope="module")
def histories():
    policy = rutland_with_time_outs(load_policy("rutland"))
    return sample_histories(policy, PlaceholderDirectory(), WorkingCalendar.for_policy(policy))


def test_a_state_stored_with_the_old_field_name_loads(histories):
    state = fold(histories[0].records)
    stored = state.model_dump(mode="json")
    assert "status" in stored and "state" not in stored
    assert AlertState.model_validate(_old(stored)) == state
    assert AlertState.model_validate_json(json.dumps(_old(stored))) == state


def test_records_from_before_and_after_the_rename_fold_to_the_newest_status(histories):
    statuses = set()
    for history in histories:
        records = [r.model_dump(mode="json") for r in history.records]
        for split in range(len(records) + 1):
            mixed = [{**r, "change": {**r["change"], "set": _old(r["change"]["set"])}} for r in records[:split]]
            mixed += records[split:]
            folded = fold(mixed)
            assert folded == fold(history.records)
            statuses.add(folded.status if folded else None)
    assert len(statuses) > 2  # the histories end in different statuses, so a stale one would show
