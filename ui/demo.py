"""Demo mode: the kiosk with an embedded server, simulated devices and Nansha demo data.

``timebank kiosk --demo`` must work on a fresh machine with nothing configured, and show
the real system rather than a mock: the central server runs in-process on a free port with
the Nansha reference data, the kiosk enrols with a one-time code exactly as in the field,
pulls its station's data, records a day of its own station's work, and syncs it back.
A few demo people with known card numbers let a visitor (and the screenshot tour) tap
cards and scan member QR codes through the Dummy devices.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devices.idcard.card import IdCard, resident_card
from kiosk.clock import UTC, FixedClock
from kiosk.demo_station import seed_station_day
from kiosk.identity import check_digit
from kiosk.services import Services
from kiosk.store.models import CheckMethod, PersonKind
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from server.demo import demo_member_token, load_demo_reference
from server.embedded import EmbeddedServer, embedded_server
from server.setup import new_enrollment_code, stations
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.enrolment import enroll, load_enrolment

log = logging.getLogger(__name__)


def _number(first17: str) -> str:
    return first17 + check_digit(first17)


@dataclass(frozen=True)
class DemoPerson:
    name: str
    id_number: str
    kind: PersonKind


DEMO_PEOPLE = (
    DemoPerson("王䶮", "440115196804150039", PersonKind.MEMBER),  # the simulator's sample card
    DemoPerson("李晓红", _number("44011519790521002"), PersonKind.MEMBER),
    DemoPerson("陈伯", _number("44011519410303001"), PersonKind.RESIDENT),
    DemoPerson("黄婆婆", _number("44011519380912002"), PersonKind.RESIDENT),
)


@dataclass
class Demo:
    root: Path
    data_dir: Path
    server: EmbeddedServer
    store: Store
    engine: SyncEngine
    people: dict[str, uuid.UUID]  # name -> person id

    def card(self, name: str) -> IdCard:
        person = next(p for p in DEMO_PEOPLE if p.name == name)
        return resident_card(person.name, person.id_number)

    def member_token(self, name: str, *, valid: dt.timedelta = dt.timedelta(days=30)) -> str:
        """A member QR signed with the deployment's key, as the member's phone would show."""
        with self.server.session() as s:
            return demo_member_token(s, self.people[name], dt.datetime.now(UTC) + valid)


def _enrol(server: EmbeddedServer, data_dir: Path) -> None:
    """Enrol with the first station, as an installer would with a one-time code."""
    with server.session() as s, s.begin():
        station = stations(s)[0]
        code = new_enrollment_code(s, station.id)
    store = open_store(data_dir)
    try:
        enroll(store, data_dir, server.url, code, "demo kiosk")
    finally:
        store.close()


def _prepare(svc: Services, clock: FixedClock) -> dict[str, uuid.UUID]:
    """Demo people, a morning of service that earned them coins, an activity open now."""
    station_id = svc.store.identity.station_id
    community = next(st.community_id for st in svc.reference.stations() if st.id == station_id)
    orgs = svc.reference.organisations()
    org = orgs[0].id if orgs else None
    ids: dict[str, uuid.UUID] = {}
    for person in DEMO_PEOPLE:
        member = person.kind == PersonKind.MEMBER
        ids[person.name] = svc.people.register(
            name=person.name,
            kind=person.kind,
            id_number=person.id_number,
            org_id=org if member else None,
            community_id=community,
            hardship=person.name == "黄婆婆",
        ).id
    now = clock.now()
    morning = svc.attendance.create_activity(
        title="敬老探访",
        community_id=community,
        starts_at=now - dt.timedelta(hours=4),
        ends_at=now - dt.timedelta(hours=1),
        service_type="探访",
        place="社区长者之家",
        organiser_org_id=org,
    )
    svc.attendance.open_checkin(activity_id=morning.id)
    members = [p for p in DEMO_PEOPLE if p.kind == PersonKind.MEMBER]
    clock.set(now - dt.timedelta(hours=4))
    for person in members:
        svc.attendance.check_in(
            activity_id=morning.id, person_id=ids[person.name], method=CheckMethod.QR
        )
    clock.set(now - dt.timedelta(hours=1))
    for person in members:
        svc.attendance.check_out(
            activity_id=morning.id, person_id=ids[person.name], method=CheckMethod.QR
        )
    svc.attendance.close_checkin(activity_id=morning.id)
    clock.set(now)
    lunch = svc.attendance.create_activity(
        title="长者饭堂助餐服务",
        community_id=community,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        service_type="助餐",
        place="站点长者饭堂",
        organiser_org_id=org,
    )
    svc.attendance.open_checkin(activity_id=lunch.id)
    return ids


@contextmanager
def demo(root: Path, *, seed: int = 1) -> Iterator[Demo]:
    """Server and kiosk for one demo run; data in ``root`` survives for the next run."""
    root.mkdir(parents=True, exist_ok=True)
    data_dir = root / "kiosk"
    with embedded_server(f"sqlite:///{root / 'server.db'}") as server:
        with server.session() as s, s.begin():
            load_demo_reference(s, seed=seed)
        if load_enrolment(data_dir) is None:
            _enrol(server, data_dir)
        enrolment = load_enrolment(data_dir)
        assert enrolment is not None
        # The server's port is new every run: talk to this run's server.
        client = SyncClient(server.url, enrolment.credentials())
        clock = FixedClock(dt.datetime.now(UTC))
        seeding = open_store(data_dir, clock=clock)
        try:
            seeder = SyncEngine(seeding, client, lock_path=data_dir / "sync.lock")
            seeder.run_once()
            svc = Services(seeding)
            people = {
                p.name: found.id
                for p in DEMO_PEOPLE
                if (found := svc.people.find_by_id_number(p.id_number)) is not None
            }
            if not people:
                seed_station_day(svc, seed=seed)
                clock.set(dt.datetime.now(UTC))
                people = _prepare(svc, clock)
            seeder.run_once()
        finally:
            seeding.close()
        store = open_store(data_dir)
        engine = SyncEngine(store, client, lock_path=data_dir / "sync.lock")
        try:
            yield Demo(root, data_dir, server, store, engine, people)
        finally:
            store.close()
