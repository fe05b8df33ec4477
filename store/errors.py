"""The storage layer's own errors; nothing from SQLAlchemy or the drivers leaks past them."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError


class StoreError(Exception):
    """Base of every storage error."""


class StorageConfigError(StoreError):
    """The database setting is wrong (operator error: the message says what to change)."""


class UnknownAlertError(StoreError):
    """No alert has this reference."""


class InboundStateError(StoreError):
    """An inbound message cannot move to the asked status (for example it is already processed)."""


class LeaseLostError(StoreError):
    """This process no longer holds the service lease; the transaction was rolled back."""


class DatabaseUnavailableError(StoreError):
    """The database could not be reached, or stayed locked or deadlocked: the transaction was
    rolled back and may be tried again later."""


class UnstorableValueError(StoreError):
    """The database refused a value (a NUL byte in text, a value too long for its column): the
    transaction was rolled back, and trying again with the same data will fail the same way."""


DATABASE_ERRORS: tuple[type[Exception], ...] = (StoreError, SQLAlchemyError)
"""Every failure reading or writing the database: what the shell catches to say "this database cannot be
used" (a file that is not a Practice Alerts database, say) without importing SQLAlchemy itself."""
