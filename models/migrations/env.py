"""Alembic environment. The app passes its own connection (cfg.attributes["connection"]) so no logging
configuration is loaded: `fileConfig` would redirect logging to stderr and break the Textual screen."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import selfcheck.models.tables  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic` CLI use during development: -x db=path
        url = context.get_x_argument(as_dictionary=True).get("db", "sqlite:///dev.sqlite3")
        engine = create_engine(url)
        with engine.connect() as conn:
            context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
