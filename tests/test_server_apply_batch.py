"""The server applies a batch set-based exactly as it would apply its items one at a time.

The tests push a kiosk's real outbox (made through the services) straight into the
server's apply code, once as whole batches and once item by item (each in its own
savepoint, reading the database after every write), in two transactions that are rolled
back, and compare every answer and every row the two leave: records, ledger lines,
balances, idempotency rows, record hashes and the change log with its sequence numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from kiosk.clock import UTC
from kiosk.ids import uuid7
from kiosk.store.models import LedgerTx, Need, NeedStatus, OutboxItem, Station
from kiosk.store.payload import canonical, payload_hash, record_dict
from server.apply import PushContext, apply_balances, apply_items, item_results
from server.changes import record_changes
from server.db import record_tables
from server.models import ChangeLog, RecordHash, SyncItem
from server.rules import ENTITIES
from server.sql import table_of
from sync.protocol import ItemResult, ItemStatus, PushItem
from tests import sync_helpers
from tests.sync_helpers import Kiosk, ServerHandle, World, make_kiosk, offline_day, publish_world

server = sync_helpers.server

BATCH = 200


@pytest.fixture
def world(server: ServerHandle) -> World:
    return publish_world(server)


@pytest.fixture
def kiosk(server: ServerHandle, world: World, tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(server, world.station, tmp_path / "kiosk")
    k.sync()  # reference data
    yield k
    k.close()


def week(kiosk: Kiosk, world: World) -> list[PushItem]:
    """Walk-ins, activities with check-in/out and coins, needs and wishes through their
    whole lifecycles, donations, spending and suggestions, as the outbox froze them."""
    svc = kiosk.svc
    staff = svc.staff.create(name="管理员", login="admin", pin="123456").id
    work = offline_day(kiosk, world, members=8, residents=4, rounds=3)
    for need_id in work.needs:
        steps: list[tuple[Callable[..., Any], dict[str, Any]]] = [
            (svc.needs.claim, {"person_id": work.members[0]}),
            (svc.needs.start, {}),
            (svc.needs.complete, {"service_minutes": 60}),
            (svc.needs.confirm, {"staff_id": staff}),
            (svc.needs.rate, {"stars": 5, "comment": "很好"}),
        ]
        with kiosk.store.read() as s:
            claimed = s.get_one(Need, need_id).status == NeedStatus.CLAIMED
        for step, kwargs in steps[1:] if claimed else steps:
            step(need_id=need_id, **kwargs)
    for resident in work.residents[:2]:
        wish = svc.wishes.submit(resident_id=resident, title="一台收音机", description="听戏")
        svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=True)
        svc.wishes.claim(wish_id=wish.id, member_id=work.members[1])
        svc.wishes.mark_contacted(wish_id=wish.id, member_id=work.members[1])
        svc.wishes.fulfil(wish_id=wish.id, note="已送到", member_id=work.members[1])
    svc.people.set_hardship(person_id=work.residents[1], hardship=True, staff_id=staff)
    return outbox(kiosk)


def outbox(kiosk: Kiosk) -> list[PushItem]:
    with kiosk.store.read() as s:
        rows = s.execute(select(OutboxItem).order_by(OutboxItem.device_seq)).scalars()
        return [
            PushItem(
                idempotency_key=r.idempotency_key,
                device_seq=r.device_seq,
                chain_id=r.chain_id,
                entity=r.entity,
                entity_id=r.entity_id,
                op=r.op,
                payload=r.payload,
                payload_hash=r.payload_hash,
                created_at=r.created_at,
            )
            for r in rows
        ]


def variant(item: PushItem, **data: Any) -> PushItem:
    """The same item with other payload fields and a new key (a different push)."""
    body = json.loads(item.payload) | data
    payload = canonical(body)
    return item.model_copy(
        update={
            "idempotency_key": uuid.uuid4(),
            "payload": payload,
            "payload_hash": payload_hash(payload),
            "entity_id": uuid.UUID(str(body["id"])),
        }
    )


def push(ctx: PushContext, items: list[PushItem], *, batched: bool) -> list[ItemResult]:
    """What ``do_push`` does with a request's items, whole or one savepoint at a time."""
    ordered = sorted(items, key=lambda i: i.device_seq)
    if batched:
        answers = apply_items(ctx, ordered)
    else:
        answers = [a for item in ordered for a in apply_items(ctx, [item])]
    apply_balances(ctx)
    seqs = record_changes(ctx.session, ctx.changes, ctx.now)
    results = item_results(answers, ctx.changes, seqs)
    ctx.changes.clear()
    return results


def run(
    server: ServerHandle, kiosk: Kiosk, batches: list[list[PushItem]], *, batched: bool
) -> tuple[list[ItemResult], dict[str, list[tuple[Any, ...]]]]:
    """Push ``batches`` in one transaction, read every table, roll it all back."""
    now = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with server.session() as session, session.begin():
        station = session.get_one(Station, kiosk.store.identity.station_id)
        results = []
        for batch in batches:
            ctx = PushContext(session, kiosk.device_id, station.id, station.community_id, now)
            results += push(ctx, batch, batched=batched)
        state = snapshot(session)
        assert changes_show_the_records(session)
        # An applied item's server_seq is where kiosks will pull the change it made.
        made = {i.idempotency_key: i.entity_id for batch in batches for i in batch}
        for r in results:
            if r.server_seq is not None:
                assert session.get_one(ChangeLog, r.server_seq).entity_id == made[r.idempotency_key]
        session.rollback()
    return results, state


def changes_show_the_records(session: Session) -> int:
    """Each record's last change carries what ``record_dict`` reads from the stored record
    (what the change log held when items were applied through the ORM); how many did."""
    last = {}
    pushed = select(ChangeLog).where(ChangeLog.entity.in_(ENTITIES)).order_by(ChangeLog.seq)
    for change in session.execute(pushed).scalars():
        last[change.entity_id] = change
    for change in last.values():
        record = session.get_one(ENTITIES[change.entity], change.entity_id)
        expected = record_dict(record)
        if change.entity == "account":
            expected.pop("balance")
        if change.entity == "ledger_tx":
            assert isinstance(record, LedgerTx)
            expected["lines"] = [[str(line.account_id), line.amount] for line in record.lines]
        assert change.data == expected, change.entity
    return len(last)


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    tables = [*record_tables(), *(table_of(m) for m in (SyncItem, RecordHash, ChangeLog))]
    out = {}
    for table in tables:
        assert isinstance(table, Table)
        # Ledger line ids come from a sequence, which a rollback does not rewind.
        columns = [c for c in table.c if not (table.name == "ledger_line" and c.name == "id")]
        rows = session.execute(select(*columns)).all()
        out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def chunks(items: list[PushItem], size: int = BATCH) -> list[list[PushItem]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def assert_same(
    server: ServerHandle, kiosk: Kiosk, batches: list[list[PushItem]]
) -> list[ItemResult]:
    together, state = run(server, kiosk, batches, batched=True)
    alone, expected = run(server, kiosk, batches, batched=False)
    assert together == alone
    for table, rows in expected.items():
        assert state[table] == rows, table
    return together


def test_a_week_applied_in_batches_equals_item_by_item(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    items = week(kiosk, world)
    entities = {(i.entity, i.op) for i in items}
    assert {
        ("need", "rate"),
        ("wish", "fulfil"),
        ("activity", "close"),
        ("ledger_tx", "create"),
    } <= entities
    results = assert_same(server, kiosk, chunks(items, 60))
    entity = {i.idempotency_key: i.entity for i in items}
    # The server opened the mint and pool accounts itself; the kiosk's are duplicates.
    assert {(entity[r.idempotency_key], r.status) for r in results if r.status != "applied"} == {
        ("account", ItemStatus.DUPLICATE)
    }
    # Every applied change is answered with the sequence kiosks will pull it under.
    seqs = [r.server_seq for r in results if r.server_seq is not None]
    applied = [r for r in results if r.status == "applied"]
    assert len(seqs) == len([r for r in applied if entity[r.idempotency_key] != "audit"])
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # Sent again, all of it is a duplicate and changes nothing.
    again = assert_same(server, kiosk, [items[:BATCH], items[:BATCH]])
    assert {r.status for r in again[BATCH:]} == {ItemStatus.DUPLICATE}


def test_refusals_in_a_batch_are_those_of_item_by_item(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    items = week(kiosk, world)
    people = [i for i in items if i.entity == "person" and i.op == "create"]
    claims = [i for i in items if i.entity == "need" and i.op == "claim"]
    closes = [i for i in items if i.entity == "activity" and i.op == "close"]
    # Later items refer to these: an unknown person, a need that cannot start unclaimed.
    dropped = {people[-1].idempotency_key, claims[0].idempotency_key}
    kept = [i for i in items if i.idempotency_key not in dropped]
    seq = max(i.device_seq for i in items)
    extra = [
        # Same record id, other content: a conflict; the same content again: a duplicate.
        variant(people[0], name="改名").model_copy(update={"device_seq": seq + 1}),
        people[1].model_copy(update={"idempotency_key": uuid.uuid4(), "device_seq": seq + 2}),
        # Activities carry no version, so closing one again applies; a need claim made
        # stale by the first is refused.
        closes[0].model_copy(update={"idempotency_key": uuid.uuid4(), "device_seq": seq + 3}),
        claims[1].model_copy(update={"idempotency_key": uuid.uuid4(), "device_seq": seq + 4}),
    ]
    results = assert_same(server, kiosk, chunks(kept + extra))
    by_key = {r.idempotency_key: r for r in results}
    statuses = [by_key[i.idempotency_key].status for i in extra]
    assert statuses == [
        ItemStatus.CONFLICT,
        ItemStatus.DUPLICATE,
        ItemStatus.APPLIED,
        ItemStatus.REJECTED,
    ]
    refused = [r for r in results if r.status is ItemStatus.REJECTED]
    assert any("unknown person" in r.reason for r in refused)
    assert any("first claim wins" in r.reason or "cannot start" in r.reason for r in refused)


def test_an_item_only_the_database_refuses_is_rejected_alone(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    items = week(kiosk, world)
    person = next(i for i in items if i.entity == "person" and i.op == "create")
    seq = max(i.device_seq for i in items)
    # Another person with the same ID-number hash: only the unique index can tell.
    twin = variant(person, id=str(uuid7())).model_copy(update={"device_seq": seq + 1})
    batch = [*items[: BATCH // 2], twin, *items[BATCH // 2 : BATCH]]
    results = assert_same(server, kiosk, [batch])
    by_key = {r.idempotency_key: r for r in results}
    assert by_key[twin.idempotency_key].status is ItemStatus.REJECTED
    assert by_key[twin.idempotency_key].reason == "violates a database constraint"
    refused = [r for r in results if r.status not in ("applied", "duplicate")]
    assert len(refused) == 1


def test_a_concurrent_create_of_the_same_record_is_a_duplicate(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    """Record hashes are inserted, never checked first: a push that read the record as
    missing while another was creating it waits for the other on the unique key, is refused
    by it, applies its items again one by one and answers duplicate instead of applying the
    record twice."""
    items = week(kiosk, world)
    person = next(i for i in items if i.entity == "person" and i.op == "create")
    resend = person.model_copy(update={"idempotency_key": uuid.uuid4(), "chain_id": uuid.uuid4()})
    rest = [i for i in items[:BATCH] if i.entity == "audit"][:5]
    now = dt.datetime.now(UTC)
    answers: list[ItemResult] = []

    def second() -> None:
        with server.session() as s, s.begin():
            station = s.get_one(Station, world.station)
            ctx = PushContext(s, kiosk.device_id, station.id, station.community_id, now)
            answers.extend(push(ctx, [resend, *rest], batched=True))

    with server.session() as first, first.begin():
        station = first.get_one(Station, world.station)
        ctx = PushContext(first, kiosk.device_id, station.id, station.community_id, now)
        assert [r.status for r in push(ctx, [person], batched=True)] == [ItemStatus.APPLIED]
        thread = threading.Thread(target=second)
        thread.start()
        if server.backend == "postgresql":  # the second push waits on our record hash
            wait_for_lock(server)
        else:
            time.sleep(0.3)  # SQLite: it waits for the database lock
    thread.join(30)
    statuses = {a.idempotency_key: a.status for a in answers}
    assert statuses.pop(resend.idempotency_key) is ItemStatus.DUPLICATE
    assert set(statuses.values()) == {ItemStatus.APPLIED} and len(statuses) == len(rest)
    with server.session() as s:
        stored = select(SyncItem.status).where(SyncItem.idempotency_key == resend.idempotency_key)
        assert s.execute(stored).scalar_one() == "duplicate"


def wait_for_lock(server: ServerHandle) -> None:
    deadline = time.monotonic() + 20
    with server.session() as s:
        while time.monotonic() < deadline:
            waiting = s.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            s.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the second push never waited for the first")
