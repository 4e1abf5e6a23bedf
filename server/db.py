"""Server database: PostgreSQL in production, an embedded SQLite file by default.

The record tables are the kiosk's models; kiosk-only tables (device_state, outbox,
staff_account) are left out of the server schema.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine

from kiosk.store import models as _models  # noqa: F401  (registers the record tables)
from kiosk.store.base import Base
from kiosk.store.engine import make_engine as make_sqlite_engine
from server.models import ServerBase

KIOSK_ONLY = frozenset({"device_state", "outbox", "staff_account", "sync_state"})


def default_url() -> str:
    path = Path.home() / ".local" / "share" / "timebank-server" / "server.db"
    return f"sqlite:///{path}"


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` and use psycopg 3 for it."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_server_engine(url: str | None = None) -> Engine:
    url = normalize_url(url or default_url())
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return make_sqlite_engine(path)
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def record_tables() -> list[Table]:
    return [t for name, t in Base.metadata.tables.items() if name not in KIOSK_ONLY]


def server_metadata() -> list[MetaData]:
    """Both halves of the schema, for Alembic autogenerate and comparison."""
    records = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in record_tables():
        table.to_metadata(records)
    return [records, ServerBase.metadata]
