"""The UK day of a moment: right across the clock changes and midnight, and worked out in one place."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from practice_alerts.policies.time_zone import LONDON, as_uk_time, uk_day, uk_moment, uk_time

ROOT = Path(__file__).resolve().parents[3]
UTC = dt.timezone.utc


@pytest.mark.parametrize(("moment", "day"), [
    (dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC), dt.date(2026, 7, 1)),     # British Summer Time: already tomorrow
    (dt.datetime(2026, 6, 30, 22, 59, tzinfo=UTC), dt.date(2026, 6, 30)),
    (dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), dt.date(2026, 12, 31)),  # winter: UK time is UTC
    (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), dt.date(2026, 3, 29)),     # the night the clocks go forward
    (dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), dt.date(2026, 10, 25)),  # the night they go back
    (dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))), dt.date(2026, 6, 30)),
])
def test_the_uk_day_of_a_moment(moment: dt.datetime, day: dt.date) -> None:
    assert uk_day(moment) == day
    assert uk_time(moment) == moment and uk_time(moment).tzinfo is LONDON


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        uk_day(dt.datetime(2026, 7, 1, 9, 0))


def test_a_typed_time_without_a_zone_is_uk_time() -> None:
    assert as_uk_time(dt.datetime(2026, 7, 1, 9, 0)) == dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    given = dt.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert as_uk_time(given) is given


def test_a_uk_moment_is_the_reverse_of_the_uk_day() -> None:
    assert uk_moment(dt.date(2026, 7, 1)) == dt.datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert uk_moment(dt.date(2026, 7, 1), dt.time(9, 0)) == dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert uk_day(uk_moment(dt.date(2026, 3, 29), dt.time.max)) == dt.date(2026, 3, 29)


def _time_zone_uses(source: str) -> list[str]:
    """Calls that turn a moment into another zone's time, or name a zone: the UK day's own business."""
    return [ast.unparse(node) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in ("astimezone", "ZoneInfo")
            and "timezone.utc" not in ast.unparse(node)]  # storing in UTC is the store's business


def test_only_the_time_zone_module_works_out_uk_time() -> None:
    runtime = [p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] not in
               {"tests", "bench", "tools", ".venv", ".mypy_tree", "demo"}]
    found = {str(p.relative_to(ROOT)): uses for p in runtime
             if (uses := _time_zone_uses(p.read_text(encoding="utf-8")))}
    assert found == {
        "policies/time_zone.py": ["ZoneInfo('Europe/London')", "at.astimezone(LONDON)"],
        # Microsoft Graph sends a time with the name of its zone: reading it, not working out a UK day.
        "mailflow/transports/graph.py": ["ZoneInfo(value.get('timeZone') or 'UTC')"],
    }


def test_the_check_finds_a_second_way() -> None:
    source = "from zoneinfo import ZoneInfo\nday = moment.astimezone(ZoneInfo('Europe/London')).date()\n"
    assert _time_zone_uses(source) == ["moment.astimezone(ZoneInfo('Europe/London'))",
                                       "ZoneInfo('Europe/London')"]
