"""Server subcommands: ``timebank server run|init|enroll-code|stats|dispatch|restore|prune``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    server = sub.add_parser("server", help="central reference server").add_subparsers(
        dest="server_command", required=True
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=None, help="database URL (default: embedded SQLite file)")

    run = server.add_parser("run", parents=[db], help="serve the HTTP API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8600)
    run.add_argument("--workers", type=int, default=1)
    run.set_defaults(handler=cmd_run)

    init = server.add_parser("init", parents=[db], help="create the schema and keys")
    init.add_argument("--demo", action="store_true", help="load the Nansha reference data")
    init.add_argument("--seed", type=int, default=1)
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=cmd_init)

    code = server.add_parser("enroll-code", parents=[db], help="issue a one-time enrolment code")
    code.add_argument("--station", required=True, type=uuid.UUID)
    code.add_argument("--json", action="store_true")
    code.set_defaults(handler=cmd_enroll_code)

    stats = server.add_parser("stats", parents=[db], help="record counts and ledger totals")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)

    dispatch = server.add_parser("dispatch", parents=[db], help="hand overdue needs to orgs")
    dispatch.add_argument("--older-than-hours", type=float, default=48.0)
    dispatch.add_argument("--json", action="store_true")
    dispatch.set_defaults(handler=cmd_dispatch)

    restore = server.add_parser(
        "restore",
        parents=[db],
        help="put a backup into service (stop the server first); kiosks then resend",
    )
    restore.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="SQLite backup to copy in; leave out after restoring PostgreSQL with pg_restore",
    )
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=cmd_restore)

    prune = server.add_parser("prune", parents=[db], help="drop nonces too old to replay")
    prune.add_argument("--json", action="store_true")
    prune.set_defaults(handler=cmd_prune)


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.db import make_server_engine
    from server.setup import init_schema

    engine = make_server_engine(args.db)
    init_schema(engine)
    engine.dispose()
    if args.db:
        os.environ["TIMEBANK_SERVER_DB"] = args.db
    uvicorn.run(
        "server.asgi:create_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from server.db import make_server_engine
    from server.setup import ensure_meta, init_schema, new_enrollment_code, stations

    engine = make_server_engine(args.db)
    init_schema(engine)
    with Session(engine) as session, session.begin():
        admin_token = ensure_meta(session)
        if args.demo:
            from server.demo import load_demo_reference

            load_demo_reference(session, seed=args.seed)
        out: dict[str, Any] = {
            "stations": [
                {
                    "id": str(st.id),
                    "name": st.name,
                    "enrollment_code": new_enrollment_code(session, st.id),
                }
                for st in stations(session)
            ],
            "admin_token": admin_token,
        }
    engine.dispose()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"server ready; {len(out['stations'])} stations")
        if admin_token:
            print(f"admin token (shown once): {admin_token}")
        for st in out["stations"]:
            print(f"  {st['name']}: {st['id']} code {st['enrollment_code']}")
    return 0


def cmd_enroll_code(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from server.db import make_server_engine
    from server.setup import new_enrollment_code

    engine = make_server_engine(args.db)
    try:
        with Session(engine) as session, session.begin():
            code = new_enrollment_code(session, args.station)
    except LookupError as exc:
        print(f"FAULT: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(json.dumps({"station": str(args.station), "code": code}) if args.json else code)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from server.db import make_server_engine
    from server.stats import status_data

    engine = make_server_engine(args.db)
    try:
        data = status_data(engine)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        for key, value in sorted(data["counts"].items()):
            print(f"  {key:<22} {value}")
        for key, value in sorted(data["ledger"].items()):
            print(f"  ledger {key:<15} {value} min")
    return 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    import datetime as dt

    from sqlalchemy.orm import Session

    from server.db import make_server_engine
    from server.dispatch import dispatch_unclaimed
    from server.stats import server_stats

    engine = make_server_engine(args.db)
    now = dt.datetime.now(dt.UTC)
    try:
        orgs = server_stats(engine).org_service(year=now.year)
        with Session(engine) as session, session.begin():
            done = dispatch_unclaimed(
                session, orgs, now=now, older_than=dt.timedelta(hours=args.older_than_hours)
            )
    finally:
        engine.dispose()
    rows = [
        {"need_id": str(d.need_id), "org_id": str(d.org_id), "same_town": d.same_town} for d in done
    ]
    print(json.dumps(rows, indent=2) if args.json else f"dispatched {len(rows)} needs")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from server.db import default_url, make_server_engine, normalize_url
    from server.setup import copy_sqlite_backup, init_schema, new_instance_epoch

    url = normalize_url(args.db or default_url())
    if args.file is not None:
        if not url.startswith("sqlite:///"):
            print(
                "FAULT: only a SQLite server restores from a file; restore PostgreSQL with "
                "pg_restore, then run `timebank server restore --db URL` without one",
                file=sys.stderr,
            )
            return 2
        try:
            copy_sqlite_backup(args.file, Path(url.removeprefix("sqlite:///")))
        except ValueError as exc:
            print(f"FAULT: {exc}", file=sys.stderr)
            return 2
    engine = make_server_engine(url)
    try:
        init_schema(engine)  # a backup may predate the current schema
        with Session(engine) as session, session.begin():
            epoch = new_instance_epoch(session)
    finally:
        engine.dispose()
    print(json.dumps({"instance_epoch": epoch}) if args.json else f"new instance epoch {epoch}")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    import datetime as dt

    from sqlalchemy.orm import Session

    from server.auth import prune_nonces
    from server.db import make_server_engine

    engine = make_server_engine(args.db)
    try:
        with Session(engine) as session, session.begin():
            pruned = prune_nonces(session, dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    print(json.dumps({"nonces_pruned": pruned}) if args.json else f"pruned {pruned} nonces")
    return 0
