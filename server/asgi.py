"""ASGI entry for uvicorn workers: the database URL comes from ``TIMEBANK_SERVER_DB``."""

from __future__ import annotations

import os

from fastapi import FastAPI

from server.app import create_app


def create_from_env() -> FastAPI:
    return create_app(os.environ.get("TIMEBANK_SERVER_DB") or None)
