"""The change log kiosks pull from.

Sequence numbers come from one counter row updated in the same transaction that writes the
changes. The row lock orders concurrent writers, so sequences become visible strictly in
order: a puller that has seen sequence N can never later find a new change below N.

A pull leaves out the changes the pulling kiosk database pushed itself (it has them), unless
another source changed the same record before them: the kiosk applies that other change
when it pulls it, after its own write, so it needs its own change again to end up where the
server is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, insert, not_, or_, select, update
from sqlalchemy.orm import Session, aliased

from server.apply import PendingChange
from server.models import ChangeLog, ServerMeta
from server.sql import table_of
from sync.protocol import Change


class CursorGone(Exception):
    """The cursor is older than the history the server keeps (answer 410)."""


@dataclass(frozen=True)
class Origin:
    """A kiosk database: its device and the outbox chain of that database file."""

    device_id: str
    chain_id: uuid.UUID


def record_changes(
    session: Session,
    changes: Sequence[PendingChange],
    now: dt.datetime,
    origin: Origin | None = None,
) -> range:
    """Append ``changes`` to the log; the sequence numbers they were given, in order."""
    if not changes:
        return range(0)
    last = session.execute(
        update(ServerMeta)
        .where(ServerMeta.id == 1)
        .values(last_seq=ServerMeta.last_seq + len(changes))
        .returning(ServerMeta.last_seq)
    ).scalar_one()
    first = last - len(changes) + 1
    session.execute(
        # The table, not the class: an ORM bulk insert splits the rows into one statement
        # per run of rows that leave the same columns NULL (scoped and global changes).
        insert(table_of(ChangeLog)),
        [
            {
                "seq": first + i,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "op": "upsert",
                "scope": c.scope,
                "data": c.data,
                "created_at": now,
                "origin_device": origin.device_id if origin else None,
                "origin_chain": origin.chain_id if origin else None,
            }
            for i, c in enumerate(changes)
        ],
    )
    return range(first, last + 1)


def _made_by(row: type[ChangeLog], puller: Origin) -> ColumnElement[bool]:
    """False, never NULL, for the server's own changes (no origin)."""
    return and_(
        row.origin_device.is_not(None),
        row.origin_chain.is_not(None),
        row.origin_device == puller.device_id,
        row.origin_chain == puller.chain_id,
    )


def _not_echo(puller: Origin) -> ColumnElement[bool]:
    """Rows the puller needs: not its own, or its own after another source's change."""
    other = aliased(ChangeLog)
    changed_elsewhere_before = exists().where(
        other.entity_id == ChangeLog.entity_id,
        other.seq < ChangeLog.seq,
        not_(_made_by(other, puller)),
    )
    return or_(not_(_made_by(ChangeLog, puller)), changed_elsewhere_before)


def pull_changes(
    session: Session,
    community_id: uuid.UUID,
    cursor: int,
    limit: int,
    puller: Origin | None = None,
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
            *([_not_echo(puller)] if puller else []),
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
