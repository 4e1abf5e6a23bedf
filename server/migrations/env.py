"""Alembic environment for the server schema: the record tables plus the server's own."""

from __future__ import annotations

from alembic import context

from kiosk.store.migrate import render_item
from server.db import server_metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=server_metadata(),
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
