"""The change log kiosks pull from.

Sequence numbers come from one counter row updated in the same transaction that writes the
changes. The row lock orders concurrent writers, so sequences become visible strictly in
order: a puller that has seen sequence N can never later find a new change below N.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from server.apply import PendingChange
from server.models import ChangeLog, ServerMeta
from sync.protocol import Change


class CursorGone(Exception):
    """The cursor is older than the history the server keeps (answer 410)."""


def record_changes(session: Session, changes: Sequence[PendingChange], now: dt.datetime) -> None:
    if not changes:
        return
    last = session.execute(
        update(ServerMeta)
        .where(ServerMeta.id == 1)
        .values(last_seq=ServerMeta.last_seq + len(changes))
        .returning(ServerMeta.last_seq)
    ).scalar_one()
    first = last - len(changes) + 1
    session.execute(
        insert(ChangeLog),
        [
            {
                "seq": first + i,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "op": "upsert",
                "scope": c.scope,
                "data": c.data,
                "created_at": now,
            }
            for i, c in enumerate(changes)
        ],
    )


def pull_changes(
    session: Session, community_id: uuid.UUID, cursor: int, limit: int
) -> tuple[list[Change], int, bool]:
    meta = session.get_one(ServerMeta, 1)
    # Cursor 0 is a full resync and always served. A cursor past the head was never handed
    # out by this database (it was restored from a backup, or the cursor is forged): the
    # kiosk would silently skip every change up to it, so it must start again as well.
    if 0 < cursor < meta.pruned_before or cursor > meta.last_seq:
        raise CursorGone
    rows = session.execute(
        select(ChangeLog)
        .where(
            ChangeLog.seq > cursor,
            or_(ChangeLog.scope.is_(None), ChangeLog.scope == community_id),
        )
        .order_by(ChangeLog.seq)
        .limit(limit + 1)
    ).scalars()
    page = list(rows)
    has_more = len(page) > limit
    page = page[:limit]
    changes = [
        Change(seq=r.seq, entity=r.entity, entity_id=r.entity_id, op=r.op, data=r.data)
        for r in page
    ]
    next_cursor = page[-1].seq if page else max(cursor, 0)
    if not has_more:
        # Nothing more for this scope: jump to the head so the next pull starts there.
        next_cursor = max(next_cursor, meta.last_seq)
    return changes, next_cursor, has_more
