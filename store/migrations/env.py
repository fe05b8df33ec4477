"""Alembic environment: runs only through ``practice_alerts.store.migrations.upgrade``."""

from __future__ import annotations

from alembic import context

from practice_alerts.store.tables import Base

# Any constant will do; it only has to be the same for every process of this service.
_MIGRATION_LOCK_KEY = 0x5041_4D49  # "PAMI"


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "Run migrations through practice_alerts.store.migrations.upgrade(database), "
            "which passes the connection to use."
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
        context.run_migrations()


_run()
