"""The store handle and its unit of work: one operation, one transaction.

Services open ``store.write()`` once per operation; everything the operation records (the
domain rows, the outbox rows, the ledger chain link, the audit entry) commits together or
not at all. Read-only work uses ``store.read()`` with a deferred BEGIN so it never waits
for the write lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Table,
    bindparam,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

from kiosk.clock import UTC, Clock, SystemClock
from kiosk.config import Rules
from kiosk.crypto import Keyring
from kiosk.ids import uuid7
from kiosk.store.base import Base, RecordMixin
from kiosk.store.direct import DirectStatement
from kiosk.store.models import AuditEntry, DeviceState, OutboxItem, OutboxStatus
from kiosk.store.payload import apply_defaults, canonical, payload_hash, record_dict

GENESIS = "0" * 64


def table_of(cls: type[Base]) -> Table:
    """A mapped class's table, typed as one (``__table__`` is only a FromClause to mypy)."""
    table = cls.__table__
    assert isinstance(table, Table)
    return table


# Built once: a statement object memoises its cache key, so reusing it skips both building
# the statement and computing the key on every transaction.
_device = table_of(DeviceState)
_STATE = select(
    _device.c.chain_id, _device.c.chain_len, _device.c.chain_head, _device.c.next_seq
).where(_device.c.id == 1)
_SAVE_STATE = update(_device).where(_device.c.id == 1)
_STATE_KEYS = ("next_seq", "chain_len", "chain_head")
# Takes ``n`` outbox sequence numbers: they end just before the returned next_seq.
_TAKE_SEQS = (
    update(_device)
    .where(_device.c.id == 1)
    .values(next_seq=_device.c.next_seq + bindparam("n"))
    .returning(_device.c.chain_id, _device.c.next_seq)
)
_OUTBOX = insert(table_of(OutboxItem))


@dataclass
class DeviceIdentity:
    device_id: str
    station_id: uuid.UUID | None


@dataclass
class ChainState:
    """The head of this database's ledger chain as the open transaction sees it.

    Plain values from the ``device_state`` row rather than the mapped row: loading and
    flushing the ORM object cost a query and a flush of their own in every operation, for
    one row only the unit of work changes. ``UnitOfWork.finish`` writes it back.
    """

    chain_id: uuid.UUID
    chain_len: int
    chain_head: str


class Counters(NamedTuple):
    """The ``device_state`` row's counters, as a query in the open transaction read them."""

    chain_id: uuid.UUID
    chain_len: int
    chain_head: str
    next_seq: int


def _no_device_state() -> RuntimeError:
    return RuntimeError("device_state missing: open the store with open_store()")


@dataclass(frozen=True)
class _Shape:
    """How rows of a mapped class are written, worked out once per class."""

    insert: Insert
    keys: tuple[tuple[str, str], ...]  # (attribute key, column key), in mapper order
    blank: dict[str, Any]  # every attribute key, with its scalar default or None
    defaults: tuple[tuple[str, Any], ...]  # the attribute keys that have a scalar default


@functools.cache
def _shape_of(cls: type[Base]) -> _Shape:
    attrs = inspect(cls).column_attrs
    defaults = tuple(
        (attr.key, default.arg)
        for attr in attrs
        if (default := attr.columns[0].default) is not None and getattr(default, "is_scalar", False)
    )
    return _Shape(
        insert(table_of(cls)),
        tuple((attr.key, attr.columns[0].key) for attr in attrs),
        {attr.key: None for attr in attrs} | dict(defaults),
        defaults,
    )


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
        self._direct: dict[tuple[Any, tuple[str, ...] | None], DirectStatement] = {}

    def direct(self, statement: Any, columns: tuple[str, ...] | None = None) -> DirectStatement:
        """``statement`` compiled once for this store (see ``kiosk.store.direct``)."""
        key = (statement, columns)
        found = self._direct.get(key)
        if found is None:
            found = self._direct[key] = DirectStatement(statement, self.engine.dialect, columns)
        return found

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One write transaction on a connection; an ORM session joins it on first use.

        Everyday operations (a check-in, a check-out) need only Core statements, and a
        session's own begin, flush and commit bookkeeping cost them as much as their
        statements. The session, when an operation asks for one, runs inside this
        transaction and is flushed before the commit.
        """
        with self.engine.connect() as conn, conn.begin():
            uow = UnitOfWork(self, conn)
            try:
                yield uow
                uow.flush()
                uow.finish()
            finally:
                uow.close()

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

    def __init__(self, store: Store, connection: Connection) -> None:
        self.store = store
        self.connection = connection  # the transaction's; Core statements do not autoflush
        self._session: Session | None = None
        self.now: dt.datetime = store.clock.now().astimezone(UTC)
        self._chain: ChainState | None = None
        self._chain_read: ChainState | None = None  # as read, to skip a needless UPDATE
        self._next_seq = 0  # read with the chain
        self._outbox: list[dict[str, Any]] = []
        # State services share within this transaction only (the ledger's accounts).
        self.memo: dict[str, Any] = {}

    @property
    def session(self) -> Session:
        """An ORM session inside this transaction, made on first use."""
        if self._session is None:
            self._session = Session(
                bind=self.connection,
                expire_on_commit=False,
                join_transaction_mode="rollback_only",
            )
        return self._session

    def flush(self) -> None:
        """Write what the session holds (before a Core statement that may depend on it)."""
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def chain(self) -> ChainState:
        """The ledger chain's head, read once per transaction (never cached across them).

        Read on the connection, so without autoflush: rows pending in the session cannot
        change a row only this unit of work writes.
        """
        if self._chain is None:
            row = self.connection.execute(_STATE).first()
            if row is None:
                raise _no_device_state()
            return self._use(Counters(*row))
        return self._chain

    def use_counters(self, counters: Counters) -> None:
        """Take the device counters from a query this operation ran anyway, inside this
        transaction and before writing anything, instead of reading them on first use:
        a separate SELECT costs as much as a whole rule query.
        """
        if self._chain is None:
            self._use(counters)

    def _use(self, counters: Counters) -> ChainState:
        self._chain = ChainState(counters.chain_id, counters.chain_len, counters.chain_head)
        self._chain_read = dataclasses.replace(self._chain)
        self._next_seq = counters.next_seq
        return self._chain

    def stamp(self, record: RecordMixin) -> None:
        """Fill in provenance; the id is assigned now so callers can reference it."""
        given = record.__dict__  # attributes set so far
        if given.get("id") is None:
            record.id = uuid7()
        if given.get("created_at") is None:
            record.created_at = self.now
        if given.get("station_id") is None:
            record.station_id = self.store.identity.station_id
        if not given.get("device_id"):
            record.device_id = self.store.identity.device_id

    def add(self, record: RecordMixin) -> None:
        """Stamp and add to the session; unset columns get their defaults at flush."""
        self.stamp(record)
        self.session.add(record)

    def append(self, cls: type[Base], values: dict[str, Any]) -> dict[str, Any]:
        """Write a new record's row now with one Core INSERT, and return the row.

        For the records an everyday operation appends and does not change again
        (attendance events, service records): building and flushing an ORM object for
        them cost several times the statement. The row is stamped as ``add`` would stamp
        a record and unset columns get their defaults, so it holds exactly what is stored,
        by attribute key: ``emit_row`` freezes it and ``cls(**row)`` makes an object of it.
        Rows still pending in the session are flushed first: the new one may refer to them.
        """
        shape = _shape_of(cls)
        row = shape.blank | values
        for key, default in shape.defaults:
            if row[key] is None:
                row[key] = default
        if row["id"] is None:
            row["id"] = uuid7()
        if row["created_at"] is None:
            row["created_at"] = self.now
        if row["station_id"] is None:
            row["station_id"] = self.store.identity.station_id
        if not row["device_id"]:
            row["device_id"] = self.store.identity.device_id
        self.flush()
        self.store.direct(shape.insert).execute(
            self.connection, {column: row[attr] for attr, column in shape.keys}
        )
        return row

    def insert(self, record: RecordMixin, *, keep: bool = True) -> dict[str, Any]:
        """``append`` for a record the operation goes on using, and return its row.

        The record gets the stored values. With ``keep`` it stays in the session as if a
        flush had written it: queries in this transaction return this very object, and
        later changes to it are flushed as usual. Without, it stays a plain (transient)
        object and the operation needs no session at all.
        """
        assert isinstance(record, Base)
        given = record.__dict__
        keys = _shape_of(type(record)).keys
        row = self.append(type(record), {attr: given[attr] for attr, _ in keys if attr in given})
        for key, value in row.items():
            if key not in given or given[key] is not value:
                setattr(record, key, value)
        if keep:
            make_transient_to_detached(record)
            self.session.add(record)
        return row

    def emit(self, entity: str, op: str, entity_id: uuid.UUID, payload: dict[str, Any]) -> None:
        """Queue a change for the server; the payload is frozen here and never edited.

        Its ``device_seq`` (and ``chain_id``) are filled in by ``finish``.
        """
        text = canonical(payload)
        self._outbox.append(
            {
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
        """Number and write the queued outbox rows and update the counters, just before
        the commit.

        The outbox has no foreign keys and nothing reads it or the counters inside the
        operation that wrote them, so this is equivalent to writing each change as it is
        made: the counters with one UPDATE (which also returns the numbers when the chain
        was not read), the rows with one executemany.
        """
        rows, chain = self._outbox, self._chain
        if chain is None:
            if not rows:
                return
            taken = self.connection.execute(_TAKE_SEQS, {"n": len(rows)}).first()
            if taken is None:
                raise _no_device_state()
            chain_id, first = taken.chain_id, taken.next_seq - len(rows)
        else:
            chain_id, first = chain.chain_id, self._next_seq
            if rows or chain != self._chain_read:
                self.store.direct(_SAVE_STATE, _STATE_KEYS).execute(
                    self.connection,
                    {
                        "next_seq": first + len(rows),
                        "chain_len": chain.chain_len,
                        "chain_head": chain.chain_head,
                    },
                )
        if rows:
            for seq, row in enumerate(rows, first):
                row["device_seq"] = seq
                row["chain_id"] = chain_id
            self.store.direct(_OUTBOX, tuple(rows[0])).executemany(self.connection, rows)
        self._outbox = []

    def emit_row(self, entity: str, op: str, row: dict[str, Any], **extra: Any) -> None:
        """Queue a row as ``append`` returned it (plus ``extra``) as one change.

        The payload is the same text ``emit_record`` makes of the record: ``canonical``
        turns ids and times into text as ``record_dict`` does.
        """
        self.emit(entity, op, row["id"], row | extra if extra else row)

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
