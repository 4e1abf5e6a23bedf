"""The real central server, in-process on 127.0.0.1 and an OS-chosen port."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from server.app import create_app
from server.db import make_server_engine, normalize_url
from server.setup import ensure_meta, init_schema


@dataclass
class LiveServer:
    url: str
    engine: Engine
    admin_token: str | None
    server: uvicorn.Server
    thread: threading.Thread

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


def fresh_pg_database() -> str | None:
    """A new, empty PostgreSQL database for one test, or None when PostgreSQL is not configured.

    Each test gets its own database (created from ``TIMEBANK_TEST_PG_URL``'s server), so
    tests never see each other's rows and need no cleanup order.
    """
    base = os.environ.get("TIMEBANK_TEST_PG_URL")
    if not base:
        return None
    name = f"tb_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


@contextmanager
def live_server(db_url: str) -> Iterator[LiveServer]:
    engine = make_server_engine(db_url)
    init_schema(engine)
    with Session(engine) as session, session.begin():
        token = ensure_meta(session)
    app = create_app(engine=engine)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", engine, token, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def drop_pg_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    admin = create_engine(normalize_url(base + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
