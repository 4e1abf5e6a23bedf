"""What the service layer costs on top of SQLite when a volunteer checks in and out.

A check-out is the kiosk's heaviest everyday write: in one transaction it records the
attendance event, the service record, a hash-chained ledger transaction with its two lines
and balance updates, and an outbox row for each. This compares, in one run:

* ``service``: ``svc.attendance.check_in`` / ``check_out`` on a store opened by
  ``open_store`` (SQLAlchemy ORM, WAL, ``synchronous=FULL``), with a fixed clock we move;
* ``raw``: the same decisions and the same rows written by hand with ``sqlite3`` on a
  separate file with the same PRAGMAs and equivalent tables and indexes, one
  ``BEGIN IMMEDIATE`` … ``COMMIT`` per operation. It does the reads the rules need (open
  check-in, minutes already counted today, balances, the chain head), builds the same JSON
  payloads and hashes, and nothing more.

The raw side is the floor: with ``synchronous=FULL`` both pay one fsync per commit, so the
ratio shows how much of a check-out's time is ours (ORM, flushes, payload freezing) rather
than the disk's. The goal is service/raw >= 0.5x. Rounds alternate which side goes first so
machine noise lands on both. Timing is printed, never asserted; row counts are checked so
the two sides are known to have written the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from kiosk.clock import UTC, FixedClock, local_day
from kiosk.config import Rules
from kiosk.ids import uuid7
from kiosk.services import Services
from kiosk.services.ledger import award_minutes
from kiosk.store.models import CheckMethod, CommunityKind, OrgType, Person, PersonKind, TownKind
from kiosk.store.opening import open_store

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
GENESIS = "0" * 64
MINT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "timebank:account:mint")
DEVICE = "kiosk-bench"
RULES = Rules()

RAW_SCHEMA = """
CREATE TABLE device_state (
    id INTEGER NOT NULL PRIMARY KEY, device_id VARCHAR(40) NOT NULL,
    chain_id CHAR(32) NOT NULL, next_seq INTEGER NOT NULL,
    chain_head VARCHAR(64) NOT NULL, chain_len INTEGER NOT NULL);
CREATE TABLE person (
    kind VARCHAR(12) NOT NULL, name VARCHAR(40) NOT NULL, id_hash VARCHAR(64) UNIQUE,
    id_cipher BLOB, phone_cipher BLOB, key_id VARCHAR(40) NOT NULL, birth_date DATE,
    sex VARCHAR(2), org_id CHAR(32), community_id CHAR(32), hardship BOOLEAN NOT NULL,
    id CHAR(32) NOT NULL PRIMARY KEY, created_at DATETIME NOT NULL, station_id CHAR(32),
    device_id VARCHAR(40) NOT NULL);
CREATE TABLE activity (
    title VARCHAR(80) NOT NULL, organiser_org_id CHAR(32), community_id CHAR(32) NOT NULL,
    place VARCHAR(80) NOT NULL, service_type VARCHAR(20) NOT NULL,
    starts_at DATETIME NOT NULL, ends_at DATETIME NOT NULL, capacity INTEGER NOT NULL,
    coin_rate INTEGER NOT NULL, status VARCHAR(10) NOT NULL,
    id CHAR(32) NOT NULL PRIMARY KEY, created_at DATETIME NOT NULL, station_id CHAR(32),
    device_id VARCHAR(40) NOT NULL);
CREATE TABLE account (
    kind VARCHAR(8) NOT NULL, person_id CHAR(32) UNIQUE REFERENCES person (id),
    org_id CHAR(32) UNIQUE, code VARCHAR(8) UNIQUE, balance INTEGER NOT NULL,
    id CHAR(32) NOT NULL PRIMARY KEY, created_at DATETIME NOT NULL, station_id CHAR(32),
    device_id VARCHAR(40) NOT NULL);
CREATE TABLE attendance (
    activity_id CHAR(32) NOT NULL REFERENCES activity (id),
    person_id CHAR(32) NOT NULL REFERENCES person (id),
    direction VARCHAR(3) NOT NULL, at DATETIME NOT NULL, service_day DATE NOT NULL,
    method VARCHAR(8) NOT NULL, operator_id CHAR(32), id CHAR(32) NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL, station_id CHAR(32), device_id VARCHAR(40) NOT NULL);
CREATE INDEX ix_attendance_activity_id ON attendance (activity_id);
CREATE INDEX ix_attendance_person_id ON attendance (person_id);
CREATE TABLE ledger_tx (
    kind VARCHAR(10) NOT NULL, memo VARCHAR(200) NOT NULL, operator_id CHAR(32),
    reason VARCHAR(200) NOT NULL, reverses_id CHAR(32) UNIQUE REFERENCES ledger_tx (id),
    ref_entity VARCHAR(30) NOT NULL, ref_id CHAR(32), chain_id CHAR(32) NOT NULL,
    chain_seq INTEGER NOT NULL, prev_hash VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL,
    id CHAR(32) NOT NULL PRIMARY KEY, created_at DATETIME NOT NULL, station_id CHAR(32),
    device_id VARCHAR(40) NOT NULL, UNIQUE (chain_id, chain_seq));
CREATE TABLE ledger_line (
    id INTEGER NOT NULL PRIMARY KEY, tx_id CHAR(32) NOT NULL REFERENCES ledger_tx (id),
    position INTEGER NOT NULL, account_id CHAR(32) NOT NULL REFERENCES account (id),
    amount INTEGER NOT NULL CHECK (amount != 0));
CREATE INDEX ix_ledger_line_account_id ON ledger_line (account_id);
CREATE INDEX ix_ledger_line_tx_id ON ledger_line (tx_id);
CREATE TABLE service_record (
    activity_id CHAR(32) NOT NULL REFERENCES activity (id),
    person_id CHAR(32) NOT NULL REFERENCES person (id),
    check_in_id CHAR(32) NOT NULL UNIQUE REFERENCES attendance (id),
    check_out_id CHAR(32) NOT NULL UNIQUE REFERENCES attendance (id),
    service_day DATE NOT NULL, minutes INTEGER NOT NULL, credited_minutes INTEGER NOT NULL,
    pending_minutes INTEGER NOT NULL, status VARCHAR(18) NOT NULL,
    ledger_tx_id CHAR(32) REFERENCES ledger_tx (id), id CHAR(32) NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL, station_id CHAR(32), device_id VARCHAR(40) NOT NULL);
CREATE INDEX ix_service_record_activity_id ON service_record (activity_id);
CREATE INDEX ix_service_record_person_id ON service_record (person_id);
CREATE INDEX ix_service_record_service_day ON service_record (service_day);
CREATE TABLE outbox (
    device_seq INTEGER NOT NULL PRIMARY KEY, chain_id CHAR(32) NOT NULL,
    idempotency_key CHAR(32) NOT NULL UNIQUE, entity VARCHAR(30) NOT NULL,
    entity_id CHAR(32) NOT NULL, op VARCHAR(20) NOT NULL, payload TEXT NOT NULL,
    payload_hash VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL, status VARCHAR(12) NOT NULL,
    attempts INTEGER NOT NULL, last_attempt_at DATETIME, acked_at DATETIME,
    last_error VARCHAR(300) NOT NULL);
CREATE INDEX ix_outbox_entity_id ON outbox (entity_id);
CREATE INDEX ix_outbox_status ON outbox (status);
"""

TABLES = ("attendance", "service_record", "ledger_tx", "ledger_line", "account", "outbox")


def ts(when: dt.datetime) -> str:
    """A UTC datetime as SQLAlchemy stores it in SQLite."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Raw:
    """Hand-written check-in/out on plain sqlite3: the floor the service layer is held to."""

    def __init__(self, path: Path, people: list[uuid.UUID]) -> None:
        self.con = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.con.execute(f"PRAGMA {pragma}")
        self.con.executescript(RAW_SCHEMA)
        self.chain_id = uuid7().hex
        self.activity = uuid7().hex
        now = ts(START)
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute(
            "INSERT INTO device_state VALUES (1, ?, ?, 1, ?, 0)", (DEVICE, self.chain_id, GENESIS)
        )
        self.con.executemany(
            "INSERT INTO person (kind, name, key_id, hardship, id, created_at, device_id) "
            "VALUES ('member', '测试', 'k', 0, ?, ?, ?)",
            [(p.hex, now, DEVICE) for p in people],
        )
        self.con.execute(
            "INSERT INTO activity VALUES ('社区清洁家园', NULL, ?, '', '清洁家园', ?, ?, 0, 60, "
            "'open', ?, ?, NULL, ?)",
            (uuid7().hex, now, ts(START + dt.timedelta(days=360)), self.activity, now, DEVICE),
        )
        self.con.execute("COMMIT")

    def _emit(self, entity: str, entity_id: str, payload: dict[str, Any], now: str) -> None:
        (seq,) = self.con.execute("SELECT next_seq FROM device_state WHERE id = 1").fetchone()
        text = canonical(payload)
        self.con.execute(
            "INSERT INTO outbox (device_seq, chain_id, idempotency_key, entity, entity_id, op, "
            "payload, payload_hash, created_at, status, attempts, last_error) "
            "VALUES (?, ?, ?, ?, ?, 'create', ?, ?, ?, 'pending', 0, '')",
            (
                seq,
                self.chain_id,
                uuid.uuid4().hex,
                entity,
                entity_id,
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                now,
            ),
        )
        self.con.execute("UPDATE device_state SET next_seq = ? WHERE id = 1", (seq + 1,))

    def _attendance(self, person: str, direction: str, when: dt.datetime) -> dict[str, Any]:
        row = {
            "activity_id": self.activity,
            "person_id": person,
            "direction": direction,
            "at": ts(when),
            "service_day": local_day(when).isoformat(),
            "method": "id_card",
            "operator_id": None,
            "id": uuid7().hex,
            "created_at": ts(when),
            "station_id": None,
            "device_id": DEVICE,
        }
        self.con.execute(
            "INSERT INTO attendance VALUES (:activity_id, :person_id, :direction, :at, "
            ":service_day, :method, :operator_id, :id, :created_at, :station_id, :device_id)",
            row,
        )
        self._emit("attendance", row["id"], row, row["created_at"])
        return row

    def _last_event(self, person: str) -> tuple[str, str, str, str] | None:
        return self.con.execute(
            "SELECT id, direction, at, service_day FROM attendance "
            "WHERE activity_id = ? AND person_id = ? ORDER BY at DESC, created_at DESC LIMIT 1",
            (self.activity, person),
        ).fetchone()

    def check_in(self, person_id: uuid.UUID, when: dt.datetime) -> None:
        person = person_id.hex
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("SELECT status FROM activity WHERE id = ?", (self.activity,)).fetchone()
            if con.execute("SELECT 1 FROM person WHERE id = ?", (person,)).fetchone() is None:
                raise LookupError(person)
            last = self._last_event(person)
            if last is None or last[1] != "in":
                (pairs,) = con.execute(
                    "SELECT count(*) FROM attendance WHERE activity_id = ? AND person_id = ? "
                    "AND direction = 'in' AND service_day = ?",
                    (self.activity, person, local_day(when).isoformat()),
                ).fetchone()
                if pairs >= RULES.max_pairs_per_day:
                    raise RuntimeError("max pairs")
                self._attendance(person, "in", when)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _account(self, person: str | None, now: str) -> tuple[str, int]:
        if person is None:
            found = self.con.execute(
                "SELECT id, balance FROM account WHERE code = 'mint'"
            ).fetchone()
            new = (MINT_ID.hex, "mint", None, "mint")
        else:
            found = self.con.execute(
                "SELECT id, balance FROM account WHERE person_id = ?", (person,)
            ).fetchone()
            acct = uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:person:{person}")
            new = (acct.hex, "person", person, None)
        if found is not None:
            return found
        self.con.execute(
            "INSERT INTO account (id, kind, person_id, code, balance, created_at, device_id) "
            "VALUES (?, ?, ?, ?, 0, ?, ?)",
            (*new, now, DEVICE),
        )
        self._emit(
            "account",
            new[0],
            {
                "id": new[0],
                "kind": new[1],
                "person_id": new[2],
                "code": new[3],
                "balance": 0,
                "created_at": now,
                "device_id": DEVICE,
                "org_id": None,
                "station_id": None,
            },
            now,
        )
        return new[0], 0

    def check_out(self, person_id: uuid.UUID, when: dt.datetime) -> None:
        person = person_id.hex
        con = self.con
        now = ts(when)
        con.execute("BEGIN IMMEDIATE")
        try:
            title, rate = con.execute(
                "SELECT title, coin_rate FROM activity WHERE id = ?", (self.activity,)
            ).fetchone()
            if con.execute("SELECT 1 FROM person WHERE id = ?", (person,)).fetchone() is None:
                raise LookupError(person)
            last = self._last_event(person)
            if last is None or last[1] != "in":
                raise RuntimeError("check-out without check-in")
            in_id, _, in_at, day = last
            out = self._attendance(person, "out", when)
            started = dt.datetime.fromisoformat(in_at).replace(tzinfo=UTC)
            minutes = int((when - started).total_seconds() // 60)
            (counted,) = con.execute(
                "SELECT coalesce(sum(credited_minutes + pending_minutes), 0) FROM service_record "
                "WHERE person_id = ? AND service_day = ? AND status != 'review'",
                (person, day),
            ).fetchone()
            auto = min(minutes, max(0, RULES.auto_credit_minutes_per_day - counted))
            pending = minutes - auto
            record_id = uuid7().hex
            coins = award_minutes(auto, rate, RULES.award_step_minutes)
            tx_id = None
            if coins > 0:
                tx_id = self._earn(person, coins, record_id, f"志愿服务：{title}", now)
            rec = {
                "activity_id": self.activity,
                "person_id": person,
                "check_in_id": in_id,
                "check_out_id": out["id"],
                "service_day": day,
                "minutes": minutes,
                "credited_minutes": auto,
                "pending_minutes": pending,
                "status": "pending_approval" if pending else "credited",
                "ledger_tx_id": tx_id,
                "id": record_id,
                "created_at": now,
                "station_id": None,
                "device_id": DEVICE,
            }
            con.execute(
                "INSERT INTO service_record VALUES (:activity_id, :person_id, :check_in_id, "
                ":check_out_id, :service_day, :minutes, :credited_minutes, :pending_minutes, "
                ":status, :ledger_tx_id, :id, :created_at, :station_id, :device_id)",
                rec,
            )
            self._emit("service_record", record_id, rec, now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _earn(self, person: str, coins: int, ref_id: str, memo: str, now: str) -> str:
        con = self.con
        mint, mint_balance = self._account(None, now)
        target, balance = self._account(person, now)
        if balance + coins > RULES.storage_cap_minutes:
            raise RuntimeError("the bench never reaches the storage cap")
        lines = [[mint, -coins], [target, coins]]
        chain_len, head = con.execute(
            "SELECT chain_len, chain_head FROM device_state WHERE id = 1"
        ).fetchone()
        tx = {
            "kind": "earn",
            "memo": memo,
            "operator_id": None,
            "reason": "",
            "reverses_id": None,
            "ref_entity": "service_record",
            "ref_id": ref_id,
            "chain_id": self.chain_id,
            "chain_seq": chain_len + 1,
            "prev_hash": head,
            "id": uuid7().hex,
            "created_at": now,
            "station_id": None,
            "device_id": DEVICE,
        }
        body = {k: v for k, v in tx.items() if k not in ("prev_hash", "station_id")}
        tx["hash"] = hashlib.sha256(
            (head + canonical({**body, "lines": lines})).encode()
        ).hexdigest()
        con.execute(
            "INSERT INTO ledger_tx VALUES (:kind, :memo, :operator_id, :reason, :reverses_id, "
            ":ref_entity, :ref_id, :chain_id, :chain_seq, :prev_hash, :hash, :id, :created_at, "
            ":station_id, :device_id)",
            tx,
        )
        con.execute(
            "UPDATE device_state SET chain_len = ?, chain_head = ? WHERE id = 1",
            (tx["chain_seq"], tx["hash"]),
        )
        for pos, (account, amount) in enumerate(lines):
            con.execute(
                "INSERT INTO ledger_line (tx_id, position, account_id, amount) VALUES (?, ?, ?, ?)",
                (tx["id"], pos, account, amount),
            )
        con.execute("UPDATE account SET balance = ? WHERE id = ?", (mint_balance - coins, mint))
        con.execute("UPDATE account SET balance = ? WHERE id = ?", (balance + coins, target))
        self._emit("ledger_tx", tx["id"], {**tx, "lines": lines}, now)
        return str(tx["id"])

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def close(self) -> None:
        self.con.close()


class Service:
    """The kiosk's own path: services over the store that ``open_store`` gives."""

    def __init__(self, data_dir: Path, n_people: int) -> None:
        self.clock = FixedClock(START)
        self.store = open_store(data_dir, clock=self.clock)
        self.svc = Services(self.store)
        ref = self.svc.reference
        town = ref.add_town(name="南沙街", kind=TownKind.STREET)
        community = ref.add_community(
            town_id=town.id, name="金洲社区", kind=CommunityKind.COMMUNITY
        )
        org = ref.add_organisation(name="测试党支部", org_type=OrgType.ORGAN, town_id=town.id)
        self.people = [uuid7() for _ in range(n_people)]
        with self.store.engine.begin() as conn:
            conn.execute(
                insert(Person),
                [
                    {
                        "id": p,
                        "created_at": START,
                        "device_id": DEVICE,
                        "kind": PersonKind.MEMBER,
                        "name": "测试",
                        "key_id": self.store.keyring.key_id,
                        "org_id": org.id,
                        "community_id": community.id,
                        "hardship": False,
                    }
                    for p in self.people
                ],
            )
        act = self.svc.attendance.create_activity(
            title="社区清洁家园",
            community_id=community.id,
            starts_at=START,
            ends_at=START + dt.timedelta(days=360),
            service_type="清洁家园",
            organiser_org_id=org.id,
        )
        self.svc.attendance.open_checkin(activity_id=act.id)
        self.activity = act.id

    def check_in(self, person_id: uuid.UUID, when: dt.datetime) -> None:
        self.clock.set(when)
        res = self.svc.attendance.check_in(
            activity_id=self.activity, person_id=person_id, method=CheckMethod.ID_CARD
        )
        assert not res.already

    def check_out(self, person_id: uuid.UUID, when: dt.datetime) -> None:
        self.clock.set(when)
        res = self.svc.attendance.check_out(
            activity_id=self.activity, person_id=person_id, method=CheckMethod.ID_CARD
        )
        assert res.coins_minutes > 0

    def counts(self) -> dict[str, int]:
        raw = sqlite3.connect(self.store.engine.url.database or "")
        try:
            return {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        finally:
            raw.close()

    def close(self) -> None:
        self.store.close()


Op = Callable[[uuid.UUID, dt.datetime], None]


def run_round(
    check_in: Op, check_out: Op, people: list[uuid.UUID], start: dt.datetime, lat: dict[str, list]
) -> None:
    """A batch of volunteers arrives, serves 95 minutes, and leaves; every call is timed."""
    for i, p in enumerate(people):
        t0 = time.perf_counter()
        check_in(p, start + dt.timedelta(seconds=i))
        lat["in"].append(time.perf_counter() - t0)
    leave = start + dt.timedelta(minutes=95)
    for i, p in enumerate(people):
        t0 = time.perf_counter()
        check_out(p, leave + dt.timedelta(seconds=i))
        lat["out"].append(time.perf_counter() - t0)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="people (each checks in and out)")
    parser.add_argument("--batch", type=int, default=25, help="people per alternating round")
    parser.add_argument("--dir", type=Path, default=None, help="where the two files go")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-store-") as tmp:
        root = Path(tmp)
        service = Service(root / "service", args.n)
        raw = Raw(root / "raw.db", service.people)
        sides: dict[str, tuple[Op, Op]] = {
            "service": (service.check_in, service.check_out),
            "raw": (raw.check_in, raw.check_out),
        }
        lat: dict[str, dict[str, list[float]]] = {s: {"in": [], "out": []} for s in sides}
        before = {"service": service.counts(), "raw": raw.counts()}
        batches = [
            service.people[i : i + args.batch] for i in range(0, len(service.people), args.batch)
        ]
        for r, batch in enumerate(batches):
            order = ["service", "raw"] if r % 2 == 0 else ["raw", "service"]
            start = START + dt.timedelta(hours=2 * r + 1)
            for side in order:
                run_round(*sides[side], batch, start, lat[side])

        after = {"service": service.counts(), "raw": raw.counts()}
        counts = {s: {t: after[s][t] - before[s][t] for t in TABLES} for s in sides}
        service.close()
        raw.close()

    if counts["service"] != counts["raw"]:
        print(f"row counts differ: {counts}", file=sys.stderr)
        return 1

    print(f"bench/store.py: {args.n} people, check-in + check-out each, rounds of {args.batch}")
    print(f"rows written by each side: {counts['raw']}")
    print(f"{'side':8} {'ops':>6} {'ops/s':>8}  {'median ms':>22}  {'p99 ms':>22}")
    print(f"{'':8} {'':>6} {'':>8}  {'all / in / out':>22}  {'all / in / out':>22}")
    rate = {}
    for side, by_kind in lat.items():
        every = by_kind["in"] + by_kind["out"]
        rate[side] = len(every) / sum(every)
        med = " / ".join(f"{statistics.median(v) * 1e3:.2f}" for v in (every, *by_kind.values()))
        p99 = " / ".join(f"{pct(v, 0.99) * 1e3:.2f}" for v in (every, *by_kind.values()))
        print(f"{side:8} {len(every):>6} {rate[side]:>8.0f}  {med:>22}  {p99:>22}")
    ratio = rate["service"] / rate["raw"]
    print(f"service/raw throughput: {ratio:.2f}x (goal >= 0.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
