"""The background sync worker: debounced writes, backoff with jitter, recovery."""

from __future__ import annotations

import datetime as dt
import queue
import random
from pathlib import Path

from kiosk.clock import UTC, FixedClock
from kiosk.services import Services
from kiosk.store.models import PersonKind, Station
from kiosk.store.opening import open_store
from server.demo import load_demo_reference
from server.setup import new_enrollment_code
from sync.background import Schedule, SyncWorker, WorkerStatus, backoff_delay
from sync.client import Credentials, SyncClient
from sync.engine import SyncEngine
from sync.enrolment import enroll, load_enrolment
from tests.factories import id_number
from tests.live_server import live_server


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    schedule = Schedule(backoff_min_s=30, backoff_max_s=900)
    rng = random.Random(7)
    for failures in range(1, 30):
        cap = min(900, 30 * 2 ** (failures - 1))
        delays = [backoff_delay(failures, schedule, rng) for _ in range(200)]
        assert all(30 <= d <= cap for d in delays)
        if cap > 60:
            assert max(delays) - min(delays) > 1  # jittered, so kiosks do not stampede
    assert max(backoff_delay(50, schedule, rng) for _ in range(200)) <= 900


FAST = Schedule(
    debounce_s=0.05,
    interval_s=60,
    backoff_min_s=0.05,
    backoff_max_s=0.2,
    probe_s=0.05,
    alert_after=dt.timedelta(seconds=0.3),
)


def test_a_local_write_is_pushed_soon_after(tmp_path: Path) -> None:
    with live_server(f"sqlite:///{tmp_path / 's.db'}") as srv:
        with srv.session() as s, s.begin():
            load_demo_reference(s, seed=1)
            station = next(st for st in s.query(Station).all() if st.name == "南沙街党群服务中心")
            code = new_enrollment_code(s, station.id)
        store = open_store(tmp_path / "k", clock=FixedClock(dt.datetime.now(UTC)))
        enroll(store, tmp_path / "k", srv.url, code)
        enrolment = load_enrolment(tmp_path / "k")
        assert enrolment is not None
        engine = SyncEngine(store, SyncClient(srv.url, enrolment.credentials()))
        seen: queue.Queue[WorkerStatus] = queue.Queue()
        worker = SyncWorker(engine, SyncClient(srv.url), schedule=FAST, on_status=seen.put)
        worker.start()
        try:
            assert seen.get(timeout=10).failures == 0  # the first sync at start
            Services(store).people.register(
                name="王芳",
                kind=PersonKind.RESIDENT,
                id_number=id_number("19500101"),
                community_id=station.community_id,
            )
            worker.notify_local_write()
            status = seen.get(timeout=10)
            assert status.failures == 0 and status.sync.pending == 0 and status.sync.pushed > 0
        finally:
            worker.stop()
            store.close()


def test_failures_back_off_for_ever_and_raise_an_alert(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k")
    dead = "http://127.0.0.1:9"  # discard port: nothing answers
    engine = SyncEngine(
        store, SyncClient(dead, Credentials("kiosk-x", b"s" * 32), timeout=(0.2, 0.2))
    )
    seen: queue.Queue[WorkerStatus] = queue.Queue()
    worker = SyncWorker(
        engine, SyncClient(dead, timeout=(0.2, 0.2)), schedule=FAST, on_status=seen.put
    )
    worker.start()
    try:
        statuses = [seen.get(timeout=10) for _ in range(6)]
    finally:
        worker.stop()
        store.close()
    assert [s.failures for s in statuses] == [1, 2, 3, 4, 5, 6]  # never gives up
    assert all(0.05 <= s.next_run_in_s <= 0.2 for s in statuses)
    assert statuses[-1].alert and not statuses[0].alert
    assert statuses[-1].sync.last_error
