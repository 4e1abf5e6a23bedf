from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from kiosk.clock import FixedClock
from kiosk.errors import AlreadyClaimed, InvalidTransition, NotFound, RuleViolation, ValidationError
from kiosk.services import Services
from kiosk.store.models import AuditEntry, OutboxItem, Person, PersonKind, Wish, WishStatus
from kiosk.store.uow import Store
from tests.factories import World, make_staff


@pytest.fixture
def staff(store: Store) -> uuid.UUID:
    return make_staff(store)


def _outbox(store: Store, entity: str = "wish") -> list[OutboxItem]:
    with store.read() as s:
        return list(
            s.execute(
                select(OutboxItem)
                .where(OutboxItem.entity == entity)
                .order_by(OutboxItem.device_seq)
            ).scalars()
        )


def _all_outbox(store: Store) -> int:
    with store.read() as s:
        return len(s.execute(select(OutboxItem.device_seq)).all())


def _load(store: Store, wish_id: uuid.UUID) -> Wish:
    with store.read() as s:
        return s.get_one(Wish, wish_id)


def _member(svc: Services, world: World, name: str = "刘建国") -> Person:
    return svc.people.register(
        name=name, kind=PersonKind.MEMBER, org_id=world.org.id, community_id=world.community.id
    )


def _published(
    svc: Services, world: World, staff: uuid.UUID, title: str = "想要一台收音机"
) -> Wish:
    wish = svc.wishes.submit(resident_id=world.resident.id, title=title)
    return svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=True)


def test_submitted_wish_is_private_until_verified(
    svc: Services, world: World, store: Store, staff: uuid.UUID
) -> None:
    wish = svc.wishes.submit(
        resident_id=world.resident.id, title=" 想要一台收音机 ", description="听粤剧"
    )
    assert wish.status == WishStatus.SUBMITTED and wish.title == "想要一台收音机"
    assert svc.wishes.public_list() == []
    published = svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=True, note="属实")
    assert published.status == WishStatus.PUBLISHED and published.verified_by == staff
    [view] = svc.wishes.public_list()
    assert view.resident_name_masked == "李*"
    assert (view.id, view.title, view.description) == (wish.id, "想要一台收音机", "听粤剧")
    assert (view.status, view.round_no, view.priority) == ("published", 1, 0)
    assert "李伯" not in repr(view)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.title = "x"  # type: ignore[misc]
    assert [i.op for i in _outbox(store)] == ["create", "publish"]
    publish = json.loads(_outbox(store)[-1].payload)
    assert publish["base_version"] == 1 and publish["status"] == "published"
    with store.read() as s:
        [entry] = s.execute(select(AuditEntry)).scalars()
    assert (entry.action, entry.detail) == ("wish.verify", "approve=True")


def test_rejected_wish_stays_private_and_cannot_be_verified_again(
    svc: Services, world: World, staff: uuid.UUID
) -> None:
    wish = svc.wishes.submit(resident_id=world.resident.id, title="想换个新冰箱")
    rejected = svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=False, note="超出范围")
    assert rejected.status == WishStatus.REJECTED and rejected.note == "超出范围"
    assert svc.wishes.public_list() == []
    with pytest.raises(InvalidTransition, match="没有通过审核"):
        svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=True)


@pytest.mark.parametrize(
    ("title", "description"), [("  ", ""), ("愿" * 61, ""), ("收音机", "说" * 301)]
)
def test_submit_validation_writes_nothing(
    svc: Services, world: World, store: Store, title: str, description: str
) -> None:
    before = _all_outbox(store)
    with pytest.raises(ValidationError):
        svc.wishes.submit(resident_id=world.resident.id, title=title, description=description)
    with pytest.raises(NotFound):
        svc.wishes.submit(resident_id=uuid.uuid4(), title="收音机")
    assert _all_outbox(store) == before


def test_claim_contact_fulfil(
    svc: Services, world: World, store: Store, staff: uuid.UUID, clock: FixedClock
) -> None:
    wish = _published(svc, world, staff)
    claimed = svc.wishes.claim(wish_id=wish.id, member_id=world.member.id)
    assert claimed.status == WishStatus.CLAIMED and claimed.claimant_id == world.member.id
    assert claimed.contact_due == clock.now() + dt.timedelta(days=7)
    clock.advance(days=3)
    contacted = svc.wishes.mark_contacted(wish_id=wish.id, member_id=world.member.id)
    assert contacted.status == WishStatus.CONTACTED and contacted.contacted_at == clock.now()
    assert [v.status for v in svc.wishes.public_list()] == ["contacted"]
    with pytest.raises(ValidationError, match="圆梦情况"):
        svc.wishes.fulfil(wish_id=wish.id, note=" ", member_id=world.member.id)
    with pytest.raises(ValidationError):
        svc.wishes.fulfil(wish_id=wish.id, note="已送到")
    other = _member(svc, world)
    with pytest.raises(RuleViolation, match="认领"):
        svc.wishes.fulfil(wish_id=wish.id, note="已送到", member_id=other.id)
    done = svc.wishes.fulfil(wish_id=wish.id, note="已送到家中", member_id=world.member.id)
    assert done.status == WishStatus.FULFILLED and done.fulfilled_at == clock.now()
    assert svc.wishes.public_list() == []
    ops = [i.op for i in _outbox(store)]
    assert ops == ["create", "publish", "claim", "contact", "fulfil"]
    bases = [json.loads(i.payload).get("base_version") for i in _outbox(store)]
    assert bases == [None, 1, 2, 3, 4]
    assert _load(store, wish.id).version == 5


def test_staff_can_record_fulfilment(
    svc: Services, world: World, store: Store, staff: uuid.UUID
) -> None:
    wish = _published(svc, world, staff)
    svc.wishes.claim(wish_id=wish.id, member_id=world.member.id)
    svc.wishes.mark_contacted(wish_id=wish.id, member_id=world.member.id)
    svc.wishes.fulfil(wish_id=wish.id, note="站点代为登记", staff_id=staff)
    with store.read() as s:
        actions = list(s.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())
    assert actions == ["wish.verify", "wish.fulfil"]


def test_first_member_claim_wins(
    svc: Services, world: World, store: Store, staff: uuid.UUID
) -> None:
    wish = _published(svc, world, staff)
    second = _member(svc, world)
    svc.wishes.claim(wish_id=wish.id, member_id=world.member.id)
    before = _all_outbox(store)
    with pytest.raises(AlreadyClaimed, match="已经有党员认领"):
        svc.wishes.claim(wish_id=wish.id, member_id=second.id)
    assert _all_outbox(store) == before
    assert _load(store, wish.id).claimant_id == world.member.id


def test_only_members_may_claim(
    svc: Services, world: World, store: Store, staff: uuid.UUID
) -> None:
    wish = _published(svc, world, staff)
    volunteer = svc.people.register(name="陈志强", kind=PersonKind.VOLUNTEER)
    own = svc.wishes.submit(resident_id=world.member.id, title="想学智能手机")
    svc.wishes.verify(wish_id=own.id, staff_id=staff, approve=True)
    before = _all_outbox(store)
    for person in (volunteer, world.resident):
        with pytest.raises(RuleViolation, match="只有党员"):
            svc.wishes.claim(wish_id=wish.id, member_id=person.id)
    with pytest.raises(NotFound):
        svc.wishes.claim(wish_id=wish.id, member_id=uuid.uuid4())
    with pytest.raises(NotFound):
        svc.wishes.claim(wish_id=uuid.uuid4(), member_id=world.member.id)
    with pytest.raises(RuleViolation, match="自己"):
        svc.wishes.claim(wish_id=own.id, member_id=world.member.id)
    assert _all_outbox(store) == before
    assert _load(store, wish.id).status == WishStatus.PUBLISHED


def test_contact_only_by_the_claimant_within_the_window(
    svc: Services, world: World, staff: uuid.UUID, clock: FixedClock
) -> None:
    wish = _published(svc, world, staff)
    svc.wishes.claim(wish_id=wish.id, member_id=world.member.id)
    with pytest.raises(RuleViolation, match="只有认领"):
        svc.wishes.mark_contacted(wish_id=wish.id, member_id=_member(svc, world).id)
    clock.advance(days=7, minutes=1)
    with pytest.raises(RuleViolation, match="期限已过"):
        svc.wishes.mark_contacted(wish_id=wish.id, member_id=world.member.id)


def test_uncontacted_claims_lapse_back_with_priority(
    svc: Services, world: World, store: Store, staff: uuid.UUID, clock: FixedClock
) -> None:
    kept = _published(svc, world, staff, "想去看看珠江夜景")
    clock.advance(minutes=1)
    lapsing = _published(svc, world, staff, "想要一台收音机")
    svc.wishes.claim(wish_id=lapsing.id, member_id=world.member.id)
    svc.wishes.claim(wish_id=kept.id, member_id=world.member.id)
    svc.wishes.mark_contacted(wish_id=kept.id, member_id=world.member.id)
    clock.advance(days=7)
    assert svc.wishes.lapse_uncontacted() == 0  # due, not yet past
    clock.advance(minutes=1)
    assert svc.wishes.lapse_uncontacted() == 1
    back = _load(store, lapsing.id)
    assert back.status == WishStatus.PUBLISHED and back.priority == 1
    assert back.claimant_id is None and back.contact_due is None and back.claimed_at is None
    assert _load(store, kept.id).status == WishStatus.CONTACTED
    lapse = json.loads(_outbox(store)[-1].payload)
    assert (lapse["status"], lapse["claimant_id"], lapse["priority"]) == ("published", None, 1)
    assert [v.id for v in svc.wishes.public_list()] == [lapsing.id, kept.id]  # priority first
    other = _member(svc, world)
    assert svc.wishes.claim(wish_id=lapsing.id, member_id=other.id).claimant_id == other.id


def test_next_round_carries_published_wishes_forward(
    svc: Services, world: World, store: Store, staff: uuid.UUID, clock: FixedClock
) -> None:
    older = _published(svc, world, staff, "想要一台收音机")
    clock.advance(minutes=1)
    newer = _published(svc, world, staff, "想去看看珠江夜景")
    clock.advance(minutes=1)
    claimed = _published(svc, world, staff, "想要一副老花镜")
    svc.wishes.claim(wish_id=claimed.id, member_id=world.member.id)
    pending = svc.wishes.submit(resident_id=world.resident.id, title="想学写毛笔字")
    assert [v.id for v in svc.wishes.public_list()] == [older.id, newer.id, claimed.id]
    assert svc.wishes.next_round() == 2
    assert svc.wishes.next_round() == 2
    assert (_load(store, older.id).round_no, _load(store, older.id).priority) == (3, 2)
    assert (_load(store, claimed.id).round_no, _load(store, claimed.id).priority) == (1, 0)
    assert _load(store, pending.id).round_no == 1
    assert [v.id for v in svc.wishes.public_list()] == [older.id, newer.id, claimed.id]
    rounds = [i for i in _outbox(store) if i.op == "next_round"]
    assert len(rounds) == 4
    assert json.loads(rounds[-1].payload)["round_no"] == 3


# --- every step from every status --------------------------------------------------------

ALLOWED = {
    ("approve", "submitted"),
    ("reject", "submitted"),
    ("claim", "published"),
    ("contact", "claimed"),
    ("fulfil", "contacted"),
}


def _steps(world: World, staff: uuid.UUID) -> dict[str, Callable[[Services, uuid.UUID], object]]:
    member = world.member.id
    return {
        "approve": lambda svc, i: svc.wishes.verify(wish_id=i, staff_id=staff, approve=True),
        "reject": lambda svc, i: svc.wishes.verify(wish_id=i, staff_id=staff, approve=False),
        "claim": lambda svc, i: svc.wishes.claim(wish_id=i, member_id=member),
        "contact": lambda svc, i: svc.wishes.mark_contacted(wish_id=i, member_id=member),
        "fulfil": lambda svc, i: svc.wishes.fulfil(wish_id=i, note="已圆梦", staff_id=staff),
    }


def _wish_in(svc: Services, world: World, staff: uuid.UUID, status: str) -> uuid.UUID:
    wish = svc.wishes.submit(resident_id=world.resident.id, title="想要一台收音机")
    steps = _steps(world, staff)
    path = {
        "submitted": [],
        "rejected": ["reject"],
        "published": ["approve"],
        "claimed": ["approve", "claim"],
        "contacted": ["approve", "claim", "contact"],
        "fulfilled": ["approve", "claim", "contact", "fulfil"],
    }[status]
    for step in path:
        steps[step](svc, wish.id)
    assert _load(svc.store, wish.id).status == status
    return wish.id


@pytest.mark.parametrize(
    ("op", "status"),
    [
        (op, s.value)
        for op in ("approve", "reject", "claim", "contact", "fulfil")
        for s in WishStatus
        if (op, s.value) not in ALLOWED
    ],
)
def test_illegal_transitions_are_refused_and_write_nothing(
    svc: Services, world: World, store: Store, staff: uuid.UUID, op: str, status: str
) -> None:
    wish_id = _wish_in(svc, world, staff, status)
    before = (_all_outbox(store), _load(store, wish_id).version)
    taken = op == "claim" and status in {"claimed", "contacted", "fulfilled"}
    with pytest.raises(AlreadyClaimed if taken else InvalidTransition) as err:
        _steps(world, staff)[op](svc, wish_id)
    assert err.value.message.startswith("这个心愿")
    assert (_all_outbox(store), _load(store, wish_id).version) == before
