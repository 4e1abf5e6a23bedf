"""The store handle and its unit of work: one operation, one transaction.

Services open ``store.write()`` once per operation; everything the operation records (the
domain rows, the outbox rows, the ledger chain link, the audit entry) commits together or
not at all. Read-only work uses ``store.read()`` with a deferred BEGIN so it never waits
for the write lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import UTC, Clock, SystemClock
from kiosk.config import Rules
from kiosk.crypto import Keyring
from kiosk.ids import uuid7
from kiosk.store.base import Base, RecordMixin
from kiosk.store.models import AuditEntry, DeviceState, OutboxItem, OutboxStatus
from kiosk.store.payload import apply_defaults, canonical, payload_hash, record_dict

GENESIS = "0" * 64

# Built once: a statement object memoises its cache key, so reusing it skips both building
# the select and computing the key on every transaction.
_STATE = select(DeviceState).where(DeviceState.id == 1)


@dataclass
class DeviceIdentity:
    device_id: str
    station_id: uuid.UUID | None


class Store:
    """Everything a service needs: engine, identity, keys, clock and rules."""

    def __init__(
        self,
        engine: Engine,
        *,
        identity: DeviceIdentity,
        keyring: Keyring,
        clock: Clock | None = None,
        rules: Rules | None = None,
    ) -> None:
        self.engine = engine
        self.identity = identity
        self.keyring = keyring
        self.clock: Clock = clock or SystemClock()
        self.rules = rules or Rules()
        # Set by sync when this kiosk's clock is more than 5 minutes off the server's:
        # records are still captured and sent, flagged so reports can treat their times with care.
        self.clock_suspect = False
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(
            engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False
        )

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        with self._writer() as session, session.begin():
            uow = UnitOfWork(self, session)
            yield uow
            uow.finish()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def ensure_device_state(self) -> None:
        with self._writer() as session, session.begin():
            if session.get(DeviceState, 1) is None:
                session.add(
                    DeviceState(
                        id=1,
                        device_id=self.identity.device_id,
                        chain_id=uuid7(),
                        next_seq=1,
                        chain_head=GENESIS,
                        chain_len=0,
                    )
                )

    def close(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """One open write transaction. ``now`` is read once so all its rows share one time."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        self.now: dt.datetime = store.clock.now().astimezone(UTC)
        self._state: DeviceState | None = None
        self._outbox: list[dict[str, Any]] = []

    @property
    def state(self) -> DeviceState:
        """The device row, read once per transaction (never cached across transactions).

        Read without autoflush: it is a single row that only this unit of work changes, so
        rows pending in the session cannot change the answer, and flushing them here would
        split the operation's inserts into several round trips. A row already in the
        session's identity map is returned as is, with any changes made to it.
        """
        if self._state is None:
            with self.session.no_autoflush:
                state = self.session.execute(_STATE).scalar_one_or_none()
            if state is None:
                raise RuntimeError("device_state missing: open the store with open_store()")
            self._state = state
        return self._state

    def add(self, record: RecordMixin) -> None:
        """Stamp provenance and add; the id is assigned now so callers can reference it."""
        given = record.__dict__  # attributes set so far; unset columns get defaults at flush
        if given.get("id") is None:
            record.id = uuid7()
        if given.get("created_at") is None:
            record.created_at = self.now
        if given.get("station_id") is None:
            record.station_id = self.store.identity.station_id
        if not given.get("device_id"):
            record.device_id = self.store.identity.device_id
        self.session.add(record)

    def next_seq(self) -> int:
        state = self.state
        seq = state.next_seq
        state.next_seq = seq + 1
        return seq

    def emit(self, entity: str, op: str, entity_id: uuid.UUID, payload: dict[str, Any]) -> None:
        """Queue a change for the server; the payload is frozen here and never edited."""
        text = canonical(payload)
        self._outbox.append(
            {
                "device_seq": self.next_seq(),
                "chain_id": self.state.chain_id,
                "idempotency_key": uuid.uuid4(),
                "entity": entity,
                "entity_id": entity_id,
                "op": op,
                "payload": text,
                "payload_hash": payload_hash(text),
                "created_at": self.now,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "last_error": "",
                "clock_suspect": self.store.clock_suspect,
            }
        )

    def finish(self) -> None:
        """Write the queued outbox rows in one statement, just before the commit.

        The outbox has no foreign keys and nothing reads it inside the operation that
        wrote it, so one executemany at the end is equivalent to an insert per change.
        """
        if self._outbox:
            self.session.execute(insert(OutboxItem), self._outbox)
            self._outbox = []

    def emit_record(self, entity: str, op: str, record: RecordMixin, **extra: Any) -> None:
        """Queue the record's full column state (plus ``extra``) as one change."""
        assert isinstance(record, Base)
        apply_defaults(record)  # what the payload says is exactly what will be stored
        data = record_dict(record)
        data.update(extra)
        self.emit(entity, op, record.id, data)

    def audit(
        self,
        staff_id: uuid.UUID | None,
        action: str,
        entity: str,
        entity_id: uuid.UUID | None,
        detail: str = "",
    ) -> None:
        entry = AuditEntry(
            staff_id=staff_id, action=action, entity=entity, entity_id=entity_id, detail=detail
        )
        self.add(entry)
        self.emit_record("audit", "create", entry)
