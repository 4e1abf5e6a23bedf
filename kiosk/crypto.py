"""Deployment keys for personal data at rest.

ID and phone numbers are stored as an HMAC-SHA256 lookup hash (keyed, so a stolen database
cannot be matched against a list of numbers) plus an AES-256-GCM ciphertext for staff reveal.
A kiosk that has not enrolled yet generates its own keyring and re-keys on enrolment.
The keyring file is written with 0600 permissions and never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


@dataclass(frozen=True)
class Keyring:
    key_id: str
    hash_key: bytes
    data_key: bytes
    local: bool  # generated on this kiosk, not yet issued by the central server

    @classmethod
    def generate(cls, *, local: bool = True) -> Keyring:
        hash_key = os.urandom(32)
        key_id = ("local-" if local else "k-") + hashlib.sha256(hash_key).hexdigest()[:12]
        return cls(key_id=key_id, hash_key=hash_key, data_key=os.urandom(32), local=local)

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self.hash_key, value.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, value: str, *, context: str) -> bytes:
        """AES-GCM with the record context as associated data, so ciphertexts cannot be swapped."""
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self.data_key).encrypt(nonce, value.encode(), context.encode())

    def decrypt(self, blob: bytes, *, context: str) -> str:
        return (
            AESGCM(self.data_key).decrypt(blob[:_NONCE], blob[_NONCE:], context.encode()).decode()
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "key_id": self.key_id,
                "hash_key": base64.b64encode(self.hash_key).decode(),
                "data_key": base64.b64encode(self.data_key).decode(),
                "local": self.local,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        raw = json.loads(text)
        return cls(
            key_id=str(raw["key_id"]),
            hash_key=base64.b64decode(raw["hash_key"]),
            data_key=base64.b64decode(raw["data_key"]),
            local=bool(raw["local"]),
        )


def write_secret(path: Path, text: str) -> None:
    """Write a secret file atomically with mode 0600 from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_or_create_keyring(path: Path) -> Keyring:
    if path.exists():
        return Keyring.from_json(path.read_text())
    ring = Keyring.generate(local=True)
    write_secret(path, ring.to_json())
    return ring
