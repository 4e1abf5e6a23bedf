"""The central server in-process on 127.0.0.1 and an OS-chosen port.

The kiosk's demo mode, the tests and the benchmarks all need a real server without any
setup. Running uvicorn on a thread inside the same process gives exactly the production
code path (HTTP, signing, the database) with port 0, so parallel runs never collide.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server.app import create_app
from server.db import make_server_engine
from server.setup import ensure_meta, init_schema


@dataclass
class EmbeddedServer:
    url: str
    engine: Engine
    admin_token: str | None  # only when this start created the deployment
    server: uvicorn.Server
    thread: threading.Thread

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


@contextmanager
def embedded_server(db_url: str, *, start_timeout: float = 10.0) -> Iterator[EmbeddedServer]:
    engine = make_server_engine(db_url)
    init_schema(engine)
    with Session(engine) as session, session.begin():
        token = ensure_meta(session)
    app = create_app(engine=engine)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="embedded-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            engine.dispose()
            raise RuntimeError("the embedded server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield EmbeddedServer(f"http://127.0.0.1:{port}", engine, token, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
