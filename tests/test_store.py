"""Opening the store: PRAGMAs, corrupt files moved aside, migrations, CLI checks."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.clock import FixedClock
from kiosk.services import Services
from kiosk.store.engine import DB_NAME
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from tests.factories import make_world

ROOT = Path(__file__).resolve().parent.parent


def test_connections_use_wal_full_sync_and_foreign_keys(store: Store) -> None:
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_corrupt_file_is_moved_aside_and_a_fresh_store_starts(
    data_dir: Path, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(data_dir, clock=clock)
    make_world(Services(store))
    store.close()
    db = data_dir / DB_NAME
    raw = bytearray(db.read_bytes())
    raw[:100] = b"\x00garbage" * 12 + b"\x00" * 4
    db.write_bytes(bytes(raw))
    (data_dir / (DB_NAME + "-wal")).write_bytes(b"stale wal")

    with caplog.at_level(logging.ERROR):
        fresh = open_store(data_dir, clock=clock)
    try:
        assert Services(fresh).reference.towns() == []
    finally:
        fresh.close()
    aside = sorted(p.name for p in data_dir.iterdir() if ".corrupt-" in p.name)
    main = [p for p in aside if p.startswith(DB_NAME + ".corrupt-") and "-wal" not in p[-4:]]
    assert main and any(p.endswith("-wal") for p in aside)
    assert (data_dir / aside[0]).stat().st_size > 0  # nothing deleted
    assert "damaged" in caplog.text


def test_db_check_cli_fails_on_a_tampered_ledger(tmp_path: Path) -> None:
    data = tmp_path / "d"
    store = open_store(data)
    svc = Services(store)
    world = make_world(svc)
    from kiosk.services.ledger import Ledger

    with store.write() as uow:
        Ledger(uow).earn(
            minutes=120, person_id=world.member.id, memo="x", ref_entity="t", ref_id=world.org.id
        )
    store.close()

    def check() -> tuple[int, dict]:
        out = subprocess.run(
            [sys.executable, "-m", "kiosk", "db", "check", "--json", "--data-dir", str(data)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        return out.returncode, json.loads(out.stdout)

    assert check() == (0, {"faults": [], "ok": True})
    con = sqlite3.connect(data / DB_NAME)
    con.execute("UPDATE ledger_line SET amount = amount * 2")
    con.commit()
    con.close()
    rc, report = check()
    assert rc == 1
    assert any("hash mismatch" in f for f in report["faults"])
