"""Sync push throughput: ``python bench/sync.py [--records 20000] [--kiosks 50] [--pg URL|--no-pg]``.

Two measurements against the real central server (FastAPI + uvicorn, started by this script
in a child process on 127.0.0.1 and an OS-chosen port; all traffic is loopback):

1. **Catch-up after a week offline.** One kiosk is enrolled (``sync.enrolment.enroll``) at
   the demo station of a server holding the demo reference data
   (``server.demo.load_demo_reference``, seed 1), pulls that reference data, then records a
   week of its station's work through the kiosk services on a ``FixedClock``: walk-ins,
   activities with check-in/out, service records and their coins, staff approvals, residents
   served, needs through their whole lifecycle, suggestions and replies, micro-wishes,
   donations, spending, grants and the audit trail. The store is built once per run and its
   data directory copied for each server backend, so SQLite and PostgreSQL receive the
   identical outbox. Each copy is pushed by ``SyncEngine.run_once`` to a fresh server whose
   deployment keys and device row are those of the enrolling server (the same deployment
   restored on another database). Reported: records/s of the push phase (first batch read to
   the last acknowledgement committed on the kiosk) and its batches; the pull that follows in
   the same cycle is timed apart.

   Baseline, "storage limit", same backend, same run: a fresh server database prepared the
   same way receives the same rows in ONE transaction with SQLAlchemy Core executemany. It
   includes, timed together: decoding every outbox payload (``json.loads`` and
   ``kiosk.store.decode.columns_from_payload``), the record rows (creates inserted, ledger
   lines from each transaction's ``lines``, account balances as the server keeps them, every
   transition applied as an UPDATE in order with need/wish versions bumped), and the rows the
   server writes per item: ``sync_item`` (every item), ``record_hash`` (every create) and
   ``change_log`` (every change but audit entries, with the full record as data and its
   community scope, sequence numbers taken from ``server_meta``). It leaves out what the server
   does per request (signature, nonce, JSON validation of the batch, HTTP) and per item beyond
   storing (reference checks, savepoints, ORM). Both databases are then compared table by
   table, so the two sides are known to have stored the same rows.

2. **Many kiosks at once** (PostgreSQL): ``--kiosks`` devices, each enrolled at one of the
   demo stations, pull the reference data, record a day of a few hundred records, then all
   run ``SyncEngine.run_once`` at the same moment from threads of this process (the server
   is another process, so client threads do not share its interpreter lock). Every
   ``client.push`` call is timed. Checked: no exception, every outbox row acked, and the
   server holds exactly the records the kiosks created.

The server child also times each push request inside the ASGI app and the push handler body
(``do_push``), so each batch's time splits into kiosk, client + HTTP, framework and handler.
Part 2 waits for its kiosks until ``--budget`` seconds (default 360) from the start are spent,
but at least 60 s (the kiosk's read timeout); kiosks still busy then count as errors, each
reported as still pushing or already pulling (all its pushes answered).

Goals (printed, never asserted): >= 5,000 records/s and >= 0.3x the storage limit.
``--profile DIR`` writes a cProfile of the server's push handler body for part 1.
Nothing is cached between runs; PostgreSQL databases made here are dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import logging
import math
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/sync.py: drop bench/ from the path so ``import sync`` is the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from sqlalchemy import (  # noqa: E402
    Engine,
    bindparam,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session  # noqa: E402

from kiosk import nansha  # noqa: E402
from kiosk.clock import CHINA, UTC, FixedClock  # noqa: E402
from kiosk.demo import STAFF_LOGINS  # noqa: E402
from kiosk.errors import TimebankError  # noqa: E402
from kiosk.identity import check_digit  # noqa: E402
from kiosk.services import Services  # noqa: E402
from kiosk.store.base import Base  # noqa: E402
from kiosk.store.decode import columns_from_payload  # noqa: E402
from kiosk.store.models import (  # noqa: E402
    Account,
    Activity,
    CheckMethod,
    Community,
    LedgerLine,
    NeedCategory,
    Organisation,
    OutboxItem,
    OutboxStatus,
    PersonKind,
    Station,
    SuggestionTarget,
)
from kiosk.store.opening import open_store  # noqa: E402
from kiosk.store.uow import Store  # noqa: E402
from server.db import make_server_engine, normalize_url, record_tables  # noqa: E402
from server.demo import load_demo_reference  # noqa: E402
from server.models import ChangeLog, Device, RecordHash, ServerMeta, SyncItem  # noqa: E402
from server.rules import ENTITIES, GLOBAL, VERSIONED  # noqa: E402
from server.setup import ensure_meta, init_schema, new_enrollment_code  # noqa: E402
from sync.client import SyncClient  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.enrolment import enroll, load_enrolment  # noqa: E402
from sync.protocol import PullResponse, PushRequest, PushResponse  # noqa: E402

SEED = 1
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
GOAL_RPS = 5_000
GOAL_RATIO = 0.3
DAYS = 7
RECORDS_PER_SCALE = 800  # outbox rows one station day makes at scale 1 (first guess, corrected)
KIOSK_SCALE = 0.35  # a few hundred records per kiosk in part 2
SERVER_START_S = 60
MIN_FLEET_WAIT_S = 60  # part 2 waits at least this long for its kiosks, whatever the budget
KEY_FIELDS = ("key_id", "hash_key", "data_key", "qr_key_id", "qr_private_key")
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)

log = logging.getLogger("bench.sync")


# --- the server, in a child process ----------------------------------------------------
def serve_child(db_url: str, profile: str | None) -> int:
    """Child mode: serve ``db_url`` until stdin closes (the parent ending closes it too).

    As ``tests.live_server`` does, plus timing: each push request as the ASGI app sees it
    (body read, validation, handler, response) and the push handler body alone (the
    ``do_push`` call run in the thread pool), written to stdout as JSON when stdin closes.
    With ``profile`` the handler body also runs under cProfile (one push at a time only).
    """
    logging.basicConfig(level=logging.WARNING)
    import uvicorn

    import server.app as app_module
    from sync.protocol import PUSH_PATH

    engine = make_server_engine(db_url)
    init_schema(engine)
    with Session(engine) as session, session.begin():
        ensure_meta(session)
    timings: dict[str, list[float]] = {"asgi": [], "handler": []}
    prof = cProfile.Profile() if profile else None
    original = app_module.run_in_threadpool

    async def timed_handler(func: Callable[..., Any], *args: Any) -> Any:
        def run() -> Any:
            t0 = time.perf_counter()
            if prof is not None:
                prof.enable()
            try:
                return func(*args)
            finally:
                if prof is not None:
                    prof.disable()
                timings["handler"].append(time.perf_counter() - t0)

        return await original(run)

    app_module.run_in_threadpool = timed_handler  # type: ignore[assignment]
    app = app_module.create_app(engine=engine)

    async def timed_app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != PUSH_PATH:
            await app(scope, receive, send)
            return
        t0 = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            timings["asgi"].append(time.perf_counter() - t0)

    config = uvicorn.Config(
        timed_app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            return 1
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        engine.dispose()
    if prof is not None and profile:
        prof.dump_stats(profile)
    print(json.dumps(timings), flush=True)
    return 0


@dataclass
class ServerHandle:
    url: str
    asgi_s: list[float] = field(default_factory=list)  # filled when the server has stopped
    handler_s: list[float] = field(default_factory=list)


@contextlib.contextmanager
def server_process(db_url: str, profile: Path | None = None) -> Iterator[ServerHandle]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-child", db_url]
    if profile is not None:
        cmd += ["--serve-profile", str(profile)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None
    lines: list[str] = []

    def read() -> None:
        for line in stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + SERVER_START_S
        while not lines and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        url = lines[0].strip() if lines else ""
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"server did not start (exit code {proc.poll()})")
        handle = ServerHandle(url)
        yield handle
    finally:
        with contextlib.suppress(OSError):
            stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        reader.join(timeout=10)
    if len(lines) > 1:
        timings = json.loads(lines[-1])
        handle.asgi_s, handle.handler_s = timings["asgi"], timings["handler"]


# --- server databases ------------------------------------------------------------------
@dataclass
class Databases:
    """Makes fresh server databases and drops the PostgreSQL ones at the end."""

    tmp: Path
    pg_base: str | None
    made: list[str] = field(default_factory=list)

    def new(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.db')}"
        assert self.pg_base is not None
        db = f"tb_bench_{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalize_url(self.pg_base), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db}"'))
        finally:
            admin.dispose()
        url = self.pg_base.rsplit("/", 1)[0] + "/" + db
        self.made.append(url)
        return url

    def drop_all(self) -> None:
        from tests.live_server import drop_pg_database

        while self.made:
            url = self.made.pop()
            try:
                drop_pg_database(url)
            except Exception as exc:
                print(f"could not drop {url}: {exc}", file=sys.stderr)


def pg_reachable(url: str) -> bool:
    engine = create_engine(normalize_url(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


@dataclass
class Deployment:
    """What a restored copy of the enrolling server shares with it: keys and devices."""

    keys: dict[str, str]
    devices: list[dict[str, Any]]


def read_deployment(engine: Engine) -> Deployment:
    with Session(engine) as s:
        meta = s.get_one(ServerMeta, 1)
        devices = [
            {
                "id": d.id,
                "station_id": d.station_id,
                "name": d.name,
                "secret": d.secret,
                "enrolled_at": d.enrolled_at,
            }
            for d in s.execute(select(Device)).scalars()
        ]
        return Deployment({k: getattr(meta, k) for k in KEY_FIELDS}, devices)


def prepare_server_db(url: str, deployment: Deployment | None) -> Engine:
    """Schema, keys, the demo reference data and (for a copy) the deployment's devices."""
    engine = make_server_engine(url)
    init_schema(engine)
    with Session(engine) as s, s.begin():
        ensure_meta(s)
        load_demo_reference(s, seed=SEED)
        if deployment is not None:
            meta = s.get_one(ServerMeta, 1)
            for key, value in deployment.keys.items():
                setattr(meta, key, value)
            for device in deployment.devices:
                s.add(Device(**device))
    return engine


def table_counts(engine: Engine) -> dict[str, int]:
    tables = [*record_tables(), SyncItem.__table__, RecordHash.__table__, ChangeLog.__table__]
    with engine.connect() as conn:
        counts = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in tables
        }
        counts["sum(account.balance)"] = int(
            conn.execute(select(func.coalesce(func.sum(Account.balance), 0))).scalar_one()
        )
        counts["sum(abs(account.balance))"] = int(
            conn.execute(select(func.coalesce(func.sum(func.abs(Account.balance)), 0))).scalar_one()
        )
    counts["accounts off their ledger lines"] = len(balance_drift(engine))
    return counts


# --- a station's work, through the kiosk services ---------------------------------------
def id_number(area: str, birth: dt.date, serial: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


class StationWork:
    """A kiosk's days at its own station, made only through the services (rules hold).

    People registered here get ID numbers unique across kiosks (``serial_base``), so many
    kiosks can push to one server without two of them registering the same card.
    """

    def __init__(self, svc: Services, rng: random.Random, serial_base: int) -> None:
        clock = svc.store.clock
        assert isinstance(clock, FixedClock)
        self.svc, self.clock, self.rng, self.serial = svc, clock, rng, serial_base
        station_id = svc.store.identity.station_id
        assert station_id is not None
        with svc.store.read() as s:
            station = s.get_one(Station, station_id)
            self.community = s.get_one(Community, station.community_id)
            self.orgs = list(s.execute(select(Organisation.id)).scalars())
        self.prices = svc.reference.price_list()
        self.staff = [
            svc.staff.create(name=name, login=login, pin=pin).id
            for name, login, pin in STAFF_LOGINS
        ]
        self.members: list[uuid.UUID] = []
        self.helpers: list[uuid.UUID] = []  # members and volunteers
        self.residents: list[uuid.UUID] = []
        self.needy: list[uuid.UUID] = []
        self.needs: dict[str, list[uuid.UUID]] = defaultdict(list)  # by stage reached
        self.wishes: dict[str, list[tuple[uuid.UUID, uuid.UUID | None]]] = defaultdict(list)
        self.unreplied: list[uuid.UUID] = []
        self.skipped: Counter[str] = Counter()

    def _try(self, step: Callable[..., Any], **kw: Any) -> Any:
        try:
            return step(**kw)
        except TimebankError as exc:
            self.skipped[f"{step.__qualname__}: {exc.detail}"] += 1
            return None

    def _tick(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)

    def _staff(self, share: float) -> uuid.UUID | None:
        return self.rng.choice(self.staff) if self.rng.random() < share else None

    # --- one day -----------------------------------------------------------------------
    def day(self, morning: dt.datetime, scale: float) -> None:
        """08:00 walk-ins, five activity sessions from 09:00, pipelines moving each session."""
        self.clock.set(morning)
        self.walk_ins(max(4, round(60 * scale)))
        per_slot = max(1, round(scale))
        for slot in range(5):
            start = morning + HOUR + slot * 105 * MINUTE
            self.session(start, per_slot, scale, last=slot == 4)

    def walk_ins(self, n: int) -> None:
        people = self.svc.people
        for i in range(n):
            share = i % 20
            kind = (
                PersonKind.MEMBER
                if share < 9
                else PersonKind.RESIDENT
                if share < 17
                else PersonKind.VOLUNTEER
            )
            elder = kind == PersonKind.RESIDENT
            self.serial += 1
            base = dt.date(1935 if elder else 1962, 1, 1)
            birth = base + dt.timedelta(days=self.serial // 1000)
            hardship = elder and self.rng.random() < 0.3
            person = self._try(
                people.register,
                name=nansha.person_name(self.rng, elder=elder),
                kind=kind,
                id_number=id_number("440115", birth, self.serial),
                phone=f"13{self.rng.randrange(10**9):09d}" if self.rng.random() < 0.5 else None,
                org_id=self.rng.choice(self.orgs) if kind == PersonKind.MEMBER else None,
                community_id=self.community.id,
                hardship=hardship,
                staff_id=self._staff(0.6 if elder else 0.1),
            )
            if person is not None:
                if kind == PersonKind.RESIDENT:
                    self.residents.append(person.id)
                    if hardship:
                        self.needy.append(person.id)
                else:
                    self.helpers.append(person.id)
                    if kind == PersonKind.MEMBER:
                        self.members.append(person.id)
            self._tick(15)

    def session(self, start: dt.datetime, k: int, scale: float, *, last: bool) -> None:
        att, rng = self.svc.attendance, self.rng
        self.clock.set(start - 25 * MINUTE)
        acts = []
        for _ in range(k):
            service_type = rng.choice(list(nansha.ACTIVITY_TYPES))
            title = rng.choice(nansha.ACTIVITY_TYPES[service_type]).format(c=self.community.name)
            act = self._try(
                att.create_activity,
                title=title,
                community_id=self.community.id,
                starts_at=start,
                ends_at=start + 90 * MINUTE,
                service_type=service_type,
                organiser_org_id=rng.choice(self.orgs),
                place=f"{self.community.name}党群服务站",
                coin_rate=rng.choice((60, 60, 90)),
                staff_id=rng.choice(self.staff),
            )
            if act is not None:
                acts.append(act.id)
            self._tick(20)
        self.clock.set(start - 15 * MINUTE)
        for act_id in acts:
            self._try(att.open_checkin, activity_id=act_id, staff_id=rng.choice(self.staff))
        self.clock.set(start - 10 * MINUTE)
        pool = rng.sample(self.helpers, min(len(self.helpers), round(25 * scale)))
        groups = {act_id: pool[i :: len(acts)] for i, act_id in enumerate(acts)} if acts else {}
        for act_id, group in groups.items():
            for person_id in group:
                method = rng.choice((CheckMethod.QR, CheckMethod.ID_CARD, CheckMethod.ID_CARD))
                self._try(att.check_in, activity_id=act_id, person_id=person_id, method=method)
                self._tick(5)
        for act_id in acts:
            for resident in rng.sample(self.residents, min(len(self.residents), round(6 * scale))):
                self._try(
                    att.record_served,
                    person_id=resident,
                    method=CheckMethod.ID_CARD,
                    activity_id=act_id,
                )
                self._tick(3)
        self.between(scale, last=last)
        self.clock.set(max(self.clock.now(), start + 80 * MINUTE))
        for act_id, group in groups.items():
            for person_id in group:
                if rng.random() < 0.04:
                    continue  # forgot to check out: closed for review below
                method = rng.choice((CheckMethod.QR, CheckMethod.ID_CARD))
                self._try(att.check_out, activity_id=act_id, person_id=person_id, method=method)
                self._tick(5)
        self.clock.set(max(self.clock.now(), start + 100 * MINUTE))
        for act_id in acts:
            staff = rng.choice(self.staff)
            flagged = self._try(att.close_checkin, activity_id=act_id, staff_id=staff) or []
            for rec in flagged[::2]:
                self._try(
                    att.approve_service,
                    record_id=rec.id,
                    staff_id=staff,
                    minutes=rec.pending_minutes,
                    note="已核实在场",
                )
                self._tick(10)

    def between(self, scale: float, *, last: bool) -> None:
        """While an activity runs: residents at the counter, needs, wishes, coins."""
        svc, rng = self.svc, self.rng
        for resident in rng.sample(self.residents, min(len(self.residents), round(3 * scale))):
            self._try(svc.attendance.record_served, person_id=resident, method=CheckMethod.ID_CARD)
            self._tick(20)
        self.move_needs()
        for _ in range(max(1, round(3 * scale))):
            if not self.residents:
                break
            category = rng.choice(list(NeedCategory))
            need = self._try(
                svc.needs.post,
                resident_id=rng.choice(self.residents),
                category=category,
                wished_at=self.clock.now() + rng.randrange(2, 30) * HOUR,
                description=rng.choice(nansha.NEED_PHRASES[category]),
                staff_id=self._staff(0.4),
            )
            if need is not None:
                self.needs["posted"].append(need.id)
            self._tick(30)
        self.move_wishes()
        for _ in range(round(0.7 * scale + rng.random())):
            if not self.residents:
                break
            title, description = rng.choice(nansha.WISHES)
            wish = self._try(
                svc.wishes.submit,
                resident_id=rng.choice(self.needy or self.residents),
                title=title,
                description=description,
                staff_id=self._staff(0.5),
            )
            if wish is not None:
                self.wishes["submitted"].append((wish.id, None))
            self._tick(30)
        for sug_id in self.unreplied[: max(1, len(self.unreplied) // 2)]:
            self._try(
                svc.suggestions.record_reply,
                suggestion_id=sug_id,
                reply=rng.choice(nansha.SUGGESTION_REPLIES),
                staff_id=rng.choice(self.staff),
            )
            self.unreplied.remove(sug_id)
        for _ in range(round(1.5 * scale + rng.random())):
            to_town = rng.random() < 0.5
            sug = self._try(
                svc.suggestions.leave,
                text=rng.choice(
                    nansha.SUGGESTIONS_TO_TOWN if to_town else nansha.SUGGESTIONS_TO_ORG_DEPT
                ),
                target=SuggestionTarget.TOWN if to_town else SuggestionTarget.ORG_DEPT,
                town_id=self.community.town_id if to_town else None,
                contact=f"13{rng.randrange(10**9):09d}" if rng.random() < 0.4 else None,
                person_id=rng.choice(self.residents)
                if self.residents and rng.random() < 0.3
                else None,
            )
            if sug is not None:
                self.unreplied.append(sug.id)
        self.coins(scale, last=last)
        if self.residents and rng.random() < 0.3 * scale:
            resident = rng.choice(self.residents)
            self._try(
                svc.people.set_hardship,
                person_id=resident,
                hardship=True,
                staff_id=rng.choice(self.staff),
            )
            if resident not in self.needy:
                self.needy.append(resident)

    def move_needs(self) -> None:
        """Every need moves one step per session: claim, start, complete, confirm, rate."""
        needs, rng = self.svc.needs, self.rng
        stages = self.needs
        moved: dict[str, list[uuid.UUID]] = defaultdict(list)
        for need_id in stages.pop("confirmed", []):
            ok = self._try(
                needs.rate,
                need_id=need_id,
                stars=rng.choices((5, 4, 3), (70, 20, 10))[0],
                comment=rng.choice(nansha.RATING_COMMENTS),
            )
            self._tick(10)
            if ok is not None:
                moved["rated"].append(need_id)
        for need_id in stages.pop("completed", []):
            if self._try(needs.confirm, need_id=need_id, staff_id=self._staff(0.5)) is not None:
                moved["confirmed"].append(need_id)
            self._tick(10)
        for need_id in stages.pop("started", []):
            minutes = rng.randrange(2, 9) * 15
            if self._try(needs.complete, need_id=need_id, service_minutes=minutes) is not None:
                moved["completed"].append(need_id)
            self._tick(10)
        for need_id in stages.pop("claimed", []):
            if self._try(needs.start, need_id=need_id) is not None:
                moved["started"].append(need_id)
            self._tick(10)
        for need_id in stages.pop("posted", []):
            if rng.random() < 0.1:
                reason = rng.choice(nansha.NEED_CANCEL_REASONS)
                self._try(needs.cancel, need_id=need_id, reason=reason, staff_id=self._staff(0.5))
                continue
            if self.helpers and rng.random() < 0.7:
                claimed = self._try(
                    needs.claim, need_id=need_id, person_id=rng.choice(self.helpers)
                )
            else:
                claimed = self._try(needs.claim, need_id=need_id, org_id=rng.choice(self.orgs))
            if claimed is not None:
                moved["claimed"].append(need_id)
            self._tick(10)
        for stage, ids in moved.items():
            stages[stage].extend(ids)

    def move_wishes(self) -> None:
        wishes, rng = self.svc.wishes, self.rng
        stages = self.wishes
        moved: dict[str, list[tuple[uuid.UUID, uuid.UUID | None]]] = defaultdict(list)
        for wish_id, member in stages.pop("contacted", []):
            note = rng.choice(nansha.WISH_FULFIL_NOTES)
            self._try(wishes.fulfil, wish_id=wish_id, note=note, member_id=member)
            self._tick(10)
        for wish_id, member in stages.pop("claimed", []):
            if self._try(wishes.mark_contacted, wish_id=wish_id, member_id=member) is not None:
                moved["contacted"].append((wish_id, member))
            self._tick(10)
        for wish_id, _ in stages.pop("published", []):
            if not self.members:
                moved["published"].append((wish_id, None))
                continue
            member = rng.choice(self.members)
            if self._try(wishes.claim, wish_id=wish_id, member_id=member) is not None:
                moved["claimed"].append((wish_id, member))
            self._tick(10)
        for wish_id, _ in stages.pop("submitted", []):
            approve = rng.random() > 0.1
            staff = rng.choice(self.staff)
            done = self._try(wishes.verify, wish_id=wish_id, staff_id=staff, approve=approve)
            if done is not None and approve:
                moved["published"].append((wish_id, None))
            self._tick(10)
        for stage, items in moved.items():
            stages[stage].extend(items)

    def coins(self, scale: float, *, last: bool) -> None:
        ledger, rng = self.svc.ledger, self.rng
        for _ in range(round(scale + rng.random())):
            if not self.helpers:
                break
            donor = rng.choice(self.helpers)
            if ledger.balance(donor) >= 30:
                target = rng.choice(self.needy) if self.needy and rng.random() < 0.6 else None
                self._try(ledger.donate, minutes=30, from_person=donor, to_resident=target)
                self._tick(20)
        for _ in range(round(1.5 * scale + rng.random())):
            if not self.helpers:
                break
            who = rng.choice(self.helpers + self.needy)
            balance = ledger.balance(who)
            affordable = [p for p in self.prices if p.price_minutes <= balance]
            if affordable:
                item = rng.choice(affordable)
                self._try(ledger.spend, person_id=who, price_item_id=item.id)
                self._tick(20)
        if last and self.needy and ledger.pool_balance() >= 60:
            self._try(
                ledger.grant,
                staff_id=rng.choice(self.staff),
                to_person=rng.choice(self.needy),
                minutes=60,
                reason="困难群众关爱",
            )


# --- kiosks -----------------------------------------------------------------------------
@dataclass
class Timing:
    """Wraps ``SyncClient`` to time every push and pull call."""

    pushes: list[tuple[float, float, int]] = field(default_factory=list)  # start, end, items
    failed_pushes: list[tuple[float, float, int]] = field(default_factory=list)
    first_pull: float | None = None
    pulls: list[tuple[float, int]] = field(default_factory=list)  # seconds, changes
    lock: threading.Lock = field(default_factory=threading.Lock)


class TimedClient(SyncClient):
    timing: Timing
    pulling = False  # this kiosk's cycle has pushed everything and is pulling

    def push(self, request: PushRequest) -> PushResponse:
        t0 = time.perf_counter()
        try:
            response = super().push(request)
        except Exception:
            with self.timing.lock:
                self.timing.failed_pushes.append((t0, time.perf_counter(), len(request.items)))
            raise
        t1 = time.perf_counter()
        with self.timing.lock:
            self.timing.pushes.append((t0, t1, len(request.items)))
        return response

    def pull(self, cursor: int, limit: int = 500, chain: uuid.UUID | None = None) -> PullResponse:
        t0 = time.perf_counter()
        self.pulling = True
        if self.timing.first_pull is None:
            self.timing.first_pull = t0
        page = super().pull(cursor, limit, chain)
        with self.timing.lock:
            self.timing.pulls.append((time.perf_counter() - t0, len(page.changes)))
        return page


def timed_engine(store: Store, data_dir: Path, url: str, timing: Timing) -> SyncEngine:
    enrolment = load_enrolment(data_dir)
    assert enrolment is not None
    client = TimedClient(url, enrolment.credentials())
    client.timing = timing
    return SyncEngine(store, client)


def enrol_kiosk(srv_engine: Engine, url: str, data_dir: Path, station: Station) -> Store:
    """Enrol with a one-time code, then sync once to pull the district's reference data."""
    with Session(srv_engine) as s, s.begin():
        code = new_enrollment_code(s, station.id)
    store = open_store(data_dir, clock=FixedClock(dt.datetime.now(UTC)))
    enroll(store, data_dir, url, code, name=data_dir.name)
    enrolment = load_enrolment(data_dir)
    assert enrolment is not None
    SyncEngine(store, SyncClient(url, enrolment.credentials())).run_once()
    return store


def outbox_rows(data_dir: Path) -> list[OutboxItem]:
    store = open_store(data_dir)
    try:
        with store.read() as s:
            return list(s.execute(select(OutboxItem).order_by(OutboxItem.device_seq)).scalars())
    finally:
        store.close()


def outbox_status(store: Store) -> Counter[str]:
    with store.read() as s:
        return Counter(
            dict(
                s.execute(  # type: ignore[arg-type]
                    select(OutboxItem.status, func.count()).group_by(OutboxItem.status)
                ).all()
            )
        )


def demo_stations(engine: Engine) -> list[Station]:
    with Session(engine) as s:
        return list(s.execute(select(Station).order_by(Station.name)).scalars())


# --- part 1: catch-up after a week offline ----------------------------------------------
def build_backlog(tmp: Path, records: int) -> tuple[Path, Deployment, dict[str, Any]]:
    """Enrol one kiosk, pull, record a week offline; returns its data dir and the keys."""
    from tests.live_server import live_server

    data_dir = tmp / "kiosk-week"
    with live_server(f"sqlite:///{tmp / 'enrol.db'}") as srv:
        with srv.session() as s, s.begin():
            load_demo_reference(s, seed=SEED)
        station = next(st for st in demo_stations(srv.engine) if st.name == nansha.DEMO_STATION)
        store = enrol_kiosk(srv.engine, srv.url, data_dir, station)
        deployment = read_deployment(srv.engine)
    try:
        today = dt.datetime.now(CHINA).replace(hour=8, minute=0, second=0, microsecond=0)
        first = today - DAYS * DAY
        assert isinstance(store.clock, FixedClock)
        store.clock.set(first)
        work = StationWork(Services(store), random.Random(SEED), serial_base=0)
        t0 = time.perf_counter()
        scale = records / DAYS / RECORDS_PER_SCALE
        made = 0
        for d in range(DAYS):
            before = sum(outbox_status(store).values())
            work.day(first + d * DAY, scale)
            made = sum(outbox_status(store).values())
            per_scale = (made - before) / scale if made > before else RECORDS_PER_SCALE
            left = DAYS - d - 1
            if left:
                scale = max(0.05, (records - made) / left / per_scale)
        seconds = time.perf_counter() - t0
    finally:
        store.close()
    info = {"seconds": seconds, "records": made, "skipped": work.skipped}
    return data_dir, deployment, info


@dataclass
class PushResult:
    backend: str
    records: int
    batches: int
    push_s: float
    in_push_calls_s: float
    pull_s: float
    pulled: int
    batch_ms: list[float]
    statuses: Counter[str]
    counts: dict[str, int]
    asgi_s: float  # inside the server: whole push requests as the ASGI app saw them
    handler_s: float  # inside the server: the push handler body (do_push)


def push_backlog(
    backend: str, dbs: Databases, pristine: Path, deployment: Deployment, profile: Path | None
) -> PushResult:
    data_dir = pristine.parent / f"{pristine.name}-{backend}"
    shutil.copytree(pristine, data_dir)
    url = dbs.new(backend, "push")
    engine = prepare_server_db(url, deployment)
    timing = Timing()
    try:
        prof_file = profile / f"push-{backend}.prof" if profile else None
        with server_process(url, prof_file) as srv:
            store = open_store(data_dir)  # the system clock: pushing happens now
            try:
                sync = timed_engine(store, data_dir, srv.url, timing)
                pending = sync.status().pending
                t0 = time.perf_counter()
                status = sync.run_once()
                t1 = time.perf_counter()
                statuses = outbox_status(store)
            finally:
                store.close()
        counts = table_counts(engine)
    finally:
        engine.dispose()
    first_pull = timing.first_pull or t1
    return PushResult(
        backend=backend,
        records=pending,
        batches=len(timing.pushes),
        push_s=first_pull - t0,
        in_push_calls_s=sum(b - a for a, b, _ in timing.pushes),
        pull_s=t1 - first_pull,
        pulled=status.pulled,
        batch_ms=[(b - a) * 1000 for a, b, _ in timing.pushes],
        statuses=statuses,
        counts=counts,
        asgi_s=sum(srv.asgi_s),
        handler_s=sum(srv.handler_s),
    )


@dataclass
class BaselineResult:
    decode_s: float
    store_s: float
    counts: dict[str, int]

    @property
    def total_s(self) -> float:
        return self.decode_s + self.store_s


def storage_limit(
    backend: str, dbs: Databases, items: list[OutboxItem], deployment: Deployment
) -> BaselineResult:
    url = dbs.new(backend, "limit")
    engine = prepare_server_db(url, deployment)
    try:
        with Session(engine) as s:
            existing_accounts = set(s.execute(select(Account.id)).scalars())
            activity_scope = {a.id: a.community_id for a in s.execute(select(Activity)).scalars()}
        device = deployment.devices[0]
        station_scope = _station_community(engine, device["station_id"])
        t0 = time.perf_counter()
        plan = _decode(items, device["id"], existing_accounts, activity_scope, station_scope)
        t1 = time.perf_counter()
        _store(engine, plan)
        t2 = time.perf_counter()
        counts = table_counts(engine)
    finally:
        engine.dispose()
    return BaselineResult(t1 - t0, t2 - t1, counts)


def _station_community(engine: Engine, station_id: uuid.UUID) -> uuid.UUID:
    with Session(engine) as s:
        return s.get_one(Station, station_id).community_id


@dataclass
class Plan:
    inserts: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    lines: list[dict[str, Any]] = field(default_factory=list)
    system_deltas: dict[uuid.UUID, int] = field(default_factory=dict)
    updates: list[dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]]] = field(
        default_factory=list
    )  # rounds: the n-th update of each record in round n, so order per record holds
    sync_items: list[dict[str, Any]] = field(default_factory=list)
    hashes: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


def _decode(
    items: list[OutboxItem],
    device_id: str,
    existing_accounts: set[uuid.UUID],
    activity_scope: dict[uuid.UUID, uuid.UUID],
    station_scope: uuid.UUID,
) -> Plan:
    plan = Plan()
    now = dt.datetime.now(UTC)
    state: dict[uuid.UUID, dict[str, Any]] = {}
    rounds: Counter[uuid.UUID] = Counter()
    balances: dict[uuid.UUID, dict[str, Any]] = {}
    for item in items:
        data = json.loads(item.payload)
        model = ENTITIES[item.entity]
        table = model.__tablename__
        status = "applied"
        change: dict[str, Any] | None = None
        if item.op == "create":
            values = columns_from_payload(model, data)
            if item.entity == "account" and item.entity_id in existing_accounts:
                status = "duplicate"
            else:
                plan.hashes.append(
                    {
                        "entity": item.entity,
                        "entity_id": item.entity_id,
                        "payload_hash": item.payload_hash,
                    }
                )
                if item.entity == "account":
                    values["balance"] = 0
                    balances[item.entity_id] = values
                    data = {k: v for k, v in data.items() if k != "balance"}
                if item.entity == "ledger_tx":
                    for position, (account, amount) in enumerate(data["lines"]):
                        account_id = uuid.UUID(account)
                        plan.lines.append(
                            {
                                "tx_id": item.entity_id,
                                "position": position,
                                "account_id": account_id,
                                "amount": amount,
                            }
                        )
                        if account_id in balances:
                            balances[account_id]["balance"] += amount
                        else:
                            plan.system_deltas[account_id] = (
                                plan.system_deltas.get(account_id, 0) + amount
                            )
                if item.entity == "activity":
                    activity_scope[item.entity_id] = values["community_id"]
                plan.inserts[table].append(values)
                state[item.entity_id] = data
                change = data
        else:
            delta = {k: v for k, v in data.items() if k not in ("id", "base_version")}
            values = columns_from_payload(model, delta, only_present=True)
            if item.entity in VERSIONED:
                values["version"] = data["base_version"] + 1
                delta["version"] = values["version"]
            n = rounds[item.entity_id]
            rounds[item.entity_id] += 1
            while len(plan.updates) <= n:
                plan.updates.append(defaultdict(list))
            row = {f"v_{k}": v for k, v in values.items()} | {"b_id": item.entity_id}
            plan.updates[n][(table, tuple(sorted(values)))].append(row)
            current = state.setdefault(item.entity_id, {"id": str(item.entity_id)})
            current.update(delta)
            change = dict(current)
        plan.sync_items.append(
            {
                "idempotency_key": item.idempotency_key,
                "device_id": device_id,
                "chain_id": item.chain_id,
                "device_seq": item.device_seq,
                "entity": item.entity,
                "entity_id": item.entity_id,
                "op": item.op,
                "payload_hash": item.payload_hash,
                "status": status,
                "reason": "",
                "received_at": now,
            }
        )
        if change is not None and item.entity != "audit":
            scope: uuid.UUID | None = None
            if item.entity not in GLOBAL:
                own = change.get("community_id")
                activity = change.get("activity_id")
                if own:
                    scope = uuid.UUID(str(own))
                elif activity:
                    scope = activity_scope.get(uuid.UUID(str(activity)), station_scope)
                else:
                    scope = station_scope
            plan.changes.append(
                {
                    "entity": item.entity,
                    "entity_id": item.entity_id,
                    "op": "upsert",
                    "scope": scope,
                    "data": change,
                    "created_at": now,
                }
            )
    return plan


def _store(engine: Engine, plan: Plan) -> None:
    tables = Base.metadata.tables
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            rows = plan.inserts.get(table.name)
            if rows:
                conn.execute(insert(table), rows)
        if plan.lines:
            conn.execute(insert(LedgerLine.__table__), plan.lines)
        if plan.system_deltas:
            acct = Account.__table__
            conn.execute(
                update(acct)
                .where(acct.c.id == bindparam("b_id"))
                .values(balance=acct.c.balance + bindparam("v_delta")),
                [{"b_id": k, "v_delta": v} for k, v in plan.system_deltas.items()],
            )
        for groups in plan.updates:
            for (name, keys), rows in groups.items():
                table = tables[name]
                stmt = (
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values({k: bindparam(f"v_{k}") for k in keys})
                )
                conn.execute(stmt, rows)
        last = conn.execute(
            update(ServerMeta.__table__)
            .where(ServerMeta.__table__.c.id == 1)
            .values(last_seq=ServerMeta.__table__.c.last_seq + len(plan.changes))
            .returning(ServerMeta.__table__.c.last_seq)
        ).scalar_one()
        first = last - len(plan.changes) + 1
        for i, row in enumerate(plan.changes):
            row["seq"] = first + i
        conn.execute(insert(ChangeLog.__table__), plan.changes)
        conn.execute(insert(SyncItem.__table__), plan.sync_items)
        conn.execute(insert(RecordHash.__table__), plan.hashes)


# --- part 2: many kiosks at once ----------------------------------------------------------
@dataclass
class FleetResult:
    kiosks: int
    records: int
    wall_s: float
    push_window_s: float
    batch_ms: list[float]
    errors: list[str]
    errors_after_stop: int  # unfinished kiosks failing once the server was shut down
    failed_pushes: int
    statuses: Counter[str]
    mismatches: list[str]
    gen_s: float
    setup_s: float
    skipped: Counter[str]
    pulls: list[tuple[float, int]]
    asgi_ms: list[float]  # each push request inside the server
    handler_ms: list[float]  # each push handler body inside the server


def fleet(dbs: Databases, tmp: Path, kiosks: int, budget_end: float) -> FleetResult:
    url = dbs.new("postgresql", "fleet")
    engine = prepare_server_db(url, None)
    stores: list[Store] = []
    try:
        with server_process(url) as srv:
            base = srv.url
            t0 = time.perf_counter()
            stations = demo_stations(engine)
            dirs = [tmp / f"fleet-{i:03d}" for i in range(kiosks)]
            for i, data_dir in enumerate(dirs):
                stores.append(enrol_kiosk(engine, base, data_dir, stations[i % len(stations)]))
            setup_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            skipped: Counter[str] = Counter()
            morning = dt.datetime.now(CHINA).replace(hour=8, minute=0, second=0, microsecond=0)
            for i, store in enumerate(stores):
                assert isinstance(store.clock, FixedClock)
                store.clock.set(morning - DAY)
                work = StationWork(Services(store), random.Random(SEED + i), 100_000 * (i + 1))
                work.day(morning - DAY, KIOSK_SCALE)
                skipped.update(work.skipped)
            gen_s = time.perf_counter() - t0
            created = _created_ids(stores)
            before = _server_ids(engine)
            records = sum(outbox_status(st)[OutboxStatus.PENDING] for st in stores)
            for st in stores:
                assert isinstance(st.clock, FixedClock)
                st.clock.set(dt.datetime.now(UTC))  # back online now
            timing = Timing()
            engines = [
                timed_engine(st, d, base, timing) for st, d in zip(stores, dirs, strict=True)
            ]
            errors: list[tuple[float, str]] = []
            barrier = threading.Barrier(kiosks + 1, timeout=60)

            def run(sync: SyncEngine) -> None:
                barrier.wait()
                try:
                    sync.run_once()
                except Exception as exc:
                    with timing.lock:
                        errors.append((time.perf_counter(), f"{type(exc).__name__}: {exc}"))

            threads = [threading.Thread(target=run, args=(e,), daemon=True) for e in engines]
            for th in threads:
                th.start()
            barrier.wait()
            t0 = time.perf_counter()
            wait_s = max(MIN_FLEET_WAIT_S, budget_end - t0)
            deadline = t0 + wait_s
            for th in threads:
                th.join(max(0.0, deadline - time.perf_counter()))
            stopped = time.perf_counter()
            wall = stopped - t0
            unfinished = [e.client for e, th in zip(engines, threads, strict=True) if th.is_alive()]
        for th in threads:  # the server has stopped: the unfinished ones fail at once
            th.join(10)
        during = [e for t, e in errors if t <= stopped]
        after = [e for t, e in errors if t > stopped]
        for client in unfinished:
            phase = "pulling (all its pushes answered)" if client.pulling else "still pushing"
            during.append(
                f"unfinished when the bench stopped waiting after {wait_s:.0f} s, {phase}"
            )
        statuses: Counter[str] = Counter()
        for st in stores:
            statuses.update(outbox_status(st))
        mismatches = _compare(engine, created, before, stores)
        starts = [a for a, _, _ in timing.pushes]
        ends = [b for _, b, _ in timing.pushes]
        return FleetResult(
            kiosks=kiosks,
            records=records,
            wall_s=wall,
            push_window_s=(max(ends) - min(starts)) if starts else 0.0,
            batch_ms=[(b - a) * 1000 for a, b, _ in timing.pushes],
            errors=during,
            errors_after_stop=len(after),
            failed_pushes=len(timing.failed_pushes),
            statuses=statuses,
            mismatches=mismatches,
            gen_s=gen_s,
            setup_s=setup_s,
            skipped=skipped,
            pulls=timing.pulls,
            asgi_ms=[v * 1000 for v in srv.asgi_s],
            handler_ms=[v * 1000 for v in srv.handler_s],
        )
    finally:
        for st in stores:
            st.close()
        engine.dispose()


def _created_ids(stores: list[Store]) -> dict[str, set[uuid.UUID]]:
    created: dict[str, set[uuid.UUID]] = defaultdict(set)
    for store in stores:
        with store.read() as s:
            rows = s.execute(
                select(OutboxItem.entity, OutboxItem.entity_id).where(
                    OutboxItem.op == "create", OutboxItem.status == OutboxStatus.PENDING
                )
            )
            for entity, entity_id in rows:
                created[entity].add(entity_id)
    return created


def _server_ids(engine: Engine) -> dict[str, set[uuid.UUID]]:
    with engine.connect() as conn:
        return {
            entity: set(conn.execute(select(model.__table__.c.id)).scalars())
            for entity, model in ENTITIES.items()
        }


def _compare(
    engine: Engine,
    created: dict[str, set[uuid.UUID]],
    before: dict[str, set[uuid.UUID]],
    stores: list[Store],
) -> list[str]:
    """The server holds exactly what it had plus what the kiosks created; items all accepted."""
    out = []
    after = _server_ids(engine)
    for entity in ENTITIES:
        missing = created[entity] - after[entity]
        extra = after[entity] - before[entity] - created[entity]
        if missing or extra:
            out.append(f"{entity}: {len(missing)} missing, {len(extra)} unexpected")
    outbox = 0
    for store in stores:
        outbox += sum(outbox_status(store).values())
    with engine.connect() as conn:
        items = dict(
            conn.execute(select(SyncItem.status, func.count()).group_by(SyncItem.status)).all()  # type: ignore[arg-type]
        )
        balance = conn.execute(select(func.coalesce(func.sum(Account.balance), 0))).scalar_one()
    accepted = items.get("applied", 0) + items.get("duplicate", 0)
    if accepted != outbox or sum(items.values()) != outbox:
        out.append(f"sync_item {items} for {outbox} outbox rows")
    if balance != 0:
        out.append(f"account balances sum to {balance}, not 0")
    out += [
        f"account {code or acct_id} balance {bal} but its ledger lines sum to {lines}"
        for acct_id, code, bal, lines in balance_drift(engine)
    ]
    return out


def balance_drift(engine: Engine) -> list[tuple[uuid.UUID, str | None, int, int]]:
    """Accounts whose stored balance differs from the sum of their ledger lines."""
    acct, line = Account.__table__, LedgerLine.__table__
    lines = (
        select(line.c.account_id, func.sum(line.c.amount).label("total"))
        .group_by(line.c.account_id)
        .subquery()
    )
    total = func.coalesce(lines.c.total, 0)
    query = (
        select(acct.c.id, acct.c.code, acct.c.balance, total)
        .select_from(acct.outerjoin(lines, lines.c.account_id == acct.c.id))
        .where(acct.c.balance != total)
    )
    with engine.connect() as conn:
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(query)]


# --- report -------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES goal"


def print_mix(items: list[OutboxItem]) -> None:
    mix = Counter((i.entity, i.op) for i in items)
    by_entity: dict[str, list[str]] = defaultdict(list)
    for (entity, op), n in sorted(mix.items()):
        by_entity[entity].append(f"{op} {n}")
    print("  outbox mix:")
    for entity, ops in by_entity.items():
        print(f"    {entity:<17} {', '.join(ops)}")


def report_part1(results: list[tuple[PushResult, BaselineResult]], items: list[OutboxItem]) -> None:
    print()
    header = (
        f"{'backend':<11}{'records':>8}{'batches':>8}{'push s':>8}{'rec/s':>8}"
        f"{'batch p50':>10}{'p95 ms':>8}{'in calls':>9}{'limit s':>8}{'limit/s':>9}"
        f"{'ratio':>7}{'pull s':>8}"
    )
    print(header)
    print("-" * len(header))
    for push, base in results:
        rate = push.records / push.push_s
        limit_rate = push.records / base.total_s
        print(
            f"{push.backend:<11}{push.records:>8}{push.batches:>8}{push.push_s:>8.2f}"
            f"{rate:>8.0f}{pct(push.batch_ms, 0.5):>10.1f}{pct(push.batch_ms, 0.95):>8.1f}"
            f"{push.in_push_calls_s / push.push_s:>9.0%}{base.total_s:>8.2f}{limit_rate:>9.0f}"
            f"{rate / limit_rate:>7.2f}{push.pull_s:>8.2f}"
        )
    print()
    print("  push s   = SyncEngine.run_once from its start to its first pull: reading the")
    print("             outbox, marking attempts, HTTP + server, acknowledging on the kiosk")
    print("  in calls = share of the push phase spent inside client.push (HTTP + server)")
    print("  limit s  = storage limit: decode + insert the same rows in one transaction")
    print("  ratio    = push rec/s / storage limit rec/s")
    print("  pull s   = the same cycle's pull afterwards (the changes the push made, echoed)")
    for push, base in results:
        rate = push.records / push.push_s
        ratio = rate / (push.records / base.total_s)
        same = {k for k in push.counts if push.counts[k] == base.counts.get(k)}
        diff = [
            f"{k} {push.counts[k]} vs {base.counts.get(k)}" for k in push.counts if k not in same
        ]
        print()
        print(f"  {push.backend}:")
        print(
            f"    goal >= {GOAL_RPS:,} records/s: {rate:,.0f} ({verdict(rate >= GOAL_RPS)}); "
            f"goal >= {GOAL_RATIO}x storage limit: {ratio:.2f}x ({verdict(ratio >= GOAL_RATIO)})"
        )
        print(
            f"    storage limit: decode {base.decode_s:.2f} s + store {base.store_s:.2f} s "
            f"= {base.total_s:.2f} s; ratio to store alone {rate / (push.records / base.store_s):.2f}x"
        )
        print(
            f"    batch ms: p50 {pct(push.batch_ms, 0.5):.1f}  p95 {pct(push.batch_ms, 0.95):.1f}"
            f"  max {max(push.batch_ms):.1f}; first 10 batches mean "
            f"{statistics.fmean(push.batch_ms[:10]):.1f}, last 10 {statistics.fmean(push.batch_ms[-10:]):.1f}"
        )
        n = push.batches or 1
        outside = push.push_s - push.in_push_calls_s
        transport = push.in_push_calls_s - push.asgi_s
        framework = push.asgi_s - push.handler_s
        print(
            f"    per batch, mean ms: kiosk outside client.push {outside / n * 1000:.1f}"
            f" | client + HTTP {transport / n * 1000:.1f}"
            f" | server request outside the handler {framework / n * 1000:.1f}"
            f" | push handler (do_push) {push.handler_s / n * 1000:.1f}"
        )
        print(
            f"    push handler alone: {push.records / push.handler_s:,.0f} records/s "
            f"({push.handler_s / push.records * 1e6:.0f} us per record)"
        )
        print(f"    pulled {push.pulled} changes in {push.pull_s:.2f} s")
        print(f"    kiosk outbox after: {dict(push.statuses)}")
        rows = push.counts.get("sync_item", 0)
        print(
            f"    server rows equal to the storage limit's: "
            f"{'yes, all ' + str(len(push.counts)) + ' tables/sums' if not diff else 'NO: ' + '; '.join(diff)}"
            f" (sync_item {rows})"
        )


def report_part2(res: FleetResult) -> None:
    acked = res.statuses.get(OutboxStatus.ACKED, 0)  # every row was pending before the run
    rate = acked / res.wall_s
    push_rate = acked / res.push_window_s if res.push_window_s else math.nan
    print()
    print(
        f"{'kiosks':>7}{'records':>9}{'batches':>9}{'wall s':>8}{'rec/s':>8}{'push-window rec/s':>19}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'errors':>8}"
    )
    print(
        f"{res.kiosks:>7}{res.records:>9}{len(res.batch_ms):>9}{res.wall_s:>8.2f}{rate:>8.0f}"
        f"{push_rate:>19.0f}{pct(res.batch_ms, 0.5):>8.0f}{pct(res.batch_ms, 0.95):>8.0f}"
        f"{max(res.batch_ms, default=math.nan):>8.0f}{len(res.errors):>8}"
    )
    print()
    print("  clients: one thread per kiosk in this process, started together by a barrier;")
    print("  server: one uvicorn process (the default single worker), PostgreSQL.")
    print("  wall s = all run_once calls (push, then pull), first start to last end;")
    print("  push-window = first push sent to last push answered;")
    print("  rec/s counts outbox rows acknowledged (records = rows pending before the run).")
    print(
        f"  goal >= {GOAL_RPS:,} records/s: {rate:,.0f} over the wall ({verdict(rate >= GOAL_RPS)})"
    )
    print(f"  errors: {len(res.errors)}")
    for error, n in Counter(re.sub(r"port=\d+", "port=…", e) for e in res.errors).most_common():
        print(f"    {n} x {error}")
    print(
        f"  push calls that failed: {res.failed_pushes} (latencies above are of answered ones);"
        f" unfinished kiosks failing after the server was stopped: {res.errors_after_stop}"
    )
    pull_s = sum(t for t, _ in res.pulls)
    print(
        f"  pulls: {len(res.pulls)} calls, {sum(n for _, n in res.pulls):,} changes, "
        f"{pull_s:.1f} s in pull calls summed over kiosks (applying them on the kiosk not included)"
    )
    print(f"  kiosk outbox rows after: {dict(res.statuses)}")
    print(
        "  server matches the kiosks: "
        + ("yes" if not res.mismatches else "NO: " + "; ".join(res.mismatches))
    )
    print(
        f"  inside the server, ms: whole push request p50 {pct(res.asgi_ms, 0.5):.0f} "
        f"p95 {pct(res.asgi_ms, 0.95):.0f} max {max(res.asgi_ms, default=math.nan):.0f}; "
        f"handler body p50 {pct(res.handler_ms, 0.5):.0f} p95 {pct(res.handler_ms, 0.95):.0f} "
        f"max {max(res.handler_ms, default=math.nan):.0f}"
    )
    print(f"  setup (enrol + first pull) {res.setup_s:.1f} s, records made in {res.gen_s:.1f} s")


def part1(args: argparse.Namespace, dbs: Databases, tmp: Path, pg_base: str | None) -> None:
    print(f"\nPart 1: catch-up of a kiosk after {DAYS} days offline (~{args.records:,} records)")
    pristine, deployment, made = build_backlog(tmp, args.records)
    items = outbox_rows(pristine)
    refused = sum(made["skipped"].values())
    print(
        f"  built the kiosk store once: {len(items):,} pending outbox rows in "
        f"{made['seconds']:.1f} s through the services"
        + (f" ({refused} steps refused by rules)" if refused else "")
    )
    print_mix(items)
    backends = ["sqlite"] + (["postgresql"] if pg_base else [])
    results = []
    for backend in backends:
        push = push_backlog(backend, dbs, pristine, deployment, args.profile)
        base = storage_limit(backend, dbs, items, deployment)
        dbs.drop_all()
        results.append((push, base))
    report_part1(results, items)
    if args.profile:
        for backend in backends:
            path = args.profile / f"push-{backend}.prof"
            if path.exists():
                print(f"\n  cProfile of the push handler body ({backend}), top 25 by own time:")
                pstats.Stats(str(path)).sort_stats("tottime").print_stats(25)


# --- main -----------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--kiosks", type=int, default=50)
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument("--pg", default=None, help=f"PostgreSQL URL (default {DEFAULT_PG})")
    pg.add_argument("--no-pg", action="store_true")
    parser.add_argument(
        "--budget",
        type=float,
        default=360,
        help="seconds for a whole run: part 2 stops waiting for its kiosks when it is spent",
    )
    parser.add_argument("--profile", type=Path, default=None, help="write server cProfiles here")
    parser.add_argument("--serve-child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve-profile", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child:
        return serve_child(args.serve_child, args.serve_profile)

    logging.basicConfig(level=logging.ERROR)
    pg_base: str | None = None
    if not args.no_pg:
        candidate = args.pg or os.environ.get("TIMEBANK_TEST_PG_URL") or DEFAULT_PG
        if pg_reachable(candidate):
            pg_base = candidate
        elif args.pg:
            print(f"PostgreSQL at {args.pg} is not reachable", file=sys.stderr)
            return 2
        else:
            print(f"PostgreSQL at {candidate} not reachable: SQLite only")
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        " (other work on the machine shares these CPUs)"
    )
    with tempfile.TemporaryDirectory(prefix="tb-bench-sync-") as tmp_name:
        tmp = Path(tmp_name)
        dbs = Databases(tmp, pg_base)
        try:
            if args.records > 0:
                part1(args, dbs, tmp, pg_base)
            if pg_base and args.kiosks > 0:
                print(f"\nPart 2: {args.kiosks} kiosks pushing at once (PostgreSQL)")
                res = fleet(dbs, tmp, args.kiosks, started + args.budget - 25)
                report_part2(res)
                if res.skipped:
                    print(f"  steps refused by rules while recording: {sum(res.skipped.values())}")
            elif args.kiosks > 0:
                print("\nPart 2 skipped: it needs PostgreSQL")
        finally:
            dbs.drop_all()
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
