"""Hot-path DML straight on the SQLite driver connection.

A check-out writes about ten rows in one transaction. Through ``Connection.execute`` each
statement costs SQLAlchemy's execution context, result setup and event dispatch, about
eight times what sqlite3 itself spends on the statement; for the kiosk's everyday
appends (attendance events, service records, ledger transactions and lines, balances,
outbox rows, the device counters) that overhead was most of the operation's CPU time.

``DirectStatement`` compiles an SQLAlchemy statement once for the store's dialect and
keeps its SQL text, its parameter order and each parameter's bind processor (the same
conversion SQLAlchemy applies: UUIDs to text, aware datetimes through our UTC type, enums
to their stored values). ``execute`` then hands sqlite3 a ready tuple on the transaction's
own driver connection, so the row joins the open transaction like any other statement.
``tests/test_store_direct.py`` checks that rows written this way are byte-for-byte the
rows SQLAlchemy writes. These statements do not pass through engine events, so a
``before_cursor_execute`` listener does not see them.
"""

from __future__ import annotations

import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase

Processor = Callable[[Any], Any] | None


class DirectStatement:
    """One compiled DML statement whose parameters are converted by our own loop."""

    def __init__(
        self,
        statement: UpdateBase | Select[Any],
        dialect: Dialect,
        columns: Sequence[str] | None = None,
    ) -> None:
        """``columns``: the parameters every execution passes, as ``Connection.execute``
        would learn them from the first parameter set (None: every column of an INSERT).
        """
        if dialect.paramstyle != "qmark":
            raise ValueError(f"direct statements need qmark parameters, not {dialect.paramstyle}")
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        names = compiled.positiontup
        if names is None:
            raise ValueError("statement did not compile to positional parameters")
        self.sql = str(compiled)
        self.names: tuple[str, ...] = tuple(names)
        self.processors: tuple[Processor, ...] = tuple(
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.names
        )
        # The statement's own literal values (``.values(x=5)``) compiled as parameters.
        self.fixed: dict[str, Any] = {
            name: bind.value
            for name, bind in compiled.binds.items()
            if name in self.names and bind.value is not None and not bind.required
        }

    def row(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The driver's tuple; a missing parameter is a KeyError, never a silent NULL."""
        fixed = self.fixed
        values = []
        for name, process in zip(self.names, self.processors, strict=True):
            value = fixed[name] if name in fixed else params[name]
            values.append(value if process is None or value is None else process(value))
        return tuple(values)

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> None:
        row = self.row(params)
        with _as_sqlalchemy_errors(conn, self.sql, row):
            _driver(conn).execute(self.sql, row)

    def executemany(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        values = [self.row(params) for params in rows]
        with _as_sqlalchemy_errors(conn, self.sql, values):
            _driver(conn).executemany(self.sql, values)


def _driver(conn: Connection) -> Any:
    """The sqlite3 connection under ``conn``, inside the transaction ``conn`` has begun."""
    return conn.connection.driver_connection


@contextmanager
def _as_sqlalchemy_errors(conn: Connection, sql: str, params: Any) -> Iterator[None]:
    """Driver errors surface as SQLAlchemy's (``IntegrityError`` and so on), as they would
    from ``Connection.execute``: callers catch one family whichever path wrote the row."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, params, error, dbapi.Error) from error


class DirectQuery:
    """A SELECT compiled once; rows come back converted by each column's result processor.

    For the rule queries every check-in and check-out runs first (``AttendanceRepo``'s
    facts, the ledger's account lookups): their answers are the same values
    ``Connection.execute`` gives (``tests/test_store_direct.py``), as named tuples.
    """

    def __init__(self, query: Select[Any], dialect: Dialect) -> None:
        self.statement = DirectStatement(query, dialect)
        columns = list(query.selected_columns)
        self.processors: tuple[Processor, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        self.row_type: Any = namedtuple("DirectRow", [c.key for c in columns])  # type: ignore[misc]

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        values = self.statement.row(params)
        with _as_sqlalchemy_errors(conn, self.statement.sql, values):
            rows = _driver(conn).execute(self.statement.sql, values).fetchall()
        make, processors = self.row_type._make, self.processors
        return [
            make(
                v if p is None or v is None else p(v) for p, v in zip(processors, row, strict=True)
            )
            for row in rows
        ]

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Any | None:
        rows = self.all(conn, params)
        return rows[0] if rows else None


_QUERIES: weakref.WeakKeyDictionary[Dialect, dict[Select[Any], DirectQuery]] = (
    weakref.WeakKeyDictionary()
)


def run_query(conn: Connection, query: Select[Any], params: Mapping[str, Any]) -> list[Any]:
    """``query``'s rows on ``conn``, compiled once per dialect (see ``DirectQuery``)."""
    compiled = _QUERIES.setdefault(conn.dialect, {})
    found = compiled.get(query)
    if found is None:
        found = compiled[query] = DirectQuery(query, conn.dialect)
    return found.all(conn, params)
