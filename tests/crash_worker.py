"""Child process for test_crash.py: records check-ins and check-outs until it is killed.

It prints ``OK <kind> <attendance id>`` only after the service call has returned, i.e. after
the commit; the parent kills it with SIGKILL at random moments and then holds the store to
every id it was promised. The world (members, an open activity) is built by the parent and
named in ``world.json`` so a restarted worker carries on where the last one died.

Usage: python tests/crash_worker.py DATA_DIR SEED
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import uuid
from pathlib import Path

from sqlalchemy import func, select

from kiosk.clock import FixedClock
from kiosk.errors import RuleViolation
from kiosk.services import Services
from kiosk.store.models import Attendance, CheckMethod
from kiosk.store.opening import open_store
from kiosk.store.repositories import AttendanceRepo


def main(data_dir: Path, seed: int) -> None:
    world = json.loads((data_dir / "world.json").read_text())
    activity = uuid.UUID(world["activity"])
    members = [uuid.UUID(m) for m in world["members"]]
    clock = FixedClock(dt.datetime.fromisoformat(world["start"]))
    store = open_store(data_dir, clock=clock)
    svc = Services(store)
    with store.read() as s:
        # Carry on after the last recorded event: a check-out must not precede its check-in.
        last = s.execute(select(func.max(Attendance.at))).scalar_one()
        present = set()
        for m in members:
            ev = AttendanceRepo(s).last_event(activity, m)
            if ev is not None and ev.direction == "in":
                present.add(m)
    if last is not None:
        clock.set(last + dt.timedelta(minutes=1))
    rng = random.Random(seed)
    print("READY", flush=True)
    while True:
        member = rng.choice(members)
        clock.advance(minutes=rng.randint(10, 60))
        try:
            if member in present:
                out = svc.attendance.check_out(
                    activity_id=activity, person_id=member, method=CheckMethod.ID_CARD
                )
                present.discard(member)
                print(f"OK out {out.record.check_out_id}", flush=True)
            else:
                res = svc.attendance.check_in(
                    activity_id=activity, person_id=member, method=CheckMethod.ID_CARD
                )
                present.add(member)
                print(f"OK in {res.attendance.id}", flush=True)
        except RuleViolation as exc:  # e.g. the daily pair limit; nothing was written
            print(f"REFUSED {exc.detail}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
