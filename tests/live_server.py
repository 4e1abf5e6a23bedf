"""The real central server, in-process on 127.0.0.1 and an OS-chosen port."""

from __future__ import annotations

import os
import uuid
from contextlib import AbstractContextManager

from sqlalchemy import create_engine, text

from server.db import normalize_url
from server.embedded import EmbeddedServer, embedded_server

LiveServer = EmbeddedServer


def fresh_pg_database() -> str | None:
    """A new, empty PostgreSQL database for one test, or None when PostgreSQL is not configured.

    Each test gets its own database (created from ``TIMEBANK_TEST_PG_URL``'s server), so
    tests never see each other's rows and need no cleanup order.
    """
    base = os.environ.get("TIMEBANK_TEST_PG_URL")
    if not base:
        return None
    name = f"tb_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def live_server(db_url: str) -> AbstractContextManager[LiveServer]:
    return embedded_server(db_url)


def drop_pg_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    admin = create_engine(normalize_url(base + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
