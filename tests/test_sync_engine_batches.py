"""Push batches are sized in encoded bytes, and answers are recorded set-based.

A Chinese character is one ``len`` but three UTF-8 bytes, so a batch sized by characters
can be far over the server's byte limit (and refused whole, 413). Here a kiosk queues items
whose text is long and Chinese, fewer than the item limit and under the byte limit when
counted in characters, but well over it in bytes; the push must split them, every body must
fit, and each item must get its own answer. The server refuses these items for their
length, so the same push also shows quarantine keeping each item's own reason.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import event, select

from kiosk.store.models import AuditEntry, OutboxItem, OutboxStatus, PersonKind
from sync.protocol import MAX_BATCH_BYTES, MAX_BATCH_ITEMS, PUSH_PATH
from tests import sync_helpers
from tests.factories import id_number
from tests.sync_helpers import (
    Kiosk,
    ServerHandle,
    World,
    assert_in_step,
    make_kiosk,
    outbox_counts,
    publish_world,
)

server = sync_helpers.server

LONG = "社区志愿服务记录" * 750  # 6,000 characters, 18,000 bytes
TOO_LONG_DETAILS = 120  # the server keeps 400 characters of audit detail
TOO_LONG_ENTITIES = 20  # ... and 30 of the entity name


@pytest.fixture
def world(server: ServerHandle) -> World:
    return publish_world(server)


@pytest.fixture
def kiosk(server: ServerHandle, world: World, tmp_path: Path) -> Iterator[Kiosk]:
    k = make_kiosk(server, world.station, tmp_path / "kiosk")
    k.sync()
    yield k
    k.close()


def test_long_chinese_items_are_split_by_bytes_and_each_answered(
    server: ServerHandle, world: World, kiosk: Kiosk
) -> None:
    svc = kiosk.svc
    for i in range(3):  # items the server applies, in the same batches as the refused ones
        svc.people.register(
            name=f"居民{i}",
            kind=PersonKind.RESIDENT,
            id_number=id_number("19500101", seq=i),
            community_id=world.community,
        )
    with kiosk.store.write() as uow:
        for _ in range(TOO_LONG_DETAILS):
            uow.audit(None, "note", "person", None, LONG)
        for _ in range(TOO_LONG_ENTITIES):
            uow.audit(None, "note", "长" * 40, None, "")
    with kiosk.store.read() as s:
        payloads = list(
            s.execute(
                select(OutboxItem.payload).where(OutboxItem.status == OutboxStatus.PENDING)
            ).scalars()
        )
    # Counted in characters the whole queue is one batch; in bytes it is not.
    assert len(payloads) <= MAX_BATCH_ITEMS
    assert sum(len(p) + 400 for p in payloads) < MAX_BATCH_BYTES * 0.9
    assert sum(len(p.encode()) for p in payloads) > MAX_BATCH_BYTES

    pushes: list[tuple[int, int]] = []  # (status, uncompressed body size)

    def record(resp: requests.Response, *args: Any, **kwargs: Any) -> None:
        if PUSH_PATH in resp.request.url and isinstance(resp.request.body, bytes):
            pushes.append((resp.status_code, len(gzip.decompress(resp.request.body))))

    kiosk.client.http.hooks["response"].append(record)
    outbox_updates: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE outbox"):
            outbox_updates.append(statement)

    event.listen(kiosk.store.engine, "before_cursor_execute", count)
    try:
        status = kiosk.sync()
    finally:
        event.remove(kiosk.store.engine, "before_cursor_execute", count)

    assert len(pushes) >= 2 and {code for code, _ in pushes} == {200}
    assert all(size <= MAX_BATCH_BYTES for _, size in pushes)
    assert max(size for _, size in pushes) > MAX_BATCH_BYTES * 0.95  # packed, not just halved
    # Per batch: one statement marks it attempted, one acknowledges, one quarantines.
    assert len(outbox_updates) <= 3 * len(pushes)
    assert status.pending == 0
    assert outbox_counts(kiosk.store)["quarantined"] == TOO_LONG_DETAILS + TOO_LONG_ENTITIES
    with kiosk.store.read() as s:
        refused = s.execute(
            select(OutboxItem.entity_id, OutboxItem.last_error).where(
                OutboxItem.status == OutboxStatus.QUARANTINED
            )
        ).all()
    reasons = [reason for _, reason in refused]
    assert sum("detail: longer than 400" in r for r in reasons) == TOO_LONG_DETAILS
    assert sum("entity: longer than 30" in r for r in reasons) == TOO_LONG_ENTITIES
    assert_in_step(
        server,
        kiosk,
        quarantined_items=len(refused),
        skip={AuditEntry: {entity_id for entity_id, _ in refused}},  # refused: kiosk only
    )
