"""Opening the local SQLite store safely.

Start-up order: a corrupt file is moved aside (with its -wal/-shm) and a fresh one made, so
the kiosk always starts and sync can refill it; a backup copy is taken before any pending
migration; then Alembic brings the schema to head. Every connection runs in WAL mode with
``synchronous=FULL`` and foreign keys on. Write transactions start with ``BEGIN IMMEDIATE``
so a read-then-write rule check can never race another writer.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool

from kiosk.clock import UTC

log = logging.getLogger(__name__)

DB_NAME = "kiosk.db"
# The newest migration in kiosk/store/migrations (tests/test_migrations.py checks it): a
# store already there opens without importing Alembic, a quarter of the kiosk's start.
SCHEMA_HEAD = "0003"
SIDECARS = ("-wal", "-shm", "-journal")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    # Straight to the driver: on a check-in, SQLAlchemy's statement machinery around this
    # one word cost a tenth of the operation.
    driver = conn.connection.driver_connection
    try:
        driver.execute(f"BEGIN {mode}")
    except sqlite3.Error as error:  # "database is locked" after busy_timeout, as a DBAPIError
        raise DBAPIError.instance(f"BEGIN {mode}", (), error, sqlite3.Error) from error


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=QueuePool, pool_size=4, max_overflow=4)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def quick_check(path: Path) -> str | None:
    """None when the file is a sound SQLite database, else the reason it is not."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:5])
    return None


def move_aside(path: Path, reason: str) -> Path:
    """Rename a damaged database and its sidecar files; nothing is deleted."""
    stamp = dt.datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in SIDECARS:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    log.error(
        "local store %s is damaged (%s); moved it to %s and started a fresh one; "
        "sync will refill reference data",
        path,
        reason,
        target,
    )
    return target


def backup_file(path: Path, dest: Path) -> Path:
    """Consistent copy through SQLite's online backup API (safe while others write)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(path))
    try:
        out = sqlite3.connect(str(dest))
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


def stored_revision(engine: Engine) -> str | None:
    """The schema revision the file records, read without Alembic (None: not stamped)."""
    with engine.execution_options(sqlite_begin="DEFERRED").connect() as conn:
        try:
            value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError:  # no such table: a new file
            return None
        return str(value) if value is not None else None
