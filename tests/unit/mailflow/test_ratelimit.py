from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.mailflow.ratelimit import RateLimit, Sent, Window, over_limit

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
LIMIT = RateLimit(windows=(Window(length=dt.timedelta(hours=1), limit=3), Window(length=dt.timedelta(days=1), limit=5)))


def sent(address: str, minutes_ago: int) -> Sent:
    return Sent(recipient=address, at=NOW - dt.timedelta(minutes=minutes_ago))


def test_below_the_limit_everyone_may_be_sent_to():
    history = [sent("a@x.example", 5), sent("a@x.example", 10)]
    assert over_limit(["a@x.example", "b@x.example"], history, NOW, LIMIT) == []


def test_hourly_limit_blocks_only_that_recipient_case_insensitively():
    history = [sent("A@x.example", m) for m in (1, 20, 50)] + [sent("b@x.example", 1)]
    assert over_limit(["a@X.example", "b@x.example"], history, NOW, LIMIT) == ["a@x.example"]


def test_old_messages_fall_out_of_the_window():
    history = [sent("a@x.example", m) for m in (61, 70, 80)]
    assert over_limit(["a@x.example"], history, NOW, LIMIT) == []


def test_daily_limit():
    history = [sent("a@x.example", m) for m in (100, 200, 300, 400, 500)]
    assert over_limit(["a@x.example"], history, NOW, LIMIT) == ["a@x.example"]


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        over_limit(["a@x.example"], [], dt.datetime(2026, 12, 1), LIMIT)


def test_the_indexed_history_gives_the_same_answers_as_the_list() -> None:
    import random

    from practice_alerts.mailflow.ratelimit import SendHistory, Sent, over_limit

    rng = random.Random(7)
    start = dt.datetime(2027, 1, 5, 0, 0, tzinfo=dt.timezone.utc)
    people = [f"p{i}@example.gov.uk" for i in range(5)]
    sent = sorted((Sent(recipient=rng.choice(people).upper() if rng.random() < 0.2 else rng.choice(people),
                        at=start + dt.timedelta(minutes=rng.randint(0, 2880))) for _ in range(400)),
                  key=lambda s: s.at)
    history = SendHistory(sent)
    assert sorted((s.recipient, s.at) for s in history) == sorted((s.recipient.lower(), s.at) for s in sent)
    for minute in range(0, 2880, 37):
        now = start + dt.timedelta(minutes=minute)
        for group in (people[:1], people[1:3], people):
            assert over_limit(group, history, now) == over_limit(group, sent, now)
