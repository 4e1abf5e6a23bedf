"""The sync protocol: one definition for the kiosk client and the central server.

Kiosks push their outbox in bounded batches and pull changes after a server-assigned
sequence. Every message is a pydantic model, so the server validates with the same types
the client builds, and the OpenAPI schema is generated from them.

Requests after enrolment are signed: ``X-Device-Id``, ``X-Timestamp`` (unix seconds),
``X-Nonce`` (random, single use) and ``X-Signature`` = hex HMAC-SHA256, keyed with the
device secret, over ``canonical_request()``. The server refuses a bad signature, a
timestamp more than ``MAX_SKEW_SECONDS`` away from its clock, and a nonce it has seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
API = "/api/v1"
PUSH_PATH = f"{API}/sync/push"
PULL_PATH = f"{API}/sync/pull"
ENROLL_PATH = f"{API}/enroll"
MAX_BATCH_ITEMS = 200
MAX_BATCH_BYTES = 2 * 1024 * 1024  # uncompressed body
MAX_PULL_LIMIT = 1000
MAX_SKEW_SECONDS = 300

H_DEVICE = "X-Device-Id"
H_TIMESTAMP = "X-Timestamp"
H_NONCE = "X-Nonce"
H_SIGNATURE = "X-Signature"

# What a kiosk may push. Places and organisations are the server's own reference data.
PUSHABLE = frozenset(
    {
        "person",
        "account",
        "ledger_tx",
        "activity",
        "attendance",
        "service_record",
        "service_approval",
        "beneficiary_visit",
        "need",
        "suggestion",
        "wish",
        "audit",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PushItem(_Model):
    """One outbox row, exactly as frozen on the kiosk."""

    idempotency_key: uuid.UUID
    device_seq: int = Field(ge=1)
    chain_id: uuid.UUID
    entity: str = Field(max_length=30)
    entity_id: uuid.UUID
    op: str = Field(max_length=20)
    payload: str = Field(max_length=256 * 1024)  # canonical JSON text; hashed byte for byte
    payload_hash: str = Field(min_length=64, max_length=64)
    created_at: dt.datetime
    clock_suspect: bool = False  # the kiosk's clock was more than 5 minutes off when made


class PushRequest(_Model):
    protocol: int = PROTOCOL_VERSION
    batch_id: uuid.UUID
    items: list[PushItem] = Field(max_length=MAX_BATCH_ITEMS)


class ItemStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # same id, same payload hash: already applied, counts as success
    CONFLICT = "conflict"  # same id, different payload: staff must look
    REJECTED = "rejected"  # referential or rule failure, with a reason


class ItemResult(_Model):
    idempotency_key: uuid.UUID
    status: ItemStatus
    reason: str = ""
    server_seq: int | None = None


class PushResponse(_Model):
    results: list[ItemResult]
    instance_epoch: str  # changes when the server is restored from a backup
    acked_count: int  # items this device has had accepted in total (applied or duplicate)
    max_device_seq: int  # highest device_seq accepted from this device and chain
    server_time: dt.datetime


class Change(_Model):
    seq: int
    entity: str
    entity_id: uuid.UUID
    op: str  # "upsert" or "revoke"
    data: dict[str, Any]


class PullResponse(_Model):
    changes: list[Change]
    next_cursor: int
    has_more: bool
    instance_epoch: str
    server_time: dt.datetime


class EnrollRequest(_Model):
    code: str = Field(min_length=6, max_length=64)
    device_name: str = Field(default="", max_length=60)


class EnrollResponse(_Model):
    device_id: str
    device_secret: str  # base64; stored 0600 on the kiosk, never logged
    station_id: uuid.UUID
    key_id: str
    hash_key: str  # base64: the deployment's ID-hash key
    data_key: str  # base64: the deployment's personal-data key
    member_qr_keys: dict[str, str]  # key id -> raw Ed25519 public key, base64
    instance_epoch: str


class Problem(_Model):
    """Every 4xx answer: a stable code and a reason a person can read."""

    code: str
    reason: str


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """What is signed: path includes the query string exactly as sent."""
    return "\n".join([method.upper(), path, timestamp, nonce, body_hash(body)]).encode()


def sign(secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(
        secret, canonical_request(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()


def signature_ok(
    secret: bytes, signature: str, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> bool:
    return hmac.compare_digest(sign(secret, method, path, timestamp, nonce, body), signature)
