"""Time-ordered record ids (UUIDv7, RFC 9562).

Records are created offline on many kiosks and keep their id on the central server, so ids
must be globally unique without coordination; time ordering keeps B-tree inserts local.
Python 3.11 has no ``uuid.uuid7``; this follows RFC 9562 section 6.2 method 1 (a 12-bit
counter in ``rand_a``) so ids made in one process are strictly increasing.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def _build(ms: int, rand_a: int, rand_b: int) -> uuid.UUID:
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (rand_a & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand_b & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    """A new UUIDv7; monotonic within this process even inside one millisecond."""
    global _last_ms, _counter
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        return _build(ms, _counter, int.from_bytes(os.urandom(8), "big"))


def seeded_uuid7(rng: random.Random, ms: int) -> uuid.UUID:
    """A UUIDv7 drawn from ``rng``: demo data is identical for the same seed on every machine."""
    return _build(ms, rng.getrandbits(12), rng.getrandbits(62))


def uuid7_time_ms(value: uuid.UUID) -> int:
    return value.int >> 80
