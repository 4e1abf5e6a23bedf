"""Device identity and the outbox of changes the central server must learn about."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base


class OutboxStatus(StrEnum):
    PENDING = "pending"
    ACKED = "acked"
    QUARANTINED = "quarantined"
    DISMISSED = "dismissed"  # quarantined, then set aside by staff: kept, never sent again


class DeviceState(Base):
    """One row: who this kiosk is and its counters.

    ``chain_id`` is new for every database file, so a file rebuilt after corruption starts a
    fresh ledger chain and fresh ``device_seq`` numbers that cannot be mistaken for the old.
    """

    __tablename__ = "device_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    chain_id: Mapped[uuid.UUID]
    next_seq: Mapped[int] = mapped_column(default=1)
    chain_head: Mapped[str] = mapped_column(String(64))
    chain_len: Mapped[int] = mapped_column(default=0)


class OutboxItem(Base):
    """A change frozen at enqueue; ``payload`` is never edited after insert."""

    __tablename__ = "outbox"
    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chain_id: Mapped[uuid.UUID]
    idempotency_key: Mapped[uuid.UUID] = mapped_column(unique=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[dt.datetime | None]
    acked_at: Mapped[dt.datetime | None]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    clock_suspect: Mapped[bool] = mapped_column(default=False)  # device clock was off when made


class SyncState(Base):
    """One row: where pulling stands and how the last sync went.

    The cursor is written in the same transaction as the page it ends, so a crash can
    never skip a page or apply one twice.
    """

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[int] = mapped_column(default=0)
    instance_epoch: Mapped[str] = mapped_column(String(40), default="")
    last_success_at: Mapped[dt.datetime | None]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    last_error_at: Mapped[dt.datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    clock_skew_s: Mapped[float | None]
