"""Shared set-up for the sync fault and security tests: real server, real kiosks, a proxy.

- ``server`` / ``module_server``: fixtures for a live uvicorn server on SQLite and on
  PostgreSQL (a fresh database per test, or one per module and backend) that a test can
  stop and start again on the same database. A test module takes one in under the name
  it uses: ``server = sync_helpers.server``.
- ``publish_world``: reference data published the way an administrator would.
- ``make_kiosk``: a kiosk enrolled with the server (its own SQLite store and sync engine).
- ``offline_day``: realistic offline work through the kiosk services.
- ``FaultProxy``: a small threaded HTTP proxy in front of the server that injects network
  faults (answer lost after commit, connection cut mid-body, 5xx, stalls past the client's
  read timeout, a hook between request and answer).
- ``assert_in_step``: after a final clean sync, the server holds every kiosk record exactly
  once, the outboxes are acknowledged and the kiosks' databases are sound.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import os
import random
import select
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from kiosk.clock import UTC, FixedClock
from kiosk.config import COIN
from kiosk.errors import TimebankError
from kiosk.ids import uuid7
from kiosk.services import Services
from kiosk.services.verify import check_database
from kiosk.store.base import Base
from kiosk.store.models import (
    Account,
    Activity,
    Attendance,
    AuditEntry,
    CheckMethod,
    Community,
    CommunityKind,
    LedgerTx,
    Need,
    NeedCategory,
    Organisation,
    OrgType,
    OutboxItem,
    OutboxStatus,
    Person,
    PersonKind,
    PriceItem,
    ServiceRecord,
    Station,
    StationKind,
    Suggestion,
    SuggestionTarget,
    Town,
    TownKind,
)
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from server.models import SyncItem
from server.setup import new_enrollment_code, publish_reference
from sync.client import Credentials, SyncClient
from sync.engine import SyncEngine, SyncStatus
from sync.enrolment import enroll, load_enrolment
from sync.protocol import H_DEVICE, H_NONCE, H_SIGNATURE, H_TIMESTAMP, sign
from tests.factories import id_number
from tests.live_server import LiveServer, drop_pg_database, fresh_pg_database, live_server

# Every record kind a kiosk holds and the server stores, compared id set by id set.
RECORD_MODELS: tuple[type[Base], ...] = (
    Town,
    Community,
    Station,
    Organisation,
    PriceItem,
    Person,
    Account,
    LedgerTx,
    Activity,
    Attendance,
    ServiceRecord,
    Need,
    Suggestion,
    AuditEntry,
)


SYSTEM_ACCOUNTS = frozenset(
    uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:{code}") for code in ("mint", "pool")
)


# --- the server ---------------------------------------------------------------------------
class ServerHandle:
    """A live server on one database that can be stopped and started again on it."""

    def __init__(self, db_url: str, backend: str) -> None:
        self.db_url = db_url
        self.backend = backend
        self._stack: ExitStack | None = None
        self._live: LiveServer | None = None
        self.starts = 0

    @property
    def live(self) -> LiveServer:
        if self._live is None:
            raise RuntimeError("the server is stopped")
        return self._live

    @property
    def url(self) -> str:
        return self.live.url

    @property
    def running(self) -> bool:
        return self._live is not None

    def session(self) -> Session:
        return self.live.session()

    def start(self) -> str:
        if self._live is not None:
            raise RuntimeError("already running")
        stack = ExitStack()
        self._live = stack.enter_context(live_server(self.db_url))
        self._stack = stack
        self.starts += 1
        return self._live.url

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = None
        self._live = None

    def restart(self) -> str:
        """Stop this server process and start a new one on the same database."""
        self.stop()
        return self.start()


def _serve(backend: str, directory: Path) -> Iterator[ServerHandle]:
    if backend == "postgresql":
        url = fresh_pg_database()
        if url is None:
            pytest.skip("TIMEBANK_TEST_PG_URL not set")
    else:
        url = f"sqlite:///{directory / 'server.db'}"
    handle = ServerHandle(url, backend)
    handle.start()
    try:
        yield handle
    finally:
        handle.stop()
        if backend == "postgresql":
            drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerHandle]:
    """A fresh server (and database) for one test."""
    yield from _serve(request.param, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerHandle]:
    """One server per backend shared by a module's tests (they must not need a clean one)."""
    yield from _serve(request.param, tmp_path_factory.mktemp("server"))


# --- reference data -----------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    """What the administrator published: two communities of one town, one station each."""

    town: uuid.UUID
    community: uuid.UUID
    station: uuid.UUID
    other_community: uuid.UUID
    other_station: uuid.UUID
    org: uuid.UUID
    price_item: uuid.UUID


_ENTITY_OF = {
    m.__tablename__: m.__tablename__ for m in (Town, Community, Station, Organisation, PriceItem)
}


def publish_world(server: ServerHandle) -> World:
    now = dt.datetime.now(UTC)
    common: dict[str, Any] = {"created_at": now, "device_id": "server"}
    town = Town(id=uuid7(), name="南沙街", kind=TownKind.STREET, **common)
    comm = Community(
        id=uuid7(), town_id=town.id, name="金洲社区", kind=CommunityKind.COMMUNITY, **common
    )
    other = Community(
        id=uuid7(), town_id=town.id, name="塘坑村", kind=CommunityKind.VILLAGE, **common
    )
    station = Station(
        id=uuid7(),
        community_id=comm.id,
        name="金洲社区党群服务站",
        kind=StationKind.SERVICE_CENTRE,
        **common,
    )
    other_station = Station(
        id=uuid7(),
        community_id=other.id,
        name="塘坑村党群服务站",
        kind=StationKind.SERVICE_CENTRE,
        **common,
    )
    org = Organisation(
        id=uuid7(),
        name="南沙区税务局机关党支部",
        org_type=OrgType.ORGAN,
        town_id=town.id,
        annual_quota=12,
        **common,
    )
    price = PriceItem(id=uuid7(), name="理发一次", price_minutes=COIN, active=True, **common)
    with server.session() as s, s.begin():
        publish_reference(s, [town, comm, other, station, other_station, org, price], _ENTITY_OF)
    return World(town.id, comm.id, station.id, other.id, other_station.id, org.id, price.id)


# --- kiosks -------------------------------------------------------------------------------
@dataclass
class Kiosk:
    data_dir: Path
    store: Store
    clock: FixedClock
    client: SyncClient
    engine: SyncEngine
    device_id: str
    secret: bytes
    batch_items: int = 200

    @property
    def svc(self) -> Services:
        return Services(self.store)

    def sync(self) -> SyncStatus:
        return self.engine.run_once()

    def close(self) -> None:
        self.store.close()

    def reopen(self) -> None:
        """Open the store again (after another process has used the data directory)."""
        self.store = open_store(self.data_dir, clock=self.clock)
        self.engine = SyncEngine(
            self.store,
            self.client,
            lock_path=self.data_dir / "sync.lock",
            batch_items=self.batch_items,
        )


def make_kiosk(
    server: ServerHandle,
    station_id: uuid.UUID,
    data_dir: Path,
    *,
    url: str | None = None,
    clock: FixedClock | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
    batch_items: int = 200,
) -> Kiosk:
    """Enrol a new kiosk at ``station_id``; it then talks to ``url`` (a proxy) if given."""
    clock = clock or FixedClock(dt.datetime.now(UTC))
    with server.session() as s, s.begin():
        code = new_enrollment_code(s, station_id)
    store = open_store(data_dir, clock=clock)
    enroll(store, data_dir, server.url, code)
    enrolment = load_enrolment(data_dir)
    assert enrolment is not None
    client = SyncClient(
        url or server.url,
        enrolment.credentials(),
        timeout=timeout,
        now=lambda: clock.now().timestamp(),
    )
    engine = SyncEngine(store, client, lock_path=data_dir / "sync.lock", batch_items=batch_items)
    return Kiosk(
        data_dir, store, clock, client, engine, enrolment.device_id, enrolment.secret, batch_items
    )


@dataclass
class Work:
    """What ``offline_day`` recorded, by kind."""

    members: list[uuid.UUID] = field(default_factory=list)
    residents: list[uuid.UUID] = field(default_factory=list)
    activities: list[uuid.UUID] = field(default_factory=list)
    needs: list[uuid.UUID] = field(default_factory=list)
    checkouts: int = 0
    donations: int = 0
    spends: int = 0


def offline_day(
    kiosk: Kiosk,
    world: World,
    *,
    seed: int = 1,
    members: int = 6,
    residents: int = 3,
    rounds: int = 1,
    skew: dt.timedelta = dt.timedelta(0),
) -> Work:
    """A station's day, recorded while offline: walk-ins, an activity with check-ins and
    check-outs (coins minted), needs posted and claimed, donations and spending, suggestions.

    The kiosk's clock runs from some hours ago up to the real present, so the records carry
    plausible times and the kiosk's clock agrees with the server's afterwards (or is
    ``skew`` off it, for a kiosk whose clock is wrong).
    """
    rng = random.Random(seed)
    svc = kiosk.svc
    clock = kiosk.clock
    end = dt.datetime.now(UTC) + skew
    clock.set(end - dt.timedelta(hours=6))
    work = Work()
    for i in range(members + residents):
        kind = PersonKind.MEMBER if i < members else PersonKind.RESIDENT
        person = svc.people.register(
            name=f"{'党员' if kind == PersonKind.MEMBER else '居民'}{seed}-{i}",
            kind=kind,
            id_number=id_number("19700101" if kind == PersonKind.MEMBER else "19400101"),
            phone=f"138{rng.randrange(10**8):08d}",
            org_id=world.org if kind == PersonKind.MEMBER else None,
            community_id=world.community,
            hardship=kind == PersonKind.RESIDENT and i % 2 == 0,
        )
        (work.members if kind == PersonKind.MEMBER else work.residents).append(person.id)
        clock.advance(minutes=1)
    for _ in range(rounds):
        start = clock.now()
        act = svc.attendance.create_activity(
            title="清洁家园",
            community_id=world.community,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            service_type="清洁家园",
            organiser_org_id=world.org,
        )
        work.activities.append(act.id)
        svc.attendance.open_checkin(activity_id=act.id)
        for member in work.members:
            svc.attendance.check_in(activity_id=act.id, person_id=member, method=CheckMethod.QR)
            clock.advance(seconds=rng.randrange(20, 90))
        clock.advance(minutes=rng.choice((60, 90, 120)))
        for member in work.members[:-1]:  # the last one forgets: closing checks them out
            svc.attendance.check_out(
                activity_id=act.id, person_id=member, method=CheckMethod.ID_CARD
            )
            work.checkouts += 1
            clock.advance(seconds=rng.randrange(20, 90))
        svc.attendance.close_checkin(activity_id=act.id)
        for resident in work.residents:
            need = svc.needs.post(
                resident_id=resident,
                category=rng.choice(list(NeedCategory)),
                wished_at=clock.now() + dt.timedelta(days=2),
                description="需要帮忙",
            )
            work.needs.append(need.id)
            if rng.random() < 0.7:
                svc.needs.claim(need_id=need.id, person_id=rng.choice(work.members))
            clock.advance(minutes=3)
        for member in work.members[:3]:
            try:
                svc.ledger.donate(from_person=member, minutes=COIN // 2)
                work.donations += 1
                svc.ledger.spend(person_id=member, price_item_id=world.price_item)
                work.spends += 1
            except TimebankError:
                pass  # not enough coins: a real refusal at the kiosk, nothing recorded
        svc.suggestions.leave(text="活动室的空调希望早点修好", target=SuggestionTarget.ORG_DEPT)
        clock.advance(minutes=10)
    clock.set(end)
    return work


# --- checks -------------------------------------------------------------------------------
def ids(session: Session, model: type[Base]) -> set[uuid.UUID]:
    return set(session.execute(sql_select(model.id)).scalars())  # type: ignore[attr-defined]


def outbox_counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        rows = s.execute(
            sql_select(OutboxItem.status, func.count()).group_by(OutboxItem.status)
        ).all()
    return {str(status): int(n) for status, n in rows}


def quarantined(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as s:
        return [
            (r.entity, r.op, r.last_error)
            for r in s.execute(
                sql_select(OutboxItem).where(OutboxItem.status == OutboxStatus.QUARANTINED)
            ).scalars()
        ]


def assert_in_step(
    server: ServerHandle,
    *kiosks: Kiosk,
    quarantined_items: int = 0,
    skip: dict[type[Base], set[uuid.UUID]] | None = None,
) -> None:
    """Server and kiosks agree after a final sync: same ids per record kind, same balances,
    every outbox item acknowledged (or quarantined, as many as expected) and known to the
    server exactly once, and every kiosk database sound."""
    skip = skip or {}
    with server.session() as s:
        server_ids = {m: ids(s, m) for m in RECORD_MODELS}
        server_balances = {a: b for a, b in s.execute(sql_select(Account.id, Account.balance))}
        sync_items = {
            key: status
            for key, status in s.execute(sql_select(SyncItem.idempotency_key, SyncItem.status))
        }
    kiosk_ids: dict[type[Base], set[uuid.UUID]] = {m: set() for m in RECORD_MODELS}
    total_quarantined = 0
    for kiosk in kiosks:
        with kiosk.store.read() as s:
            for model in RECORD_MODELS:
                kiosk_ids[model] |= ids(s, model)
            balances = {a: b for a, b in s.execute(sql_select(Account.id, Account.balance))}
            items = list(s.execute(sql_select(OutboxItem)).scalars())
        for account_id, balance in balances.items():
            assert server_balances.get(account_id) == balance, f"balance of {account_id}"
        statuses = {i.status for i in items}
        assert statuses <= {OutboxStatus.ACKED, OutboxStatus.QUARANTINED}, statuses
        for item in items:
            if item.status == OutboxStatus.ACKED:
                assert sync_items.get(item.idempotency_key) in ("applied", "duplicate"), item
            else:
                total_quarantined += 1
                assert sync_items.get(item.idempotency_key) in ("rejected", "conflict"), item
        assert check_database(kiosk.store) == []
    assert total_quarantined == quarantined_items
    # The server makes the mint and pool accounts itself; a kiosk only once it needs them.
    server_ids[Account] -= SYSTEM_ACCOUNTS - kiosk_ids[Account]
    for model in RECORD_MODELS:
        expected = kiosk_ids[model] - skip.get(model, set())
        assert server_ids[model] == expected, (
            f"{model.__tablename__}: server has {len(server_ids[model])}, kiosks "
            f"{len(expected)}; missing {len(expected - server_ids[model])}, extra "
            f"{len(server_ids[model] - expected)}"
        )


# --- signed requests by hand (security tests) ---------------------------------------------
def signed_headers(
    device_id: str,
    secret: bytes,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or base64.urlsafe_b64encode(os.urandom(18)).decode()
    return {
        H_DEVICE: device_id,
        H_TIMESTAMP: ts,
        H_NONCE: nonce,
        H_SIGNATURE: sign(secret, method, path, ts, nonce, body),
        "Content-Type": "application/json",
    }


def signed_request(
    base_url: str,
    credentials: Credentials,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    extra: dict[str, str] | None = None,
    **kwargs: Any,
) -> requests.Response:
    headers = signed_headers(
        credentials.device_id, credentials.secret, method, path, body, **kwargs
    )
    headers.update(extra or {})
    return requests.request(method, base_url + path, data=body or None, headers=headers, timeout=30)


# --- the fault-injecting proxy ------------------------------------------------------------
class Fault(Enum):
    LOSE_ANSWER = "lose_answer"  # forward, let the server commit, close without answering
    CUT_REQUEST = "cut_request"  # forward only half the request body, then hang up
    CUT_ANSWER = "cut_answer"  # forward, answer the headers and half the body, hang up
    ERROR_500 = "error_500"  # answer 500 without forwarding
    ERROR_503 = "error_503"  # answer 503 without forwarding
    STALL_ANSWER = "stall_answer"  # forward, hold the answer until the client gives up
    STALL_REQUEST = "stall_request"  # hold the request until the client gives up, then forward
    HOOK = "hook"  # forward, run a callback, then answer


@dataclass
class _Rule:
    fault: Fault
    path: str
    skip: int
    times: int
    hook: Callable[[], None] | None


@dataclass
class Exchange:
    method: str
    path: str
    fault: Fault | None
    upstream_status: int | None  # what the server answered, None if it never answered


class FaultProxy:
    """A threaded HTTP/1.1 proxy on 127.0.0.1 in front of the live server.

    Rules are consumed in order: ``inject(fault, path=..., skip=n, times=k)`` lets n matching
    requests through untouched and then applies the fault to the next k. The upstream can be
    changed while running (a restarted server has a new port).
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self.log: list[Exchange] = []
        self._active = 0
        self._idle = threading.Condition(self._lock)
        proxy = self

        class Handler(_ProxyHandler):
            owner = proxy

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def inject(
        self,
        fault: Fault,
        *,
        path: str = "/sync/push",
        skip: int = 0,
        times: int = 1,
        hook: Callable[[], None] | None = None,
    ) -> None:
        with self._lock:
            self._rules.append(_Rule(fault, path, skip, times, hook))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def pending_faults(self) -> int:
        with self._lock:
            return sum(r.times for r in self._rules)

    def faults_applied(self) -> list[Fault]:
        with self._lock:
            return [e.fault for e in self.log if e.fault is not None]

    def _take(self, path: str) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.path not in path:
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    return None
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
            return None

    def _enter(self) -> None:
        with self._lock:
            self._active += 1

    def _leave(self, exchange: Exchange) -> None:
        with self._lock:
            self.log.append(exchange)
            self._active -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until no request is inside the proxy (a stalled one has been forwarded)."""
        with self._idle:
            assert self._idle.wait_for(lambda: self._active == 0, timeout), "proxy stuck"

    def close(self) -> None:
        self.wait_idle()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


class _ProxyHandler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        proxy = self.owner
        proxy._enter()
        exchange = Exchange(self.command, self.path, None, None)
        self.close_connection = True
        try:
            self._serve(proxy, exchange)
        except OSError:
            pass  # the client or the server hung up: that is what faults are made of
        finally:
            proxy._leave(exchange)

    def _serve(self, proxy: FaultProxy, exchange: Exchange) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        rule = proxy._take(self.path)
        fault = rule.fault if rule else None
        exchange.fault = fault
        if fault in (Fault.ERROR_500, Fault.ERROR_503):
            status = 500 if fault is Fault.ERROR_500 else 503
            self._answer(status, {"Content-Type": "text/plain"}, b"injected failure")
            return
        if fault is Fault.CUT_REQUEST:
            self._forward_partial(proxy.upstream, body)
            return
        if fault is Fault.STALL_REQUEST:
            self._wait_for_client_to_leave()
        try:
            status, headers, answer = self._forward(proxy.upstream, body)
        except OSError:
            self._answer(502, {"Content-Type": "text/plain"}, b"bad gateway")
            return
        exchange.upstream_status = status
        if fault is Fault.LOSE_ANSWER:
            return  # the server committed; the client hears nothing but a closed connection
        if fault is Fault.STALL_ANSWER:
            self._wait_for_client_to_leave()
            return
        if fault is Fault.HOOK and rule is not None and rule.hook is not None:
            rule.hook()
        if fault is Fault.CUT_ANSWER:
            self._answer(status, headers, answer, cut=True)
            return
        self._answer(status, headers, answer)

    def _forward(self, upstream: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(upstream)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        try:
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("host", "connection", "content-length")
            }
            headers["Connection"] = "close"
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            answer = resp.read()
            out = {
                k: v
                for k, v in resp.getheaders()
                if k.lower() not in ("connection", "content-length", "transfer-encoding")
            }
            return resp.status, out, answer
        finally:
            conn.close()

    def _forward_partial(self, upstream: str, body: bytes) -> None:
        """Send the headers and half the body to the server, then hang up on both sides."""
        parts = urlsplit(upstream)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            head = [f"{self.command} {self.path} HTTP/1.1", f"Host: {parts.netloc}"]
            for k, v in self.headers.items():
                if k.lower() not in ("host", "connection"):
                    head.append(f"{k}: {v}")
            head.append("Connection: close")
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            sock.sendall(body[: len(body) // 2])

    def _answer(
        self, status: int, headers: dict[str, str], body: bytes, *, cut: bool = False
    ) -> None:
        self.send_response_only(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "date" not in {k.lower() for k in headers}:
            self.send_header("Date", self.date_time_string())
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if cut else body)
        self.wfile.flush()

    def _wait_for_client_to_leave(self, limit: float = 30.0) -> None:
        """Block until the client closed its end (it timed out), or ``limit`` seconds."""
        sock = self.connection
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([sock], [], [], 0.05)
            if ready:
                try:
                    if sock.recv(1, socket.MSG_PEEK) == b"":
                        return
                except OSError:
                    return
