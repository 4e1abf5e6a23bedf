"""Store subcommands: ``db upgrade|check``, ``ledger verify``, ``seed-demo``, ``status``.

Every command takes ``--data-dir`` and ``--json``; faults go to stderr in English and set a
non-zero exit code, so scripts and monitoring can rely on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.config import default_data_dir


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="kiosk data directory (default: $TIMEBANK_DATA_DIR or ~/.local/share/timebank)",
    )
    common.add_argument("--json", action="store_true", help="print JSON")
    return common


def register(sub: Any) -> None:
    common = _common()
    db = sub.add_parser("db", help="local store maintenance").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", parents=[common], help="migrate the store to the newest schema")
    db.choices["upgrade"].set_defaults(handler=cmd_db_upgrade)
    db.add_parser("check", parents=[common], help="integrity, foreign keys and ledger")
    db.choices["check"].set_defaults(handler=cmd_db_check)

    ledger = sub.add_parser("ledger", help="time-coin ledger").add_subparsers(
        dest="ledger_command", required=True
    )
    ledger.add_parser("verify", parents=[common], help="verify hash chains and balances")
    ledger.choices["verify"].set_defaults(handler=cmd_ledger_verify)

    seed = sub.add_parser("seed-demo", parents=[common], help="fill an empty store with demo data")
    seed.add_argument("--members", type=int, default=200)
    seed.add_argument("--activities", type=int, default=20)
    seed.add_argument("--checkins", type=int, default=400)
    seed.add_argument("--needs", type=int, default=60)
    seed.add_argument("--suggestions", type=int, default=30)
    seed.add_argument("--seed", type=int, default=1)
    seed.set_defaults(handler=cmd_seed_demo)

    status = sub.add_parser("status", parents=[common], help="record counts, outbox, ledger")
    status.set_defaults(handler=cmd_status)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(text)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from kiosk.store.migrate import current_revision
    from kiosk.store.opening import open_store

    store = open_store(_data_dir(args))
    try:
        rev = current_revision(store.engine)
    finally:
        store.close()
    _emit(args, {"revision": rev}, f"store is at schema revision {rev}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    from kiosk.services.verify import check_database
    from kiosk.store.engine import DB_NAME, quick_check
    from kiosk.store.migrate import current_revision, head_revision
    from kiosk.store.opening import open_store

    data_dir = _data_dir(args)
    path = data_dir / DB_NAME
    faults: list[str] = []
    if not path.exists():
        faults.append(f"no store at {path}")
    elif (reason := quick_check(path)) is not None:
        faults.append(f"database file is damaged: {reason}")
    else:
        store = open_store(data_dir, migrate=False)
        try:
            current, head = current_revision(store.engine), head_revision(store.engine)
            if current != head:
                faults.append(f"schema at {current}, newest is {head}: run `timebank db upgrade`")
            else:
                faults.extend(check_database(store))
        finally:
            store.close()
    return _report(args, faults, "store is sound")


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    from kiosk.services.verify import verify_ledger
    from kiosk.store.opening import open_store

    store = open_store(_data_dir(args))
    try:
        with store.read() as session:
            faults = verify_ledger(session)
    finally:
        store.close()
    return _report(args, faults, "ledger verifies")


def _report(args: argparse.Namespace, faults: list[str], ok_text: str) -> int:
    if args.json:
        _emit(args, {"ok": not faults, "faults": faults}, "")
    elif faults:
        for fault in faults:
            print(f"FAULT: {fault}", file=sys.stderr)
    else:
        print(ok_text)
    return 1 if faults else 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from kiosk.clock import UTC, FixedClock
    from kiosk.config import ENROLMENT_FILE
    from kiosk.services import Services
    from kiosk.store.opening import open_store

    data_dir = _data_dir(args)
    if (data_dir / ENROLMENT_FILE).exists():
        return _seed_enrolled(args, data_dir)
    from kiosk.demo import seed_demo

    # The demo history covers January to November 2026; seed_demo moves this clock.
    store = open_store(data_dir, clock=FixedClock(dt.datetime(2026, 1, 5, 1, 0, tzinfo=UTC)))
    try:
        svc = Services(store)
        if svc.stats.record_counts()["towns"]:
            print(
                "FAULT: this store already has data; seed-demo needs an empty one", file=sys.stderr
            )
            return 2
        created = seed_demo(
            svc,
            members=args.members,
            activities=args.activities,
            checkins=args.checkins,
            needs=args.needs,
            suggestions=args.suggestions,
            seed=args.seed,
            data_dir=data_dir,
        )
    finally:
        store.close()
    _emit(args, created, "seeded: " + ", ".join(f"{k}={v}" for k, v in sorted(created.items())))
    return 0


def _seed_enrolled(args: argparse.Namespace, data_dir: Path) -> int:
    """An enrolled kiosk records a day of its own station's work, for sync to carry."""
    from kiosk.clock import UTC, FixedClock
    from kiosk.demo_station import seed_station_day
    from kiosk.services import Services
    from kiosk.store.opening import open_store

    store = open_store(data_dir, clock=FixedClock(dt.datetime.now(UTC)))
    try:
        created = seed_station_day(
            Services(store),
            walkins=max(4, args.members // 10),
            checkins=max(1, args.checkins // 10),
            needs=max(1, args.needs // 8),
            suggestions=max(1, args.suggestions // 6),
            seed=args.seed,
        )
    except ValueError as exc:
        print(f"FAULT: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    _emit(args, created, "station day: " + ", ".join(f"{k}={v}" for k, v in created.items()))
    return 0


def status_data(data_dir: Path) -> dict[str, Any]:
    from kiosk.services import Services
    from kiosk.store.opening import open_store

    store = open_store(data_dir)
    try:
        svc = Services(store)
        return {
            "device_id": store.identity.device_id,
            "station_id": str(store.identity.station_id) if store.identity.station_id else None,
            "counts": svc.stats.record_counts(),
            "ledger": svc.ledger.totals(),
        }
    finally:
        store.close()


def cmd_status(args: argparse.Namespace) -> int:
    data = status_data(_data_dir(args))
    lines = [f"device {data['device_id']} station {data['station_id'] or '(not set)'}"]
    lines += [f"  {k:<22} {v}" for k, v in sorted(data["counts"].items())]
    lines += [f"  ledger {k:<15} {v} min" for k, v in sorted(data["ledger"].items())]
    _emit(args, data, "\n".join(lines))
    return 0
