"""Rows written on the driver connection are exactly the rows SQLAlchemy would write."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, insert, select

from kiosk.clock import FixedClock
from kiosk.ids import uuid7
from kiosk.services import Services
from kiosk.store.base import Base
from kiosk.store.direct import DirectStatement, run_query
from kiosk.store.models import (
    Account,
    Attendance,
    CheckMethod,
    LedgerLine,
    LedgerTx,
    OutboxItem,
    ServiceRecord,
)
from kiosk.store.uow import Store, table_of
from tests.factories import World

TABLES: list[type[Base]] = [
    Attendance,
    ServiceRecord,
    LedgerTx,
    LedgerLine,
    Account,
    OutboxItem,
]


def raw_rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    """Every stored value with its SQLite storage class, as sqlite3 sees them."""
    db = sqlite3.connect(path)
    try:
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        typed = ", ".join(f"{c}, typeof({c})" for c in cols)
        return db.execute(f"SELECT {typed} FROM {table} ORDER BY rowid").fetchall()
    finally:
        db.close()


@pytest.fixture
def served(svc: Services, world: World, clock: FixedClock) -> uuid.UUID:
    """A check-in and a check-out, written by the services on the direct path."""
    act = svc.attendance.create_activity(
        title="义剪",
        community_id=world.community.id,
        starts_at=clock.now(),
        ends_at=clock.now() + dt.timedelta(hours=3),
        service_type="义剪",
        organiser_org_id=world.org.id,
    )
    svc.attendance.open_checkin(activity_id=act.id)
    svc.attendance.check_in(
        activity_id=act.id, person_id=world.member.id, method=CheckMethod.ID_CARD
    )
    clock.advance(minutes=75)
    out = svc.attendance.check_out(
        activity_id=act.id, person_id=world.member.id, method=CheckMethod.ID_CARD
    )
    return out.record.id


@pytest.mark.parametrize("cls", TABLES, ids=lambda c: c.__name__)
def test_direct_rows_match_sqlalchemy_rows(
    store: Store, served: uuid.UUID, tmp_path: Path, cls: type[Base]
) -> None:
    """Each table the direct path writes, rewritten by ``Connection.execute`` in a copy of
    the database (same schema, foreign keys off) from the values SQLAlchemy reads back."""
    table = table_of(cls)
    with store.read() as session:
        rows = [dict(r._mapping) for r in session.execute(select(table))]
    assert rows, f"the check-in and check-out wrote no {table.name} row"
    original = Path(store.engine.url.database or "")
    copy = tmp_path / "copy.db"
    source, target = sqlite3.connect(original), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.begin() as conn:
            conn.execute(delete(table))
            conn.execute(insert(table), rows)
    finally:
        engine.dispose()
    assert raw_rows(copy, table.name) == raw_rows(original, table.name)


def test_a_missing_parameter_is_an_error_not_a_null(store: Store) -> None:
    statement = DirectStatement(insert(table_of(LedgerLine)), store.engine.dialect)
    with pytest.raises(KeyError):
        statement.row({"tx_id": uuid7(), "position": 0, "account_id": uuid7()})


def test_direct_queries_answer_exactly_as_sqlalchemy_does(
    store: Store, served: uuid.UUID, world: World
) -> None:
    from kiosk.services import ledger
    from kiosk.store import repositories

    records = table_of(ServiceRecord)
    with store.read() as session:
        activity_id, day = session.execute(
            select(records.c.activity_id, records.c.service_day).where(records.c.id == served)
        ).one()
    person = world.member.id
    cases = [
        (
            repositories._CHECK_IN_FACTS,
            {"activity_id": activity_id, "person_id": person, "day": day},
        ),
        (repositories._CHECK_OUT_FACTS, {"activity_id": activity_id, "person_id": person}),
        (ledger._BY_CODE_OR_PERSON, {"code": ledger.MINT, "pid": person}),
        (ledger._BY_PERSON, {"pid": uuid.uuid4()}),  # no rows
    ]
    with store.engine.connect() as conn:
        for query, params in cases:
            expected = [tuple(row) for row in conn.execute(query, params)]
            got = [tuple(row) for row in run_query(conn, query, params)]
            assert got == expected, query
            assert all(
                type(a) is type(b)
                for g, e in zip(got, expected, strict=True)
                for a, b in zip(g, e, strict=True)
            )
    assert expected == []
