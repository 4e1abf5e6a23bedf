"""Turning synced JSON payloads back into column values, by the column's declared type.

The inverse of ``kiosk.store.payload.record_dict``: the server uses it for pushed items, the
kiosk for pulled changes, so both sides read a payload the same way.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, Integer, LargeBinary, String, Text, Uuid, inspect
from sqlalchemy.orm import Mapper

from kiosk.clock import UTC
from kiosk.store.base import Base, UTCDateTime


class BadPayload(ValueError):
    """The payload does not fit the record's columns; the item is rejected, never a 500."""


def _convert(value: Any, col_type: Any, key: str) -> Any:
    if value is None:
        return None
    try:
        if isinstance(col_type, Uuid):
            return uuid.UUID(str(value))
        if isinstance(col_type, UTCDateTime):
            when = dt.datetime.fromisoformat(str(value))
            if when.tzinfo is None:
                raise BadPayload(f"{key}: datetime without zone")
            return when.astimezone(UTC)
        if isinstance(col_type, Date):
            return dt.date.fromisoformat(str(value))
        if isinstance(col_type, LargeBinary):
            return base64.b64decode(str(value), validate=True)
        if isinstance(col_type, Boolean):
            if not isinstance(value, bool):
                raise BadPayload(f"{key}: expected true/false")
            return value
        if isinstance(col_type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadPayload(f"{key}: expected an integer")
            return value
        if isinstance(col_type, String | Text):
            if not isinstance(value, str):
                raise BadPayload(f"{key}: expected text")
            limit = getattr(col_type, "length", None)
            if limit is not None and len(value) > limit:
                raise BadPayload(f"{key}: longer than {limit}")
            return value
    except (ValueError, binascii.Error) as exc:
        if isinstance(exc, BadPayload):
            raise
        raise BadPayload(f"{key}: {exc}") from exc
    return value


def columns_from_payload(
    model: type[Base], data: dict[str, Any], *, only_present: bool = False
) -> dict[str, Any]:
    """Column values for ``model`` from ``data``; unknown keys are refused, not ignored."""
    mapper: Mapper[Any] = inspect(model)
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
    unknown = set(data) - set(columns) - {"lines", "base_version"}
    if unknown:
        raise BadPayload(f"unknown fields: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, column in columns.items():
        if key not in data:
            if only_present:
                continue
            if not column.nullable and column.default is None and not column.primary_key:
                raise BadPayload(f"{key}: missing")
            continue
        value = _convert(data[key], column.type, key)
        if value is None and not column.nullable:
            raise BadPayload(f"{key}: must not be null")
        out[key] = value
    return out
