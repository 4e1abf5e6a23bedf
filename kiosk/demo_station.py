"""Demo activity for one enrolled kiosk: a day at its own station, flowing through sync.

An enrolled kiosk must not invent the district (places and organisations come from the
server), so ``timebank seed-demo`` on such a kiosk only does what its station would do in
a day: staff register walk-ins, residents post needs and leave suggestions, members check
in and out of the station's activities and claim needs, coins are spent and donated. It
uses the people and activities it pulled, adding walk-ins when there are too few. The
records are ordinary kiosk records, so the next sync pushes them to the server.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import select

from kiosk import nansha
from kiosk.clock import FixedClock
from kiosk.config import COIN
from kiosk.demo import STAFF_LOGINS
from kiosk.errors import TimebankError
from kiosk.services import Services
from kiosk.store.models import (
    CheckMethod,
    Community,
    NeedCategory,
    Organisation,
    Person,
    PersonKind,
    StaffAccount,
    Station,
    SuggestionTarget,
)

HOUR = dt.timedelta(hours=1)


def seed_station_day(
    svc: Services,
    *,
    walkins: int = 20,
    checkins: int = 40,
    needs: int = 8,
    suggestions: int = 5,
    seed: int = 1,
) -> dict[str, int]:
    """Record a day of this station's work, ending at the clock's current time."""
    clock = svc.store.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("seed_station_day needs a store opened with a FixedClock")
    station_id = svc.store.identity.station_id
    if station_id is None:
        raise ValueError("this kiosk has no station yet")
    rng = random.Random(seed)
    end = clock.now()
    clock.set(end - 10 * HOUR)
    counts: dict[str, int] = {}

    def count(key: str, n: int = 1) -> None:
        counts[key] = counts.get(key, 0) + n

    with svc.store.read() as s:
        station = s.get_one(Station, station_id)
        community_id = station.community_id
        community_name = s.get_one(Community, community_id).name
        orgs = list(s.execute(select(Organisation.id)).scalars())
        members = list(
            s.execute(select(Person.id).where(Person.kind == PersonKind.MEMBER)).scalars()
        )
        residents = list(
            s.execute(
                select(Person.id).where(
                    Person.kind == PersonKind.RESIDENT, Person.community_id == community_id
                )
            ).scalars()
        )
    if not orgs:
        raise ValueError("no organisations yet: sync with the server first")

    staff = _demo_staff(svc)
    for i in range(walkins):
        kind = PersonKind.MEMBER if i % 2 == 0 else PersonKind.RESIDENT
        elder = kind == PersonKind.RESIDENT
        birth = dt.date(1935 if elder else 1965, 1, 1) + dt.timedelta(days=rng.randrange(9000))
        try:
            person = svc.people.register(
                name=nansha.person_name(rng, elder=elder),
                kind=kind,
                id_number=nansha.id_number(rng, birth, male=rng.random() < 0.5),
                org_id=rng.choice(orgs) if kind == PersonKind.MEMBER else None,
                community_id=community_id,
                hardship=elder and rng.random() < 0.3,
                staff_id=staff,
            )
        except TimebankError:
            continue  # the same card drawn twice: already registered
        (members if kind == PersonKind.MEMBER else residents).append(person.id)
        count("walkins")
        clock.advance(minutes=2)

    morning = clock.now()
    service_type = rng.choice(list(nansha.ACTIVITY_TYPES))
    activity = svc.attendance.create_activity(
        title=rng.choice(nansha.ACTIVITY_TYPES[service_type]).format(c=community_name),
        community_id=community_id,
        starts_at=morning,
        ends_at=morning + 6 * HOUR,
        service_type=service_type,
        organiser_org_id=rng.choice(orgs),
        staff_id=staff,
    )
    svc.attendance.open_checkin(activity_id=activity.id, staff_id=staff)
    count("activities")
    present = rng.sample(members, min(len(members), checkins))
    for person_id in present:
        svc.attendance.check_in(activity_id=activity.id, person_id=person_id, method=CheckMethod.QR)
        clock.advance(seconds=rng.randrange(20, 90))
    count("checkins", len(present))
    clock.set(morning + 3 * HOUR)
    for person_id in present:
        svc.attendance.check_out(
            activity_id=activity.id, person_id=person_id, method=CheckMethod.ID_CARD
        )
        clock.advance(seconds=rng.randrange(20, 90))

    for _ in range(min(needs, len(residents))):
        resident = rng.choice(residents)
        category = rng.choice(list(NeedCategory))
        need = svc.needs.post(
            resident_id=resident,
            category=category,
            wished_at=clock.now() + dt.timedelta(days=1),
            description=rng.choice(nansha.NEED_PHRASES[category]),
        )
        count("needs")
        if members and rng.random() < 0.6:
            svc.needs.claim(need_id=need.id, person_id=rng.choice(members))
            count("claims")
        clock.advance(minutes=5)

    for _ in range(suggestions):
        text = rng.choice(nansha.SUGGESTIONS_TO_ORG_DEPT)
        svc.suggestions.leave(text=text, target=SuggestionTarget.ORG_DEPT)
        count("suggestions")

    prices = svc.reference.price_list()
    for person_id in present[:10]:
        balance = svc.ledger.balance(person_id)
        if balance >= COIN:
            svc.ledger.donate(from_person=person_id, minutes=COIN // 2)
            count("donations")
        cheap = [p for p in prices if p.price_minutes <= balance - COIN // 2]
        if cheap:
            svc.ledger.spend(person_id=person_id, price_item_id=rng.choice(cheap).id)
            count("spends")
    svc.attendance.close_checkin(activity_id=activity.id, staff_id=staff)
    clock.set(end)
    return dict(sorted(counts.items()))


def _demo_staff(svc: Services) -> uuid.UUID:
    """The demo's staff accounts (logins in ``kiosk.demo``), made if this kiosk has none."""
    with svc.store.read() as s:
        found = s.execute(
            select(StaffAccount.id).where(StaffAccount.login == STAFF_LOGINS[0][1])
        ).scalar_one_or_none()
    if found is not None:
        return found
    ids = [svc.staff.create(name=n, login=login, pin=pin).id for n, login, pin in STAFF_LOGINS]
    return ids[0]
