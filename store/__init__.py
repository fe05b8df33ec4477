"""Storage: SQLite by default, PostgreSQL by URL, one schema kept by Alembic migrations.

What the service calls (all times are aware datetimes passed in; nothing here reads the clock).
Nothing exported here takes or returns a SQLAlchemy session: the session never leaves store/.

* ``open_database(url)`` → :class:`Database` (migrated).
* ``database.reading()`` yields :class:`StoreReads`, a consistent read-only snapshot whose methods
  are every read code outside store/ makes (alerts, states, events, inbound mail, the outbox, the
  console's log, the lease, the ``status`` and health figures).
* Every write is one ``unit_of_work(database, now=..., lease=...)``: a :class:`UnitOfWork` has the
  reads of :class:`StoreReads` plus the writes (store a fetched message before acting on it; create
  alerts, append events, enqueue mail, record the message's outcome; claim, mark and give up outbox
  mail; take, renew and release the lease; beat the heartbeat; anonymise), all committed together
  or not at all, the lease checked first when one is given.
* ``DATABASE_ERRORS`` to catch any database failure without importing SQLAlchemy (nothing outside
  store/ does).

The functions that take a session stay in their modules (store/states.py, store/outbox.py...), for
store/'s own use and its tests (which get a session from ``Database._read_session()`` and
``Database._write_session()``). Code outside store/ imports this package only, never its modules
(tests/unit/test_layers.py). docs/storage.md describes the tables and the guarantees.
"""

from . import console_tables as _console_tables  # noqa: F401 - registers the console's table
from .backup import backup_sqlite, check_sqlite_copy, pg_dump_command, pg_restore_command, sqlite_file
from .classifications import StoredClassification
from .console import ATTACH as CONSOLE_ATTACH
from .console import VIEW as CONSOLE_VIEW
from .console import Entry as ConsoleLogEntry
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
from .events import NewEvent, StoredEvent
from .health_facts import HealthFacts
from .heartbeat import LAST_POLL
from .inbound import InboundMail, InboundRetryPolicy, InboundStatus, StoredInbound
from .lease import MAILBOX_LEASE, LeaseState, new_holder_id
from .outbox import ABANDONED, DEFAULT_RETRY, OutboxItem, OutgoingMail, RetryPolicy
from .policy_versions import StoredPolicy
from .probe import database_problems
from .reads import StoreReads
from .references import AlertRecord, find_reference, format_reference
from .retention import RetentionEntry
from .states import StateToSave, StoredDecision, StoredState
from .status import StatusFacts, TroubledMail
from .unit_of_work import LeaseClaim, UnitOfWork, unit_of_work

__all__ = [
    "ABANDONED",
    "CONSOLE_ATTACH",
    "CONSOLE_VIEW",
    "DATABASE_ERRORS",
    "DEFAULT_RETRY",
    "LAST_POLL",
    "MAILBOX_LEASE",
    "AlertRecord",
    "ConsoleLogEntry",
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
    "StateToSave",
    "StatusFacts",
    "StorageConfigError",
    "StoreError",
    "StoreReads",
    "StoredClassification",
    "StoredDecision",
    "StoredEvent",
    "StoredInbound",
    "StoredPolicy",
    "StoredState",
    "TroubledMail",
    "UnitOfWork",
    "UnknownAlertError",
    "UnstorableValueError",
    "backup_sqlite",
    "check_sqlite_copy",
    "create_database_engine",
    "database_problems",
    "database_url",
    "find_reference",
    "format_reference",
    "new_holder_id",
    "open_database",
    "pg_dump_command",
    "pg_restore_command",
    "sqlite_file",
    "unit_of_work",
]
