"""Migrations: from an empty file, and from a copy of the first released schema (0001)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.base import Base
from kiosk.store.engine import DB_NAME, SCHEMA_HEAD, stored_revision
from kiosk.store.migrate import current_revision, head_revision
from kiosk.store.models import Attendance, LedgerTx, Need, OutboxItem, SyncState
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from server.db import make_server_engine, server_metadata
from server.models import JobRun
from server.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent

FIXTURE = Path(__file__).parent / "fixtures" / "kiosk-0001" / DB_NAME


def _schema_matches_models(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def test_empty_database_migrates_to_the_models(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        assert current_revision(store.engine) == head_revision(store.engine)
        assert _schema_matches_models(store) == []
    finally:
        store.close()
    assert not (data_dir / "backups").exists()  # a new file has nothing to back up


def test_first_released_schema_upgrades_with_a_backup_and_keeps_its_data(
    data_dir: Path,
) -> None:
    data_dir.mkdir(parents=True)
    shutil.copy(FIXTURE, data_dir / DB_NAME)
    store = open_store(data_dir)
    try:
        assert current_revision(store.engine) == head_revision(store.engine) != "0001"
        assert _schema_matches_models(store) == []
        with store.read() as s:
            assert s.execute(select(func.count()).select_from(Attendance)).scalar_one() == 2
            assert s.execute(select(func.count()).select_from(LedgerTx)).scalar_one() == 1
            assert s.execute(select(func.count()).select_from(Need)).scalar_one() == 1
            assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == 9
            assert s.get(SyncState, 1) is None
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        assert check_database(store) == []
        # The upgraded store keeps working: new rows chain onto the old ledger.
        svc = Services(store)
        assert [t.name for t in svc.reference.towns()] == ["南沙街"]
    finally:
        store.close()
    backups = list((data_dir / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith("kiosk-0001-")
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        con.close()


def test_server_migrations_build_the_server_models_with_the_prune_job(tmp_path: Path) -> None:
    engine = make_server_engine(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), server_metadata()) == []
            assert conn.execute(select(JobRun.name)).scalars().all() == ["prune_nonces"]
    finally:
        engine.dispose()


def test_schema_head_constant_is_alembics_head_and_an_up_to_date_store_skips_alembic(
    data_dir: Path,
) -> None:
    store = open_store(data_dir)
    try:
        assert head_revision(store.engine) == SCHEMA_HEAD
        assert stored_revision(store.engine) == SCHEMA_HEAD
    finally:
        store.close()
    # Opened again in a fresh interpreter: nothing to migrate, so Alembic is never imported.
    code = (
        "import sys; from pathlib import Path; from kiosk.store.opening import open_store;"
        f"open_store(Path({str(data_dir)!r})).close(); print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
