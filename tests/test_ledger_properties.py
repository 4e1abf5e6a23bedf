"""Ledger invariants under random use, and proof that tampering with the stored ledger shows.

Coins are money to the people who earn them, so the rules must hold for any sequence of
operations, not only the ones we thought of: every transaction balances, no person or the
welfare pool goes below zero (a refused operation leaves no trace), the hash chain verifies,
and a reversal undoes exactly what it reverses. Hypothesis drives the real services against
a small model of the expected balances; each example gets a fresh store on disk because
function-scoped fixtures are not reset between examples.

The tampering tests edit the database behind the services' back, the way someone with the
file could, and "fix" the balances to match, so only the hash chain can give them away.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.clock import FixedClock
from kiosk.config import COIN, Rules
from kiosk.errors import InsufficientBalance, RuleViolation, TimebankError, ValidationError
from kiosk.services import Services
from kiosk.services.ledger import MINT, POOL, Ledger, award_minutes
from kiosk.services.verify import verify_ledger
from kiosk.store.models import (
    Account,
    AccountKind,
    CheckMethod,
    DeviceState,
    LedgerLine,
    LedgerTx,
    OutboxItem,
    PersonKind,
    TxKind,
)
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from tests.factories import World, at, id_number, make_staff, make_world

CAP = 10 * COIN  # a low storage cap so earnings spill into the pool within a few steps
PRICE = 2 * COIN
HARDSHIP = 2  # person index 2 is a resident in hardship: the only one donations may reach
RULES = Rules(storage_cap_minutes=CAP)
ID = CheckMethod.ID_CARD

Key = int | str  # person index, or "pool" / "mint"


@dataclass
class Env:
    store: Store
    svc: Services
    clock: FixedClock
    people: list[uuid.UUID]
    staff: uuid.UUID
    price_item: uuid.UUID
    activity: uuid.UUID


@dataclass
class Model:
    """What the balances must be, and each transaction's postings, by our own arithmetic."""

    balance: dict[Key, int] = field(default_factory=lambda: {0: 0, 1: 0, 2: 0, POOL: 0, MINT: 0})
    txs: list[tuple[uuid.UUID, dict[Key, int], bool]] = field(default_factory=list)
    reversed: set[uuid.UUID] = field(default_factory=set)

    def refuses(self, postings: dict[Key, int]) -> bool:
        return any(k != MINT and self.balance[k] + n < 0 for k, n in postings.items())

    def earn(self, person: int, minutes: int) -> dict[Key, int]:
        kept = min(minutes, max(0, CAP - self.balance[person]))
        return {k: n for k, n in {MINT: -minutes, person: kept, POOL: minutes - kept}.items() if n}


@contextmanager
def fresh_env() -> Iterator[Env]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(at(2, 9, 0))
        store = open_store(Path(tmp) / "data", clock=clock, rules=RULES)
        try:
            svc = Services(store)
            world = make_world(svc)
            second = svc.people.register(
                name="陈建国",
                kind=PersonKind.MEMBER,
                id_number=id_number("19700101"),
                org_id=world.org.id,
                community_id=world.community.id,
            )
            staff = make_staff(store)
            svc.people.set_hardship(person_id=world.resident.id, hardship=True, staff_id=staff)
            item = svc.reference.add_price_item(name="理发", price_minutes=PRICE)
            act = svc.attendance.create_activity(
                title="社区清洁家园",
                community_id=world.community.id,
                starts_at=clock.now(),
                ends_at=clock.now().replace(year=2027),
                service_type="清洁家园",
            )
            svc.attendance.open_checkin(activity_id=act.id)
            people = [world.member.id, second.id, world.resident.id]
            yield Env(store, svc, clock, people, staff, item.id, act.id)
        finally:
            store.close()


def snapshot(env: Env) -> dict[str, Any]:
    """Everything an operation could change: balances, the chain, the outbox."""
    index = {p: i for i, p in enumerate(env.people)}
    with env.store.read() as s:
        balances: dict[Key, int] = {0: 0, 1: 0, 2: 0, POOL: 0, MINT: 0}
        for acct in s.execute(select(Account)).scalars():
            balances[index[acct.person_id] if acct.person_id else str(acct.code)] = acct.balance
        state = s.get_one(DeviceState, 1)
        return {
            "balance": balances,
            "chain": (state.chain_len, state.chain_head, state.next_seq),
            "outbox": s.execute(select(func.count()).select_from(OutboxItem)).scalar_one(),
            "accounts": s.execute(select(func.count()).select_from(Account)).scalar_one(),
        }


def check_invariants(env: Env) -> None:
    with env.store.read() as s:
        assert verify_ledger(s) == []
        unbalanced = s.execute(
            select(LedgerLine.tx_id)
            .group_by(LedgerLine.tx_id)
            .having(func.sum(LedgerLine.amount) != 0)
        ).all()
        assert unbalanced == []
        negative = s.execute(
            select(Account.kind, Account.balance).where(
                Account.kind != AccountKind.MINT, Account.balance < 0
            )
        ).all()
        assert negative == []
        assert s.execute(select(func.coalesce(func.sum(Account.balance), 0))).scalar_one() == 0


# --- operations ---------------------------------------------------------------------------
person = st.integers(0, 2)
base_ops = st.one_of(
    st.tuples(st.just("earn"), person, st.sampled_from([30, 60, 90, 150, 300, 450])),
    st.tuples(st.just("serve"), person, st.integers(0, 8 * 60)),
    st.tuples(st.just("transfer"), person, person, st.integers(1, 4)),
    st.tuples(st.just("donate"), person, st.integers(1, 240)),
    st.tuples(st.just("donate_to"), person, st.integers(1, 240)),
    st.tuples(st.just("grant"), person, st.integers(1, 240)),
    st.tuples(st.just("spend"), person),
)
ops = st.one_of(
    base_ops,
    st.tuples(st.just("reverse"), st.integers(0, 1000)),
    st.tuples(st.just("undo"), base_ops),
)


def expected(model: Model, op: tuple[Any, ...]) -> dict[Key, int] | type[TimebankError] | None:
    """The postings ``op`` must make, the error it must raise, or None for no transaction."""
    kind = op[0]
    if kind == "earn":
        return model.earn(op[1], op[2])
    if kind == "serve":
        coins = award_minutes(op[2], 60, RULES.award_step_minutes)
        return model.earn(op[1], coins) if coins else None
    if kind == "transfer":
        if op[1] == op[2]:
            return ValidationError
        postings: dict[Key, int] = {op[1]: -op[3] * COIN, op[2]: op[3] * COIN}
    elif kind == "donate":
        postings = {op[1]: -op[2], POOL: op[2]}
    elif kind == "donate_to":
        if op[1] == HARDSHIP:
            return ValidationError
        postings = {op[1]: -op[2], HARDSHIP: op[2]}
    elif kind == "grant":
        postings = {POOL: -op[2], op[1]: op[2]}
    elif kind == "spend":
        postings = {op[1]: -PRICE, MINT: PRICE}
    else:
        assert kind == "reverse"
        tx_id, original, is_reversal = model.txs[op[1] % len(model.txs)]
        if is_reversal or tx_id in model.reversed:
            return RuleViolation
        postings = {k: -n for k, n in original.items()}
    return InsufficientBalance if model.refuses(postings) else postings


def perform(env: Env, model: Model, op: tuple[Any, ...]) -> uuid.UUID | None:
    """Run ``op`` through the services; the id of the transaction it made, if any."""
    svc, who = env.svc, env.people
    kind = op[0]
    if kind == "earn":
        with env.store.write() as uow:
            tx = Ledger(uow).earn(
                minutes=op[2], person_id=who[op[1]], memo="测试", ref_entity="test", ref_id=who[0]
            )
            assert tx is not None
            return tx.id
    if kind == "serve":
        env.clock.advance(days=1)  # a new day: the daily automatic limit does not interfere
        svc.attendance.check_in(activity_id=env.activity, person_id=who[op[1]], method=ID)
        env.clock.advance(minutes=op[2])
        out = svc.attendance.check_out(activity_id=env.activity, person_id=who[op[1]], method=ID)
        return out.record.ledger_tx_id
    if kind == "transfer":
        return svc.ledger.transfer(
            from_person=who[op[1]], to_person=who[op[2]], minutes=op[3] * COIN
        ).id
    if kind == "donate":
        return svc.ledger.donate(from_person=who[op[1]], minutes=op[2]).id
    if kind == "donate_to":
        return svc.ledger.donate(
            from_person=who[op[1]], to_resident=who[HARDSHIP], minutes=op[2]
        ).id
    if kind == "grant":
        return svc.ledger.grant(
            staff_id=env.staff, to_person=who[op[1]], minutes=op[2], reason="困难帮扶"
        ).id
    if kind == "spend":
        return svc.ledger.spend(person_id=who[op[1]], price_item_id=env.price_item).id
    tx_id = model.txs[op[1] % len(model.txs)][0]
    return svc.ledger.reverse(tx_id=tx_id, staff_id=env.staff, reason="录入错误").id


def step(env: Env, model: Model, op: tuple[Any, ...]) -> None:
    if op[0] == "reverse" and not model.txs:
        return
    want = expected(model, op)
    event(f"{op[0]}: {want.__name__ if isinstance(want, type) else 'posted' if want else 'none'}")
    before = snapshot(env)
    if isinstance(want, type):
        with pytest.raises(want) as caught:
            perform(env, model, op)
        assert type(caught.value) is want  # InsufficientBalance is also a RuleViolation
        assert snapshot(env) == before, f"refused {op} changed the store"
        return
    tx_id = perform(env, model, op)
    if want is None:
        assert tx_id is None
    else:
        assert tx_id is not None
        for k, n in want.items():
            model.balance[k] += n
        if op[0] == "reverse":
            model.reversed.add(model.txs[op[1] % len(model.txs)][0])
        model.txs.append((tx_id, want, op[0] == "reverse"))
    assert snapshot(env)["balance"] == model.balance, f"after {op}"


def undo(env: Env, model: Model, op: tuple[Any, ...]) -> None:
    """Do ``op`` and at once reverse it: the balances must be exactly as before."""
    before = snapshot(env)["balance"]
    count = len(model.txs)
    step(env, model, op)
    if len(model.txs) == count:  # refused, or nothing to post
        return
    step(env, model, ("reverse", count))
    assert snapshot(env)["balance"] == before


@settings(max_examples=30, deadline=None)
@given(
    st.tuples(*[st.sampled_from([0, 90, 300, 900])] * 3),
    st.lists(ops, min_size=1, max_size=20),
)
def test_random_operations_keep_the_ledger_sound(
    opening: tuple[int, int, int], sequence: list[tuple[Any, ...]]
) -> None:
    """Opening earnings (900 spills over the cap into the pool) give later steps coins to move."""
    with fresh_env() as env:
        model = Model()
        for who, minutes in enumerate(opening):
            if minutes:
                step(env, model, ("earn", who, minutes))
        for op in sequence:
            if op[0] == "undo":
                undo(env, model, op[1])
            else:
                step(env, model, op)
        check_invariants(env)


def test_a_zero_minute_pair_is_closed(svc: Services, world: World, clock: FixedClock) -> None:
    """Found by the property test: check in and out within one clock tick, come back later."""
    act = svc.attendance.create_activity(
        title="社区清洁家园",
        community_id=world.community.id,
        starts_at=clock.now(),
        ends_at=clock.now() + dt.timedelta(days=3),
        service_type="清洁家园",
    )
    svc.attendance.open_checkin(activity_id=act.id)
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.advance(days=1)
    again = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    assert not again.already
    clock.advance(minutes=60)
    out = svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    assert out.record.minutes == 60


# --- tampering ----------------------------------------------------------------------------
def _history(svc: Services, store: Store, world: World) -> None:
    """Six chained transactions touching people, the pool and the mint."""
    staff = make_staff(store)
    for who, minutes in ((world.member.id, 6 * COIN), (world.resident.id, 2 * COIN)):
        with store.write() as uow:
            Ledger(uow).earn(
                minutes=minutes, person_id=who, memo="测试", ref_entity="test", ref_id=who
            )
    svc.ledger.transfer(from_person=world.member.id, to_person=world.resident.id, minutes=COIN)
    svc.ledger.donate(from_person=world.member.id, minutes=2 * COIN)
    tx = svc.ledger.grant(staff_id=staff, to_person=world.resident.id, minutes=30, reason="帮扶")
    svc.ledger.reverse(tx_id=tx.id, staff_id=staff, reason="录入错误")


def _fix_balances(con: sqlite3.Connection) -> None:
    """What a careful tamperer does next: make every cached balance match the lines."""
    con.execute(
        "UPDATE account SET balance = coalesce("
        "(SELECT sum(amount) FROM ledger_line WHERE account_id = account.id), 0)"
    )


def _tx_at(con: sqlite3.Connection, seq: int) -> str:
    return con.execute("SELECT id FROM ledger_tx WHERE chain_seq = ?", (seq,)).fetchone()[0]


def _delete_tx(con: sqlite3.Connection, seq: int) -> None:
    tx = _tx_at(con, seq)
    con.execute("DELETE FROM ledger_line WHERE tx_id = ?", (tx,))
    con.execute("DELETE FROM ledger_tx WHERE id = ?", (tx,))
    _fix_balances(con)


def edit_line_amount(con: sqlite3.Connection) -> None:
    con.execute("UPDATE ledger_line SET amount = amount + 30 WHERE id = 1")


def edit_both_lines_and_balances(con: sqlite3.Connection) -> None:
    """Lines still sum to zero and balances agree: only the hash knows."""
    tx = _tx_at(con, 1)
    con.execute(
        "UPDATE ledger_line SET amount = amount - 600 WHERE tx_id = ? AND amount < 0", (tx,)
    )
    con.execute(
        "UPDATE ledger_line SET amount = amount + 600 WHERE tx_id = ? AND amount > 0", (tx,)
    )
    _fix_balances(con)


def delete_middle_tx(con: sqlite3.Connection) -> None:
    _delete_tx(con, 3)


def swap_chain_seq(con: sqlite3.Connection) -> None:
    a, b = _tx_at(con, 2), _tx_at(con, 4)
    con.execute("UPDATE ledger_tx SET chain_seq = -1 WHERE id = ?", (a,))
    con.execute("UPDATE ledger_tx SET chain_seq = 2 WHERE id = ?", (b,))
    con.execute("UPDATE ledger_tx SET chain_seq = 4 WHERE id = ?", (a,))


def delete_last_tx(con: sqlite3.Connection) -> None:
    (last,) = con.execute("SELECT max(chain_seq) FROM ledger_tx").fetchone()
    _delete_tx(con, last)


@pytest.mark.parametrize(
    "tamper",
    [
        edit_line_amount,
        edit_both_lines_and_balances,
        delete_middle_tx,
        swap_chain_seq,
        delete_last_tx,
    ],
)
def test_tampering_with_the_stored_ledger_is_detected(
    svc: Services, store: Store, world: World, tamper: Callable[[sqlite3.Connection], None]
) -> None:
    _history(svc, store, world)
    with store.read() as s:
        assert verify_ledger(s) == []
        assert s.execute(select(func.count()).select_from(LedgerTx)).scalar_one() == 6
        kinds = set(s.execute(select(LedgerTx.kind)).scalars())
    assert TxKind.REVERSAL in kinds
    con = sqlite3.connect(store.engine.url.database or "", isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("BEGIN IMMEDIATE")
        tamper(con)
        con.execute("COMMIT")
    finally:
        con.close()
    with store.read() as s:
        assert verify_ledger(s) != []
