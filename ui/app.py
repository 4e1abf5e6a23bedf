"""Putting the kiosk together: Qt application, fonts, translations, context and window.

``KioskApp`` owns the long-lived parts (store, device manager, sync worker, operation
helper) and stops them in the right order; the CLI, the demo, the tests and the UI
benchmark all start the kiosk through it, so what is tested is what ships.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from devices.manager import DeviceConfig, DeviceManager, default_factories
from kiosk.clock import Clock, SystemClock
from kiosk.services import Services
from kiosk.services.identify import IdentifyService, load_verifier
from kiosk.store.uow import Store
from ui import i18n
from ui.bridge import DeviceBridge, SyncBridge
from ui.context import KioskContext, StationInfo, UiSettings
from ui.fonts import load_fonts
from ui.ops import Ops
from ui.speaker import Speaker, open_speaker
from ui.theme import measured_cap_ratio
from ui.tokens import SCREEN_H, SCREEN_W
from ui.wedge import WedgeFilter
from ui.window import KioskWindow

if TYPE_CHECKING:
    from sync.background import SyncWorker

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, offscreen when there is no display to draw on."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(argv or ["timebank-kiosk"])


GUI_SWITCH_INTERVAL_S = 0.001


@dataclass
class KioskParts:
    """What the kiosk runs on besides Qt; built by the CLI or by a test."""

    store: Store
    data_dir: Path
    devices: DeviceConfig = field(default_factory=DeviceConfig)
    settings: UiSettings = field(default_factory=UiSettings)
    clock: Clock = field(default_factory=SystemClock)
    speaker: Speaker | None = None
    station_name: str = ""


def station_name(services: Services) -> str:
    """This kiosk's station name, from the reference data it holds."""
    station_id = services.store.identity.station_id
    for station in services.reference.stations():
        if station.id == station_id:
            return station.name
    return ""


class GuiThreadGc(QObject):
    """Python's cyclic garbage collector, run only on the GUI thread, in small steps.

    Screens hold Qt objects in reference cycles (slots that capture ``self``). If the
    collector happens to run on the database or sync thread it finalises those wrappers
    there and Qt deletes widgets off the GUI thread, which crashes. Anki has the same
    problem and the same cure: automatic collection off, a timer collects on the GUI thread.

    A full collection walks every tracked object (about 170,000 once Qt, SQLAlchemy and the
    screens are loaded) and held the GUI thread for 100 ms or more. So ``freeze`` moves
    what exists once the kiosk is up into the permanent generation (it lives as long as
    the process anyway), the timer collects the young generation every second, and the
    whole unfrozen heap only every minute.
    """

    FULL_EVERY = 60

    def __init__(self, interval_ms: int = 1000) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect)
        self._was_enabled = gc.isenabled()
        self._ticks = 0

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def freeze(self) -> None:
        """Once the kiosk is built: its start-up objects are never garbage.

        No collection first: that would walk the whole start-up heap on the GUI thread
        just before the first paint, to free a one-off, bounded amount of garbage.
        """
        gc.freeze()

    def collect(self) -> None:
        self._ticks += 1
        gc.collect(2 if self._ticks % self.FULL_EVERY == 0 else 0)

    def stop(self) -> None:
        self.timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()


class KioskApp:
    def __init__(self, parts: KioskParts) -> None:
        self.parts = parts
        self.family = load_fonts()
        i18n.install(parts.settings.language)
        services = Services(parts.store)
        self.devices = DeviceBridge()
        self.sync = SyncBridge()
        self.gc = GuiThreadGc()
        self.gc.start()
        self.ops = Ops()
        self.manager = DeviceManager(
            parts.devices,
            default_factories(
                on_card=self.devices.on_card,
                on_id_error=self.devices.on_card_error,
                on_scan=self.devices.on_scan,
            ),
        )
        self.manager.add_status_listener(self.devices.on_status)
        speaker = parts.speaker or open_speaker(parts.settings.voice_enabled)
        speaker.set_language(parts.settings.voice_language)
        self.context = KioskContext(
            services=services,
            identify=IdentifyService(services.people, load_verifier(parts.data_dir, parts.clock)),
            ops=self.ops,
            devices=self.devices,
            sync=self.sync,
            speaker=speaker,
            clock=parts.clock,
            station=StationInfo(
                parts.store.identity.station_id, parts.station_name or station_name(services)
            ),
            data_dir=parts.data_dir,
            settings=parts.settings,
            manager=self.manager,
        )
        # Keyboard-wedge scanners type their codes; their bursts become scans.
        self.wedge = WedgeFilter(self.devices)
        self.window = KioskWindow(
            self.context, family=self.family, cap_ratio=measured_cap_ratio(self.family)
        )
        self.window.inputs.on_key = self.wedge.key_pressed
        self.window.resize(SCREEN_W, SCREEN_H)
        self._switch_interval = sys.getswitchinterval()

    def attach_sync(self, worker: SyncWorker) -> None:
        """Run sync in the background and show its status on screen."""
        worker.on_status = self.sync.on_status
        self.context.worker = worker

    def start(self, *, fullscreen: bool = True) -> None:
        self.manager.start()
        if self.context.worker is not None:
            self.context.worker.start()
        if fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        self.gc.freeze()
        # The GUI thread takes the interpreter lock for every Python slot and event filter;
        # with the sync thread busy in Python it waits up to the switch interval each time
        # (5 ms by default), and a screen change needs dozens of such turns.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)

    def stop(self) -> None:
        """Devices first (no new events), then sync, then pending database work."""
        self.manager.stop()
        self.window.inputs.on_key = None
        if self.context.worker is not None:
            self.context.worker.stop()
        self.ops.shutdown()
        self.context.speaker.stop()
        self.window.release()
        self.gc.stop()
        sys.setswitchinterval(self._switch_interval)
