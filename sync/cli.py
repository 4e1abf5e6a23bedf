"""Sync subcommands: ``timebank enroll`` and ``timebank sync``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.config import default_data_dir


def register(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=None)
    common.add_argument("--json", action="store_true")

    enroll = sub.add_parser("enroll", parents=[common], help="enrol this kiosk with the server")
    enroll.add_argument("--server", required=True, help="server URL, e.g. https://tb.example")
    enroll.add_argument("--code", required=True, help="one-time enrolment code")
    enroll.add_argument("--name", default="", help="a name for this kiosk")
    enroll.set_defaults(handler=cmd_enroll)

    sync = sub.add_parser("sync", parents=[common], help="push the outbox and pull changes once")
    sync.add_argument("--server", default=None, help="override the enrolled server URL")
    sync.set_defaults(handler=cmd_sync)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def cmd_enroll(args: argparse.Namespace) -> int:
    from kiosk.store.opening import open_store
    from sync.client import SyncError
    from sync.enrolment import enroll

    data_dir = _data_dir(args)
    store = open_store(data_dir)
    try:
        result = enroll(store, data_dir, args.server, args.code, args.name)
    except SyncError as exc:
        print(f"FAULT: enrolment failed: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    out = {"device_id": result.device_id, "station_id": result.station_id}
    print(json.dumps(out) if args.json else f"enrolled as {result.device_id}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from kiosk.store.opening import open_store
    from sync.client import Refused, SyncClient, SyncError
    from sync.engine import SyncEngine
    from sync.enrolment import load_enrolment

    data_dir = _data_dir(args)
    enrolment = load_enrolment(data_dir)
    if enrolment is None:
        print("FAULT: this kiosk is not enrolled; run `timebank enroll` first", file=sys.stderr)
        return 2
    store = open_store(data_dir)
    try:
        client = SyncClient(args.server or enrolment.server_url, enrolment.credentials())
        engine = SyncEngine(store, client, lock_path=data_dir / "sync.lock")
        auth_refused = False
        try:
            status = engine.run_once()
            rc = 0
        except SyncError as exc:
            auth_refused = isinstance(exc, Refused) and exc.auth_refused
            print(f"FAULT: sync failed: {exc}", file=sys.stderr)
            status = engine.status()
            rc = 1
    finally:
        store.close()
    data = {
        "pending": status.pending,
        "oldest_pending_age_s": status.oldest_pending_age_s,
        "quarantined": status.quarantined,
        "last_success_at": status.last_success_at.isoformat() if status.last_success_at else None,
        "last_error": status.last_error,
        "clock_skew_s": status.clock_skew_s,
        "pushed": status.pushed,
        "pulled": status.pulled,
        "auth_refused": auth_refused,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(" ".join(f"{k}={v}" for k, v in data.items()))
    return rc
