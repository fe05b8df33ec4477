"""Why each inbound message was treated as it was (kind, reasons, matching, attachments)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy.orm import Session

from ._sql import require_aware
from .tables import InboundClassification


class StoredClassification(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    inbound_id: int
    kind: str
    record: dict[str, Any]
    recorded_at: AwareDatetime


def record_classification(session: Session, inbound_id: int, kind: str, record: dict[str, Any], *,
                          now: dt.datetime) -> None:
    """Keep the message's classification (replacing one from an earlier, failed attempt)."""
    require_aware("now", now)
    row = session.get(InboundClassification, inbound_id)
    if row is None:
        session.add(InboundClassification(inbound_id=inbound_id, kind=kind, record=record, recorded_at=now))
    else:
        row.kind, row.record, row.recorded_at = kind, record, now
    session.flush()


def get_classification(session: Session, inbound_id: int) -> StoredClassification | None:
    row = session.get(InboundClassification, inbound_id)
    return StoredClassification.model_validate(row) if row is not None else None
