"""Statistics on the server: the same queries the kiosk runs, over the whole district.

The kiosk's ``StatsService`` reads through anything with ``read()`` and ``clock``; this
adapter gives it the server's database, so the monthly bulletin and the annual evaluation
are computed one way everywhere and ``timebank server stats`` uses the kiosk's key names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock, SystemClock
from kiosk.services.stats import StatsService
from kiosk.store.repositories import AccountRepo


class ServerReader:
    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session


def server_stats(engine: Engine) -> StatsService:
    return StatsService(ServerReader(engine), local=False)


def status_data(engine: Engine) -> dict[str, Any]:
    """Shaped like the kiosk's ``timebank status --json``: ``counts`` and ``ledger``."""
    reader = ServerReader(engine)
    with reader.read() as session:
        ledger = AccountRepo(session).totals_by_kind()
    ledger["issued"] = -ledger.get("mint", 0)
    return {"counts": server_stats(engine).record_counts(), "ledger": ledger}
