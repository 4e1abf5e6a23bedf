"""The sync endpoints refuse what they must, with a 4xx or a per-item rejection, never a 500.

Signed requests are built by hand here (``tests.sync_helpers.signed_request``) so each test
controls exactly one thing: the signature, the nonce, the timestamp, the device, the body.
Every test runs against a real server on SQLite and on PostgreSQL. The tests of a backend
share one server (refusals leave it as it was); each test's items use their own chain id,
so what a test finds on the server is its own.
"""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from kiosk.ids import uuid7
from kiosk.store.models import Need, Person, PersonKind
from kiosk.store.payload import canonical, payload_hash
from server.models import Device, SyncItem
from sync.client import Credentials, Refused
from sync.protocol import MAX_BATCH_BYTES, MAX_BATCH_ITEMS, PULL_PATH, PUSH_PATH
from tests import sync_helpers
from tests.factories import id_number
from tests.sync_helpers import (
    Kiosk,
    ServerHandle,
    World,
    make_kiosk,
    offline_day,
    outbox_counts,
    publish_world,
    quarantined,
    signed_headers,
    signed_request,
)

server = sync_helpers.module_server  # one live server per backend for this module

NOW = "2026-03-02T01:00:00+00:00"


@pytest.fixture(scope="module")
def world(server: ServerHandle) -> World:
    return publish_world(server)


@pytest.fixture(scope="module")
def kiosk(
    server: ServerHandle, world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Kiosk]:
    """An enrolled kiosk whose credentials sign the hand-made requests."""
    k = make_kiosk(server, world.station, tmp_path_factory.mktemp("kiosk"))
    k.sync()  # reference data
    yield k
    k.close()


@pytest.fixture
def own_kiosk(server: ServerHandle, world: World, tmp_path: Path) -> Iterator[Kiosk]:
    """A kiosk for one test only (it gets revoked, or tampered with)."""
    k = make_kiosk(server, world.station, tmp_path / "kiosk")
    k.sync()
    yield k
    k.close()


def creds(k: Kiosk) -> Credentials:
    return Credentials(k.device_id, k.secret)


def headers_for(k: Kiosk, method: str, path: str, body: bytes) -> dict[str, str]:
    return signed_headers(k.device_id, k.secret, method, path, body)


def item(
    entity: str,
    data: dict[str, Any],
    *,
    seq: int,
    chain: uuid.UUID,
    op: str = "create",
    entity_id: uuid.UUID | None = None,
    payload: str | None = None,
    digest: str | None = None,
) -> dict[str, Any]:
    """One push item, as the kiosk's outbox would send it (or deliberately not)."""
    text = canonical(data) if payload is None else payload
    return {
        "idempotency_key": str(uuid.uuid4()),
        "device_seq": seq,
        "chain_id": str(chain),
        "entity": entity,
        "entity_id": str(entity_id or data.get("id")),
        "op": op,
        "payload": text,
        "payload_hash": digest or payload_hash(text),
        "created_at": NOW,
    }


def person_data(world: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(uuid7()),
        "created_at": NOW,
        "station_id": str(world.station),
        "device_id": "kiosk-test",
        "kind": PersonKind.RESIDENT.value,
        "name": "王芳",
        "key_id": "k-test",
        "community_id": str(world.community),
        "hardship": False,
    }
    data.update(over)
    return data


def activity_data(world: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(uuid7()),
        "created_at": NOW,
        "station_id": str(world.station),
        "device_id": "kiosk-test",
        "title": "清洁家园",
        "organiser_org_id": str(world.org),
        "community_id": str(world.community),
        "place": "",
        "service_type": "清洁家园",
        "starts_at": NOW,
        "ends_at": "2026-03-02T05:00:00+00:00",
        "capacity": 0,
        "coin_rate": 60,
        "status": "planned",
    }
    data.update(over)
    return data


def push_body(*items: dict[str, Any]) -> bytes:
    return json.dumps({"protocol": 1, "batch_id": str(uuid.uuid4()), "items": list(items)}).encode()


def push(base_url: str, k: Kiosk, body: bytes, **kwargs: Any) -> requests.Response:
    return signed_request(base_url, creds(k), "POST", PUSH_PATH, body, **kwargs)


def items_of_chain(server: ServerHandle, chain: uuid.UUID) -> int:
    with server.session() as s:
        return int(s.execute(select(func.count()).where(SyncItem.chain_id == chain)).scalar_one())


def problem(answer: requests.Response) -> str:
    body = answer.json()
    assert set(body) == {"code", "reason"} and body["reason"], body
    return str(body["code"])


# --- signing ------------------------------------------------------------------------------
def test_a_bad_signature_is_refused_and_nothing_is_applied(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    chain = uuid.uuid4()
    body = push_body(item("person", person_data(world), seq=1, chain=chain))

    wrong_key = Credentials(kiosk.device_id, b"\x00" * 32)
    answer = signed_request(server.url, wrong_key, "POST", PUSH_PATH, body)
    assert answer.status_code == 401 and problem(answer) == "bad_signature"

    # Signed for one body, sent with another (changed on the way).
    other = push_body(item("person", person_data(world), seq=2, chain=chain))
    headers = headers_for(kiosk, "POST", PUSH_PATH, body)
    swapped = requests.post(server.url + PUSH_PATH, data=other, headers=headers, timeout=30)
    assert swapped.status_code == 401 and problem(swapped) == "bad_signature"

    # Signed for one path, sent to another (a pull cursor moved).
    headers = headers_for(kiosk, "GET", PULL_PATH + "?cursor=5", b"")
    moved = requests.get(server.url + PULL_PATH + "?cursor=0", headers=headers, timeout=30)
    assert moved.status_code == 401 and problem(moved) == "bad_signature"

    # A signature that is not even hex (non-ASCII) is a refusal too, not a crash.
    headers = headers_for(kiosk, "GET", PULL_PATH + "?cursor=0", b"")
    headers["X-Signature"] = "é" * 64
    odd = requests.get(server.url + PULL_PATH + "?cursor=0", headers=headers, timeout=30)
    assert odd.status_code == 401 and problem(odd) == "bad_signature"

    assert items_of_chain(server, chain) == 0
    genuine = signed_request(server.url, creds(kiosk), "POST", PUSH_PATH, body)
    assert genuine.status_code == 200
    assert [r["status"] for r in genuine.json()["results"]] == ["applied"]


def test_a_replayed_request_is_refused(server: ServerHandle, world: World, kiosk: Kiosk) -> None:
    data = person_data(world)
    chain = uuid.uuid4()
    body = push_body(item("person", data, seq=1, chain=chain))
    headers = headers_for(kiosk, "POST", PUSH_PATH, body)
    first = requests.post(server.url + PUSH_PATH, data=body, headers=headers, timeout=30)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["applied"]
    replay = requests.post(server.url + PUSH_PATH, data=body, headers=headers, timeout=30)
    assert replay.status_code == 401 and problem(replay) == "replay"

    path = PULL_PATH + "?cursor=0&limit=10"
    headers = headers_for(kiosk, "GET", path, b"")
    assert requests.get(server.url + path, headers=headers, timeout=30).status_code == 200
    again = requests.get(server.url + path, headers=headers, timeout=30)
    assert again.status_code == 401 and problem(again) == "replay"

    assert items_of_chain(server, chain) == 1
    with server.session() as s:
        assert s.get(Person, uuid.UUID(data["id"])) is not None


def test_a_timestamp_six_minutes_off_is_refused(server: ServerHandle, kiosk: Kiosk) -> None:
    path = PULL_PATH + "?cursor=0"
    for minutes in (-6, 6):
        stamp = int(time.time()) + minutes * 60
        answer = signed_request(server.url, creds(kiosk), "GET", path, timestamp=stamp)
        assert answer.status_code == 401 and problem(answer) == "clock_skew", minutes
        stamp = int(time.time()) + minutes * 40  # four minutes off is within the allowed skew
        assert signed_request(server.url, creds(kiosk), "GET", path, timestamp=stamp).ok


def test_an_unknown_or_unsigned_device_is_refused(server: ServerHandle, kiosk: Kiosk) -> None:
    path = PULL_PATH + "?cursor=0"
    stranger = Credentials("kiosk-000000000000", kiosk.secret)
    answer = signed_request(server.url, stranger, "GET", path)
    assert answer.status_code == 401 and problem(answer) == "unknown_device"
    bare = requests.get(server.url + path, timeout=30)
    assert bare.status_code == 401 and problem(bare) == "unsigned"
    short_nonce = signed_request(server.url, creds(kiosk), "GET", path, nonce="abc")
    assert short_nonce.status_code == 401 and problem(short_nonce) == "bad_nonce"
    for stamp in ("soon", "1e9", "99999999999999999999999"):
        headers = headers_for(kiosk, "GET", path, b"")
        headers["X-Timestamp"] = stamp
        odd = requests.get(server.url + path, headers=headers, timeout=30)
        assert odd.status_code == 401, stamp


def test_a_revoked_device_is_refused_and_keeps_its_outbox(
    server: ServerHandle, world: World, own_kiosk: Kiosk
) -> None:
    kiosk = own_kiosk
    offline_day(kiosk, world, members=2, residents=1)
    pending = outbox_counts(kiosk.store)["pending"]
    revoked = requests.post(
        f"{server.url}/api/v1/admin/devices/{kiosk.device_id}/revoke",
        headers={"Authorization": f"Bearer {server.live.admin_token}"},
        timeout=30,
    )
    assert revoked.status_code == 200
    with pytest.raises(Refused) as refused:
        kiosk.sync()
    assert refused.value.status == 403 and refused.value.code == "revoked"
    pull = signed_request(server.url, creds(kiosk), "GET", PULL_PATH + "?cursor=0")
    assert pull.status_code == 403 and problem(pull) == "revoked"
    # Nothing was lost or quarantined: a re-enrolled kiosk could still send it all.
    assert outbox_counts(kiosk.store) == {"pending": pending}
    with server.session() as s:
        sent = s.execute(select(func.count()).where(SyncItem.device_id == kiosk.device_id))
        assert sent.scalar_one() == 0
        assert s.get_one(Device, kiosk.device_id).revoked_at is not None


# --- what a device may push ---------------------------------------------------------------
def test_a_record_for_another_station_is_rejected_alone(
    server: ServerHandle, world: World, own_kiosk: Kiosk
) -> None:
    kiosk = own_kiosk
    svc = kiosk.svc
    mine = svc.people.register(
        name="李伯",
        kind=PersonKind.RESIDENT,
        id_number=id_number("19400708"),
        community_id=world.community,
    )
    kiosk.store.identity.station_id = world.other_station  # a tampered kiosk
    foreign = svc.people.register(
        name="赵姨",
        kind=PersonKind.RESIDENT,
        id_number=id_number("19450101"),
        community_id=world.other_community,
    )
    kiosk.store.identity.station_id = world.station
    after = svc.people.register(
        name="周叔",
        kind=PersonKind.RESIDENT,
        id_number=id_number("19500101"),
        community_id=world.community,
    )
    status = kiosk.sync()
    assert status.quarantined == 1 and status.pending == 0
    [(entity, op, reason)] = quarantined(kiosk.store)
    assert (entity, op) == ("person", "create") and "another station" in reason
    with server.session() as s:
        assert s.get(Person, mine.id) is not None and s.get(Person, after.id) is not None
        assert s.get(Person, foreign.id) is None
        (outcome,) = s.execute(
            select(SyncItem.status).where(SyncItem.entity_id == foreign.id)
        ).one()
        assert outcome == "rejected"


def test_a_change_to_another_communitys_record_is_rejected(
    server: ServerHandle, world: World, own_kiosk: Kiosk, tmp_path: Path
) -> None:
    work = offline_day(own_kiosk, world, members=2, residents=2)
    own_kiosk.sync()
    with own_kiosk.store.read() as s:
        need = s.get_one(Need, work.needs[0])
        version = need.version
    outsider = make_kiosk(server, world.other_station, tmp_path / "outsider")
    try:
        change = {
            "id": str(need.id),
            "status": "cancelled",
            "base_version": version,
            "closed_reason": "不要了",
        }
        cancel = item("need", change, seq=1, chain=uuid.uuid4(), op="cancel")
        answer = push(server.url, outsider, push_body(cancel))
        assert answer.status_code == 200
        [result] = answer.json()["results"]
        assert result["status"] == "rejected" and "another community" in result["reason"]
    finally:
        outsider.close()
    # Nor may its own kiosk move the need into the other community, or rewrite its origin.
    chain = uuid.uuid4()
    for n, moved in enumerate(
        (
            {"community_id": str(world.other_community)},
            {"station_id": str(world.other_station), "device_id": outsider.device_id},
        ),
        start=1,
    ):
        change = {"id": str(need.id), "status": "posted", "base_version": version} | moved
        answer = push(
            server.url, own_kiosk, push_body(item("need", change, seq=n, chain=chain, op="release"))
        )
        [result] = answer.json()["results"]
        assert result["status"] == "rejected" and "cannot change" in result["reason"], moved
    with server.session() as s:
        stored = s.get_one(Need, need.id)
        assert (stored.version, stored.community_id) == (version, world.community)


# --- oversized and malformed batches ------------------------------------------------------
def test_an_oversized_body_and_a_gzip_bomb_are_refused(server: ServerHandle, kiosk: Kiosk) -> None:
    huge = b'{"items": [' + b" " * MAX_BATCH_BYTES + b"]}"
    answer = push(server.url, kiosk, huge)
    assert answer.status_code == 413 and problem(answer) == "too_large"

    bomb = gzip.compress(b"{" + b" " * (8 * MAX_BATCH_BYTES), compresslevel=9)
    assert len(bomb) < MAX_BATCH_BYTES // 64  # small on the wire, 16 MiB inflated
    answer = push(server.url, kiosk, bomb, extra={"Content-Encoding": "gzip"})
    assert answer.status_code == 413 and problem(answer) == "too_large"


def _items(world: World, chain: uuid.UUID, n: int) -> list[dict[str, Any]]:
    return [item("person", person_data(world), seq=i + 1, chain=chain) for i in range(n)]


def _malformed(world: World, chain: uuid.UUID) -> dict[str, tuple[bytes, dict[str, str]]]:
    """Bodies (and headers) the push endpoint must refuse as a whole, with a 4xx."""
    one = _items(world, chain, 1)[0]
    plain: dict[str, str] = {}
    gz = {"Content-Encoding": "gzip"}
    body = push_body(one)
    cases: dict[str, tuple[bytes, dict[str, str]]] = {
        "not JSON": (b"this is not json", plain),
        "empty body": (b"", plain),
        "JSON but not an object": (b"[1, 2, 3]", plain),
        "items not a list": (json.dumps({"batch_id": str(chain), "items": 7}).encode(), plain),
        "no batch id": (json.dumps({"items": []}).encode(), plain),
        "protocol not a number": (
            json.dumps({"protocol": "one", "batch_id": str(chain), "items": []}).encode(),
            plain,
        ),
        "device_seq not a number": (push_body(one | {"device_seq": "first"}), plain),
        "device_seq zero": (push_body(one | {"device_seq": 0}), plain),
        "entity_id not a uuid": (push_body(one | {"entity_id": "person-1"}), plain),
        "payload not a string": (push_body(one | {"payload": {"id": 1}}), plain),
        "short payload hash": (push_body(one | {"payload_hash": "abc"}), plain),
        "unknown item field": (push_body(one | {"sneaky": True}), plain),
        "item not an object": (json.dumps({"batch_id": str(chain), "items": [1]}).encode(), plain),
        "too many items": (push_body(*_items(world, chain, MAX_BATCH_ITEMS + 1)), plain),
        "invalid UTF-8": (b'{"batch_id": "\xff\xfe", "items": []}', plain),
        "said gzip, is not": (body, gz),
        "truncated gzip": (gzip.compress(body)[:-12], gz),
        "gzip of garbage": (gzip.compress(b"\x00\x01garbage"), gz),
        "unknown encoding": (body, {"Content-Encoding": "br"}),
    }
    return cases


def test_malformed_batches_are_a_4xx(server: ServerHandle, world: World, kiosk: Kiosk) -> None:
    chain = uuid.uuid4()
    wrong = []
    for case, (body, extra) in _malformed(world, chain).items():
        answer = push(server.url, kiosk, body, extra=extra)
        if not 400 <= answer.status_code < 500:
            wrong.append((case, answer.status_code, answer.text[:200]))
        else:
            problem(answer)
    assert wrong == []
    assert items_of_chain(server, chain) == 0


def test_bad_pull_parameters_are_a_4xx(server: ServerHandle, kiosk: Kiosk) -> None:
    for query in ("cursor=-1", "cursor=abc", "limit=0", "limit=100000", "cursor=1.5"):
        answer = signed_request(server.url, creds(kiosk), "GET", f"{PULL_PATH}?{query}")
        assert answer.status_code == 422, (query, answer.text)
    # A cursor this server never handed out (a restored backup, a forged one): start again.
    for cursor in (10**6, 2**63, 10**30):
        answer = signed_request(server.url, creds(kiosk), "GET", f"{PULL_PATH}?cursor={cursor}")
        assert answer.status_code == 410 and problem(answer) == "cursor_gone", cursor


def _bad_items(world: World, chain: uuid.UUID) -> dict[str, dict[str, Any]]:
    """Items that are well-formed messages but must each be rejected on their own."""
    known = person_data(world)
    big = 2**70
    cases: list[tuple[str, Callable[[int], dict[str, Any]]]] = [
        ("unknown entity", lambda n: item("station", person_data(world), seq=n, chain=chain)),
        (
            "payload hash mismatch",
            lambda n: item("person", person_data(world), seq=n, chain=chain, digest="0" * 64),
        ),
        (
            "payload not JSON",
            lambda n: item("person", {}, seq=n, chain=chain, entity_id=uuid7(), payload="{no"),
        ),
        (
            "payload id differs",
            lambda n: item("person", person_data(world), seq=n, chain=chain, entity_id=uuid7()),
        ),
        (
            "unknown payload field",
            lambda n: item("person", person_data(world, shoe_size=42), seq=n, chain=chain),
        ),
        (
            "wrong payload type",
            lambda n: item("person", person_data(world, hardship="yes"), seq=n, chain=chain),
        ),
        (
            "text too long",
            lambda n: item("person", person_data(world, name="长" * 500), seq=n, chain=chain),
        ),
        (
            "unknown community",
            lambda n: item(
                "person", person_data(world, community_id=str(uuid7())), seq=n, chain=chain
            ),
        ),
        (
            "op not allowed",
            lambda n: item(
                "person", {"id": known["id"], "name": "改名"}, seq=n, chain=chain, op="rename"
            ),
        ),
        (
            "integer beyond the column",
            lambda n: item("activity", activity_data(world, capacity=big), seq=n, chain=chain),
        ),
        (
            "ledger lines beyond 64 bits",
            lambda n: item(
                "ledger_tx",
                {"id": str(uuid7()), "lines": [[str(uuid7()), big], [str(uuid7()), -big]]},
                seq=n,
                chain=chain,
            ),
        ),
        (
            "activity of another community",
            lambda n: item(
                "activity",
                activity_data(world, community_id=str(world.other_community)),
                seq=n,
                chain=chain,
            ),
        ),
        (
            "NUL in the entity name",
            lambda n: item("per\x00son", person_data(world), seq=n, chain=chain),
        ),
        (
            "device sequence beyond 64 bits",
            lambda n: item("person", person_data(world), seq=2**63, chain=chain),
        ),
    ]
    return {case: build(n) for n, (case, build) in enumerate(cases, start=1)}


def test_bad_items_are_rejected_one_by_one_and_the_rest_applies(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    chain = uuid.uuid4()
    bad = _bad_items(world, chain)
    fine = item("person", person_data(world), seq=100, chain=chain)
    nul = item("person", person_data(world, name="王\x00芳"), seq=101, chain=chain)
    answer = push(server.url, kiosk, push_body(*bad.values(), fine, nul))
    assert answer.status_code == 200, answer.text
    results = {r["idempotency_key"]: r for r in answer.json()["results"]}
    wrong = [
        (case, results[sent["idempotency_key"]])
        for case, sent in bad.items()
        if results[sent["idempotency_key"]]["status"] != "rejected"
        or not results[sent["idempotency_key"]]["reason"]
    ]
    assert wrong == []
    assert results[fine["idempotency_key"]]["status"] == "applied"
    # A NUL in a name is text SQLite can hold and PostgreSQL cannot: either is an answer.
    expected_nul = "applied" if server.backend == "sqlite" else "rejected"
    assert results[nul["idempotency_key"]]["status"] == expected_nul

    # Sent again, each gets the same answer and nothing is applied twice.
    again = push(server.url, kiosk, push_body(*bad.values(), fine))
    assert again.status_code == 200
    statuses = {r["idempotency_key"]: r["status"] for r in again.json()["results"]}
    assert statuses[fine["idempotency_key"]] == "duplicate"
    assert {statuses[s["idempotency_key"]] for s in bad.values()} == {"rejected"}
    # Recorded once each, except the two that cannot be stored: answered, not recorded.
    assert items_of_chain(server, chain) == len(bad) - 2 + len([fine, nul])
