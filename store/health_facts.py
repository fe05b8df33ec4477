"""The few numbers the health check and the metrics need, read in one snapshot.

Kept in the store so that nothing outside it writes SQL; each is one indexed aggregate, cheap
enough for a ``/healthz`` probe every few seconds.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .heartbeat import LAST_POLL, last_beat
from .tables import InboundMessage, OutboxMessage


class HealthFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    last_poll: AwareDatetime | None
    outbox_pending: int
    oldest_pending: AwareDatetime | None
    failing_sends: int
    """Pending messages whose last attempt failed."""
    given_up: int
    inbound: dict[str, int]
    """Inbound messages by status: received, processed, quarantined, failed."""


def health_facts(session: Session) -> HealthFacts:
    pending = OutboxMessage.status == "pending"
    outbox_pending, oldest = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(pending)).one()
    failing = session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(pending, OutboxMessage.last_error.is_not(None)))
    given_up = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "gave_up"))
    inbound = dict(session.execute(select(InboundMessage.status, func.count()).group_by(InboundMessage.status)).all())
    last = last_beat(session, LAST_POLL)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.timezone.utc)
    return HealthFacts(last_poll=last, outbox_pending=outbox_pending or 0,
                       oldest_pending=oldest, failing_sends=failing or 0, given_up=given_up or 0,
                       inbound={str(k): int(v) for k, v in inbound.items()})
