"""Admin, statistics and dispatch on the real server, seen from enrolled kiosks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy.orm import Session

from kiosk.clock import UTC, FixedClock
from kiosk.services import Services
from kiosk.services.stats import RECORD_KEYS
from kiosk.store.models import (
    Community,
    Need,
    NeedCategory,
    NeedStatus,
    Organisation,
    PersonKind,
    Station,
    SuggestionStatus,
    SuggestionTarget,
)
from kiosk.store.opening import open_store
from server.demo import load_demo_reference
from server.setup import new_enrollment_code
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.enrolment import enroll, load_enrolment
from tests.factories import id_number
from tests.live_server import LiveServer, live_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(f"sqlite:///{tmp_path / 'server.db'}") as srv:
        with srv.session() as s, s.begin():
            load_demo_reference(s, seed=1)
        yield srv


def _station(srv: LiveServer) -> Station:
    with srv.session() as s:
        return next(st for st in s.query(Station).all() if st.name == "南沙街党群服务中心")


def _kiosk(srv: LiveServer, station: Station, data_dir: Path, clock: FixedClock):
    with srv.session() as s, s.begin():
        code = new_enrollment_code(s, station.id)
    store = open_store(data_dir, clock=clock)
    enroll(store, data_dir, srv.url, code)
    enrolment = load_enrolment(data_dir)
    assert enrolment is not None
    return store, SyncEngine(store, SyncClient(srv.url, enrolment.credentials()))


def _admin(srv: LiveServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {srv.admin_token}"}


def test_admin_endpoints_need_the_token(server: LiveServer) -> None:
    for path in ("/api/v1/stats/status", "/api/v1/stats/rankings/organisations?year=2026"):
        resp = requests.get(server.url + path, timeout=10)
        assert resp.status_code == 401
        assert resp.json()["code"] == "admin_only"
        wrong = requests.get(server.url + path, headers={"Authorization": "Bearer x"}, timeout=10)
        assert wrong.status_code == 401
    ok = requests.get(server.url + "/api/v1/stats/status", headers=_admin(server), timeout=10)
    assert ok.status_code == 200
    assert set(ok.json()["counts"]) == set(RECORD_KEYS)


def _resident_with_need(svc: Services, station: Station, clock: FixedClock) -> Need:
    resident = svc.people.register(
        name="李伯",
        kind=PersonKind.RESIDENT,
        id_number=id_number("19400708"),
        community_id=station.community_id,
    )
    return svc.needs.post(
        resident_id=resident.id,
        category=NeedCategory.HAIRCUT,
        wished_at=clock.now() + dt.timedelta(days=3),
        description="行动不便，请上门理发",
    )


def test_unclaimed_need_is_dispatched_to_an_org_behind_quota_in_its_town(
    server: LiveServer, tmp_path: Path
) -> None:
    station = _station(server)
    clock = FixedClock(dt.datetime.now(UTC) - dt.timedelta(days=3))
    store, sync = _kiosk(server, station, tmp_path / "k", clock)
    try:
        sync.run_once()
        svc = Services(store)
        need = _resident_with_need(svc, station, clock)
        clock.set(dt.datetime.now(UTC))
        sync.run_once()
        resp = requests.post(
            server.url + "/api/v1/admin/dispatch",
            json={"older_than_hours": 48},
            headers=_admin(server),
            timeout=30,
        )
        assert resp.status_code == 200
        [done] = resp.json()["dispatched"]
        assert done["need_id"] == str(need.id) and done["same_town"] is True
        with server.session() as s:
            org = s.get(Organisation, uuid.UUID(done["org_id"]))
            stored = s.get(Need, need.id)
            assert org is not None and stored is not None
            assert org.town_id == _town_of(s, station)
            assert stored.status == NeedStatus.CLAIMED and stored.claimant_org_id == org.id
        again = requests.post(
            server.url + "/api/v1/admin/dispatch", json={}, headers=_admin(server), timeout=30
        )
        assert again.json()["dispatched"] == []  # nothing dispatched twice
        sync.run_once()  # the kiosk learns who will come
        with store.read() as s:
            local = s.get(Need, need.id)
            assert local is not None and local.claimant_org_id == org.id
            assert local.status == NeedStatus.CLAIMED
    finally:
        store.close()


def _town_of(session: Session, station: Station) -> object:
    comm = session.get(Community, station.community_id)
    assert comm is not None
    return comm.town_id


def test_suggestion_reply_reaches_the_kiosk_and_counts_agree(
    server: LiveServer, tmp_path: Path
) -> None:
    station = _station(server)
    clock = FixedClock(dt.datetime.now(UTC))
    store, sync = _kiosk(server, station, tmp_path / "k", clock)
    try:
        sync.run_once()
        svc = Services(store)
        sug = svc.suggestions.leave(
            text="希望饭堂增加低盐菜式", target=SuggestionTarget.ORG_DEPT, contact="13812345678"
        )
        _resident_with_need(svc, station, clock)
        sync.run_once()
        resp = requests.post(
            f"{server.url}/api/v1/admin/suggestions/{sug.id}/reply",
            json={"reply": "已转饭堂，下周起每天提供低盐菜。"},
            headers=_admin(server),
            timeout=10,
        )
        assert resp.status_code == 200
        twice = requests.post(
            f"{server.url}/api/v1/admin/suggestions/{sug.id}/reply",
            json={"reply": "再次回复"},
            headers=_admin(server),
            timeout=10,
        )
        assert twice.status_code == 409
        sync.run_once()
        [local] = svc.suggestions.list()
        assert local.status == SuggestionStatus.REPLIED and local.reply.startswith("已转饭堂")

        kiosk_counts = svc.stats.record_counts()
        server_counts = requests.get(
            server.url + "/api/v1/stats/status", headers=_admin(server), timeout=10
        ).json()["counts"]
        for key in ("members", "residents", "needs", "suggestions", "towns", "stations"):
            assert kiosk_counts[key] == server_counts[key], key
    finally:
        store.close()


def test_server_stats_cli_uses_the_kiosk_key_names(server: LiveServer, tmp_path: Path) -> None:
    url = str(server.engine.url)
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "server", "stats", "--db", url, "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(out.stdout)
    assert set(data["counts"]) == set(RECORD_KEYS)
    assert data["counts"]["towns"] == 9
    assert data["ledger"]["issued"] == 0


def test_openapi_describes_the_sync_protocol(server: LiveServer) -> None:
    spec = requests.get(server.url + "/openapi.json", timeout=10).json()
    paths = spec["paths"]
    assert {"/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/enroll"} <= set(paths)
    schemas = spec["components"]["schemas"]
    for name in ("PushResponse", "PullResponse", "Problem", "EnrollResponse"):
        assert name in schemas, name
    push = paths["/api/v1/sync/push"]["post"]
    body = push["requestBody"]["content"]["application/json"]["schema"]
    assert body["title"] == "PushRequest" and "idempotency_key" in json.dumps(body)
    ok = push["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/PushResponse")
    assert {"401", "413", "422"} <= set(push["responses"])
