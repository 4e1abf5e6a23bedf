"""What every device family shares: a status the staff console can show, and a lifecycle.

Drivers report to a callback they are given; they never open dialogs or touch Qt. The
callback runs on the driver's own thread; the UI layer hops to the GUI thread itself.
"""

from __future__ import annotations

import datetime as dt
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class DeviceState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    READY = "ready"
    BUSY = "busy"
    FAULT = "fault"  # present but not working (SAM fault, out of paper...)
    DISCONNECTED = "disconnected"  # port gone; the driver keeps trying to reconnect


@dataclass(frozen=True)
class DeviceStatus:
    family: str  # "idcard" / "qr" / "printer"
    state: DeviceState
    url: str
    detail: str = ""  # English, for logs and the installer
    message: str = ""  # plain Chinese, for the staff console
    since: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


StatusListener = Callable[[DeviceStatus], None]


class Device(ABC):
    """Lifecycle shared by all families; ``status()`` is cheap and thread-safe."""

    family: str = ""

    def __init__(self, url: str) -> None:
        self.url = url
        self._status_lock = threading.Lock()
        self._status = DeviceStatus(self.family, DeviceState.STOPPED, url)
        self._listeners: list[StatusListener] = []

    def add_status_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def status(self) -> DeviceStatus:
        with self._status_lock:
            return self._status

    def _set_status(self, state: DeviceState, detail: str = "", message: str = "") -> None:
        with self._status_lock:
            if self._status.state == state and self._status.detail == detail:
                return
            self._status = DeviceStatus(self.family, state, self.url, detail, message)
            status = self._status
        for listener in list(self._listeners):
            listener(status)

    @abstractmethod
    def start(self) -> None:
        """Open the device and begin work; must return quickly (work runs on a thread)."""

    @abstractmethod
    def stop(self) -> None:
        """Stop threads and close the port; safe to call twice."""
