from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.clock import FixedClock
from kiosk.errors import (
    AlreadyClaimed,
    InvalidTransition,
    NotFound,
    RuleViolation,
    TimebankError,
    ValidationError,
)
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.models import (
    AuditEntry,
    LedgerTx,
    Need,
    NeedCategory,
    NeedStatus,
    OutboxItem,
    Person,
    PersonKind,
)
from kiosk.store.uow import Store
from tests.factories import World, make_staff

HAIRCUT = NeedCategory.HAIRCUT


def _post(svc: Services, world: World, **kw: Any) -> Need:
    args: dict[str, Any] = {
        "resident_id": world.resident.id,
        "category": HAIRCUT,
        "wished_at": svc.store.clock.now() + dt.timedelta(days=1),
    } | kw
    return svc.needs.post(**args)


def _volunteer(svc: Services, world: World, name: str = "陈志强") -> Person:
    return svc.people.register(
        name=name, kind=PersonKind.VOLUNTEER, community_id=world.community.id
    )


def _outbox(store: Store, entity: str | None = None) -> list[OutboxItem]:
    with store.read() as s:
        query = select(OutboxItem).order_by(OutboxItem.device_seq)
        if entity is not None:
            query = query.where(OutboxItem.entity == entity)
        return list(s.execute(query).scalars())


def _count(store: Store, model: type) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _load(store: Store, need_id: uuid.UUID) -> Need:
    with store.read() as s:
        return s.get_one(Need, need_id)


def test_full_lifecycle_mints_coins_to_the_member(
    svc: Services, world: World, store: Store, clock: FixedClock
) -> None:
    staff = make_staff(store)
    need = _post(svc, world, description="想在家理个发")
    assert need.status == NeedStatus.POSTED and need.version == 1
    assert need.community_id == world.community.id  # the resident's community by default
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    clock.advance(minutes=30)
    svc.needs.start(need_id=need.id)
    clock.advance(minutes=95)
    svc.needs.complete(need_id=need.id, service_minutes=95)
    assert svc.ledger.balance(world.member.id) == 0  # nothing before confirmation
    done = svc.needs.confirm(need_id=need.id, staff_id=staff)
    assert svc.ledger.balance(world.member.id) == 90  # half-coin steps, rounded down
    rated = svc.needs.rate(need_id=need.id, stars=5, comment="很细心")

    stored = _load(store, need.id)
    assert stored.status == NeedStatus.RATED == rated.status
    assert stored.version == 6
    assert stored.rating == 5 and stored.rating_comment == "很细心"
    assert stored.claimed_at is not None and stored.started_at is not None
    assert stored.completed_at == clock.now() and stored.confirmed_at == clock.now()
    assert stored.ledger_tx_id is not None and stored.ledger_tx_id == done.ledger_tx_id
    with store.read() as s:
        tx = s.get_one(LedgerTx, stored.ledger_tx_id)
        assert (tx.ref_entity, tx.ref_id, tx.operator_id) == ("need", need.id, staff)

    items = _outbox(store, "need")
    assert [i.op for i in items] == ["create", "claim", "start", "complete", "confirm", "rate"]
    payloads = [json.loads(i.payload) for i in items]
    assert [p.get("base_version") for p in payloads[1:]] == [1, 2, 3, 4, 5]
    assert payloads[1]["claimant_person_id"] == str(world.member.id)
    assert payloads[1]["status"] == "claimed"
    assert payloads[3]["service_minutes"] == 95
    assert payloads[4]["ledger_tx_id"] == str(stored.ledger_tx_id)
    assert all(p["id"] == str(need.id) for p in payloads)
    assert check_database(store) == []


def test_confirm_mints_to_an_organisation(svc: Services, world: World, store: Store) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, org_id=world.org.id)
    svc.needs.start(need_id=need.id)
    svc.needs.complete(need_id=need.id, service_minutes=120)
    svc.needs.confirm(need_id=need.id)
    assert svc.ledger.org_balance(world.org.id) == 120
    assert svc.ledger.balance(world.member.id) == 0
    assert check_database(store) == []


def test_confirm_of_short_service_mints_nothing(svc: Services, world: World, store: Store) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    svc.needs.start(need_id=need.id)
    svc.needs.complete(need_id=need.id, service_minutes=20)
    confirmed = svc.needs.confirm(need_id=need.id)
    assert confirmed.status == NeedStatus.CONFIRMED and confirmed.ledger_tx_id is None
    assert _count(store, LedgerTx) == 0
    assert check_database(store) == []


def test_staff_actions_are_audited_without_names(svc: Services, world: World, store: Store) -> None:
    staff = make_staff(store)
    need = _post(svc, world, staff_id=staff)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    svc.needs.release(need_id=need.id, staff_id=staff)
    svc.needs.cancel(need_id=need.id, reason="李伯住院了", staff_id=staff)
    with store.read() as s:
        entries = list(s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
    assert [e.action for e in entries] == ["need.post", "need.release", "need.cancel"]
    assert all(e.staff_id == staff and e.entity_id == need.id for e in entries)
    assert all("李" not in e.detail and "张" not in e.detail for e in entries)
    assert _load(store, need.id).posted_by_staff_id == staff


def test_first_claim_wins_and_the_second_writes_nothing(
    svc: Services, world: World, store: Store
) -> None:
    need = _post(svc, world)
    volunteer = _volunteer(svc, world)
    svc.needs.claim(need_id=need.id, person_id=volunteer.id)
    before = len(_outbox(store))
    with pytest.raises(AlreadyClaimed, match="已经有人认领"):
        svc.needs.claim(need_id=need.id, person_id=world.member.id)
    with pytest.raises(AlreadyClaimed):
        svc.needs.claim(need_id=need.id, org_id=world.org.id)
    assert len(_outbox(store)) == before
    assert _load(store, need.id).claimant_person_id == volunteer.id


def test_concurrent_claims_have_exactly_one_winner(svc: Services, world: World) -> None:
    need = _post(svc, world)
    claimants = [world.member, _volunteer(svc, world)]
    barrier = threading.Barrier(len(claimants))
    outcomes: list[str] = []

    def claim(person: Person) -> None:
        barrier.wait()
        try:
            svc.needs.claim(need_id=need.id, person_id=person.id)
            outcomes.append("won")
        except AlreadyClaimed:
            outcomes.append("lost")

    threads = [threading.Thread(target=claim, args=(p,)) for p in claimants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["lost", "won"]


def test_who_may_claim(svc: Services, world: World, store: Store) -> None:
    need = _post(svc, world)
    with pytest.raises(RuleViolation, match="党员和志愿者"):
        svc.needs.claim(need_id=need.id, person_id=world.resident.id)
    with pytest.raises(ValidationError):
        svc.needs.claim(need_id=need.id)
    with pytest.raises(ValidationError):
        svc.needs.claim(need_id=need.id, person_id=world.member.id, org_id=world.org.id)
    with pytest.raises(NotFound):
        svc.needs.claim(need_id=need.id, person_id=uuid.uuid4())
    with pytest.raises(NotFound):
        svc.needs.claim(need_id=need.id, org_id=uuid.uuid4())
    with pytest.raises(NotFound):
        svc.needs.claim(need_id=uuid.uuid4(), person_id=world.member.id)
    own = svc.needs.post(
        resident_id=world.member.id, category=NeedCategory.REPAIR, wished_at=svc.store.clock.now()
    )
    with pytest.raises(RuleViolation, match="自己"):
        svc.needs.claim(need_id=own.id, person_id=world.member.id)
    assert _load(store, need.id).status == NeedStatus.POSTED
    volunteer = _volunteer(svc, world)
    assert svc.needs.claim(need_id=need.id, person_id=volunteer.id).status == NeedStatus.CLAIMED


def test_release_puts_the_need_back_for_someone_else(
    svc: Services, world: World, store: Store
) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    assert svc.needs.open_needs() == []
    released = svc.needs.release(need_id=need.id)
    assert released.status == NeedStatus.POSTED
    assert released.claimant_person_id is None and released.claimed_at is None
    assert [n.id for n in svc.needs.open_needs()] == [need.id]
    payload = json.loads(_outbox(store, "need")[-1].payload)
    assert payload["claimant_person_id"] is None and payload["base_version"] == 2
    svc.needs.claim(need_id=need.id, org_id=world.org.id)
    assert _load(store, need.id).claimant_org_id == world.org.id


def test_cancel_needs_a_reason_and_works_from_claimed(
    svc: Services, world: World, store: Store
) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    with pytest.raises(ValidationError, match="原因"):
        svc.needs.cancel(need_id=need.id, reason="   ")
    with pytest.raises(ValidationError):
        svc.needs.cancel(need_id=need.id, reason="长" * 201)
    cancelled = svc.needs.cancel(need_id=need.id, reason="已经自己解决了")
    assert cancelled.status == NeedStatus.CANCELLED
    assert _load(store, need.id).closed_reason == "已经自己解决了"


@pytest.mark.parametrize(
    ("make", "error", "fragment"),
    [
        (lambda now: {"description": "长" * 201}, ValidationError, "200"),
        (lambda now: {"wished_at": now - dt.timedelta(days=1, minutes=1)}, ValidationError, "90"),
        (lambda now: {"wished_at": now + dt.timedelta(days=90, minutes=1)}, ValidationError, "90"),
        (lambda now: {"wished_at": now.replace(tzinfo=None)}, ValidationError, "时间"),
        (lambda now: {"category": "洗碗"}, ValidationError, "类别"),
        (lambda now: {"resident_id": uuid.uuid4()}, NotFound, "登记"),
        (lambda now: {"community_id": uuid.uuid4()}, NotFound, "社区"),
    ],
    ids=["description", "past", "far", "naive", "category", "resident", "community"],
)
def test_post_validation_writes_nothing(
    svc: Services,
    world: World,
    store: Store,
    make: Callable[[dt.datetime], dict[str, Any]],
    error: type[TimebankError],
    fragment: str,
) -> None:
    before = len(_outbox(store))
    with pytest.raises(error, match=fragment):
        _post(svc, world, **make(svc.store.clock.now()))
    assert len(_outbox(store)) == before
    assert _count(store, Need) == 0


def test_post_time_window_edges_and_community(svc: Services, world: World) -> None:
    now = svc.store.clock.now()
    assert _post(svc, world, wished_at=now - dt.timedelta(days=1)).status == NeedStatus.POSTED
    assert _post(svc, world, wished_at=now + dt.timedelta(days=90)).status == NeedStatus.POSTED
    loner = svc.people.register(name="赵婆婆", kind=PersonKind.RESIDENT)
    with pytest.raises(ValidationError, match="社区"):
        _post(svc, world, resident_id=loner.id)
    placed = _post(svc, world, resident_id=loner.id, community_id=world.community.id)
    assert placed.community_id == world.community.id


@pytest.mark.parametrize("minutes", [0, -5, 721])
def test_complete_minutes_are_bounded(svc: Services, world: World, minutes: int) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    svc.needs.start(need_id=need.id)
    with pytest.raises(ValidationError, match="720"):
        svc.needs.complete(need_id=need.id, service_minutes=minutes)
    assert svc.needs.complete(need_id=need.id, service_minutes=720).service_minutes == 720


def test_rating_is_bounded(svc: Services, world: World) -> None:
    need = _post(svc, world)
    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    svc.needs.start(need_id=need.id)
    svc.needs.complete(need_id=need.id, service_minutes=60)
    svc.needs.confirm(need_id=need.id)
    for stars in (0, 6):
        with pytest.raises(ValidationError, match="星"):
            svc.needs.rate(need_id=need.id, stars=stars)
    with pytest.raises(ValidationError):
        svc.needs.rate(need_id=need.id, stars=4, comment="好" * 201)
    assert svc.needs.rate(need_id=need.id, stars=1).rating == 1


def test_expire_overdue(svc: Services, world: World, store: Store, clock: FixedClock) -> None:
    now = clock.now()
    old = _post(svc, world, wished_at=now)
    claimed = _post(svc, world, wished_at=now)
    svc.needs.claim(need_id=claimed.id, person_id=world.member.id)
    later = _post(svc, world, wished_at=now + dt.timedelta(days=5))
    clock.advance(days=7)
    assert svc.needs.expire_overdue() == 0  # wished_at + grace is not yet past
    clock.advance(minutes=1)
    assert svc.needs.expire_overdue() == 1
    assert _load(store, old.id).status == NeedStatus.EXPIRED
    assert _load(store, claimed.id).status == NeedStatus.CLAIMED
    assert [n.id for n in svc.needs.open_needs()] == [later.id]
    assert svc.needs.expire_overdue(grace=dt.timedelta(days=1)) == 1
    item = _outbox(store, "need")[-1]
    assert item.op == "expire" and json.loads(item.payload)["status"] == "expired"


def test_open_needs_oldest_first_by_community(
    svc: Services, world: World, clock: FixedClock
) -> None:
    first = _post(svc, world)
    clock.advance(minutes=1)
    second = _post(svc, world, category=NeedCategory.MEAL)
    clock.advance(minutes=1)
    taken = _post(svc, world)
    svc.needs.claim(need_id=taken.id, person_id=world.member.id)
    assert [n.id for n in svc.needs.open_needs()] == [first.id, second.id]
    assert [n.id for n in svc.needs.open_needs(world.community.id)] == [first.id, second.id]
    assert svc.needs.open_needs(uuid.uuid4()) == []


# --- every step from every status --------------------------------------------------------

ALLOWED = {
    ("claim", "posted"),
    ("release", "claimed"),
    ("start", "claimed"),
    ("complete", "in_service"),
    ("confirm", "completed"),
    ("rate", "confirmed"),
    ("cancel", "posted"),
    ("cancel", "claimed"),
}
STEPS: dict[str, Callable[[Services, World, uuid.UUID], object]] = {
    "claim": lambda svc, w, i: svc.needs.claim(need_id=i, org_id=w.org.id),
    "release": lambda svc, w, i: svc.needs.release(need_id=i),
    "start": lambda svc, w, i: svc.needs.start(need_id=i),
    "complete": lambda svc, w, i: svc.needs.complete(need_id=i, service_minutes=60),
    "confirm": lambda svc, w, i: svc.needs.confirm(need_id=i),
    "rate": lambda svc, w, i: svc.needs.rate(need_id=i, stars=3),
    "cancel": lambda svc, w, i: svc.needs.cancel(need_id=i, reason="不需要了"),
}
PATH = ["claim", "start", "complete", "confirm", "rate"]


def _need_in(svc: Services, world: World, clock: FixedClock, status: str) -> uuid.UUID:
    need = _post(svc, world, wished_at=clock.now())
    if status == "cancelled":
        svc.needs.cancel(need_id=need.id, reason="不需要了")
    elif status == "expired":
        clock.advance(days=8)
        svc.needs.expire_overdue()
    else:
        for step in PATH[: list(NeedStatus).index(NeedStatus(status))]:
            STEPS[step](svc, world, need.id)
    assert _load(svc.store, need.id).status == status
    return need.id


@pytest.mark.parametrize(
    ("op", "status"),
    [(op, s.value) for op in STEPS for s in NeedStatus if (op, s.value) not in ALLOWED],
)
def test_illegal_transitions_are_refused_and_write_nothing(
    svc: Services, world: World, store: Store, clock: FixedClock, op: str, status: str
) -> None:
    need_id = _need_in(svc, world, clock, status)
    before = (len(_outbox(store)), _count(store, LedgerTx), _load(store, need_id).version)
    taken = op == "claim" and status in {"claimed", "in_service", "completed", "confirmed", "rated"}
    with pytest.raises(AlreadyClaimed if taken else InvalidTransition) as err:
        STEPS[op](svc, world, need_id)
    assert err.value.message.startswith("这个需求")
    assert (len(_outbox(store)), _count(store, LedgerTx), _load(store, need_id).version) == before


@pytest.mark.parametrize(("op", "status"), sorted(ALLOWED))
def test_allowed_transitions_bump_the_version(
    svc: Services, world: World, store: Store, clock: FixedClock, op: str, status: str
) -> None:
    need_id = _need_in(svc, world, clock, status)
    version = _load(store, need_id).version
    STEPS[op](svc, world, need_id)
    assert _load(store, need_id).version == version + 1
    last = json.loads(_outbox(store, "need")[-1].payload)
    assert last["base_version"] == version and last["id"] == str(need_id)
