"""Storage: SQLite by default, PostgreSQL by URL, one schema kept by Alembic migrations.

What the service calls (all times are aware datetimes passed in; nothing here reads the clock):

* ``open_database(url)`` → :class:`Database` (migrated); ``database.transaction()`` for writes,
  ``database.reading()`` for reads.
* ``store_inbound`` before acting on a message; then one ``unit_of_work`` per handled message
  to create alerts, append events, enqueue mail and record the message's outcome atomically;
  a step reads and writes only through its :class:`UnitOfWork` (its session is private to store/),
  and code that reads outside a step wraps a ``database.reading()`` snapshot in :class:`StoreReads`.
* ``status_facts`` for ``practice-alerts status``; ``DATABASE_ERRORS`` to catch any database failure
  without importing SQLAlchemy (nothing outside store/ does).
* ``claim_due`` / ``mark_sent`` / ``mark_failed`` / ``give_up`` for the sender.
* ``acquire_lease`` / ``release_lease`` so only one service process handles the mailbox; ``beat`` /
  ``last_beat`` for when something last happened (the last successful poll).
* ``save_state`` / ``save_decision`` beside each appended event; ``get_state``, ``list_states``,
  ``state_counts``, ``due_for_clock`` to read alerts without replaying them (store/states.py).

docs/storage.md describes the tables and the guarantees.
"""

from . import console_tables as _console_tables  # noqa: F401 - registers the console's table
from .classifications import StoredClassification, get_classification, record_classification
from .db import Database, create_database_engine, database_url, open_database
from .errors import (
    DATABASE_ERRORS,
    DatabaseUnavailableError,
    InboundStateError,
    LeaseLostError,
    StorageConfigError,
    StoreError,
    UnknownAlertError,
    UnstorableValueError,
)
from .events import NewEvent, StoredEvent, alert_events, append_event, events_after, events_from_inbound
from .health_facts import HealthFacts, health_facts
from .heartbeat import LAST_POLL, beat, last_beat
from .inbound import (
    InboundMail,
    InboundRetryPolicy,
    InboundStatus,
    StoredInbound,
    failed_inbound,
    find_inbound,
    get_inbound,
    inbound_raw,
    retry_failed_inbound,
    retry_inbound_later,
    set_inbound_status,
    store_inbound,
    unfinished_inbound,
)
from .lease import (
    MAILBOX_LEASE,
    LeaseState,
    acquire_lease,
    current_lease,
    new_holder_id,
    release_lease,
    require_lease,
)
from .outbox import (
    DEFAULT_RETRY,
    OutboxItem,
    OutgoingMail,
    RetryPolicy,
    claim_due,
    defer,
    enqueue,
    give_up,
    given_up,
    mark_failed,
    mark_sent,
    outbox_for_alert,
    outbox_items,
    retry_given_up,
    sent_since,
)
from .policy_versions import StoredPolicy, get_policy_version, keep_policy_version, policy_versions
from .reads import StoreReads
from .references import AlertRecord, create_alert, find_reference, format_reference, get_alert, list_alerts
from .retention import (
    RetentionEntry,
    anonymise_alert,
    anonymise_old_mail,
    is_anonymised,
    old_mail_count,
    retention_records,
)
from .states import (
    StateToSave,
    StoredDecision,
    StoredState,
    alert_decisions,
    alerts_without_state,
    due_for_clock,
    events_without_decision,
    get_state,
    list_states,
    records_changed_after,
    records_for_moments,
    save_decision,
    save_state,
    state_counts,
    state_texts,
)
from .status import StatusFacts, TroubledMail, inbound_counts, status_facts
from .unit_of_work import LeaseClaim, UnitOfWork, unit_of_work

__all__ = [
    "DATABASE_ERRORS",
    "StatusFacts",
    "StoreReads",
    "TroubledMail",
    "status_facts",
    "inbound_counts",
    "outbox_items",
    "StateToSave",
    "StoredClassification",
    "StoredDecision",
    "StoredPolicy",
    "StoredState",
    "alert_decisions",
    "alerts_without_state",
    "due_for_clock",
    "events_without_decision",
    "get_classification",
    "get_policy_version",
    "get_state",
    "keep_policy_version",
    "list_states",
    "policy_versions",
    "record_classification",
    "records_changed_after",
    "records_for_moments",
    "save_decision",
    "save_state",
    "state_counts",
    "state_texts",
    "DEFAULT_RETRY",
    "LAST_POLL",
    "beat",
    "last_beat",
    "MAILBOX_LEASE",
    "AlertRecord",
    "Database",
    "DatabaseUnavailableError",
    "HealthFacts",
    "InboundMail",
    "InboundRetryPolicy",
    "InboundStateError",
    "InboundStatus",
    "LeaseClaim",
    "LeaseLostError",
    "LeaseState",
    "NewEvent",
    "OutboxItem",
    "OutgoingMail",
    "RetentionEntry",
    "RetryPolicy",
    "StorageConfigError",
    "StoreError",
    "StoredEvent",
    "StoredInbound",
    "UnitOfWork",
    "UnknownAlertError",
    "UnstorableValueError",
    "acquire_lease",
    "alert_events",
    "anonymise_alert",
    "anonymise_old_mail",
    "append_event",
    "claim_due",
    "create_alert",
    "create_database_engine",
    "current_lease",
    "database_url",
    "enqueue",
    "events_after",
    "events_from_inbound",
    "failed_inbound",
    "find_inbound",
    "find_reference",
    "format_reference",
    "get_alert",
    "get_inbound",
    "give_up",
    "given_up",
    "health_facts",
    "inbound_raw",
    "is_anonymised",
    "list_alerts",
    "mark_failed",
    "mark_sent",
    "new_holder_id",
    "old_mail_count",
    "retry_failed_inbound",
    "retry_inbound_later",
    "open_database",
    "outbox_for_alert",
    "defer",
    "sent_since",
    "release_lease",
    "require_lease",
    "retention_records",
    "retry_given_up",
    "set_inbound_status",
    "store_inbound",
    "unfinished_inbound",
    "unit_of_work",
]
