"""A real kiosk for UI tests: temp SQLite store, Dummy devices, a recording speaker.

Screens run against the real services and the real operation helper; tests wait for the
helper to go idle instead of sleeping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from devices.idcard.base import DummyIdCardReader
from devices.idcard.card import resident_card
from devices.manager import DeviceConfig
from devices.qr.scanner import DummyQrScanner
from kiosk.clock import FixedClock
from kiosk.store.uow import Store
from tests.factories import World
from ui.app import KioskApp, KioskParts
from ui.context import UiSettings
from ui.speaker import SilentSpeaker


@pytest.fixture
def ui_settings() -> UiSettings:
    return UiSettings()


@pytest.fixture
def kiosk(
    qtbot: QtBot,
    store: Store,
    data_dir: Path,
    clock: FixedClock,
    world: World,
    ui_settings: UiSettings,
) -> Iterator[KioskApp]:
    parts = KioskParts(
        store=store,
        data_dir=data_dir,
        devices=DeviceConfig(),
        settings=ui_settings,
        clock=clock,
        speaker=SilentSpeaker(),
    )
    app = KioskApp(parts)
    app.start(fullscreen=False)
    qtbot.waitExposed(app.window)
    yield app
    app.stop()


def settle(qtbot: QtBot, kiosk: KioskApp) -> None:
    """Wait until every operation the screens started has called back."""
    qtbot.waitUntil(lambda: kiosk.ops.idle, timeout=20000)


def tap_card(kiosk: KioskApp, name: str, id_number: str) -> None:
    reader = kiosk.manager.id_reader()
    assert isinstance(reader, DummyIdCardReader)
    reader.present(resident_card(name, id_number))


def scan(kiosk: KioskApp, text: str) -> None:
    scanner = kiosk.manager.scanner()
    assert isinstance(scanner, DummyQrScanner)
    scanner.scan(text)
