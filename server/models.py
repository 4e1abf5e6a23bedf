"""Tables only the central server has: devices, enrolment, replay guard, change log.

The record tables themselves (people, activities, ledger...) are the kiosk's models in
``kiosk.store.models``: one data model, stored on every kiosk and on the server, so a pushed
payload maps onto the same columns on both sides.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.base import NAMING, UTCDateTime


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class ServerMeta(ServerBase):
    """One row. ``last_seq`` is also the lock that makes change-log sequences commit in order."""

    __tablename__ = "server_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_epoch: Mapped[str] = mapped_column(String(40))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_before: Mapped[int] = mapped_column(BigInteger, default=0)
    key_id: Mapped[str] = mapped_column(String(40))
    hash_key: Mapped[str] = mapped_column(String(64))  # base64
    data_key: Mapped[str] = mapped_column(String(64))  # base64
    qr_key_id: Mapped[str] = mapped_column(String(16))
    qr_private_key: Mapped[str] = mapped_column(String(100))  # base64 raw Ed25519
    admin_token_hash: Mapped[str] = mapped_column(String(64))


class Device(ServerBase):
    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    secret: Mapped[str] = mapped_column(String(64))  # base64
    enrolled_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_seen_at: Mapped[dt.datetime | None]


class EnrollmentCode(ServerBase):
    __tablename__ = "enrollment_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[uuid.UUID]
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by: Mapped[str | None] = mapped_column(String(40))


class SeenNonce(ServerBase):
    __tablename__ = "seen_nonce"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(index=True)


class SyncItem(ServerBase):
    """Every item a device pushed and how it ended; the idempotency record."""

    __tablename__ = "sync_item"
    __table_args__ = (UniqueConstraint("device_id", "chain_id", "device_seq"),)
    idempotency_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), index=True)
    chain_id: Mapped[uuid.UUID]
    device_seq: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(20))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300), default="")
    received_at: Mapped[dt.datetime]
    clock_suspect: Mapped[bool] = mapped_column(default=False)


class RecordHash(ServerBase):
    """The payload hash each record was created with: same id, other payload is a conflict."""

    __tablename__ = "record_hash"
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    payload_hash: Mapped[str] = mapped_column(String(64))


class ChangeLog(ServerBase):
    """What kiosks pull, in commit order. ``scope`` is a community id, or NULL for everyone.

    ``origin_device`` and ``origin_chain`` name the kiosk database that pushed the change
    (NULL for the server's own), so a pull can leave out what the puller already has. The
    chain matters as much as the device: a kiosk file rebuilt after corruption keeps its
    device id but starts a new chain, and must get its old records back.
    """

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(10))
    scope: Mapped[uuid.UUID | None] = mapped_column(index=True)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    origin_device: Mapped[str | None] = mapped_column(String(40))
    origin_chain: Mapped[uuid.UUID | None]


class JobRun(ServerBase):
    """When each periodic job last ran.

    The row is the guard that lets any worker process run a job, but only one at a time and
    at most once per period, without a scheduler or state outside the database.
    """

    __tablename__ = "job_run"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    ran_at: Mapped[dt.datetime]


class RevokedToken(ServerBase):
    __tablename__ = "revoked_token"
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    revoked_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(Text, default="")


class DispatchLog(ServerBase):
    """Each need the server handed to an organisation because nobody claimed it (调度)."""

    __tablename__ = "dispatch_log"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    need_id: Mapped[uuid.UUID] = mapped_column(index=True)
    org_id: Mapped[uuid.UUID]
    same_town: Mapped[bool]
    shortfall: Mapped[int]
    dispatched_at: Mapped[dt.datetime]
