"""Sync under faults: every fault is followed by a clean sync that must leave no trace.

Real parts only: a live server (SQLite and PostgreSQL), kiosks with their own SQLite files
doing realistic work through the services, and a small fault-injecting HTTP proxy between
them (``tests.sync_helpers.FaultProxy``). Each test ends the same way: the fault cleared,
a sync, then the server holds every kiosk record exactly once, every outbox item is
acknowledged (or quarantined where the test expects it) and the kiosk database is sound.
"""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from kiosk.clock import UTC, FixedClock
from kiosk.services.verify import check_database
from kiosk.store.models import (
    Need,
    NeedCategory,
    NeedStatus,
    OutboxItem,
    OutboxStatus,
    Person,
    PersonKind,
    SyncState,
)
from server.models import ChangeLog, ServerMeta, SyncItem
from sync.client import Retryable
from tests import sync_helpers
from tests.factories import id_number
from tests.sync_helpers import (
    Fault,
    FaultProxy,
    Kiosk,
    ServerHandle,
    World,
    assert_in_step,
    make_kiosk,
    offline_day,
    outbox_counts,
    publish_world,
    quarantined,
)

server = sync_helpers.server  # the live server fixture, on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parent.parent
PUSH = "/sync/push"
PULL = "/sync/pull"


@pytest.fixture
def world(server: ServerHandle) -> World:
    return publish_world(server)


@pytest.fixture
def proxy(server: ServerHandle) -> Iterator[FaultProxy]:
    p = FaultProxy(server.url)
    yield p
    p.close()


def server_items(server: ServerHandle) -> int:
    with server.session() as s:
        return int(s.execute(select(func.count()).select_from(SyncItem)).scalar_one())


def cursor_of(kiosk: Kiosk) -> int:
    with kiosk.store.read() as s:
        return s.get_one(SyncState, 1).cursor


# --- lost and broken answers --------------------------------------------------------------
def test_an_answer_lost_after_the_server_committed_costs_only_a_resend(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    kiosk = make_kiosk(server, world.station, tmp_path / "k", url=proxy.url, batch_items=20)
    try:
        kiosk.sync()
        offline_day(kiosk, world)
        total = outbox_counts(kiosk.store)["pending"]
        assert total > 40  # three batches at least

        proxy.inject(Fault.LOSE_ANSWER, path=PUSH, skip=1)  # the second batch's answer
        with pytest.raises(Retryable):
            kiosk.sync()
        # The server applied two batches; the kiosk heard of one and keeps the rest pending.
        assert server_items(server) == 40
        assert outbox_counts(kiosk.store) == {"acked": 20, "pending": total - 20}

        cursor = cursor_of(kiosk)
        proxy.inject(Fault.LOSE_ANSWER, path=PULL)  # and then a pulled page's answer
        with pytest.raises(Retryable):
            kiosk.sync()
        assert outbox_counts(kiosk.store) == {"acked": total}  # resent, answered "duplicate"
        assert cursor_of(kiosk) == cursor  # the lost page was not applied

        assert proxy.pending_faults() == 0
        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        assert server_items(server) == total  # nothing recorded twice
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


def test_a_connection_cut_mid_body_leaves_nothing_half_done(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    kiosk = make_kiosk(server, world.station, tmp_path / "k", url=proxy.url, batch_items=20)
    try:
        kiosk.sync()
        offline_day(kiosk, world)
        total = outbox_counts(kiosk.store)["pending"]

        proxy.inject(Fault.CUT_REQUEST, path=PUSH)  # the server gets half a request body
        with pytest.raises(Retryable):
            kiosk.sync()
        proxy.wait_idle()
        assert server_items(server) == 0
        with kiosk.store.read() as s:
            tried = s.execute(select(func.count()).where(OutboxItem.attempts == 1)).scalar_one()
        assert tried == 20  # marked attempted before sending, still pending

        proxy.inject(Fault.CUT_ANSWER, path=PUSH, skip=1)  # half an answer to the 2nd batch
        with pytest.raises(Retryable):
            kiosk.sync()
        assert server_items(server) == 40
        assert outbox_counts(kiosk.store) == {"acked": 20, "pending": total - 20}

        proxy.inject(Fault.CUT_ANSWER, path=PULL)
        with pytest.raises(Retryable):
            kiosk.sync()

        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        assert server_items(server) == total
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


def test_server_errors_and_timeouts_are_retried_until_clean(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    kiosk = make_kiosk(server, world.station, tmp_path / "k", url=proxy.url, batch_items=20)
    patient = kiosk.client.timeout
    try:
        kiosk.sync()
        offline_day(kiosk, world)
        total = outbox_counts(kiosk.store)["pending"]

        proxy.inject(Fault.ERROR_500, path=PUSH)
        with pytest.raises(Retryable, match="500"):
            kiosk.sync()
        assert server_items(server) == 0

        proxy.inject(Fault.ERROR_503, path=PULL)
        with pytest.raises(Retryable, match="503"):
            kiosk.sync()
        assert outbox_counts(kiosk.store) == {"acked": total}

        offline_day(kiosk, world, seed=2)  # another day's work while the server misbehaves
        more = outbox_counts(kiosk.store)["pending"]
        quick = (5.0, 0.5)  # a short read timeout; the stalled push is each run's first request
        proxy.inject(Fault.STALL_REQUEST, path=PUSH)  # reaches the server after we gave up
        kiosk.client.timeout = quick
        with pytest.raises(Retryable, match="Timeout"):
            kiosk.sync()
        # No waiting: the resend may meet the late request on the server. Its answer stalls.
        proxy.inject(Fault.STALL_ANSWER, path=PUSH)
        with pytest.raises(Retryable, match="Timeout"):
            kiosk.sync()
        kiosk.client.timeout = patient
        proxy.wait_idle()
        assert server_items(server) == total + 20  # the batch is there, once
        assert outbox_counts(kiosk.store)["pending"] == more

        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        assert server_items(server) == total + more
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


# --- the server goes away -----------------------------------------------------------------
def test_a_server_restarted_between_batches(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    kiosk = make_kiosk(server, world.station, tmp_path / "k", url=proxy.url, batch_items=10)
    try:
        kiosk.sync()
        offline_day(kiosk, world)

        def restart() -> None:  # a new server process on the same database
            proxy.upstream = server.restart()

        proxy.inject(Fault.HOOK, path=PUSH, skip=1, hook=restart)
        status = kiosk.sync()  # the later batches go to the new process
        assert server.starts == 2
        assert status.pending == 0 and status.quarantined == 0

        offline_day(kiosk, world, seed=2)
        total = outbox_counts(kiosk.store)["pending"]
        proxy.inject(Fault.HOOK, path=PUSH, skip=1, hook=server.stop)  # down, and stays down
        with pytest.raises(Retryable, match="502"):
            kiosk.sync()
        assert outbox_counts(kiosk.store)["pending"] == total - 20

        proxy.upstream = server.start()
        status = kiosk.sync()
        assert server.starts == 3
        assert status.pending == 0 and status.quarantined == 0
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


# --- the kiosk goes away ------------------------------------------------------------------
def pending_keys(kiosk: Kiosk) -> set[uuid.UUID]:
    with kiosk.store.read() as s:
        return set(
            s.execute(
                select(OutboxItem.idempotency_key).where(OutboxItem.status == OutboxStatus.PENDING)
            ).scalars()
        )


def server_keys(server: ServerHandle) -> set[uuid.UUID]:
    with server.session() as s:
        return set(s.execute(select(SyncItem.idempotency_key)).scalars())


def _sync_process(data_dir: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--data-dir", str(data_dir), "--server", url],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_kiosk_killed_mid_sync_resumes_without_loss_or_doubles(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    """``timebank sync`` killed with SIGKILL, again and again: after the server committed a
    batch but before the kiosk heard the answer, while a pulled page is on its way, or at a
    random moment. The kiosk keeps working in between; then one clean sync."""
    data_dir = tmp_path / "k"
    kiosk = make_kiosk(server, world.station, data_dir, url=proxy.url)
    kiosk.sync()
    offline_day(kiosk, world, members=20, residents=4, rounds=2)  # two batches of 200
    assert outbox_counts(kiosk.store)["pending"] > 200
    kiosk.close()
    rng = random.Random(20260302)
    plan = ["after commit", "after commit", "during pull", "random", "during pull"]
    kills = 0
    for round_no, how in enumerate(plan):
        running: list[subprocess.Popen[bytes]] = []
        if how == "after commit":  # the server has the batch, the kiosk never hears of it
            proxy.inject(Fault.HOOK, path=PUSH, hook=lambda r=running: _kill(r[0]))
        elif how == "during pull":
            proxy.inject(Fault.HOOK, path=PULL, hook=lambda r=running: _kill(r[0]))
        proc = _sync_process(data_dir, proxy.url)
        running.append(proc)
        try:
            proc.wait(timeout=rng.uniform(0.5, 1.5) if how == "random" else 60)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _kill(proc)
        proxy.wait_idle()
        proxy.clear()
        kills += proc.returncode == -signal.SIGKILL
        # The kiosk is restarted and records more before its next sync attempt.
        kiosk.reopen()
        assert check_database(kiosk.store) == []
        assert outbox_counts(kiosk.store).get("quarantined", 0) == 0
        if how == "after commit":  # the server has items the kiosk still thinks unsent
            assert pending_keys(kiosk) & server_keys(server)
        offline_day(kiosk, world, seed=100 + round_no, members=2, residents=1)
        kiosk.close()
    assert kills >= 4  # the hooked rounds at least really died mid-sync
    kiosk.reopen()
    try:
        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


# --- two kiosks, one need -----------------------------------------------------------------
def test_two_offline_kiosks_claim_one_need_and_the_first_to_arrive_wins(
    server: ServerHandle, world: World, tmp_path: Path
) -> None:
    a = make_kiosk(server, world.station, tmp_path / "a")
    b = make_kiosk(server, world.station, tmp_path / "b")
    try:
        a.sync()
        work = offline_day(a, world)
        need = a.svc.needs.post(
            resident_id=work.residents[0],
            category=NeedCategory.SHOPPING,
            wished_at=a.clock.now() + dt.timedelta(days=1),
            description="帮忙买米",
        )
        a.sync()
        b.sync()
        b.clock.set(dt.datetime.now(UTC))
        helper = b.svc.people.register(
            name="陈志强",
            kind=PersonKind.MEMBER,
            id_number=id_number("19880808"),
            org_id=world.org,
            community_id=world.community,
        )
        # Both offline; B claims first by the clock, but A reaches the server first.
        b.svc.needs.claim(need_id=need.id, person_id=helper.id)
        a.clock.set(b.clock.now() + dt.timedelta(minutes=5))
        a.svc.needs.claim(need_id=need.id, person_id=work.members[0])

        assert a.sync().quarantined == 0
        status_b = b.sync()
        assert status_b.quarantined == 1 and status_b.pending == 0
        [(entity, op, reason)] = quarantined(b.store)
        assert (entity, op) == ("need", "claim")
        assert "first claim wins" in reason
        with b.store.read() as s:  # B's pull brought the winner's claim
            local = s.get_one(Need, need.id)
            assert local.status == NeedStatus.CLAIMED
            assert local.claimant_person_id == work.members[0]
        with server.session() as s:
            assert s.get_one(Need, need.id).claimant_person_id == work.members[0]
            assert s.get(Person, helper.id) is not None  # the rest of B's batch went through

        a.sync()
        assert_in_step(server, a, b, quarantined_items=1)
    finally:
        a.close()
        b.close()


# --- clock skew ---------------------------------------------------------------------------
@pytest.mark.parametrize("minutes", [10, -10])
def test_a_kiosk_clock_ten_minutes_off_still_captures_and_sends(
    server: ServerHandle, world: World, tmp_path: Path, minutes: int
) -> None:
    skew = dt.timedelta(minutes=minutes)
    clock = FixedClock(dt.datetime.now(UTC) + skew)
    kiosk = make_kiosk(server, world.station, tmp_path / "k", clock=clock)
    try:
        first = kiosk.sync()  # its first request is refused for skew; it re-signs in server time
        assert first.clock_skew_s is not None
        assert abs(first.clock_skew_s - skew.total_seconds()) < 60
        assert kiosk.store.clock_suspect
        offline_day(kiosk, world, skew=skew)
        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        assert status.clock_skew_s is not None
        assert abs(status.clock_skew_s - skew.total_seconds()) < 60
        with kiosk.store.read() as s:
            assert set(s.execute(select(OutboxItem.clock_suspect)).scalars()) == {True}
        with server.session() as s:
            flags = set(
                s.execute(
                    select(SyncItem.clock_suspect).where(SyncItem.device_id == kiosk.device_id)
                ).scalars()
            )
        assert flags == {True}
        assert_in_step(server, kiosk)
    finally:
        kiosk.close()


# --- a pruned cursor ----------------------------------------------------------------------
def test_a_pruned_cursor_resyncs_from_scratch_and_keeps_the_outbox(
    server: ServerHandle, world: World, proxy: FaultProxy, tmp_path: Path
) -> None:
    kiosk = make_kiosk(server, world.station, tmp_path / "k", url=proxy.url)
    other = make_kiosk(server, world.station, tmp_path / "other")
    try:
        kiosk.sync()
        work = offline_day(kiosk, world)
        need = kiosk.svc.needs.post(
            resident_id=work.residents[0],
            category=NeedCategory.REPAIR,
            wished_at=kiosk.clock.now() + dt.timedelta(days=1),
            description="修水龙头",
        )
        kiosk.sync()
        other.sync()
        offline_day(other, world, seed=2)  # news the kiosk has not pulled yet
        other.sync()
        offline_day(kiosk, world, seed=3)  # unpushed work
        with server.session() as s, s.begin():  # the server dropped history up to here
            head = s.get_one(ServerMeta, 1).last_seq
            s.execute(update(ServerMeta).values(pruned_before=cursor_of(kiosk) + 1))
        assert cursor_of(kiosk) < head

        def claim_meanwhile() -> None:  # staff keep working while the pull is refused
            kiosk.svc.needs.claim(need_id=need.id, person_id=work.members[1])

        proxy.inject(Fault.HOOK, path=PULL, hook=claim_meanwhile)
        mark = len(proxy.log)
        status = kiosk.sync()
        proxy.wait_idle()
        pulls = [e.upstream_status for e in proxy.log[mark:] if PULL in e.path]
        assert pulls[0] == 410 and set(pulls[1:]) == {200}
        with server.session() as s:
            head = s.get_one(ServerMeta, 1).last_seq
            visible = s.execute(
                select(func.count()).where(
                    (ChangeLog.scope.is_(None)) | (ChangeLog.scope == world.community),
                    ChangeLog.origin_device.is_distinct_from(kiosk.device_id),
                )
            ).scalar_one()
        assert cursor_of(kiosk) == head
        assert status.pulled >= visible  # everything again, from the start
        assert status.pending == 1  # the claim made meanwhile waits for the next push
        with kiosk.store.read() as s:  # ... and the resync did not overwrite it
            local = s.get_one(Need, need.id)
            assert local.status == NeedStatus.CLAIMED
            assert local.claimant_person_id == work.members[1]

        status = kiosk.sync()
        assert status.pending == 0 and status.quarantined == 0
        other.sync()
        assert_in_step(server, kiosk, other)
        with server.session() as s:
            assert s.get_one(Need, need.id).claimant_person_id == work.members[1]
    finally:
        kiosk.close()
        other.close()
