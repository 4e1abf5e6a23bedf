"""A kiosk enrols, records offline, syncs; a second kiosk of the community sees it."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.clock import UTC, FixedClock
from kiosk.ids import uuid7
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.models import (
    CheckMethod,
    Community,
    LedgerTx,
    Need,
    NeedCategory,
    NeedStatus,
    Organisation,
    OrgType,
    OutboxItem,
    OutboxStatus,
    Person,
    PersonKind,
    Station,
    StationKind,
    Town,
)
from kiosk.store.opening import open_store
from kiosk.store.payload import canonical
from server.models import SyncItem
from server.setup import new_enrollment_code, publish_reference
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.enrolment import enroll, load_enrolment
from sync.protocol import ItemStatus, PushItem, PushRequest
from tests.factories import id_number
from tests.live_server import LiveServer, drop_pg_database, fresh_pg_database, live_server

ENTITY_OF = {
    "town": "town",
    "community": "community",
    "station": "station",
    "organisation": "organisation",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "postgresql":
        url = fresh_pg_database()
        if url is None:
            pytest.skip("TIMEBANK_TEST_PG_URL not set")
    else:
        url = f"sqlite:///{tmp_path / 'server.db'}"
    with live_server(url) as srv:
        yield srv
    if request.param == "postgresql":
        drop_pg_database(url)


def _reference(srv: LiveServer) -> tuple[Station, Organisation]:
    now = dt.datetime.now(UTC)
    town = Town(id=uuid7(), name="南沙街", kind="街道", created_at=now, device_id="server")
    comm = Community(
        id=uuid7(),
        town_id=town.id,
        name="金洲社区",
        kind="社区",
        created_at=now,
        device_id="server",
    )
    station = Station(
        id=uuid7(),
        community_id=comm.id,
        name="金洲社区党群服务站",
        kind=StationKind.SERVICE_CENTRE,
        created_at=now,
        device_id="server",
    )
    org = Organisation(
        id=uuid7(),
        name="区税务局机关党支部",
        org_type=OrgType.ORGAN,
        town_id=town.id,
        annual_quota=12,
        created_at=now,
        device_id="server",
    )
    with srv.session() as s, s.begin():
        publish_reference(s, [town, comm, station, org], ENTITY_OF)
    return station, org


def _kiosk(srv: LiveServer, station: Station, data_dir: Path, clock: FixedClock):
    with srv.session() as s, s.begin():
        code = new_enrollment_code(s, station.id)
    store = open_store(data_dir, clock=clock)
    enroll(store, data_dir, srv.url, code)
    enrolment = load_enrolment(data_dir)
    assert enrolment is not None
    client = SyncClient(srv.url, enrolment.credentials(), now=lambda: clock.now().timestamp())
    return store, SyncEngine(store, client)


def test_round_trip_between_two_kiosks(server: LiveServer, tmp_path: Path) -> None:
    station, org = _reference(server)
    clock = FixedClock(dt.datetime.now(UTC))
    store_a, sync_a = _kiosk(server, station, tmp_path / "a", clock)
    store_b, sync_b = _kiosk(server, station, tmp_path / "b", clock)
    try:
        sync_a.run_once()  # pulls the reference data
        svc = Services(store_a)
        number = id_number("19850312")
        member = svc.people.register(
            name="张晓英",
            kind=PersonKind.MEMBER,
            id_number=number,
            org_id=org.id,
            community_id=station.community_id,
        )
        act = svc.attendance.create_activity(
            title="清洁家园",
            community_id=station.community_id,
            starts_at=clock.now(),
            ends_at=clock.now() + dt.timedelta(hours=4),
            service_type="清洁家园",
        )
        svc.attendance.check_in(activity_id=act.id, person_id=member.id, method=CheckMethod.QR)
        clock.advance(minutes=90)
        svc.attendance.check_out(activity_id=act.id, person_id=member.id, method=CheckMethod.QR)
        status = sync_a.run_once()
        with store_a.read() as s:
            errors = list(
                s.execute(
                    select(OutboxItem.entity, OutboxItem.op, OutboxItem.last_error).where(
                        OutboxItem.last_error != ""
                    )
                )
            )
        assert errors == []
        assert status.pending == 0 and status.quarantined == 0
        again = sync_a.run_once()  # nothing new, nothing doubled
        assert again.pushed == 0

        sync_b.run_once()
        svc_b = Services(store_b)
        seen = svc_b.people.find_by_id_number(number)
        assert seen is not None and seen.id == member.id
        assert svc_b.ledger.balance(member.id) == 90
        assert check_database(store_b) == []
        assert check_database(store_a) == []
        with server.session() as s:
            assert s.execute(select(func.count()).select_from(LedgerTx)).scalar_one() == 1
            assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 1
        with store_a.read() as s:
            statuses = set(s.execute(select(OutboxItem.status)).scalars())
        assert statuses == {OutboxStatus.ACKED}
    finally:
        store_a.close()
        store_b.close()


def test_a_kiosk_clock_ten_minutes_off_flags_records_but_sends_them(
    server: LiveServer, tmp_path: Path
) -> None:
    station, _org = _reference(server)
    clock = FixedClock(dt.datetime.now(UTC) + dt.timedelta(minutes=10))
    store, sync = _kiosk(server, station, tmp_path / "a", clock)
    try:
        first = sync.run_once()
        assert first.clock_skew_s is not None and 550 < first.clock_skew_s < 650
        assert store.clock_suspect
        person = Services(store).people.register(
            name="王芳",
            kind=PersonKind.RESIDENT,
            id_number=id_number("19500101"),
            community_id=station.community_id,
        )
        status = sync.run_once()
        assert status.pending == 0 and status.quarantined == 0
        with server.session() as s:
            flags = set(
                s.execute(
                    select(SyncItem.clock_suspect).where(SyncItem.entity_id == person.id)
                ).scalars()
            )
            assert flags == {True}
            assert s.get(Person, person.id) is not None
    finally:
        store.close()


def test_a_need_cannot_skip_its_lifecycle_on_the_server(server: LiveServer, tmp_path: Path) -> None:
    station, _org = _reference(server)
    clock = FixedClock(dt.datetime.now(UTC))
    store, sync = _kiosk(server, station, tmp_path / "a", clock)
    try:
        sync.run_once()
        svc = Services(store)
        resident = svc.people.register(
            name="李伯",
            kind=PersonKind.RESIDENT,
            id_number=id_number("19400708"),
            community_id=station.community_id,
        )
        need = svc.needs.post(
            resident_id=resident.id,
            category=NeedCategory.MEAL,
            wished_at=clock.now() + dt.timedelta(days=1),
        )
        sync.run_once()
        payload = canonical(
            {"id": need.id, "status": "confirmed", "base_version": 1, "service_minutes": 600}
        )
        forged = PushItem(
            idempotency_key=uuid.uuid4(),
            device_seq=10_000,
            chain_id=uuid.uuid4(),
            entity="need",
            entity_id=need.id,
            op="confirm",
            payload=payload,
            payload_hash=hashlib.sha256(payload.encode()).hexdigest(),
            created_at=clock.now(),
        )
        [result] = sync.client.push(PushRequest(batch_id=uuid.uuid4(), items=[forged])).results
        assert result.status == ItemStatus.REJECTED and "confirm from posted" in result.reason
        with server.session() as s:
            stored = s.get(Need, need.id)
            assert stored is not None and stored.status == NeedStatus.POSTED
    finally:
        store.close()
