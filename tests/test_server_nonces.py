"""Replay-guard nonces are pruned by a scheduled job, not by chance.

Any signed request runs the job when it is due (at most once per ``PRUNE_EVERY``, whichever
worker process gets there first, guarded by its ``job_run`` row); ``timebank server prune``
runs it for an outside scheduler. Real server on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from server.auth import PRUNE_EVERY, PRUNE_JOB, prune_nonces_if_due
from server.models import JobRun, SeenNonce
from tests import sync_helpers
from tests.sync_helpers import Kiosk, ServerHandle, make_kiosk, publish_world

server = sync_helpers.server

ROOT = Path(__file__).resolve().parent.parent
OLD = dt.timedelta(minutes=20)  # twice the allowed clock skew is 10 minutes


def plant_old_nonces(server: ServerHandle, kiosk: Kiosk, n: int = 5) -> None:
    when = dt.datetime.now(dt.UTC) - OLD
    with server.session() as s, s.begin():
        s.add_all(
            SeenNonce(device_id=kiosk.device_id, nonce=f"old-nonce-{i}", seen_at=when)
            for i in range(n)
        )


def old_nonces(server: ServerHandle) -> int:
    cutoff = dt.datetime.now(dt.UTC) - OLD / 2
    with server.session() as s:
        query = select(func.count()).where(SeenNonce.seen_at < cutoff)
        return int(s.execute(query).scalar_one())


def test_signed_requests_prune_when_due_and_the_command_prunes_always(
    server: ServerHandle, tmp_path: Path
) -> None:
    world = publish_world(server)
    kiosk = make_kiosk(server, world.station, tmp_path / "kiosk")
    try:
        plant_old_nonces(server, kiosk)
        with server.session() as s, s.begin():
            s.get_one(JobRun, PRUNE_JOB).ran_at = dt.datetime.now(dt.UTC) - 2 * PRUNE_EVERY
        kiosk.sync()  # due: the first signed request prunes
        assert old_nonces(server) == 0
        with server.session() as s:
            ran_at = s.get_one(JobRun, PRUNE_JOB).ran_at
            fresh = s.execute(select(func.count()).select_from(SeenNonce)).scalar_one()
        assert dt.datetime.now(dt.UTC) - ran_at < PRUNE_EVERY
        assert fresh > 0  # this sync's own nonces stay: they could still be replayed

        plant_old_nonces(server, kiosk)
        kiosk.sync()  # not due again yet
        assert old_nonces(server) == 5

        out = subprocess.run(
            [sys.executable, "-m", "kiosk", "server", "prune", "--db", server.db_url, "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        assert json.loads(out.stdout) == {"nonces_pruned": 5}
        assert old_nonces(server) == 0
    finally:
        kiosk.close()


def test_a_request_never_waits_for_another_that_is_pruning(server: ServerHandle) -> None:
    if server.backend != "postgresql":
        pytest.skip("SQLite has one writer: a second request waits for the first in any case")
    now = dt.datetime.now(dt.UTC)
    with server.session() as s, s.begin():
        s.get_one(JobRun, PRUNE_JOB).ran_at = now - 2 * PRUNE_EVERY
    with server.session() as first, first.begin():
        assert prune_nonces_if_due(first, now)  # holds the job row until it commits
        with server.session() as second, second.begin():
            second.execute(text("SET LOCAL lock_timeout = '2s'"))  # fail, not hang, if it waits
            assert not prune_nonces_if_due(second, now)
