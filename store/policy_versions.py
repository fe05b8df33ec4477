"""Policy versions by content hash: the rules an alert was raised under, kept for as long as it runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from ._sql import require_aware
from .tables import PolicyVersion


class StoredPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    version: str
    policy_key: str
    content: dict[str, Any]
    stored_at: AwareDatetime


def keep_policy_version(session: Session, version: str, policy_key: str, content: dict[str, Any], *,
                        now: dt.datetime) -> None:
    """Store the policy's content under its hash, once."""
    require_aware("now", now)
    if session.get(PolicyVersion, version) is None:
        session.add(PolicyVersion(version=version, policy_key=policy_key, content=content, stored_at=now))
        session.flush()


def get_policy_version(session: Session, version: str) -> StoredPolicy | None:
    row = session.get(PolicyVersion, version)
    return StoredPolicy.model_validate(row) if row is not None else None


def policy_versions(session: Session) -> list[StoredPolicy]:
    return [StoredPolicy.model_validate(r) for r in session.scalars(select(PolicyVersion).order_by(PolicyVersion.stored_at))]
