"""Statements both server dialects (PostgreSQL, SQLite) write the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, model: Any) -> Any:
    """The dialect's INSERT (a model or a table), which knows ON CONFLICT DO NOTHING."""
    name = session.get_bind().dialect.name
    insert = postgresql.insert if name == "postgresql" else sqlite.insert
    # SQLAlchemy keeps an INSERT's rowcount only when asked; psycopg would report -1.
    return insert(model).execution_options(preserve_rowcount=True)


def inserted_rows(result: Result[Any]) -> int:
    """Rows an INSERT ... ON CONFLICT DO NOTHING wrote: 0 means the key was already there."""
    assert isinstance(result, CursorResult)
    if result.rowcount < 0:  # unknown must never pass for "inserted": that breaks idempotency
        raise RuntimeError("the database driver did not report how many rows were inserted")
    return result.rowcount


def table_of(model: Any) -> Table:
    """A mapped class's table, typed as one (``__table__`` is only a FromClause to mypy)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
