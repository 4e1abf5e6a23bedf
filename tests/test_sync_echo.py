"""A pull leaves out the puller's own changes, unless it needs them back.

The change log records which kiosk database (device and outbox chain) pushed each change.
A kiosk already has its own changes, so a pull leaves them out; but if another source
changed the same record before one of them, the kiosk applies that other change when it
pulls it, after its own write, and must get its own change again to end where the server
is. A kiosk file rebuilt after corruption has the same device id and a new chain, and gets
everything. Run against the live server's database on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from kiosk.ids import uuid7
from server.apply import PendingChange
from server.changes import Origin, pull_changes, record_changes
from server.models import ServerMeta
from tests import sync_helpers
from tests.sync_helpers import ServerHandle, World, publish_world

server = sync_helpers.server

A = Origin("kiosk-a", uuid7())
A_REBUILT = Origin("kiosk-a", uuid7())  # the same kiosk, its database file made anew
B = Origin("kiosk-b", uuid7())


@pytest.fixture
def world(server: ServerHandle) -> World:
    return publish_world(server)


def change(person: uuid.UUID, name: str) -> PendingChange:
    return PendingChange("person", person, None, {"id": str(person), "name": name})


def test_own_changes_are_left_out_unless_another_source_came_between(
    server: ServerHandle, world: World
) -> None:
    p1, p2 = uuid7(), uuid7()
    now = dt.datetime.now(dt.UTC)
    with server.session() as s, s.begin():
        start = s.get_one(ServerMeta, 1).last_seq  # the published reference data
        record_changes(s, [change(p1, "甲"), change(p2, "乙")], now, A)  # start+1, +2
        record_changes(s, [change(p2, "乙(改)")], now, B)  # +3: B changes A's record
        record_changes(s, [change(p2, "乙(再改)")], now, A)  # +4: A after B: A needs it
        record_changes(s, [change(p1, "甲(改)")], now, A)  # +5: only ever A's
        head = start + 5
    with server.session() as s, s.begin():

        def pulled(puller: Origin | None, cursor: int = start, limit: int = 100) -> list[int]:
            changes, next_cursor, has_more = pull_changes(s, world.community, cursor, limit, puller)
            assert next_cursor == head and not has_more
            return [c.seq - start for c in changes]

        assert pulled(A) == [3, 4]
        assert pulled(B) == [1, 2, 3, 4, 5]  # B's own change came after A's: echoed
        assert pulled(A_REBUILT) == [1, 2, 3, 4, 5]
        assert pulled(None) == [1, 2, 3, 4, 5]
        full, _, _ = pull_changes(s, world.community, 0, 100, A)
        assert len(full) == start + 2  # the server's own changes are everyone's

        # Paging: left-out rows neither fill a page nor hold the cursor back.
        first, cursor, more = pull_changes(s, world.community, start, 1, A)
        assert [c.seq - start for c in first] == [3] and more and cursor == start + 3
        assert pulled(A, cursor, 1) == [4]
