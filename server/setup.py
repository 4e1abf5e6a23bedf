"""Creating a server: schema, deployment keys, system accounts, enrolment codes; restoring one.

A restored server must not look like the one the kiosks last spoke to: it has lost what
came after the backup, and its change-log sequences will be handed out again. A new
instance epoch tells every kiosk to resend its acknowledged outbox and pull from scratch.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import uuid
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from devices.qr.tokens import generate_keypair, key_id_for, private_key_to_text
from kiosk.store.base import Base
from kiosk.store.models import Account, AccountKind, Station
from kiosk.store.payload import record_dict
from server.apply import PendingChange
from server.auth import token_hash
from server.changes import record_changes
from server.models import EnrollmentCode, ServerMeta
from server.schema import upgrade

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed by hand


def init_schema(engine: Engine) -> None:
    upgrade(engine)


def ensure_meta(session: Session) -> str | None:
    """Create keys and the admin token once; returns the admin token when it was just made."""
    if session.get(ServerMeta, 1) is not None:
        return None
    admin_token = secrets.token_urlsafe(24)
    private, public = generate_keypair()
    hash_key = os.urandom(32)
    session.add(
        ServerMeta(
            id=1,
            instance_epoch=uuid.uuid4().hex,
            last_seq=0,
            pruned_before=0,
            key_id="k-" + hashlib.sha256(hash_key).hexdigest()[:12],
            hash_key=base64.b64encode(hash_key).decode(),
            data_key=base64.b64encode(os.urandom(32)).decode(),
            qr_key_id=key_id_for(public),
            qr_private_key=private_key_to_text(private),
            admin_token_hash=token_hash(admin_token),
        )
    )
    now = dt.datetime.now(dt.UTC)
    for code in ("mint", "pool"):
        acct_id = uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:{code}")
        session.add(
            Account(
                id=acct_id,
                kind=AccountKind.MINT if code == "mint" else AccountKind.POOL,
                code=code,
                balance=0,
                created_at=now,
                device_id="server",
            )
        )
    return admin_token


def new_instance_epoch(session: Session) -> str:
    """Mark this database as a different instance from the one kiosks knew (after a restore)."""
    meta = session.get_one(ServerMeta, 1, with_for_update=True)
    meta.instance_epoch = uuid.uuid4().hex
    return meta.instance_epoch


def copy_sqlite_backup(backup: Path, target: Path) -> None:
    """Copy a server backup over ``target`` through SQLite's backup API.

    The API writes through SQLite, so a ``-wal`` file left by the old server cannot be
    replayed over the restored pages. A file that is not a sound server database is refused
    before anything is overwritten.
    """
    if not backup.is_file():
        raise ValueError(f"{backup} does not exist")
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src:
        try:
            sound = src.execute("PRAGMA quick_check").fetchone() == ("ok",)
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{backup} is not a SQLite database ({exc})") from exc
        if not sound or "server_meta" not in tables:
            raise ValueError(f"{backup} is not a sound server database")
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(target)) as dst:
            src.backup(dst)


def new_enrollment_code(
    session: Session, station_id: uuid.UUID, *, valid_for: dt.timedelta = dt.timedelta(days=7)
) -> str:
    if session.get(Station, station_id) is None:
        raise LookupError(f"station {station_id} unknown")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    now = dt.datetime.now(dt.UTC)
    session.add(
        EnrollmentCode(
            code_hash=hashlib.sha256(code.encode()).hexdigest(),
            station_id=station_id,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    return code


def stations(session: Session) -> list[Station]:
    return list(session.execute(select(Station).order_by(Station.name)).scalars())


def publish_reference(session: Session, records: Sequence[Base], entity_of: dict[str, str]) -> None:
    """Store reference rows (places, organisations, prices) and queue them for every kiosk."""
    now = dt.datetime.now(dt.UTC)
    changes = []
    for record in records:
        session.add(record)
        session.flush()  # parents first: without relationships the flush does not order tables
    for record in records:
        data = record_dict(record)
        changes.append(
            PendingChange(entity_of[type(record).__tablename__], uuid.UUID(data["id"]), None, data)
        )
    record_changes(session, changes, now)
