"""seed-demo: deterministic, rule-abiding, and counted the way record_counts counts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.clock import UTC, FixedClock, SystemClock, local_day
from kiosk.demo import seed_demo, seed_reference
from kiosk.identity import parse_id_number
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.models import (
    Community,
    Need,
    NeedStatus,
    Organisation,
    Person,
    PersonKind,
    PriceItem,
    Station,
    Town,
    Wish,
)
from kiosk.store.opening import open_store
from kiosk.store.uow import Store

SMALL = {"members": 30, "activities": 5, "checkins": 120, "needs": 20, "suggestions": 6}


def _open(path: Path, start: dt.datetime | None = None) -> Store:
    return open_store(path, clock=FixedClock(start or dt.datetime(2026, 1, 5, 1, tzinfo=UTC)))


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[list[Store]]:
    opened: list[Store] = []
    yield opened
    for st in opened:
        st.close()


def _people(store: Store) -> list[tuple[str, str, str, int]]:
    """(kind, name, clear ID number, balance) for everyone, in a store-independent order."""
    svc = Services(store)
    with store.read() as s:
        rows = s.execute(select(Person)).scalars().all()
    out = []
    for p in rows:
        assert p.id_cipher is not None
        number = store.keyring.decrypt(p.id_cipher, context=f"person:{p.id}:id")
        out.append((p.kind, p.name, number, svc.ledger.balance(p.id)))
    return sorted(out)


def _seed(stores: list[Store], path: Path, seed: int, **kw: Any) -> tuple[Store, dict[str, int]]:
    store = _open(path)
    stores.append(store)
    return store, seed_demo(Services(store), seed=seed, **(SMALL | kw))


def test_same_seed_same_store(stores: list[Store], tmp_path: Path) -> None:
    a, made_a = _seed(stores, tmp_path / "a", seed=7)
    b, made_b = _seed(stores, tmp_path / "b", seed=7)
    assert made_a == made_b
    assert made_a["service_approvals"] >= 2  # forgotten check-outs, reviewed in a fixed order
    assert a.keyring.key_id != b.keyring.key_id  # so equal people below are not a key artefact
    people = _people(a)
    assert people == _people(b)
    assert len(people) == made_a["members"] + made_a["residents"] + made_a["volunteers"]
    assert Services(a).ledger.totals() == Services(b).ledger.totals()
    assert Services(a).stats.summary(year=2026) == Services(b).stats.summary(year=2026)
    with a.read() as sa, b.read() as sb:
        for model in (Town, Organisation):
            q = select(model.id, model.name).order_by(model.id)
            assert sa.execute(q).all() == sb.execute(q).all()
    _, made_c = _seed(stores, tmp_path / "c", seed=8)
    assert _people(stores[-1]) != people
    assert made_c["members"] == made_a["members"]


def test_reference_alone_has_the_demo_ids(stores: list[Store], tmp_path: Path) -> None:
    full, _ = _seed(stores, tmp_path / "full", seed=5)
    ref = _open(tmp_path / "ref", dt.datetime(2030, 6, 1, tzinfo=UTC))  # the clock start is moot
    stores.append(ref)
    made = seed_reference(Services(ref), members=SMALL["members"], seed=5)
    assert made["towns"] == 9 and made["organisations"] == 5 and "members" not in made
    with full.read() as sf, ref.read() as sr:
        for model in (Town, Community, Station, Organisation, PriceItem):
            q = select(model.id, model.name).order_by(model.id)
            assert sf.execute(q).all() == sr.execute(q).all()


def test_people_are_plausible(stores: list[Store], tmp_path: Path) -> None:
    store, _ = _seed(stores, tmp_path / "a", seed=3, members=60)
    for kind, _name, number, _ in _people(store):
        facts = parse_id_number(number)  # valid check digit and birth date
        assert facts.birth_date is not None
        if kind == PersonKind.MEMBER:
            assert 1960 <= facts.birth_date.year <= 2000
    with store.read() as s:
        residents = s.execute(select(Person).where(Person.kind == "resident")).scalars().all()
        members = s.execute(select(Person).where(Person.kind == "member")).scalars().all()
    births = [p.birth_date.year for p in residents if p.birth_date]
    assert sum(1930 <= y <= 1960 for y in births) > len(births) * 0.7
    assert any(p.hardship for p in residents)
    assert all(p.org_id and p.community_id for p in members)
    assert any("䶮" in p.name for p in members + residents)


def test_defaults_fill_the_store_soundly(stores: list[Store], tmp_path: Path) -> None:
    data_dir = tmp_path / "kiosk"
    store = _open(data_dir)
    stores.append(store)
    svc = Services(store)
    made = seed_demo(svc, data_dir=data_dir)
    assert check_database(store) == []

    counts = svc.stats.record_counts()
    shared = {k: v for k, v in made.items() if k in counts}
    assert len(shared) >= 18
    assert shared == {k: counts[k] for k in shared}
    assert made["members"] == 200 and made["needs"] == 60 and made["wishes"] == 15
    assert made["attendance"] == 2 * made["service_records"] == 800
    assert made["donations"] > 0 and made["spends"] > 0 and made["grants"] > 0

    # The history spans January to November 2026 in Guangzhou time.
    months = [svc.stats.summary(month=f"2026-{m:02d}") for m in range(1, 13)]
    served = [m["person_times_served"] + m["residents_served"] for m in months]
    assert served[11] == 0 and sum(1 for n in served[:11] if n) >= 9
    assert local_day(store.clock.now()) == dt.date(2026, 11, 30)

    with store.read() as s:
        needs = set(s.execute(select(Need.status)).scalars())
        wishes = set(s.execute(select(Wish.status)).scalars())
        claimants = s.execute(select(Need.claimant_person_id, Need.claimant_org_id)).all()
    assert {NeedStatus.POSTED, NeedStatus.RATED, NeedStatus.CANCELLED} <= needs
    assert {"submitted", "published", "fulfilled"} <= wishes
    assert any(p for p, _ in claimants) and any(o for _, o in claimants)

    assert store.identity.station_id is not None
    saved = json.loads((data_dir / "device.json").read_text())
    assert saved["station_id"] == str(store.identity.station_id)
    assert svc.staff.authenticate(login="admin", pin="123456").login == "admin"
    assert svc.staff.authenticate(login="staff", pin="2468").login == "staff"


def test_needs_a_fixed_clock(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k", clock=SystemClock())
    try:
        with pytest.raises(TypeError):
            seed_demo(Services(store), members=5)
    finally:
        store.close()


def test_tiny_and_empty_plans(stores: list[Store], tmp_path: Path) -> None:
    store, made = _seed(
        stores, tmp_path / "t", seed=1, members=3, activities=1, checkins=10, needs=5, wishes=3
    )
    assert check_database(store) == []
    assert made["members"] == 3
    store, made = _seed(
        stores, tmp_path / "z", seed=1, activities=0, checkins=0, needs=0, suggestions=0, wishes=0
    )
    assert check_database(store) == []
    assert made.get("activities", 0) == made.get("needs", 0) == made.get("wishes", 0) == 0
