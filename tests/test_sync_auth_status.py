"""A server that refuses the kiosk itself is shown to staff as such, and not hammered.

Revoked (403), unknown device or wrong key (401): only an administrator can fix these, so
the worker's status says it in plain Chinese with ``auth_refused`` set, and the worker keeps
to its backoff even though the server answers the unsigned health probe all along (an
outage, by contrast, ends as soon as the probe gets an answer). Real server, both backends.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.background import Schedule, SyncWorker, WorkerStatus
from sync.client import AUTH_MESSAGES, Credentials, SyncClient
from sync.engine import SyncEngine
from tests import sync_helpers
from tests.sync_helpers import (
    Kiosk,
    ServerHandle,
    World,
    make_kiosk,
    offline_day,
    outbox_counts,
    publish_world,
)

server = sync_helpers.server

ROOT = Path(__file__).resolve().parent.parent
BACKOFF = Schedule(
    debounce_s=0.01,
    interval_s=60,
    backoff_min_s=0.4,
    backoff_max_s=0.8,
    probe_s=0.02,  # an outage would be retried about every 20 ms
    alert_after=dt.timedelta(hours=1),
)
WATCH_S = 2.0


@pytest.fixture
def world(server: ServerHandle) -> World:
    return publish_world(server)


@pytest.fixture
def kiosk(server: ServerHandle, world: World, tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(server, world.station, tmp_path / "kiosk")
    k.sync()
    yield k
    k.close()


def watch(engine: SyncEngine, server: ServerHandle) -> list[WorkerStatus]:
    """Run a worker with a health probe for ``WATCH_S`` and return what it reported."""
    seen: queue.Queue[WorkerStatus] = queue.Queue()
    worker = SyncWorker(engine, SyncClient(server.url), schedule=BACKOFF, on_status=seen.put)
    worker.start()
    time.sleep(WATCH_S)
    worker.stop()
    return [seen.get_nowait() for _ in range(seen.qsize())]


def test_a_revoked_kiosk_says_so_in_chinese_and_keeps_backing_off(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    offline_day(kiosk, world, members=2, residents=1)
    pending = outbox_counts(kiosk.store)["pending"]
    revoked = requests.post(
        f"{server.url}/api/v1/admin/devices/{kiosk.device_id}/revoke",
        headers={"Authorization": f"Bearer {server.live.admin_token}"},
        timeout=30,
    )
    assert revoked.status_code == 200

    statuses = watch(kiosk.engine, server)
    assert 2 <= len(statuses) <= WATCH_S / BACKOFF.backoff_min_s + 1  # no loop on the probe
    assert [s.failures for s in statuses] == list(range(1, len(statuses) + 1))
    for status in statuses:
        assert status.auth_refused
        assert status.sync.last_error == AUTH_MESSAGES["revoked"]
        assert "停用" in status.sync.last_error and "重新登记" in status.sync.last_error
        assert status.sync.pending == pending  # nothing lost, nothing quarantined

    kiosk.close()  # the command line opens the same data directory
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", "--data-dir", str(kiosk.data_dir), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    kiosk.reopen()
    assert out.returncode == 1
    answer = json.loads(out.stdout)
    assert answer["auth_refused"] and answer["last_error"] == AUTH_MESSAGES["revoked"]


def test_an_unknown_device_or_a_wrong_key_is_refused_and_an_outage_is_not(
    server: ServerHandle, kiosk: Kiosk
) -> None:
    impostors = {
        "unknown_device": Credentials("kiosk-000000000000", kiosk.secret),
        "bad_signature": Credentials(kiosk.device_id, b"not the key" * 3),
    }
    for code, credentials in impostors.items():
        engine = SyncEngine(kiosk.store, SyncClient(server.url, credentials))
        statuses = watch(engine, server)
        assert 1 <= len(statuses) <= WATCH_S / BACKOFF.backoff_min_s + 1, code
        assert all(s.auth_refused for s in statuses), code
        assert statuses[-1].sync.last_error == AUTH_MESSAGES[code]

    url = server.url
    server.stop()  # an outage: not a refusal, and the last error says what failed
    engine = SyncEngine(kiosk.store, SyncClient(url, Credentials(kiosk.device_id, kiosk.secret)))
    seen: queue.Queue[WorkerStatus] = queue.Queue()
    worker = SyncWorker(engine, schedule=BACKOFF, on_status=seen.put)
    worker.start()
    try:
        outage = seen.get(timeout=10)
    finally:
        worker.stop()
    assert outage.failures == 1 and not outage.auth_refused
    assert outage.sync.last_error.startswith("Retryable")
    server.start()
