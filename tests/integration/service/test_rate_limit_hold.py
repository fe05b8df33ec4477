"""When a held message is due again: as soon as every window has room for its recipients."""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.ratelimit import RateLimit, Sent, Window, over_limit
from practice_alerts.pipeline.limits import free_again

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
LIMIT = RateLimit(windows=(Window(length=dt.timedelta(hours=1), limit=3), Window(length=dt.timedelta(days=1), limit=5)))


def _sent(*minutes_ago: int, to: str = "iro@example.gov.uk") -> list[Sent]:
    return [Sent(recipient=to, at=NOW - dt.timedelta(minutes=m)) for m in minutes_ago]


def test_the_hour_window_frees_when_its_oldest_counted_message_leaves_it():
    history = _sent(50, 20, 10)
    assert over_limit(["IRO@example.gov.uk"], history, NOW, LIMIT) == ["iro@example.gov.uk"]
    due = free_again(["iro@example.gov.uk"], history, NOW, LIMIT)
    assert due == NOW + dt.timedelta(minutes=10, seconds=1)
    assert over_limit(["iro@example.gov.uk"], history, due, LIMIT) == []


def test_the_day_window_can_hold_longer_than_the_hour():
    history = _sent(23 * 60, 22 * 60, 5 * 60, 30, 20)
    due = free_again(["iro@example.gov.uk"], history, NOW, LIMIT)
    assert due == NOW + dt.timedelta(hours=1, seconds=1)  # the 23-hours-old one leaves the day
    assert over_limit(["iro@example.gov.uk"], history, due - dt.timedelta(seconds=2), LIMIT)
    assert over_limit(["iro@example.gov.uk"], history, due, LIMIT) == []
