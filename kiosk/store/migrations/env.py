"""Alembic environment: always called with an engine in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from kiosk.store import models  # noqa: F401  (fills the metadata)
from kiosk.store.base import Base
from kiosk.store.migrate import render_item

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
