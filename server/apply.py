"""Applying a pushed batch: idempotently, all items together, one item alone when one fails.

The idempotency record (``sync_item``) of every item is inserted first, in one statement,
and the unique keys decide (never check-then-insert): a retried or concurrent push of the
same item blocks on the key until the first commits. If any key is already there, the
batch is claimed again ON CONFLICT DO NOTHING, and the items not inserted are answered from
their stored outcome instead of being applied twice. The items claimed are then checked in
device-sequence order against the rows the batch read (``server.rules`` on
``server.records``) and written with one statement per table, all inside one savepoint. If
the database refuses that write (a constraint, a value it cannot hold) or another push
created one of the records meanwhile, the savepoint is rolled back and each item is applied
again on its own, in its own savepoint, so one bad item is rejected alone and the rest
still apply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from kiosk.store.decode import BadPayload
from kiosk.store.models import Account
from server.models import SyncItem
from server.records import RecordRace, Records, Wanted
from server.rules import PendingChange, Reject, check_item, read_payload, want
from server.sql import insert_for, inserted_rows, table_of
from sync.protocol import ItemResult, ItemStatus, PushItem

__all__ = [
    "PendingChange",
    "PushContext",
    "apply_balances",
    "apply_items",
    "insert_for",
    "inserted_rows",
    "item_results",
]

# The largest value a BIGINT column (device_seq) holds on PostgreSQL and SQLite.
MAX_BIGINT = 2**63 - 1
# What the database says when a row cannot be stored; the item is refused, never a 500.
REFUSALS = (IntegrityError, DataError, OverflowError)
BAD_HASH = "payload hash does not match the payload"

# Statements every batch runs, built once.
_ACCOUNT = table_of(Account)
_ADD_TO_BALANCE = (
    update(_ACCOUNT)
    .where(_ACCOUNT.c.id == bindparam("b_id"))
    .values(balance=_ACCOUNT.c.balance + bindparam("b_delta"))
)
_SYNC_ITEM = table_of(SyncItem)
_SET_OUTCOME = (
    update(_SYNC_ITEM)
    .where(_SYNC_ITEM.c.idempotency_key == bindparam("b_key"))
    .values(status=bindparam("b_status"), reason=bindparam("b_reason"))
)


class Seen(Exception):
    """An item of the batch was pushed before: it must be answered from what was stored."""


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


@dataclass(frozen=True)
class Answer:
    key: uuid.UUID
    status: ItemStatus
    reason: str = ""


@dataclass
class _Group:
    """Items applied together; kept only once their savepoint has been released."""

    answers: list[Answer]
    changes: list[PendingChange] = field(default_factory=list)
    deltas: Counter[uuid.UUID] = field(default_factory=Counter)


def apply_items(ctx: PushContext, items: list[PushItem]) -> list[Answer]:
    """Each item's answer, in the order given (the caller sorts by device sequence)."""
    if len(items) > 1 and not _repeats(items):
        for careful in (False, True):
            savepoint = ctx.session.begin_nested()
            try:
                group = _apply_group(ctx, items, careful=careful)
            except Seen:  # a resend: claim again, keeping what is already there
                savepoint.rollback()
                continue
            except (*REFUSALS, RecordRace):
                savepoint.rollback()
                break
            savepoint.commit()
            _keep(ctx, group)
            return group.answers
    return [_apply_one(ctx, item) for item in items]


def item_results(
    answers: list[Answer], changes: list[PendingChange], seqs: range
) -> list[ItemResult]:
    """The answers as sent, with the change-log sequence each applied item was given."""
    server_seq = {c.key: seq for c, seq in zip(changes, seqs, strict=True) if c.key}
    return [
        ItemResult(
            idempotency_key=a.key,
            status=a.status,
            reason=a.reason,
            server_seq=server_seq.get(a.key) if a.status is ItemStatus.APPLIED else None,
        )
        for a in answers
    ]


def apply_balances(ctx: PushContext) -> None:
    """Add the batch's balance changes in the database, in account-id order, at the end.

    ``balance = balance + delta`` cannot lose a concurrent push's update (a read-modify-
    write of the cached value did, under PostgreSQL's read committed), one fixed lock order
    cannot deadlock, and the account rows stay locked only for the end of the batch.
    """
    deltas = [{"b_id": a, "b_delta": d} for a, d in sorted(ctx.balances.items()) if d]
    if deltas:
        ctx.session.connection().execute(_ADD_TO_BALANCE, deltas)
    ctx.balances.clear()


def _repeats(items: list[PushItem]) -> bool:
    """Does a key or device sequence come twice? Then only item by item tells them apart."""
    keys = {i.idempotency_key for i in items}
    seqs = {(i.chain_id, i.device_seq) for i in items}
    return len(keys) < len(items) or len(seqs) < len(items)


def _apply_one(ctx: PushContext, item: PushItem) -> Answer:
    savepoint = ctx.session.begin_nested()
    try:
        group = _apply_group(ctx, [item], careful=True)
    except REFUSALS as exc:
        savepoint.rollback()
        if isinstance(exc, IntegrityError):
            return _refuse(ctx, item, "violates a database constraint")
        # A value the database cannot hold (a number out of range, a NUL in text).
        return _refuse(ctx, item, "a value does not fit its database column")
    savepoint.commit()
    _keep(ctx, group)
    return group.answers[0]


def _keep(ctx: PushContext, group: _Group) -> None:
    ctx.changes.extend(group.changes)
    for account_id, delta in group.deltas.items():
        ctx.balances[account_id] = ctx.balances.get(account_id, 0) + delta


def _apply_group(ctx: PushContext, items: list[PushItem], *, careful: bool) -> _Group:
    """Claim, check and write ``items`` together; the caller holds the savepoint.

    A first push of a batch claims its items with a plain INSERT, which SQLAlchemy can
    cache; ``careful`` claims ON CONFLICT DO NOTHING, for a batch that was seen before.
    """
    answers: list[Answer | None] = [None] * len(items)
    claims = []
    for n, item in enumerate(items):
        unstorable = _unstorable(item)
        if unstorable:  # cannot even be remembered: answered, not recorded
            answers[n] = Answer(item.idempotency_key, ItemStatus.REJECTED, unstorable)
        elif hashlib.sha256(item.payload.encode()).hexdigest() != item.payload_hash:
            # Remembered as refused, so a resend gets the same answer without being applied.
            answers[n] = Answer(item.idempotency_key, ItemStatus.REJECTED, BAD_HASH)
            claims.append(_claim_row(ctx, item, ItemStatus.REJECTED, BAD_HASH))
        else:
            claims.append(_claim_row(ctx, item, ItemStatus.APPLIED, ""))
    claimed = _claim(ctx, claims) if careful else _claim_all(ctx, claims)
    seen = {
        n: it
        for n, it in enumerate(items)
        if answers[n] is None and it.idempotency_key not in claimed
    }
    stored = _stored(ctx, list(seen.values()))
    for n, item in seen.items():
        answers[n] = _seen_before(item, stored.get(item.idempotency_key))
    payloads: dict[int, dict[str, Any] | Reject] = {}
    wanted = Wanted()
    for n, item in enumerate(items):
        if answers[n] is None:
            try:
                payloads[n] = data = read_payload(item)
            except Reject as exc:
                payloads[n] = exc
            else:
                want(wanted, item, data)
    records = Records.load(ctx.session, wanted)
    group = _check(ctx, records, items, payloads, answers)
    records.write(ctx.session)
    return group


def _check(
    ctx: PushContext,
    records: Records,
    items: list[PushItem],
    payloads: dict[int, dict[str, Any] | Reject],
    answers: list[Answer | None],
) -> _Group:
    """Check the claimed items in order, answer each, and fix the status of those that
    did not apply (their idempotency rows were claimed as applied)."""
    group = _Group([])
    outcomes = []
    for n, payload in payloads.items():
        item = items[n]
        try:
            if isinstance(payload, Reject):
                raise payload
            applied = check_item(ctx, records, item, payload)
        except Reject as exc:
            answer = Answer(item.idempotency_key, exc.status, exc.reason)
        except BadPayload as exc:
            answer = Answer(item.idempotency_key, ItemStatus.REJECTED, f"bad payload: {exc}")
        else:
            answer = Answer(item.idempotency_key, applied.status)
            if applied.change is not None:
                group.changes.append(applied.change)
            group.deltas.update(applied.deltas)
        answers[n] = answer
        if answer.status is not ItemStatus.APPLIED:
            outcomes.append(
                {"b_key": answer.key, "b_status": answer.status, "b_reason": answer.reason[:300]}
            )
    if outcomes:
        ctx.session.connection().execute(_SET_OUTCOME, outcomes)
    group.answers = [a for a in answers if a is not None]
    assert len(group.answers) == len(items)
    return group


def _unstorable(item: PushItem) -> str:
    """Why the item's own fields cannot be written to ``sync_item``, or ""."""
    if item.device_seq > MAX_BIGINT:
        return "device sequence out of range"
    if any("\x00" in text for text in (item.entity, item.op, item.payload_hash)):
        return "entity, op or payload hash contains a NUL character"
    return ""


def _claim_row(ctx: PushContext, item: PushItem, status: ItemStatus, reason: str) -> dict[str, Any]:
    return {
        "idempotency_key": item.idempotency_key,
        "device_id": ctx.device_id,
        "chain_id": item.chain_id,
        "device_seq": item.device_seq,
        "entity": item.entity,
        "entity_id": item.entity_id,
        "op": item.op,
        "payload_hash": item.payload_hash,
        "status": status,
        "reason": reason[:300],
        "received_at": ctx.now,
        "clock_suspect": item.clock_suspect,
    }


def _claim(ctx: PushContext, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    """Insert the items' idempotency rows unless their keys are there; the keys inserted.

    The unique keys make a concurrent resend wait for the first push, then find its rows.
    """
    if not rows:
        return set()
    stmt = insert_for(ctx.session, _SYNC_ITEM).on_conflict_do_nothing()
    stmt = stmt.returning(_SYNC_ITEM.c.idempotency_key)
    return set(ctx.session.connection().execute(stmt, rows).scalars())


def _claim_all(ctx: PushContext, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    """Insert every item's idempotency row; ``Seen`` if any key or sequence is there."""
    if rows:
        try:
            ctx.session.connection().execute(insert(_SYNC_ITEM), rows)
        except IntegrityError as exc:
            raise Seen from exc
    return {row["idempotency_key"] for row in rows}


def _stored(ctx: PushContext, items: list[PushItem]) -> dict[uuid.UUID, Any]:
    if not items:
        return {}
    si = _SYNC_ITEM
    rows = ctx.session.connection().execute(
        select(si.c.idempotency_key, si.c.payload_hash, si.c.status, si.c.reason).where(
            si.c.idempotency_key.in_([i.idempotency_key for i in items])
        )
    )
    return {row.idempotency_key: row for row in rows}


def _seen_before(item: PushItem, stored: Any) -> Answer:
    key = item.idempotency_key
    if stored is None:  # same device_seq with another key: the kiosk reused a sequence
        return Answer(key, ItemStatus.CONFLICT, "device sequence already used by another item")
    if stored.payload_hash != item.payload_hash:
        return Answer(key, ItemStatus.CONFLICT, "idempotency key reused with another payload")
    if stored.status in (ItemStatus.APPLIED, ItemStatus.DUPLICATE):
        return Answer(key, ItemStatus.DUPLICATE)
    return Answer(key, ItemStatus(stored.status), stored.reason)


def _refuse(ctx: PushContext, item: PushItem, reason: str) -> Answer:
    """Remember the refusal, so a resend gets the same answer without being applied."""
    ctx.session.execute(
        insert_for(ctx.session, SyncItem)
        .values(**_claim_row(ctx, item, ItemStatus.REJECTED, reason))
        .on_conflict_do_nothing()
    )
    return Answer(item.idempotency_key, ItemStatus.REJECTED, reason)
