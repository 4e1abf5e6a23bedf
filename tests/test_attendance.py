from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from kiosk.clock import FixedClock
from kiosk.errors import InvalidTransition, NotFound, RuleViolation, ValidationError
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.models import (
    Attendance,
    BeneficiaryVisit,
    CheckMethod,
    OutboxItem,
    ServiceRecord,
    ServiceStatus,
)
from kiosk.store.uow import Store
from tests.factories import World, at, make_staff

ID = CheckMethod.ID_CARD


def _activity(svc: Services, world: World, start: dt.datetime, hours: float = 10):
    return svc.attendance.create_activity(
        title="社区清洁家园",
        community_id=world.community.id,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        service_type="清洁家园",
        organiser_org_id=world.org.id,
    )


def _count(store: Store, model: type) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_check_in_then_out_credits_minutes_and_coins(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    act = _activity(svc, world, at(2, 9))
    res = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    assert not res.already and "09:00" in res.message
    clock.advance(minutes=95)
    out = svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    assert out.record.minutes == 95
    assert out.record.status == ServiceStatus.CREDITED
    assert out.coins_minutes == 90  # half-coin steps, rounded down
    assert svc.ledger.balance(world.member.id) == 90
    assert check_database(store) == []


def test_repeated_check_in_returns_the_existing_one(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    act = _activity(svc, world, at(2, 9))
    first = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.advance(minutes=3)
    again = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    assert again.already
    assert again.attendance.id == first.attendance.id
    assert again.message.startswith("已于 09:00 签到")
    assert _count(store, Attendance) == 1


def test_at_most_three_pairs_a_day(svc: Services, world: World, clock: FixedClock) -> None:
    act = _activity(svc, world, at(2, 9))
    for _ in range(3):
        svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
        clock.advance(minutes=30)
        svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
        clock.advance(minutes=5)
    with pytest.raises(RuleViolation, match="上限"):
        svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)


def test_check_out_without_check_in_is_refused(svc: Services, world: World, store: Store) -> None:
    act = _activity(svc, world, at(2, 9))
    before = _count(store, OutboxItem)
    with pytest.raises(RuleViolation, match="还没有签到"):
        svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    assert _count(store, OutboxItem) == before


def test_beyond_eight_hours_a_day_waits_for_staff(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    act = _activity(svc, world, at(2, 8), hours=12)
    clock.set(at(2, 8))
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.set(at(2, 18, 10))  # 10 h 10 min
    out = svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    assert out.record.credited_minutes == 480
    assert out.record.pending_minutes == 130
    assert out.record.status == ServiceStatus.PENDING_APPROVAL
    assert svc.ledger.balance(world.member.id) == 480
    assert [r.id for r in svc.attendance.pending_reviews()] == [out.record.id]

    staff = make_staff(store)
    with pytest.raises(ValidationError):
        svc.attendance.approve_service(record_id=out.record.id, staff_id=staff, minutes=131)
    svc.attendance.approve_service(record_id=out.record.id, staff_id=staff, minutes=120)
    assert svc.ledger.balance(world.member.id) == 600
    with pytest.raises(InvalidTransition):
        svc.attendance.approve_service(record_id=out.record.id, staff_id=staff, minutes=10)
    assert svc.attendance.pending_reviews() == []
    assert check_database(store) == []


def test_daily_limit_counts_across_activities(
    svc: Services, world: World, clock: FixedClock
) -> None:
    morning = _activity(svc, world, at(2, 7), hours=6)
    evening = _activity(svc, world, at(2, 13), hours=8)
    clock.set(at(2, 7))
    svc.attendance.check_in(activity_id=morning.id, person_id=world.member.id, method=ID)
    clock.set(at(2, 13))
    svc.attendance.check_out(activity_id=morning.id, person_id=world.member.id, method=ID)
    svc.attendance.check_in(activity_id=evening.id, person_id=world.member.id, method=ID)
    clock.set(at(2, 16))
    out = svc.attendance.check_out(activity_id=evening.id, person_id=world.member.id, method=ID)
    assert (out.record.credited_minutes, out.record.pending_minutes) == (120, 60)


def test_forgotten_check_out_is_closed_at_the_end_for_review(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    act = _activity(svc, world, at(2, 9), hours=3)
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.set(at(2, 20))
    flagged = svc.attendance.close_checkin(activity_id=act.id)
    assert len(flagged) == 1
    rec = flagged[0]
    assert rec.status == ServiceStatus.REVIEW
    assert rec.minutes == 180  # closed at the activity's end, not at 20:00
    assert svc.ledger.balance(world.member.id) == 0
    with store.read() as s:
        out = s.get(Attendance, rec.check_out_id)
        assert out is not None and out.method == CheckMethod.AUTO
    with pytest.raises(RuleViolation, match="已经结束"):
        svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)


def test_self_check_in_window(svc: Services, world: World, clock: FixedClock) -> None:
    act = _activity(svc, world, at(3, 14), hours=2)
    clock.set(at(3, 12, 30))
    with pytest.raises(RuleViolation, match="14:00 开始"):
        svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.set(at(3, 13, 5))
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)


def test_staff_may_enter_a_time_residents_may_not(
    svc: Services, world: World, store: Store
) -> None:
    act = _activity(svc, world, at(2, 9))
    staff = make_staff(store)
    with pytest.raises(ValidationError):
        svc.attendance.check_in(
            activity_id=act.id, person_id=world.member.id, method=ID, at=at(2, 9, 30)
        )
    svc.attendance.check_in(
        activity_id=act.id,
        person_id=world.member.id,
        method=CheckMethod.STAFF,
        staff_id=staff,
        at=at(2, 9, 30),
    )
    with pytest.raises(ValidationError, match="早于"):
        svc.attendance.check_out(
            activity_id=act.id,
            person_id=world.member.id,
            method=CheckMethod.STAFF,
            staff_id=staff,
            at=at(2, 9, 0),
        )


def test_capacity(svc: Services, world: World) -> None:
    act = svc.attendance.create_activity(
        title="义诊",
        community_id=world.community.id,
        starts_at=at(2, 9),
        ends_at=at(2, 12),
        service_type="义诊",
        capacity=1,
    )
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    with pytest.raises(RuleViolation, match="人数已满"):
        svc.attendance.check_in(activity_id=act.id, person_id=world.resident.id, method=ID)


def test_activity_validation(svc: Services, world: World) -> None:
    with pytest.raises(ValidationError, match="晚于"):
        svc.attendance.create_activity(
            title="x",
            community_id=world.community.id,
            starts_at=at(2, 9),
            ends_at=at(2, 8),
            service_type="义诊",
        )
    with pytest.raises(NotFound):
        svc.attendance.check_in(activity_id=world.member.id, person_id=world.member.id, method=ID)


def test_every_event_writes_its_outbox_row(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    act = _activity(svc, world, at(2, 9))
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.advance(minutes=60)
    svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=ID)
    with store.read() as s:
        ids = {row.id for row in s.execute(select(Attendance)).scalars()}
        ids |= {row.id for row in s.execute(select(ServiceRecord)).scalars()}
        queued = set(s.execute(select(OutboxItem.entity_id)).scalars())
        seqs = list(
            s.execute(select(OutboxItem.device_seq).order_by(OutboxItem.device_seq)).scalars()
        )
    assert ids <= queued
    assert seqs == list(range(1, len(seqs) + 1))


def test_resident_served_once_per_place_per_day(
    svc: Services, world: World, clock: FixedClock, store: Store
) -> None:
    visit, already = svc.attendance.record_served(person_id=world.resident.id, method=ID)
    assert not already and visit.served_station_id == world.station.id
    _, already = svc.attendance.record_served(person_id=world.resident.id, method=ID)
    assert already
    clock.advance(days=1)
    svc.attendance.record_served(person_id=world.resident.id, method=ID)
    assert _count(store, BeneficiaryVisit) == 2


def test_undo_check_in_closes_the_pair_at_zero_minutes(
    svc: Services, world: World, clock: FixedClock
) -> None:
    act = _activity(svc, world, at(2, 9))
    first = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    clock.advance(minutes=2)
    undo = svc.attendance.undo_check_in(attendance_id=first.attendance.id)
    assert (undo.direction, undo.method, undo.at) == ("out", "undo", first.attendance.at)
    assert _count(svc.store, ServiceRecord) == 0
    again = svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=ID)
    assert not again.already
    with pytest.raises(InvalidTransition):  # no longer the latest event
        svc.attendance.undo_check_in(attendance_id=first.attendance.id)
    clock.advance(minutes=11)
    with pytest.raises(RuleViolation, match="10 分钟"):
        svc.attendance.undo_check_in(attendance_id=again.attendance.id)
    with pytest.raises(NotFound):
        svc.attendance.undo_check_in(attendance_id=undo.id)
