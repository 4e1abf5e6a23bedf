from __future__ import annotations

import random
import uuid

from kiosk.ids import seeded_uuid7, uuid7, uuid7_time_ms


def test_uuid7_is_version_7_and_strictly_increasing() -> None:
    ids = [uuid7(now_ms=1_700_000_000_000) for _ in range(5000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_uuid7_carries_its_time() -> None:
    assert uuid7_time_ms(uuid7(now_ms=1_800_000_000_123)) >= 1_800_000_000_123


def test_seeded_ids_repeat_for_the_same_seed() -> None:
    a = [seeded_uuid7(random.Random(7), 1_700_000_000_000 + i) for i in range(3)]
    b = [seeded_uuid7(random.Random(7), 1_700_000_000_000 + i) for i in range(3)]
    assert a == b
    assert a[0].version == 7
