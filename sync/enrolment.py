"""Enrolling a kiosk with the central server, and the credentials it keeps.

Enrolment swaps a one-time code for a device id and secret, the deployment's personal-data
keys and the member-QR public keys. The kiosk then re-keys the people it registered while
offline, so their lookup hashes match the rest of the district. Secrets go to 0600 files.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import ENROLMENT_FILE, QR_KEYS_FILE
from kiosk.crypto import Keyring, write_secret
from kiosk.services.people import PeopleService
from kiosk.store.models import DeviceState
from kiosk.store.opening import save_identity
from kiosk.store.uow import Store
from sync.client import Credentials, SyncClient

SYNC_FILE = ENROLMENT_FILE


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_id: str
    secret: bytes
    station_id: str

    def credentials(self) -> Credentials:
        return Credentials(self.device_id, self.secret)


def load_enrolment(data_dir: Path) -> Enrolment | None:
    path = data_dir / SYNC_FILE
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    return Enrolment(
        server_url=str(raw["server_url"]),
        device_id=str(raw["device_id"]),
        secret=base64.b64decode(raw["secret"]),
        station_id=str(raw["station_id"]),
    )


def enroll(store: Store, data_dir: Path, server_url: str, code: str, name: str = "") -> Enrolment:
    answer = SyncClient(server_url).enroll(code, name)
    ring = Keyring(
        key_id=answer.key_id,
        hash_key=base64.b64decode(answer.hash_key),
        data_key=base64.b64decode(answer.data_key),
        local=False,
    )
    PeopleService(store).rekey(ring, keys_path=data_dir / "keys.json")
    write_secret(data_dir / QR_KEYS_FILE, json.dumps(answer.member_qr_keys))
    store.identity.device_id = answer.device_id
    store.identity.station_id = answer.station_id
    save_identity(data_dir, store.identity)
    with store.write() as uow:
        uow.session.get_one(DeviceState, 1).device_id = answer.device_id
    write_secret(
        data_dir / SYNC_FILE,
        json.dumps(
            {
                "server_url": server_url,
                "device_id": answer.device_id,
                "secret": answer.device_secret,
                "station_id": str(answer.station_id),
            }
        ),
    )
    return Enrolment(
        server_url, answer.device_id, base64.b64decode(answer.device_secret), str(answer.station_id)
    )
