"""Statistics against figures worked out by hand on a small world built here.

Two towns, one community each, a kiosk station in town A and a meal point in town B;
members of two organisations serve at an activity in March (town A) and one in April
(town B), and needs are served by a member (March) and by an organisation (April).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import update

from kiosk.clock import CHINA, FixedClock
from kiosk.errors import ValidationError
from kiosk.services import Services
from kiosk.services.stats import RECORD_KEYS
from kiosk.store.models import (
    CheckMethod,
    CommunityKind,
    NeedCategory,
    OrgType,
    OutboxItem,
    OutboxStatus,
    PersonKind,
    StationKind,
    TownKind,
)
from tests.factories import id_number

ID = CheckMethod.ID_CARD


def _t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CHINA)


@dataclass
class Small:
    town_a: uuid.UUID
    town_b: uuid.UUID
    comm_a: uuid.UUID
    comm_b: uuid.UUID
    kiosk: uuid.UUID
    canteen: uuid.UUID
    org1: uuid.UUID
    org2: uuid.UUID
    m1: uuid.UUID
    m2: uuid.UUID
    m3: uuid.UUID


def _serve(
    svc: Services,
    clock: FixedClock,
    act: uuid.UUID,
    people: list[uuid.UUID],
    start: dt.datetime,
    minutes: int,
) -> None:
    clock.set(start)
    for pid in people:
        svc.attendance.check_in(activity_id=act, person_id=pid, method=ID)
    clock.set(start + dt.timedelta(minutes=minutes))
    for pid in people:
        svc.attendance.check_out(activity_id=act, person_id=pid, method=ID)


def _need(
    svc: Services,
    clock: FixedClock,
    resident: uuid.UUID,
    posted: dt.datetime,
    minutes: int,
    **claimant: uuid.UUID,
) -> None:
    clock.set(posted)
    need = svc.needs.post(
        resident_id=resident, category=NeedCategory.REPAIR, wished_at=posted + dt.timedelta(days=1)
    )
    svc.needs.claim(need_id=need.id, **claimant)
    clock.set(posted + dt.timedelta(days=1))
    svc.needs.start(need_id=need.id)
    svc.needs.complete(need_id=need.id, service_minutes=minutes)
    svc.needs.confirm(need_id=need.id)


@pytest.fixture
def small(svc: Services, clock: FixedClock) -> Small:
    ref, people = svc.reference, svc.people
    town_a = ref.add_town(name="南沙街", kind=TownKind.STREET).id
    town_b = ref.add_town(name="黄阁镇", kind=TownKind.TOWN).id
    comm_a = ref.add_community(town_id=town_a, name="金洲社区", kind=CommunityKind.COMMUNITY).id
    comm_b = ref.add_community(town_id=town_b, name="黄阁社区", kind=CommunityKind.COMMUNITY).id
    kiosk = ref.add_station(
        community_id=comm_a, name="南沙街党群服务中心", kind=StationKind.SERVICE_CENTRE
    ).id
    canteen = ref.add_station(
        community_id=comm_b, name="黄阁社区长者饭堂", kind=StationKind.CANTEEN
    ).id
    svc.store.identity.station_id = kiosk
    org1 = ref.add_organisation(
        name="南沙区民政局第一党支部", org_type=OrgType.ORGAN, town_id=town_a, annual_quota=3
    ).id
    org2 = ref.add_organisation(
        name="南沙供电局党总支", org_type=OrgType.SOE, town_id=town_b, annual_quota=1
    ).id

    def reg(
        name: str,
        kind: PersonKind,
        comm: uuid.UUID,
        org: uuid.UUID | None = None,
        birth: str = "19800101",
    ) -> uuid.UUID:
        return people.register(
            name=name, kind=kind, id_number=id_number(birth), org_id=org, community_id=comm
        ).id

    m1 = reg("陈嘉䶮", PersonKind.MEMBER, comm_a, org1)
    m2 = reg("梁志华", PersonKind.MEMBER, comm_b, org1)
    m3 = reg("黄锦棠", PersonKind.MEMBER, comm_b, org2)
    v1 = reg("李敏", PersonKind.VOLUNTEER, comm_a)
    r1 = reg("何桂英", PersonKind.RESIDENT, comm_a, birth="19420305")
    r2 = reg("罗炳", PersonKind.RESIDENT, comm_b, birth="19380911")

    act1 = svc.attendance.create_activity(
        title="金洲社区清洁家园",
        community_id=comm_a,
        starts_at=_t(3, 10, 9),
        ends_at=_t(3, 10, 11),
        service_type="清洁家园",
        organiser_org_id=org1,
    ).id
    act2 = svc.attendance.create_activity(
        title="黄阁社区长者义诊",
        community_id=comm_b,
        starts_at=_t(4, 15, 14),
        ends_at=_t(4, 15, 17),
        service_type="义诊",
        organiser_org_id=org2,
    ).id
    _serve(svc, clock, act1, [m1, m2, v1], _t(3, 10, 8, 50), 120)
    clock.set(_t(3, 10, 9, 30))
    svc.attendance.record_served(person_id=r1, method=ID, activity_id=act1)
    _need(svc, clock, r1, _t(3, 12, 10), 60, person_id=m1)
    # Just after midnight local on 1 April is still 31 March in UTC: must count as April.
    clock.set(_t(4, 1, 0, 30))
    svc.needs.post(resident_id=r1, category=NeedCategory.MEAL, wished_at=_t(4, 2, 11))
    clock.set(_t(4, 15, 12))
    svc.attendance.record_served(person_id=r2, method=ID, station_id=canteen)
    svc.attendance.record_served(person_id=r1, method=ID, station_id=canteen)
    _serve(svc, clock, act2, [m3, m1], _t(4, 15, 13, 55), 180)
    _need(svc, clock, r2, _t(4, 20, 10), 90, org_id=org2)
    clock.set(_t(5, 1, 9))
    return Small(town_a, town_b, comm_a, comm_b, kiosk, canteen, org1, org2, m1, m2, m3)


def _figures(**kw: int) -> dict[str, int]:
    keys = (
        "members_registered",
        "members_new",
        "organisations",
        "activities_held",
        "person_times_served",
        "residents_served",
        "coins_issued_minutes",
        "needs_posted",
        "needs_claimed",
        "needs_completed",
    )
    return {k: kw.get(k, 0) for k in keys}


def test_summary_all_time_and_by_month(svc: Services, small: Small) -> None:
    stats = svc.stats
    assert stats.summary() == _figures(
        members_registered=3,
        members_new=3,
        organisations=2,
        activities_held=2,
        person_times_served=4,
        residents_served=3,
        coins_issued_minutes=3 * 120 + 2 * 180 + 60 + 90,
        needs_posted=3,
        needs_claimed=2,
        needs_completed=2,
    )
    assert stats.summary(year=2026) == stats.summary()
    assert stats.summary(year=2025) == _figures()
    assert stats.summary(month="2026-02") == _figures()
    assert stats.summary(month="2026-03") == _figures(
        members_registered=3,
        members_new=3,
        organisations=2,
        activities_held=1,
        person_times_served=2,
        residents_served=1,
        coins_issued_minutes=360 + 60,
        needs_posted=1,
        needs_claimed=1,
        needs_completed=1,
    )
    assert stats.summary(month="2026-04") == _figures(
        members_registered=3,
        organisations=2,
        activities_held=1,
        person_times_served=2,
        residents_served=2,
        coins_issued_minutes=360 + 90,
        needs_posted=2,
        needs_claimed=1,
        needs_completed=1,
    )


def test_summary_by_town_community_and_station(svc: Services, small: Small) -> None:
    stats = svc.stats
    assert stats.summary(town_id=small.town_a) == _figures(
        members_registered=1,
        members_new=1,
        organisations=1,
        activities_held=1,
        person_times_served=2,
        residents_served=1,
        coins_issued_minutes=360 + 60,
        needs_posted=2,
        needs_claimed=1,
        needs_completed=1,
    )
    in_b = _figures(
        members_registered=2,
        members_new=2,
        organisations=2,
        activities_held=1,
        person_times_served=2,
        residents_served=2,
        coins_issued_minutes=360 + 90,
        needs_posted=1,
        needs_claimed=1,
        needs_completed=1,
    )
    assert stats.summary(community_id=small.comm_b) == in_b
    assert stats.summary(town_id=small.town_b) == in_b | {"organisations": 1}
    assert stats.summary(town_id=small.town_b, month="2026-03") == _figures(
        members_registered=2, members_new=2, organisations=1
    )
    # The meal point served two residents; everything else was recorded at the kiosk.
    assert stats.summary(station_id=small.canteen) == _figures(residents_served=2)
    at_kiosk = stats.summary(station_id=small.kiosk)
    assert at_kiosk["residents_served"] == 1
    assert at_kiosk["person_times_served"] == 4
    assert at_kiosk["coins_issued_minutes"] == 870


def test_member_ranking(svc: Services, small: Small) -> None:
    ranking = svc.stats.member_service(year=2026)
    assert [(r.person_id, r.service_count, r.coin_minutes) for r in ranking] == [
        (small.m1, 3, 120 + 180 + 60),  # two activities and one need
        (small.m3, 1, 180),
        (small.m2, 1, 120),
    ]
    assert ranking[0].name == "陈嘉䶮"
    in_b = svc.stats.member_service(year=2026, community_id=small.comm_b)
    assert [r.person_id for r in in_b] == [small.m3, small.m2]
    march = svc.stats.member_service(month="2026-03", limit=1)
    assert [(r.person_id, r.service_count, r.coin_minutes) for r in march] == [(small.m1, 2, 180)]
    assert {r.service_count for r in svc.stats.member_service(year=2025)} == {0}


def test_org_ranking_against_quota(svc: Services, small: Small) -> None:
    ranking = svc.stats.org_service(year=2026)
    # org2: one member's record + the need it claimed, quota 1 -> 200 %; org1: 3 of 3.
    assert [(r.org_id, r.service_count, r.coin_minutes) for r in ranking] == [
        (small.org2, 2, 180 + 90),
        (small.org1, 3, 360 + 120),
    ]
    assert [r.shortfall for r in ranking] == [0, 0]
    march = svc.stats.org_service(month="2026-03")
    assert [(r.org_id, r.service_count, r.coin_minutes, r.shortfall) for r in march] == [
        (small.org1, 2, 120 + 120 + 60, 1),
        (small.org2, 0, 0, 1),
    ]
    assert [r.org_id for r in svc.stats.org_service(town_id=small.town_a)] == [small.org1]


def test_record_counts(svc: Services, small: Small) -> None:
    counts = svc.stats.record_counts()
    local = ("staff_accounts", "outbox_pending", "outbox_acked", "outbox_quarantined")
    assert tuple(counts) == RECORD_KEYS + local
    expected = {
        "towns": 2,
        "communities": 2,
        "stations": 2,
        "organisations": 2,
        "members": 3,
        "residents": 2,
        "volunteers": 1,
        "activities": 2,
        "attendance": 10,
        "service_records": 5,
        "beneficiary_visits": 3,
        "needs": 3,
        "suggestions": 0,
        "wishes": 0,
        "ledger_transactions": 7,
        "staff_accounts": 0,
        "outbox_acked": 0,
        "outbox_quarantined": 0,
    }
    assert {k: counts[k] for k in expected} == expected
    pending = counts["outbox_pending"]
    assert pending > 0
    with svc.store.write() as uow:
        uow.session.execute(
            update(OutboxItem).where(OutboxItem.device_seq <= 2).values(status=OutboxStatus.ACKED)
        )
    after = svc.stats.record_counts()
    assert (after["outbox_pending"], after["outbox_acked"]) == (pending - 2, 2)


@pytest.mark.parametrize(
    "kwargs", [{"month": "2026-13"}, {"month": "2026-3"}, {"month": "2026-03", "year": 2026}]
)
def test_bad_periods_are_refused(svc: Services, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        svc.stats.summary(**kwargs)  # type: ignore[arg-type]
