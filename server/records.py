"""The server's records as one pushed batch sees them: read once, written once.

Checking items one by one against the database cost a round trip per reference, per
record and per savepoint. A batch instead reads every row its items refer to at once (one
query for which ids exist and which records were created before, one per table whose rows
it needs whole), checks each item against those rows plus what the items before it made or
changed (so item N sees exactly the state items 1..N-1 left, as if applied one at a time),
and writes the outcome with one executemany per table and per kind of update.

Rows the batch will change are read ``FOR NO KEY UPDATE`` in id order: a concurrent push
changing the same need waits here and then reads the new version (first claim wins), the
fixed order cannot deadlock, and inserts elsewhere that only reference the row (attendance
at an activity being closed) are not blocked. The record hashes of the records read as
missing are inserted plainly: if the unique key refuses one, another push created that
record meanwhile (after waiting for it to commit, on PostgreSQL), and ``RecordRace`` tells
the caller to redo the work.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    Row,
    Select,
    String,
    Table,
    Update,
    Uuid,
    and_,
    bindparam,
    cast,
    insert,
    inspect,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import NamedColumn

from kiosk.store.base import Base, UTCDateTime
from kiosk.store.models import RECORD_ENTITIES
from kiosk.store.payload import plain
from server.models import RecordHash
from server.sql import table_of

# Tables whose whole rows the rules read (an activity's community, an account's owner);
# for any other referenced table knowing that the id exists is enough.
FULL_ROWS = frozenset({"activity", "account"})


class RecordRace(Exception):
    """Another push created a record this batch read as missing; redo the batch."""


@dataclass(frozen=True)
class Shape:
    """What the batch needs to know about one model's table, looked up once."""

    table: Table
    keys: tuple[str, ...]  # attribute keys in mapper order, as ``record_dict`` has them
    columns: tuple[NamedColumn[Any], ...]  # the column behind each key
    defaults: tuple[Any, ...]  # the value the ORM would write when none is given
    references: tuple[tuple[str, str], ...]  # (key, referenced table) for each foreign key
    to_json: tuple[Callable[[Any], Any], ...]  # ``plain`` for the column's type

    def full_row(self, values: dict[str, Any]) -> dict[str, Any]:
        """All columns of a new record: the given value, else the column's scalar default."""
        out = {}
        for key, default in zip(self.keys, self.defaults, strict=True):
            value = values.get(key)
            out[key] = default if value is None else value
        return out

    def record_dict(self, row: dict[str, Any]) -> dict[str, Any]:
        """``kiosk.store.payload.record_dict`` of the record this row holds.

        Each column's conversion is chosen once from its type, instead of ``plain`` trying
        every type on every value: this runs for every change kiosks will pull.
        """
        out = {}
        for key, to_json in zip(self.keys, self.to_json, strict=True):
            value = row[key]
            out[key] = value if value is None else to_json(value)
        return out

    def from_db(self, row: Row[Any]) -> dict[str, Any]:
        return {key: row._mapping[col] for key, col in zip(self.keys, self.columns, strict=True)}

    def to_db(self, row: dict[str, Any]) -> dict[str, Any]:
        return {col.key: row[key] for key, col in zip(self.keys, self.columns, strict=True)}


@functools.cache
def shape_of(model: type[Base]) -> Shape:
    attrs = inspect(model).column_attrs
    columns = tuple(attr.columns[0] for attr in attrs)
    # Only primary keys have generated defaults, and every pushed record carries its id.
    defaults = tuple(
        col.default.arg if col.default is not None and col.default.is_scalar else None
        for col in columns
    )
    references = tuple(
        (attr.key, fk.column.table.name)
        for attr, col in zip(attrs, columns, strict=True)
        for fk in col.foreign_keys
    )
    keys = tuple(attr.key for attr in attrs)
    to_json = tuple(_to_json(col.type) for col in columns)
    return Shape(table_of(model), keys, columns, defaults, references, to_json)


def _same(value: Any) -> Any:
    return value


def _to_json(column_type: Any) -> Callable[[Any], Any]:
    if isinstance(column_type, Uuid):
        return str
    if isinstance(column_type, UTCDateTime | Date):
        return _isoformat
    if isinstance(column_type, String | Integer | Boolean):
        return _same
    return plain  # whatever else a column may hold, converted as the kiosk does


def _isoformat(value: dt.date) -> str:
    return value.isoformat()


# Every table a pushed record may refer to, and so every table a batch may look ids up in.
_ID_TABLES = sorted(
    {target for model in RECORD_ENTITIES.values() for _, target in shape_of(model).references}
)


@functools.cache
def _rows_of(table: str, lock: bool) -> Select[Any]:
    """Whole rows by id; those the batch will change locked, in a fixed (id) order."""
    t = Base.metadata.tables[table]
    stmt = select(t).where(t.c.id.in_(bindparam("ids", expanding=True)))
    return stmt.order_by(t.c.id).with_for_update(key_share=True) if lock else stmt


@functools.cache
def _lookup() -> CompoundSelect[Any]:
    """Which referenced ids exist and the hashes records were created with, in one query.

    One round trip instead of one per table, and one statement whatever a batch holds, so
    it is compiled once: an empty id list costs the database nothing.
    """
    none = cast(null(), String)
    parts = [
        select(literal(name), t.c.id, none).where(t.c.id.in_(bindparam(name, expanding=True)))
        for name in _ID_TABLES
        if name not in FULL_ROWS
        for t in [Base.metadata.tables[name]]
    ]
    rh = table_of(RecordHash)
    made = or_(
        *(
            and_(rh.c.entity == entity, rh.c.entity_id.in_(bindparam(f"#{entity}", expanding=True)))
            for entity in RECORD_ENTITIES
        )
    )
    parts.append(select(literal("#") + rh.c.entity, rh.c.entity_id, rh.c.payload_hash).where(made))
    return union_all(*parts)


@functools.cache
def _update_of(table: str, keys: tuple[str, ...]) -> Update:
    """UPDATE of these columns by id; built once, as a batch's changes take few shapes."""
    shape = shape_of(model_of(table))
    column = dict(zip(shape.keys, shape.columns, strict=True))
    t = shape.table
    return (
        update(t)
        .where(t.c.id == bindparam("b_id"))
        .values({column[k].key: bindparam(f"v_{k}") for k in keys})
    )


@functools.cache
def _insert_order() -> list[Table]:
    """The record tables, each after those it refers to (the metadata sorts on every call)."""
    return Base.metadata.sorted_tables


@functools.cache
def model_of(table: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise KeyError(table)


@dataclass
class Wanted:
    """Ids a batch's items mention, gathered before anything is checked."""

    ids: dict[str, set[uuid.UUID]] = field(default_factory=dict)  # table -> referenced ids
    locked: dict[str, set[uuid.UUID]] = field(default_factory=dict)  # table -> rows to change
    hashes: dict[str, set[uuid.UUID]] = field(default_factory=dict)  # entity -> created ids

    def reference(self, table: str, value: Any) -> None:
        try:
            self.ids.setdefault(table, set()).add(uuid.UUID(str(value)))
        except ValueError:
            pass  # not an id: the item is rejected when it is checked


@dataclass
class Records:
    """Rows read for a batch plus the batch's own creations and changes, in item order."""

    _ids: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    _rows: dict[tuple[str, uuid.UUID], dict[str, Any]] = field(default_factory=dict)
    _hashes: dict[tuple[str, uuid.UUID], str] = field(default_factory=dict)
    _made: dict[str, dict[uuid.UUID, dict[str, Any]]] = field(default_factory=dict)
    _lines: list[dict[str, Any]] = field(default_factory=list)
    _changed: dict[tuple[str, uuid.UUID], set[str]] = field(default_factory=dict)
    _new_hashes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, wanted: Wanted) -> Records:
        records = cls()
        conn = session.connection()
        for name in sorted(wanted.locked):
            shape = shape_of(model_of(name))
            records._keep(
                shape, conn.execute(_rows_of(name, True), {"ids": list(wanted.locked[name])})
            )

        def unread(name: str) -> list[uuid.UUID]:
            return [i for i in wanted.ids.get(name, ()) if (name, i) not in records._rows]

        for name in sorted(FULL_ROWS):
            if ids := unread(name):
                shape = shape_of(model_of(name))
                records._keep(shape, conn.execute(_rows_of(name, False), {"ids": ids}))
        params = {name: unread(name) for name in _ID_TABLES if name not in FULL_ROWS}
        params |= {f"#{entity}": list(wanted.hashes.get(entity, ())) for entity in RECORD_ENTITIES}
        for tag, record_id, digest in conn.execute(_lookup(), params):
            if tag.startswith("#"):
                records._hashes[(tag[1:], record_id)] = digest
            else:
                records._ids.setdefault(tag, set()).add(record_id)
        return records

    def _keep(self, shape: Shape, rows: Any) -> None:
        name = shape.table.name
        for row in rows:
            values = shape.from_db(row)
            self._rows[(name, values["id"])] = values

    # --- what the rules read -------------------------------------------------------------
    def exists(self, table: str, record_id: uuid.UUID) -> bool:
        return (table, record_id) in self._rows or record_id in self._ids.get(table, ())

    def row(self, table: str, record_id: uuid.UUID) -> dict[str, Any] | None:
        return self._rows.get((table, record_id))

    def created_hash(self, entity: str, record_id: uuid.UUID) -> str | None:
        return self._hashes.get((entity, record_id))

    # --- what the rules write ------------------------------------------------------------
    def create(
        self, entity: str, model: type[Base], values: dict[str, Any], payload_hash: str
    ) -> dict[str, Any]:
        """Queue a new record; later items of the batch see it, and may still change it."""
        shape = shape_of(model)
        row = shape.full_row(values)
        name = shape.table.name
        self._rows[(name, row["id"])] = row
        self._made.setdefault(name, {})[row["id"]] = row
        self._hashes[(entity, row["id"])] = payload_hash
        self._new_hashes.append(
            {"entity": entity, "entity_id": row["id"], "payload_hash": payload_hash}
        )
        return row

    def add_lines(self, lines: list[dict[str, Any]]) -> None:
        self._lines.extend(lines)

    def change(self, table: str, row: dict[str, Any], values: dict[str, Any]) -> None:
        """Change a row; a record made in this batch is simply inserted as it ends up."""
        if row["id"] not in self._made.get(table, {}):
            self._changed.setdefault((table, row["id"]), set()).update(values)
        row.update(values)

    # --- one write for the whole batch ---------------------------------------------------
    def write(self, session: Session) -> None:
        conn = session.connection()
        if self._new_hashes:
            rows = sorted(self._new_hashes, key=lambda r: (r["entity"], r["entity_id"]))
            try:  # the unique key decides, never the read above
                conn.execute(insert(table_of(RecordHash)), rows)
            except IntegrityError as exc:
                raise RecordRace from exc
        for table in _insert_order():  # parents before the rows that refer to them
            if table.name in self._made:
                shape = shape_of(model_of(table.name))
                conn.execute(
                    insert(table), [shape.to_db(r) for r in self._made[table.name].values()]
                )
            elif table.name == "ledger_line" and self._lines:
                conn.execute(insert(table), self._lines)
        groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        for (name, record_id), keys in sorted(self._changed.items()):
            row = self._rows[(name, record_id)]
            ordered = tuple(sorted(keys))
            values = {f"v_{k}": row[k] for k in ordered} | {"b_id": record_id}
            groups.setdefault((name, ordered), []).append(values)
        for (name, ordered), rows in groups.items():
            conn.execute(_update_of(name, ordered), rows)
