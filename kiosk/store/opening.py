"""Open a kiosk data directory: identity, keys, integrity, migrations.

The data directory holds ``kiosk.db`` (the store), ``device.json`` (who this kiosk is; it
outlives a rebuilt database) and ``keys.json`` (0600; the personal-data keyring).
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

from kiosk.clock import Clock
from kiosk.config import Rules
from kiosk.crypto import load_or_create_keyring, write_secret
from kiosk.ids import uuid7
from kiosk.store.engine import (
    DB_NAME,
    SCHEMA_HEAD,
    make_engine,
    move_aside,
    quick_check,
    stored_revision,
)
from kiosk.store.uow import DeviceIdentity, Store

log = logging.getLogger(__name__)


def load_identity(data_dir: Path) -> DeviceIdentity:
    path = data_dir / "device.json"
    if path.exists():
        raw = json.loads(path.read_text())
        station = raw.get("station_id")
        return DeviceIdentity(
            device_id=str(raw["device_id"]), station_id=uuid.UUID(station) if station else None
        )
    identity = DeviceIdentity(device_id=f"kiosk-{uuid7().hex[-12:]}", station_id=None)
    save_identity(data_dir, identity)
    return identity


def save_identity(data_dir: Path, identity: DeviceIdentity) -> None:
    text = json.dumps(
        {
            "device_id": identity.device_id,
            "station_id": str(identity.station_id) if identity.station_id else None,
        }
    )
    write_secret(data_dir / "device.json", text)


def open_store(
    data_dir: Path,
    *,
    clock: Clock | None = None,
    rules: Rules | None = None,
    migrate: bool = True,
) -> Store:
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / DB_NAME
    if db_path.exists():
        reason = quick_check(db_path)
        if reason is not None:
            move_aside(db_path, reason)
    identity = load_identity(data_dir)
    keyring = load_or_create_keyring(data_dir / "keys.json")
    engine = make_engine(db_path)
    if migrate and stored_revision(engine) != SCHEMA_HEAD:
        from kiosk.store.migrate import upgrade  # Alembic only when there is work for it

        upgrade(engine, db_path, backup_dir=data_dir / "backups")
    store = Store(engine, identity=identity, keyring=keyring, clock=clock, rules=rules)
    if migrate:
        store.ensure_device_state()
    return store
