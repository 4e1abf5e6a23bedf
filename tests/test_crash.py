"""A kiosk loses power mid-transaction: what it told the resident must still be true.

A worker process (tests/crash_worker.py) records check-ins and check-outs through the
services and prints each one only after the call returned; we SIGKILL it at random moments,
restart it, and finally hold the store to its word: every printed event is stored, the
database and ledger pass their checks, every synced record has its outbox row, and the
outbox sequence has no holes or repeats (a hole or a repeat would confuse the server).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from kiosk.clock import FixedClock
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.models import (
    Attendance,
    CommunityKind,
    DeviceState,
    OrgType,
    OutboxItem,
    PersonKind,
    ServiceRecord,
    TownKind,
)
from kiosk.store.opening import open_store
from tests.factories import at, id_number

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 8
OK_LINE = re.compile(r"^OK (in|out) ([0-9a-f-]{36})$")


def _build_world(data_dir: Path) -> None:
    start = at(2, 8, 0)
    store = open_store(data_dir, clock=FixedClock(start))
    try:
        svc = Services(store)
        town = svc.reference.add_town(name="南沙街", kind=TownKind.STREET)
        community = svc.reference.add_community(
            town_id=town.id, name="金洲社区", kind=CommunityKind.COMMUNITY
        )
        org = svc.reference.add_organisation(
            name="南沙区税务局机关党支部", org_type=OrgType.ORGAN, town_id=town.id
        )
        members = [
            svc.people.register(
                name=f"党员{i:02d}",
                kind=PersonKind.MEMBER,
                id_number=id_number("19800101", seq=i),
                org_id=org.id,
                community_id=community.id,
            ).id
            for i in range(30)
        ]
        act = svc.attendance.create_activity(
            title="社区清洁家园",
            community_id=community.id,
            starts_at=start,
            ends_at=start + dt.timedelta(days=365),
            service_type="清洁家园",
            organiser_org_id=org.id,
        )
        svc.attendance.open_checkin(activity_id=act.id)
    finally:
        store.close()
    world = {
        "activity": str(act.id),
        "members": [str(m) for m in members],
        "start": (start + dt.timedelta(hours=1)).isoformat(),
    }
    (data_dir / "world.json").write_text(json.dumps(world))


def _run_and_kill(data_dir: Path, run: int, rng: random.Random) -> list[str]:
    """One worker life: wait until it is recording, let it run a random while, SIGKILL."""
    out_path = data_dir.parent / f"worker-{run}.out"
    err_path = data_dir.parent / f"worker-{run}.err"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    with out_path.open("w") as out, err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), str(rng.randrange(1 << 30))],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 30
            while "READY" not in out_path.read_text():
                assert proc.poll() is None, f"worker died: {err_path.read_text()}"
                assert time.monotonic() < deadline, "worker never became ready"
                time.sleep(0.02)
            time.sleep(rng.uniform(0.2, 1.5))
            assert proc.poll() is None, f"worker stopped by itself: {err_path.read_text()}"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    return out_path.read_text().splitlines()


@pytest.mark.slow
def test_sigkill_never_loses_or_half_writes_a_check_in(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _build_world(data_dir)
    rng = random.Random(20260302)
    promised: dict[str, set[str]] = {"in": set(), "out": set()}
    for run in range(KILLS):
        for line in _run_and_kill(data_dir, run, rng):
            m = OK_LINE.match(line)
            if m:  # a line cut by the kill is not a promise
                promised[m.group(1)].add(m.group(2).replace("-", ""))
    assert promised["in"] and promised["out"], "the worker never got to record anything"

    store = open_store(data_dir)
    try:
        assert not list(data_dir.glob("*.corrupt-*")), "the store was found damaged"
        assert check_database(store) == []
        with store.read() as s:
            stored: dict[str, set[str]] = {"in": set(), "out": set()}
            for event_id, direction in s.execute(select(Attendance.id, Attendance.direction)):
                stored[direction].add(event_id.hex)
            missing = {d: promised[d] - stored[d] for d in promised}
            assert missing == {"in": set(), "out": set()}

            # A check-out and its service record commit together or not at all.
            closed = {r.hex for r in s.execute(select(ServiceRecord.check_out_id)).scalars()}
            assert closed == stored["out"]

            for entity, table in (
                ("attendance", "attendance"),
                ("service_record", "service_record"),
                ("ledger_tx", "ledger_tx"),
            ):
                orphans = s.execute(
                    text(
                        f"SELECT count(*) FROM {table} WHERE id NOT IN "
                        "(SELECT entity_id FROM outbox WHERE entity = :e)"
                    ),
                    {"e": entity},
                ).scalar_one()
                assert orphans == 0, f"{orphans} {table} rows have no outbox row"

            rows = s.execute(
                select(OutboxItem.device_seq, OutboxItem.created_at).order_by(OutboxItem.device_seq)
            ).all()
            seqs = [seq for seq, _ in rows]
            assert seqs == list(range(1, len(seqs) + 1))
            stamps = [when for _, when in rows]
            assert stamps == sorted(stamps)
            assert s.get(DeviceState, 1).next_seq == len(seqs) + 1
    finally:
        store.close()
