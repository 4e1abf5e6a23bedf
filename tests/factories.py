"""Small builders for test data: valid ID numbers and a minimal place/organisation world."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass

from kiosk.identity import check_digit
from kiosk.services import Services
from kiosk.store.models import (
    Community,
    CommunityKind,
    Organisation,
    OrgType,
    Person,
    PersonKind,
    StaffAccount,
    Station,
    StationKind,
    Town,
    TownKind,
)
from kiosk.store.uow import Store

_serial = itertools.count(100)


def id_number(birth: str = "19800101", area: str = "440115", seq: int | None = None) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit)."""
    n = next(_serial) if seq is None else seq
    first17 = f"{area}{birth}{n % 1000:03d}"
    return first17 + check_digit(first17)


@dataclass
class World:
    town: Town
    community: Community
    station: Station
    org: Organisation
    member: Person
    member_id_number: str
    resident: Person
    resident_id_number: str


def make_world(svc: Services) -> World:
    ref = svc.reference
    town = ref.add_town(name="南沙街", kind=TownKind.STREET)
    community = ref.add_community(town_id=town.id, name="金洲社区", kind=CommunityKind.COMMUNITY)
    station = ref.add_station(
        community_id=community.id, name="金洲社区党群服务站", kind=StationKind.SERVICE_CENTRE
    )
    svc.store.identity.station_id = station.id  # this kiosk stands in that station
    org = ref.add_organisation(
        name="南沙区税务局机关党支部", org_type=OrgType.ORGAN, town_id=town.id
    )
    member_no = id_number("19850312")
    member = svc.people.register(
        name="张晓英",
        kind=PersonKind.MEMBER,
        id_number=member_no,
        org_id=org.id,
        community_id=community.id,
    )
    resident_no = id_number("19400708")
    resident = svc.people.register(
        name="李伯",
        kind=PersonKind.RESIDENT,
        id_number=resident_no,
        community_id=community.id,
    )
    return World(town, community, station, org, member, member_no, resident, resident_no)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in March 2026, Guangzhou time."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def make_staff(store: Store, login: str = "wang") -> uuid.UUID:
    """A staff account row for tests that only need a valid staff id (no PIN checks)."""
    with store.write() as uow:
        staff = StaffAccount(name="王站长", login=login, pin_hash="unusable")
        uow.add(staff)
        return staff.id
