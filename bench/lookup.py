"""Is an ID-card tap answered fast enough with a whole district registered?

A resident taps an ID card and the kiosk must find them at once: the goal is p99 <= 2 ms for
``svc.people.find_by_id_number`` with 200,000 people in the store. The store is filled the
way a synced kiosk would hold it (real HMAC lookup hashes, real AES-GCM ciphertexts, UUIDv7
ids) but in big Core batches so a run from scratch stays near a minute; nothing is cached
between runs. As a baseline, in the same run and on the same file, a raw ``sqlite3``
``SELECT … WHERE id_hash = ?`` with the HMAC computed in the loop; calls alternate between
the two so noise hits both. The ratio says what validation, the read transaction and the ORM
add to the one indexed read. Results are checked (hits find the right person, misses find
nobody); timing is printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert

from kiosk.clock import UTC
from kiosk.identity import check_digit
from kiosk.ids import uuid7
from kiosk.services import Services
from kiosk.store.models import Person, PersonKind
from kiosk.store.opening import open_store

BATCH = 20_000
BIRTH0 = dt.date(1940, 1, 1)
COLUMNS = (
    "id, kind, name, id_hash, id_cipher, phone_cipher, key_id, birth_date, sex, org_id, "
    "community_id, hardship, created_at, station_id, device_id"
)


def id_numbers(count: int, area: str) -> list[tuple[str, dt.date, str]]:
    """Distinct valid ID numbers: 1000 sequence numbers per birth day, from 1940 on."""
    out = []
    for i in range(count):
        birth = BIRTH0 + dt.timedelta(days=i // 1000)
        seq = i % 1000
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        out.append((first17 + check_digit(first17), birth, "男" if seq % 2 else "女"))
    return out


def fill(svc: Services, count: int) -> dict[str, uuid.UUID]:
    store = svc.store
    ring = store.keyring
    now = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    numbers = id_numbers(count, "440115")
    ids: dict[str, uuid.UUID] = {}
    with store.engine.begin() as conn:
        for start in range(0, count, BATCH):
            rows = []
            for number, birth, sex in numbers[start : start + BATCH]:
                pid = uuid7()
                ids[number] = pid
                rows.append(
                    {
                        "id": pid,
                        "created_at": now,
                        "device_id": store.identity.device_id,
                        "kind": PersonKind.RESIDENT,
                        "name": "居民",
                        "key_id": ring.key_id,
                        "id_hash": ring.lookup_hash(number),
                        "id_cipher": ring.encrypt(number, context=f"person:{pid}:id"),
                        "birth_date": birth,
                        "sex": sex,
                        "hardship": False,
                    }
                )
            conn.execute(insert(Person), rows)
    return ids


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--misses", type=float, default=0.05, help="share of unknown numbers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="where the store goes")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-lookup-") as tmp:
        store = open_store(Path(tmp) / "data")
        svc = Services(store)
        t0 = time.perf_counter()
        ids = fill(svc, args.people)
        fill_s = time.perf_counter() - t0

        n_miss = round(args.lookups * args.misses)
        known = rng.sample(sorted(ids), args.lookups - n_miss)
        unknown = [n for n, _, _ in id_numbers(n_miss, "440116")]
        queries = known + unknown
        rng.shuffle(queries)

        raw = sqlite3.connect(store.engine.url.database or "", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            raw.execute(f"PRAGMA {pragma}")
        sql = f"SELECT {COLUMNS} FROM person WHERE id_hash = ?"
        lookup_hash = store.keyring.lookup_hash

        def by_service(number: str) -> uuid.UUID | None:
            person = svc.people.find_by_id_number(number)
            return person.id if person else None

        def by_raw(number: str) -> uuid.UUID | None:
            row = raw.execute(sql, (lookup_hash(number),)).fetchone()
            return uuid.UUID(row[0]) if row else None

        for number in queries[:200]:  # warm both paths' caches and compiled statements
            by_service(number)
            by_raw(number)

        lat: dict[str, list[float]] = {"service": [], "raw": []}
        funcs = {"service": by_service, "raw": by_raw}
        wrong = 0
        for i, number in enumerate(queries):
            order = ("service", "raw") if i % 2 == 0 else ("raw", "service")
            for side in order:
                t = time.perf_counter()
                found = funcs[side](number)
                lat[side].append(time.perf_counter() - t)
                wrong += found != ids.get(number)
        raw.close()
        store.close()

    print(f"bench/lookup.py: {args.people} people, {args.lookups} lookups ({n_miss} misses)")
    print(f"fill: {fill_s:.1f} s ({args.people / fill_s:.0f} people/s, HMAC + AES-GCM each)")
    print(f"{'side':8} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}")
    for side, values in lat.items():
        print(
            f"{side:8} {statistics.median(values) * 1e3:>10.3f} {pct(values, 0.99) * 1e3:>8.3f}"
            f" {max(values) * 1e3:>8.3f}"
        )
    med = statistics.median(lat["service"]) / statistics.median(lat["raw"])
    p99 = pct(lat["service"], 0.99) / pct(lat["raw"], 0.99)
    print(f"service/raw latency: median {med:.1f}x, p99 {p99:.1f}x")
    print(f"service p99 {pct(lat['service'], 0.99) * 1e3:.3f} ms (goal <= 2 ms)")
    if wrong:
        print(f"WRONG ANSWERS: {wrong}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
