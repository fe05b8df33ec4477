"""The known two-quarter history (tools/report_samples.py), played once through the real workflow."""

from __future__ import annotations

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.placeholders import PlaceholderDirectory
from tools.report_samples import rutland_with_time_outs, sample_histories


@pytest.fixture(scope="session")
def policy():
    return rutland_with_time_outs(load_policy("rutland"))


@pytest.fixture(scope="session")
def calendar(policy):
    return WorkingCalendar.for_policy(policy)


@pytest.fixture(scope="session")
def histories(policy, calendar):
    return sample_histories(policy, PlaceholderDirectory(), calendar)
