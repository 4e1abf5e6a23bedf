"""Qt adapters for the core's plain-Python callbacks: devices and sync.

Drivers and the sync worker call back on their own threads. These bridges turn each call
into a Qt signal, which Qt queues to the GUI thread, so screens only ever see events on the
thread that may touch widgets (Electrum's ``qt_event_listener`` does the same).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from devices.base import DeviceStatus
from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError
from devices.qr.framing import ScanRecord
from sync.background import WorkerStatus


class DeviceBridge(QObject):
    """Card taps, card errors, scans and device health, delivered on the GUI thread."""

    card = Signal(object)  # IdCard
    card_error = Signal(object)  # IdCardError
    scan = Signal(object)  # ScanRecord
    status = Signal(object)  # DeviceStatus

    def on_card(self, card: IdCard) -> None:
        self.card.emit(card)

    def on_card_error(self, error: IdCardError) -> None:
        self.card_error.emit(error)

    def on_scan(self, record: ScanRecord) -> None:
        self.scan.emit(record)

    def on_status(self, status: DeviceStatus) -> None:
        self.status.emit(status)


class SyncBridge(QObject):
    """The sync worker's status reports, delivered on the GUI thread; the last is kept."""

    status = Signal(object)  # WorkerStatus

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last: WorkerStatus | None = None
        self.status.connect(self._keep)

    def on_status(self, status: WorkerStatus) -> None:
        self.status.emit(status)

    def _keep(self, status: Any) -> None:
        self.last = status
