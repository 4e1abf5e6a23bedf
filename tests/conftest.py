from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.services import Services
from kiosk.store.opening import open_store
from kiosk.store.uow import Store
from tests.factories import World, at, make_world


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at(2, 9, 0))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: FixedClock) -> Iterator[Store]:
    st = open_store(data_dir, clock=clock)
    yield st
    st.close()


@pytest.fixture
def svc(store: Store) -> Services:
    return Services(store)


@pytest.fixture
def world(svc: Services) -> World:
    return make_world(svc)
