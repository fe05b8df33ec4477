"""The tables, as SQLAlchemy 2 typed declarative models (the migrations create the same schema).

These classes are the storage layer's own business: the modules around them take and return
frozen pydantic values, so nothing outside ``practice_alerts.store`` depends on a mapped row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

INBOUND_STATUSES = ("received", "processed", "quarantined", "failed")
OUTBOX_STATUSES = ("pending", "sent", "gave_up")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime in, an aware UTC datetime out; naive datetimes are refused.

    PostgreSQL keeps ``timestamptz``; SQLite keeps naive UTC text in one fixed format, so
    comparing two stored instants (``next_attempt_at <= now``) stays correct there too.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{value!r} has no time zone; the store keeps aware datetimes only")
        utc = value.astimezone(dt.timezone.utc)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


JsonValue = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReferenceCounter(Base):
    """The last ``PA-YYYY-NNNN`` number handed out in a year."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class Alert(Base):
    """An alert's identity only: its state is derived from its events."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("year", "number"),)

    reference: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)


class InboundMessage(Base):
    """A message exactly as the transport gave it, stored before anything acts on it."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("transport", "transport_id"),
        CheckConstraint(
            "status IN ('received', 'processed', 'quarantined', 'failed')", name="known_status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transport: Mapped[str] = mapped_column(String(40))
    transport_id: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_key: Mapped[str | None] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class AlertEvent(Base):
    """One entry of an alert's append-only history (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "alert_events"
    __table_args__ = (UniqueConstraint("alert_reference", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_reference: Mapped[str] = mapped_column(ForeignKey("alerts.reference"))
    sequence: Mapped[int] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    actor_email: Mapped[str | None] = mapped_column(String(320))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id"), index=True
    )
    redacted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), default=None)
    """Set once when retention anonymised the event (its payload is then ``{"redacted": true}``)."""


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the event that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'gave_up')", name="known_status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    purpose: Mapped[str] = mapped_column(String(100))
    alert_reference: Mapped[str | None] = mapped_column(ForeignKey("alerts.reference"), index=True)
    caused_by_event_id: Mapped[int | None] = mapped_column(ForeignKey("alert_events.id"))
    envelope_from: Mapped[str] = mapped_column(String(320))
    envelope_to: Mapped[list[str]] = mapped_column(JsonValue)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class ServiceLease(Base):
    """Who may handle the mailbox now, until when; ``generation`` counts changes of holder."""

    __tablename__ = "service_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    generation: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RetentionRecord(Base):
    """What retention removed, when, and under which rule (no personal data: counts and references)."""

    __tablename__ = "retention_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    alert_reference: Mapped[str | None] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(Text)
    removed: Mapped[dict[str, Any]] = mapped_column(JsonValue)


class AlertStateRow(Base):
    """Each alert's current state, written in the same transaction as the events it was folded from."""

    __tablename__ = "alert_states"

    reference: Mapped[str] = mapped_column(ForeignKey("alerts.reference"), primary_key=True)
    status: Mapped[str] = mapped_column(String(40), index=True)
    is_open: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[dt.date | None] = mapped_column(Date)
    next_clock_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_event_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    state: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class EventDecision(Base):
    """What was decided when an event happened (recipient, copies, due date, policy version...)."""

    __tablename__ = "event_decisions"

    event_id: Mapped[int] = mapped_column(ForeignKey("alert_events.id"), primary_key=True, autoincrement=False)
    alert_reference: Mapped[str] = mapped_column(ForeignKey("alerts.reference"), index=True)
    decided: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    filled_at_migration: Mapped[bool] = mapped_column(Boolean)


class PolicyVersion(Base):
    """A policy's content, kept by its hash when an alert is first raised under it."""

    __tablename__ = "policy_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    policy_key: Mapped[str] = mapped_column(String(100))
    content: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InboundClassification(Base):
    """Why an inbound message was treated as it was: kind, reasons, how matched, attachments."""

    __tablename__ = "inbound_classifications"

    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id"), primary_key=True,
                                            autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    record: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Heartbeat(Base):
    """When something last happened, by name (e.g. the last successful mailbox poll): one row each."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
