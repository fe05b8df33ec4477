"""Alert references ``PA-YYYY-NNNN``: numbered per year, without gaps or duplicates.

The number comes from a counter row per year, incremented with ``UPDATE ... RETURNING`` in the
same transaction that inserts the alert. On PostgreSQL the UPDATE holds the counter row's lock
until commit (the same lock ``SELECT ... FOR UPDATE`` would take), so a second process waits and
then sees the new value; on SQLite the transaction began with ``BEGIN IMMEDIATE``. If the
transaction rolls back, the counter rolls back with the alert: no number is ever skipped.

The year is the UTC year of ``now``. At New Year the UK is on GMT, so it is the London year too.
Numbers past 9999 simply get a fifth digit.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ._sql import insert_for, require_aware
from .tables import Alert, ReferenceCounter

REFERENCE_PATTERN = re.compile(r"\bPA-(\d{4})-(\d{4,})\b")


class AlertRecord(BaseModel):
    """An alert's identity: its reference and when it was created."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    reference: str
    year: int
    number: int
    created_at: AwareDatetime


def format_reference(year: int, number: int) -> str:
    return f"PA-{year:04d}-{number:04d}"


def find_reference(text: str) -> str | None:
    """The first ``PA-YYYY-NNNN`` in ``text`` (a subject line, say), upper-cased, or None."""
    match = REFERENCE_PATTERN.search(text.upper())
    return match.group(0) if match else None


def create_alert(session: Session, *, now: dt.datetime) -> AlertRecord:
    """Allocate the next reference for ``now``'s year and insert the alert, in the caller's transaction."""
    require_aware("now", now)
    year = now.astimezone(dt.timezone.utc).year
    session.execute(
        insert_for(session, ReferenceCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    number = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    alert = Alert(
        reference=format_reference(year, number),
        year=year,
        number=number,
        created_at=now,
        last_sequence=0,
    )
    session.add(alert)
    session.flush()
    return AlertRecord.model_validate(alert)


def get_alert(session: Session, reference: str) -> AlertRecord | None:
    alert = session.get(Alert, reference)
    return AlertRecord.model_validate(alert) if alert is not None else None


def list_alerts(session: Session, *, year: int | None = None) -> list[AlertRecord]:
    """Every alert (of one year, if given), in reference order."""
    query = select(Alert).order_by(Alert.year, Alert.number)
    if year is not None:
        query = query.where(Alert.year == year)
    return [AlertRecord.model_validate(alert) for alert in session.scalars(query)]
