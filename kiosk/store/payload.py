"""Freezing records into outbox payloads: canonical JSON and its hash.

The same canonical form is hashed on the server, so "same id, same payload" can be told
from "same id, different payload" byte for byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
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


def _plain_leaf(value: Any) -> Any:
    """``json.dumps`` hook: the leaf types ``plain`` converts; anything else is an error.

    json walks dicts, lists and tuples itself and writes str/int/float/bool/None (and their
    subclasses, e.g. StrEnum) exactly as ``plain`` would leave them, so
    ``json.dumps(value, default=_plain_leaf)`` == ``json.dumps(plain(value))`` without
    first copying the whole payload.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date):  # datetime is a date too; both have isoformat()
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@functools.cache
def _column_keys(cls: type[Base]) -> tuple[str, ...]:
    """A mapped class's column attribute keys, in mapper order.

    Looked up once per class: walking the mapper on every outbox row was a measurable part
    of each write. Mappers are fixed once configured, so the answer never changes.
    """
    return tuple(attr.key for attr in inspect(cls).column_attrs)


@functools.cache
def _scalar_defaults(cls: type[Base]) -> tuple[tuple[str, Any], ...]:
    """(key, value) for each column of ``cls`` whose default is a plain scalar."""
    out = []
    for attr in inspect(cls).column_attrs:
        default = attr.columns[0].default
        if default is not None and getattr(default, "is_scalar", False):
            out.append((attr.key, default.arg))
    return tuple(out)


def record_dict(record: Base, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """All column values of a record, in plain JSON types."""
    return {
        key: plain(getattr(record, key)) for key in _column_keys(type(record)) if key not in exclude
    }


def apply_defaults(record: Base) -> None:
    """Fill unset columns with their scalar defaults now instead of at flush.

    Freezing a payload must not need a flush (a round trip per record); the values set
    here are the ones the INSERT will then write.
    """
    for key, value in _scalar_defaults(type(record)):
        if getattr(record, key) is None:
            setattr(record, key, value)


def canonical(payload: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 as is: the same text on every kiosk and the server."""
    return json.dumps(
        payload,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_plain_leaf,
    )


def payload_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
