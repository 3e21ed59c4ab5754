"""Alembic environment: the URL and engine come from core, the metadata from models."""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from core.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    from core.settings import get_settings

    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.attributes.get("url"))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # noqa: ANN001
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds a table (copy, drop, rename the copy back). Since SQLite 3.26 the
        # rename re-checks every trigger, and the append-only triggers (core/append_only.py)
        # name agreement, commitmentarea and actionitem, which are missing at that moment:
        # the legacy rename leaves triggers as written, and they read right once it is done.
        connection.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
