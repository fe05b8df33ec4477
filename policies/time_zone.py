"""The UK day of a moment: the one place the service turns an instant into a date.

Every procedure counts days in UK time (the schema allows no other ``working_days.timezone``).
It lives in policies/ because every folder that needs a day (workflow, forms, mailflow, documents,
reports, the service) may import policies/, while mailflow and forms may not import workflow/.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def uk_time(at: dt.datetime) -> dt.datetime:
    """``at`` in UK time (Europe/London); refuses naive datetimes, whose meaning is a guess."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no time zone; pass an aware datetime")
    return at.astimezone(LONDON)


def uk_day(at: dt.datetime) -> dt.date:
    """The UK calendar day of a moment."""
    return uk_time(at).date()


def uk_moment(day: dt.date, at: dt.time = dt.time(0)) -> dt.datetime:
    """The moment a UK clock shows ``at`` on ``day`` (midnight unless told): the reverse of ``uk_day``."""
    return dt.datetime.combine(day, at, tzinfo=LONDON)


def as_uk_time(moment: dt.datetime) -> dt.datetime:
    """A moment written without a time zone (a command's option, a scenario file) read as UK time."""
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment
