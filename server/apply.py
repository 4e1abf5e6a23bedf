"""Applying pushed items to the server's records, idempotently and one savepoint each.

The idempotency record (``sync_item``) is inserted first with ON CONFLICT DO NOTHING, so a
retried or concurrent push of the same item blocks on the unique key and then reads the
stored outcome instead of applying twice. Creates are deduplicated again by record id
(``record_hash``): same id and same payload is a duplicate, another payload a conflict.
A referential or rule failure rejects the item with a reason; it never becomes a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, Result, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from kiosk.services.ledger import tx_digest
from kiosk.services.needs import NEED_STEPS
from kiosk.services.wishes import WISH_STEPS
from kiosk.store.base import Base
from kiosk.store.decode import BadPayload, columns_from_payload
from kiosk.store.models import (
    RECORD_ENTITIES,
    Account,
    Activity,
    LedgerLine,
    LedgerTx,
    Need,
    NeedStatus,
)
from kiosk.store.payload import record_dict
from server.models import RecordHash, SyncItem
from sync.protocol import PUSHABLE, ItemResult, ItemStatus, PushItem

ENTITIES: dict[str, type[Base]] = RECORD_ENTITIES
VERSIONED = frozenset({"need", "wish"})
# Transition ops a kiosk may send, per entity; anything else is refused.
UPDATES: dict[str, frozenset[str]] = {
    "person": frozenset({"set_hardship", "rekey"}),
    "activity": frozenset({"open", "close"}),
    "suggestion": frozenset({"rekey", "reply"}),
}


# Where a record was made, whose it is and its version: no update may change these.
FROZEN = frozenset(
    {"created_at", "station_id", "device_id", "community_id", "resident_id", "version"}
)


class Reject(Exception):
    def __init__(self, reason: str, status: ItemStatus = ItemStatus.REJECTED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class PendingChange:
    entity: str
    entity_id: uuid.UUID
    scope: uuid.UUID | None
    data: dict[str, Any]


@dataclass
class PushContext:
    session: Session
    device_id: str
    station_id: uuid.UUID
    community_id: uuid.UUID
    now: dt.datetime
    changes: list[PendingChange] = field(default_factory=list)
    # Balance changes of the items applied so far, written once at the end of the batch.
    balances: dict[uuid.UUID, int] = field(default_factory=dict)
    _item_deltas: dict[uuid.UUID, int] = field(default_factory=dict)
    _exists: dict[tuple[str, uuid.UUID], bool] = field(default_factory=dict)


def insert_for(session: Session, model: type[Any]) -> Any:
    name = session.get_bind().dialect.name
    insert = postgresql.insert if name == "postgresql" else sqlite.insert
    # SQLAlchemy keeps an INSERT's rowcount only when asked; psycopg would report -1.
    return insert(model).execution_options(preserve_rowcount=True)


def inserted_rows(result: Result[Any]) -> int:
    """Rows an INSERT ... ON CONFLICT DO NOTHING wrote: 0 means the key was already there."""
    assert isinstance(result, CursorResult)
    if result.rowcount < 0:  # unknown must never pass for "inserted": that breaks idempotency
        raise RuntimeError("the database driver did not report how many rows were inserted")
    return result.rowcount


# The largest value a BIGINT column (device_seq) holds on PostgreSQL and SQLite.
MAX_BIGINT = 2**63 - 1


def apply_item(ctx: PushContext, item: PushItem) -> ItemResult:
    unstorable = _unstorable(item)
    if unstorable:  # cannot even be remembered: answered, not recorded
        return ItemResult(
            idempotency_key=item.idempotency_key, status=ItemStatus.REJECTED, reason=unstorable
        )
    if hashlib.sha256(item.payload.encode()).hexdigest() != item.payload_hash:
        return _refuse(ctx, item, ItemStatus.REJECTED, "payload hash does not match the payload")
    session = ctx.session
    savepoint = session.begin_nested()
    claimed = _remember(ctx, item, ItemStatus.APPLIED)
    if not claimed:
        savepoint.rollback()
        return _seen_before(ctx, item)
    mark = len(ctx.changes)
    ctx._item_deltas = {}
    try:
        status = _apply(ctx, item)
        session.flush()
    except (Reject, BadPayload, IntegrityError, DataError, OverflowError) as exc:
        savepoint.rollback()
        del ctx.changes[mark:]
        if isinstance(exc, Reject):
            return _refuse(ctx, item, exc.status, exc.reason)
        if isinstance(exc, BadPayload):
            return _refuse(ctx, item, ItemStatus.REJECTED, f"bad payload: {exc}")
        if isinstance(exc, IntegrityError):
            return _refuse(ctx, item, ItemStatus.REJECTED, "violates a database constraint")
        # A value the database cannot hold (a number out of range, a NUL in text).
        return _refuse(ctx, item, ItemStatus.REJECTED, "a value does not fit its database column")
    if status is ItemStatus.DUPLICATE:
        session.get_one(SyncItem, item.idempotency_key).status = ItemStatus.DUPLICATE
    savepoint.commit()
    for account_id, delta in ctx._item_deltas.items():
        ctx.balances[account_id] = ctx.balances.get(account_id, 0) + delta
    return ItemResult(idempotency_key=item.idempotency_key, status=status)


def apply_balances(ctx: PushContext) -> None:
    """Add the batch's balance changes in the database, in account-id order, at the end.

    ``balance = balance + delta`` cannot lose a concurrent push's update (a read-modify-
    write of the cached value did, under PostgreSQL's read committed), one fixed lock order
    cannot deadlock, and the account rows stay locked only for the end of the batch.
    """
    for account_id in sorted(ctx.balances):
        delta = ctx.balances[account_id]
        if delta:
            ctx.session.execute(
                update(Account)
                .where(Account.id == account_id)
                .values(balance=Account.balance + delta)
                .execution_options(synchronize_session=False)
            )
    ctx.balances.clear()


def _unstorable(item: PushItem) -> str:
    """Why the item's own fields cannot be written to ``sync_item``, or ""."""
    if item.device_seq > MAX_BIGINT:
        return "device sequence out of range"
    if any("\x00" in text for text in (item.entity, item.op, item.payload_hash)):
        return "entity, op or payload hash contains a NUL character"
    return ""


def _seen_before(ctx: PushContext, item: PushItem) -> ItemResult:
    stored = ctx.session.get(SyncItem, item.idempotency_key)
    if stored is None:  # same device_seq with another key: the kiosk reused a sequence
        return ItemResult(
            idempotency_key=item.idempotency_key,
            status=ItemStatus.CONFLICT,
            reason="device sequence already used by another item",
        )
    if stored.payload_hash != item.payload_hash:
        return ItemResult(
            idempotency_key=item.idempotency_key,
            status=ItemStatus.CONFLICT,
            reason="idempotency key reused with another payload",
        )
    if stored.status in (ItemStatus.APPLIED, ItemStatus.DUPLICATE):
        return ItemResult(idempotency_key=item.idempotency_key, status=ItemStatus.DUPLICATE)
    return ItemResult(
        idempotency_key=item.idempotency_key, status=ItemStatus(stored.status), reason=stored.reason
    )


def _remember(ctx: PushContext, item: PushItem, status: ItemStatus, reason: str = "") -> int:
    """Insert the item's idempotency row unless its key is already there; 1 if inserted.

    The unique key makes a concurrent resend wait for the first, then find its row.
    """
    return inserted_rows(
        ctx.session.execute(
            insert_for(ctx.session, SyncItem)
            .values(
                idempotency_key=item.idempotency_key,
                device_id=ctx.device_id,
                chain_id=item.chain_id,
                device_seq=item.device_seq,
                entity=item.entity,
                entity_id=item.entity_id,
                op=item.op,
                payload_hash=item.payload_hash,
                status=status,
                reason=reason[:300],
                received_at=ctx.now,
                clock_suspect=item.clock_suspect,
            )
            .on_conflict_do_nothing()
        )
    )


def _refuse(ctx: PushContext, item: PushItem, status: ItemStatus, reason: str) -> ItemResult:
    """Remember the refusal, so a resend gets the same answer without being applied."""
    _remember(ctx, item, status, reason)
    return ItemResult(idempotency_key=item.idempotency_key, status=status, reason=reason)


def _apply(ctx: PushContext, item: PushItem) -> ItemStatus:
    if item.entity not in PUSHABLE:
        raise Reject(f"entity {item.entity!r} is not accepted from kiosks")
    try:
        data = json.loads(item.payload)
    except ValueError as exc:
        raise Reject("payload is not JSON") from exc
    if not isinstance(data, dict) or str(data.get("id")) != str(item.entity_id):
        raise Reject("payload id does not match the item's entity id")
    if item.op == "create":
        return _create(ctx, item, data)
    return _update(ctx, item, data)


def _exists(ctx: PushContext, model: type[Base], key: uuid.UUID) -> bool:
    cache_key = (model.__tablename__, key)
    if cache_key not in ctx._exists:
        ctx._exists[cache_key] = ctx.session.get(model, key) is not None
    return ctx._exists[cache_key]


def _check_references(ctx: PushContext, model: type[Base], values: dict[str, Any]) -> None:
    for column in inspect(model).columns:
        value = values.get(column.key)
        if value is None:
            continue
        for fk in column.foreign_keys:
            target = _model_for_table(fk.column.table.name)
            if target is not None and not _exists(ctx, target, value):
                raise Reject(f"unknown {fk.column.table.name} {value} in {column.key}")


def _model_for_table(table: str) -> type[Base] | None:
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == table:
            return cls
    return None


def _create(ctx: PushContext, item: PushItem, data: dict[str, Any]) -> ItemStatus:
    model = ENTITIES[item.entity]
    values = columns_from_payload(model, data)
    station = values.get("station_id")
    if station is not None and station != ctx.station_id:
        raise Reject("record was made for another station")
    _check_references(ctx, model, values)
    _check_community(ctx, item.entity, values)
    if item.entity == "account" and ctx.session.get(Account, item.entity_id) is not None:
        return _same_account(ctx, item.entity_id, values)
    new = inserted_rows(
        ctx.session.execute(
            insert_for(ctx.session, RecordHash)
            .values(entity=item.entity, entity_id=item.entity_id, payload_hash=item.payload_hash)
            .on_conflict_do_nothing()
        )
    )
    if not new:
        return _existing_create(ctx, item, model, values)
    if item.entity == "ledger_tx":
        _create_ledger_tx(ctx, values, data)
        return ItemStatus.APPLIED
    if item.entity == "account":
        values["balance"] = 0  # the server keeps its own balances from the lines
    record = model(**values)
    ctx.session.add(record)
    ctx.session.flush()
    ctx._exists[(model.__tablename__, item.entity_id)] = True
    _note(ctx, item.entity, record)
    return ItemStatus.APPLIED


def _existing_create(
    ctx: PushContext, item: PushItem, model: type[Base], values: dict[str, Any]
) -> ItemStatus:
    stored = ctx.session.get_one(RecordHash, (item.entity, item.entity_id))
    if stored.payload_hash == item.payload_hash:
        return ItemStatus.DUPLICATE
    if item.entity == "account":
        return _same_account(ctx, item.entity_id, values)
    raise Reject("a record with this id exists with other content", ItemStatus.CONFLICT)


def _check_community(ctx: PushContext, entity: str, values: dict[str, Any]) -> None:
    """A station runs activities in its own community, and records service at them only."""
    if entity == "activity" and values.get("community_id") != ctx.community_id:
        raise Reject("activity is for another community than this station's")
    activity_id = values.get("activity_id")
    if activity_id is not None:
        activity = ctx.session.get(Activity, activity_id)
        if activity is not None and activity.community_id != ctx.community_id:
            raise Reject("activity belongs to another community than this station's")


def _same_account(ctx: PushContext, account_id: uuid.UUID, values: dict[str, Any]) -> ItemStatus:
    """Accounts have deterministic ids: kiosks opening the same account agree on identity."""
    acct = ctx.session.get_one(Account, account_id)
    fields = ("kind", "person_id", "org_id", "code")
    if tuple(getattr(acct, k) for k in fields) == tuple(values.get(k) for k in fields):
        return ItemStatus.DUPLICATE
    raise Reject("an account with this id exists for another owner", ItemStatus.CONFLICT)


def _create_ledger_tx(ctx: PushContext, values: dict[str, Any], data: dict[str, Any]) -> None:
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or len(raw_lines) < 2:
        raise Reject("ledger transaction without lines")
    lines: list[tuple[uuid.UUID, int]] = []
    try:
        for account_id, amount in raw_lines:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
                raise Reject("ledger line amount must be a non-zero integer")
            lines.append((uuid.UUID(str(account_id)), amount))
    except (TypeError, ValueError) as exc:
        raise Reject("malformed ledger lines") from exc
    if sum(n for _, n in lines) != 0:
        raise Reject("ledger lines do not sum to zero")
    tx = LedgerTx(**values)
    if tx_digest(tx, lines) != tx.hash:
        raise Reject("ledger transaction hash does not match its content")
    accounts = {a: ctx.session.get(Account, a) for a, _ in lines}
    missing = [str(a) for a, acct in accounts.items() if acct is None]
    if missing:
        raise Reject(f"unknown account {missing[0]}")
    ctx.session.add(tx)
    for position, (account_id, amount) in enumerate(lines):
        ctx.session.add(
            LedgerLine(tx_id=tx.id, position=position, account_id=account_id, amount=amount)
        )
        ctx._item_deltas[account_id] = ctx._item_deltas.get(account_id, 0) + amount
    ctx.session.flush()
    change = record_dict(tx) | {"lines": [[str(a), n] for a, n in lines]}
    ctx.changes.append(PendingChange("ledger_tx", tx.id, None, change))


def _update(ctx: PushContext, item: PushItem, data: dict[str, Any]) -> ItemStatus:
    model = ENTITIES[item.entity]
    allowed = UPDATES.get(item.entity)
    if item.entity not in VERSIONED and (allowed is None or item.op not in allowed):
        raise Reject(f"op {item.op!r} is not accepted for {item.entity}")
    record = ctx.session.get(model, item.entity_id, with_for_update=True)
    if record is None:
        raise Reject(f"unknown {item.entity} {item.entity_id}")
    scope = getattr(record, "community_id", None)
    if getattr(record, "station_id", None) != ctx.station_id and scope != ctx.community_id:
        raise Reject("record belongs to another community")
    changes = {k: v for k, v in data.items() if k not in ("id", "base_version")}
    frozen = sorted(FROZEN & set(changes))
    if frozen:  # e.g. moving a need into another community, or rewriting where it was made
        raise Reject(f"{', '.join(frozen)} cannot change once a record is made")
    values = columns_from_payload(model, changes, only_present=True)
    if item.entity in VERSIONED:
        base = data.get("base_version")
        current = getattr(record, "version", None)
        if not isinstance(base, int) or base != current:
            raise Reject(_stale_reason(item, record, base))
        values["version"] = base + 1
        _check_step(item, record, values)
    _check_references(ctx, model, values)
    for key, value in values.items():
        setattr(record, key, value)
    ctx.session.flush()
    _note(ctx, item.entity, record)
    return ItemStatus.APPLIED


STEPS: dict[str, dict[str, tuple[frozenset[Any], Any]]] = {
    "need": dict(NEED_STEPS),
    "wish": dict(WISH_STEPS),
}


def _check_step(item: PushItem, record: Base, values: dict[str, Any]) -> None:
    """The kiosk's own lifecycle table decides which transitions a push may make."""
    step = STEPS[item.entity].get(item.op)
    if step is None:
        raise Reject(f"op {item.op!r} is not a {item.entity} transition")
    sources, target = step
    if getattr(record, "status", None) not in sources:
        raise Reject(f"{item.entity} cannot {item.op} from {getattr(record, 'status', '?')}")
    if values.get("status", getattr(record, "status", None)) != target:
        raise Reject(f"{item.op} must lead to {target}")
    if item.entity == "need" and item.op == "confirm" and values.get("ledger_tx_id") is None:
        if isinstance(record, Need) and (record.service_minutes or 0) >= 30:
            raise Reject("a confirmed need must carry the coins it minted")


def _stale_reason(item: PushItem, record: Base, base: object) -> str:
    if item.op == "claim" and isinstance(record, Need) and record.status != NeedStatus.POSTED:
        return "need was already claimed elsewhere (first claim wins)"
    return f"{item.entity} changed on the server (version {getattr(record, 'version', '?')}, base {base})"


# People, their accounts and the ledger go to every kiosk: a member is recognised by card
# and sees the same balance at any station in the district. The rest stays in its community.
GLOBAL = frozenset({"person", "account", "ledger_tx"})


def _note(ctx: PushContext, entity: str, record: Base) -> None:
    if entity == "audit":
        return  # audit entries travel up only
    data = record_dict(record)
    if entity == "account":
        data.pop("balance", None)  # each side sums its own lines
    scope = None if entity in GLOBAL else _scope_of(ctx, record)
    ctx.changes.append(PendingChange(entity, data_id(data), scope, data))


def _scope_of(ctx: PushContext, record: Base) -> uuid.UUID:
    """The community whose kiosks need this record: its own, its activity's, or the station's."""
    own = getattr(record, "community_id", None)
    if isinstance(own, uuid.UUID):
        return own
    activity_id = getattr(record, "activity_id", None)
    if isinstance(activity_id, uuid.UUID):
        activity = ctx.session.get(Activity, activity_id)
        if activity is not None:
            return activity.community_id
    return ctx.community_id


def data_id(data: dict[str, Any]) -> uuid.UUID:
    return uuid.UUID(str(data["id"]))
