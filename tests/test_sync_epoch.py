"""A server restored from an older backup: kiosks see its new instance epoch and resend.

The backup is taken while kiosks keep syncing; more work reaches the server; then the
server is stopped and the backup put back the way an operator would: on SQLite with
``timebank server restore FILE``, on PostgreSQL by copying the database back (a
``CREATE DATABASE ... TEMPLATE`` copy stands in for pg_dump/pg_restore) and then
``timebank server restore --db URL``. Either way the restored server has a new instance
epoch. One kiosk has new work and hears of the restore on a push, the other has nothing
to send and hears of it on a pull; both must put back everything the server lost, and in
the end the server's counts are the kiosks'.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, text

from kiosk.services.stats import RECORD_KEYS, StatsService
from kiosk.store.models import Person, SyncState
from server.db import normalize_url
from server.models import ServerMeta
from server.stats import server_stats
from tests import sync_helpers
from tests.live_server import drop_pg_database
from tests.sync_helpers import (
    Kiosk,
    ServerHandle,
    assert_in_step,
    ids,
    make_kiosk,
    offline_day,
    outbox_counts,
    publish_world,
)

server = sync_helpers.server

ROOT = Path(__file__).resolve().parent.parent


def timebank(*args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == expect, out.stderr
    return out


def _pg(admin_url: str, *statements: str) -> None:
    engine = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def take_backup(server: ServerHandle, tmp_path: Path) -> Callable[[], None]:
    """Back the running server up now; returns the restore, run with the server stopped."""
    if server.backend == "sqlite":
        path = tmp_path / "backup.db"
        live = server.db_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(live)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)  # what `sqlite3 server.db ".backup FILE"` does, online
        return lambda: timebank("server", "restore", str(path), "--db", server.db_url)
    base, name = server.db_url.rsplit("/", 1)
    admin = base + "/postgres"
    server.stop()  # a template database must have no other sessions
    _pg(admin, f'CREATE DATABASE "{name}_bak" TEMPLATE "{name}"')
    server.start()

    def restore() -> None:
        _pg(
            admin,
            f'DROP DATABASE "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{name}_bak"',
            f'DROP DATABASE "{name}_bak"',
        )
        timebank("server", "restore", "--db", server.db_url)

    return restore


def epoch(server: ServerHandle) -> str:
    with server.session() as s:
        return s.get_one(ServerMeta, 1).instance_epoch


def test_a_server_restored_from_an_older_backup_gets_everything_back(
    server: ServerHandle, tmp_path: Path
) -> None:
    world = publish_world(server)
    busy = make_kiosk(server, world.station, tmp_path / "busy")
    quiet = make_kiosk(server, world.station, tmp_path / "quiet")
    kiosks = (busy, quiet)
    try:
        for k in kiosks:
            k.sync()  # reference data
        offline_day(busy, world, seed=1)
        offline_day(quiet, world, seed=2)
        for k in (busy, quiet, busy):
            k.sync()
        before = epoch(server)
        restore = take_backup(server, tmp_path)
        for k in kiosks:
            k.client.base_url = server.url  # a PostgreSQL backup restarted the server
        offline_day(busy, world, seed=3)  # reaches the server after the backup ...
        offline_day(quiet, world, seed=4)
        for k in (busy, quiet, busy):
            k.sync()
            assert outbox_counts(k.store).keys() == {"acked"}

        server.stop()  # ... and is lost with the restore
        restore()
        server.start()
        for k in kiosks:
            k.client.base_url = server.url
        assert epoch(server) != before
        with server.session() as s, busy.store.read() as local:
            people_left = ids(s, Person)
            assert people_left < ids(local, Person)

        offline_day(busy, world, seed=5)  # new work: busy hears of the restore on its push
        acked = outbox_counts(busy.store)["acked"]
        status = busy.sync()
        assert status.pushed > acked and status.pending == 0 and status.quarantined == 0
        status = quiet.sync()  # nothing new: quiet hears of it on its pull
        assert status.pushed == outbox_counts(quiet.store)["acked"] and status.pending == 0
        busy.sync()  # what quiet put back

        assert_in_step(server, busy, quiet)
        assert_counts_agree(server, busy, quiet)
        for k in kiosks:
            with k.store.read() as s:
                assert s.get_one(SyncState, 1).instance_epoch == epoch(server)
    finally:
        for k in kiosks:
            k.close()
        if server.backend == "postgresql":
            drop_pg_database(server.db_url + "_bak")  # left over if the test failed early


def assert_counts_agree(server: ServerHandle, *kiosks: Kiosk) -> None:
    """Every kiosk of the station holds what the server holds, but audit entries travel
    up only, so the server's are the sum of the kiosks'."""
    server_counts = server_stats(server.live.engine).record_counts()
    kiosk_counts = [StatsService(k.store).record_counts() for k in kiosks]
    for key in RECORD_KEYS:
        if key == "audit_entries":
            assert server_counts[key] == sum(c[key] for c in kiosk_counts), key
        else:
            assert all(c[key] == server_counts[key] for c in kiosk_counts), key


def test_restore_refuses_a_file_that_is_not_a_server_backup(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    timebank("server", "init", "--db", db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    kiosk_db = tmp_path / "kiosk.db"
    with closing(sqlite3.connect(kiosk_db)) as con:
        con.execute("CREATE TABLE outbox (device_seq INTEGER)")
    for bad in (junk, kiosk_db, tmp_path / "missing.db"):
        refused = timebank("server", "restore", str(bad), "--db", db, expect=2)
        assert "FAULT" in refused.stderr
    pg = timebank("server", "restore", str(junk), "--db", "postgresql://nowhere/x", expect=2)
    assert "pg_restore" in pg.stderr
