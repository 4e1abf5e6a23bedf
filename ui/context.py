"""What every screen may use, handed down once instead of reached for globally.

Screens get the kiosk services (only through ``ops``), the device and sync bridges, the
speaker, the clock and the settings from this one object, so a test builds a context with
a temp store, Dummy devices and a ``SilentSpeaker`` and drives real screens with it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.services import Services
from kiosk.services.identify import IdentifyService
from ui.bridge import DeviceBridge, SyncBridge
from ui.ops import Ops
from ui.speaker import Speaker
from ui.tokens import MM_PER_PX

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from sync.background import SyncWorker


@dataclass(frozen=True)
class UiSettings:
    """Times in seconds; the TOML configuration (issue 6) fills these."""

    idle_s: float = 120.0  # member screens: warn after this long without a touch
    warn_s: float = 30.0  # then count down this long before going home
    staff_idle_s: float = 300.0  # the staff console locks after this long
    success_return_s: float = 20.0  # success screens go home after this, with a 留在此页
    mm_per_px: float = MM_PER_PX
    language: str = "zh"  # screen language: zh or en
    voice_language: str = "zh"  # 普通话 (zh) or 粤语 (yue)
    voice_enabled: bool = True
    # Where every session starts (and returns to after the idle reset): a canteen serving
    # many low-vision residents may start at 2x or in high contrast.
    text_scale: float = 1.0
    theme: str = "standard"
    staff_taps: int = 5  # taps on the station name within ``staff_tap_window_s``
    staff_tap_window_s: float = 3.0


@dataclass
class StationInfo:
    id: uuid.UUID | None
    name: str


@dataclass
class KioskContext:
    services: Services
    identify: IdentifyService
    ops: Ops
    devices: DeviceBridge
    sync: SyncBridge
    speaker: Speaker
    clock: Clock
    station: StationInfo
    data_dir: Path
    settings: UiSettings = field(default_factory=UiSettings)
    manager: DeviceManager | None = None
    worker: SyncWorker | None = None

    def now(self) -> dt.datetime:
        return self.clock.now()

    def notify_write(self) -> None:
        """Tell sync there is something new to push (debounced by the worker)."""
        if self.worker is not None:
            self.worker.notify_local_write()
