"""Freezing records into outbox payloads: canonical JSON and its hash.

The same canonical form is hashed on the server, so "same id, same payload" can be told
from "same id, different payload" byte for byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import inspect

from kiosk.store.base import Base


def plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def record_dict(record: Base, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """All column values of a record, in plain JSON types."""
    mapper = inspect(type(record))
    return {
        col.key: plain(getattr(record, col.key))
        for col in mapper.column_attrs
        if col.key not in exclude
    }


def apply_defaults(record: Base) -> None:
    """Fill unset columns with their scalar defaults now instead of at flush.

    Freezing a payload must not need a flush (a round trip per record); the values set
    here are the ones the INSERT will then write.
    """
    mapper = inspect(type(record))
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        default = column.default
        if default is None or getattr(record, attr.key) is not None:
            continue
        if getattr(default, "is_scalar", False):
            setattr(record, attr.key, default.arg)


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(plain(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
