"""The server run as two worker processes on one database: nothing lives in process memory.

Replays, sequences and enrolment must hold across processes, since a load balancer sends
each request to any worker. Runs on PostgreSQL when configured, else on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.clock import UTC, FixedClock
from kiosk.services import Services
from kiosk.store.models import Account, CheckMethod, LedgerLine, Person, PersonKind
from kiosk.store.opening import open_store
from server.db import make_server_engine
from sync.client import Refused, SyncClient
from sync.engine import SyncEngine
from sync.enrolment import enroll, load_enrolment
from tests.factories import id_number
from tests.live_server import drop_pg_database, fresh_pg_database

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, object]]]:
    pg = fresh_pg_database()
    db = pg or f"sqlite:///{tmp_path / 'server.db'}"
    init = subprocess.run(
        [sys.executable, "-m", "kiosk", "server", "init", "--db", db, "--demo", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    info = json.loads(init.stdout)
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "server",
            "run",
            "--db",
            db,
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts two workers slowly
        while True:
            try:
                requests.get(url + "/api/v1/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("server with two workers did not start") from None
                time.sleep(0.2)
        yield url, db, info
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if pg:
            drop_pg_database(pg)


def test_two_workers_share_nonces_sequences_and_records(
    two_workers: tuple[str, str, dict[str, object]], tmp_path: Path
) -> None:
    url, db, info = two_workers
    stations = info["stations"]
    assert isinstance(stations, list)
    station = next(s for s in stations if s["name"] == "南沙街党群服务中心")
    codes = [station["enrollment_code"]]
    extra = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "server",
            "enroll-code",
            "--db",
            db,
            "--station",
            station["id"],
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    codes.append(json.loads(extra.stdout)["code"])

    kiosks = []
    for i, code in enumerate(codes):
        data = tmp_path / f"k{i}"
        store = open_store(data, clock=FixedClock(dt.datetime.now(UTC)))
        enroll(store, data, url, code)
        enrolment = load_enrolment(data)
        assert enrolment is not None
        kiosks.append(
            (store, SyncEngine(store, SyncClient(url, enrolment.credentials()), batch_items=20))
        )
    with pytest.raises(Refused):  # a used code works once, whichever worker sees it
        SyncClient(url).enroll(codes[0])

    try:
        for _store, engine in kiosks:
            engine.run_once()
        for n, (store, _) in enumerate(kiosks):
            svc = Services(store)
            community = next(
                st.community_id
                for st in svc.reference.stations()
                if st.id == store.identity.station_id
            )
            act = None
            for i in range(30):
                person = svc.people.register(
                    name=f"志愿者{n}{i}",
                    kind=PersonKind.VOLUNTEER,
                    id_number=id_number("19800101", seq=n * 100 + i),
                    community_id=community,
                )
                if act is None:
                    now = store.clock.now()
                    act = svc.attendance.create_activity(
                        title="清洁家园",
                        community_id=person.community_id
                        or svc.reference.stations()[0].community_id,
                        starts_at=now,
                        ends_at=now + dt.timedelta(hours=48),
                        service_type="清洁家园",
                    )
                svc.attendance.check_in(
                    activity_id=act.id, person_id=person.id, method=CheckMethod.QR
                )
                store.clock.advance(minutes=45)
                svc.attendance.check_out(  # mints coins: both kiosks post to the mint at once
                    activity_id=act.id, person_id=person.id, method=CheckMethod.QR
                )
        with ThreadPoolExecutor(2) as pool:  # both kiosks push at once, batches spread over workers
            statuses = list(pool.map(lambda k: k[1].run_once(), kiosks))
        assert all(s.pending == 0 and s.quarantined == 0 for s in statuses)
        for _store, engine in kiosks:
            engine.run_once()
        engine_db = make_server_engine(db)
        with Session(engine_db) as s:
            assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 60
            sums = dict(
                s.execute(
                    select(LedgerLine.account_id, func.sum(LedgerLine.amount)).group_by(
                        LedgerLine.account_id
                    )
                ).all()
            )
            for acct in s.execute(select(Account)).scalars():  # no lost balance updates
                assert acct.balance == sums.get(acct.id, 0), acct.code or acct.person_id
            assert sums[uuid.uuid5(uuid.NAMESPACE_URL, "timebank:account:mint")] == -60 * 30
        engine_db.dispose()
        for store, _ in kiosks:  # each kiosk now knows everyone: the change log had no gaps
            with store.read() as s:
                assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 60
    finally:
        for store, _ in kiosks:
            store.close()
