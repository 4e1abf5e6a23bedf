"""QR scanner drivers: the interface the kiosk uses, a serial driver, and a Dummy.

The kiosk only ever sees ``ScanRecord`` values on the ``on_scan`` callback and a status, so
a scanner on RS-232, on USB-CDC, or none at all (the Dummy, used in the demo and by staff to
type a code when a scanner breaks) look the same. Callbacks run on the driver's thread.

``SerialQrScanner`` treats the scanner as output-only (host commands are vendor-specific)
and never gives up on the port: kiosks are left running for months and scanners get
unplugged by cleaners, so an open or read failure becomes a DISCONNECTED status and the
driver retries with a growing delay until the port comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from devices.base import Device, DeviceState
from devices.qr.framing import DEFAULT_IDLE_GAP, RecordFramer, RecordRejected, ScanRecord

log = logging.getLogger(__name__)

ScanListener = Callable[[ScanRecord], None]
PortOpener = Callable[..., Any]  # serial.serial_for_url, or a fake in tests

RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)  # seconds; the last one repeats
READ_TIMEOUT = 0.05  # seconds; bounds how late stop() and the idle flush can be

MSG_READY = "扫码器已就绪。"
MSG_CONNECTING = "正在连接扫码器……"
MSG_DISCONNECTED = "扫码器未连接，请检查连接线，接好后会自动恢复。"


class QrScanner(Device):
    """A source of scans. Subclasses call ``_emit`` for each record."""

    family = "qr"

    def __init__(self, url: str, on_scan: ScanListener | None = None) -> None:
        super().__init__(url)
        self.on_scan = on_scan

    def _emit(self, record: ScanRecord) -> None:
        # A failing consumer must not kill the reader thread and silence the scanner.
        if self.on_scan is None:
            return
        try:
            self.on_scan(record)
        except Exception:
            log.exception("on_scan callback failed")


class DummyQrScanner(QrScanner):
    """Ships in the product: the demo, staff "enter a code by hand", and UI tests use it."""

    def __init__(self, url: str = "dummy://qr", on_scan: ScanListener | None = None) -> None:
        super().__init__(url, on_scan)

    def start(self) -> None:
        self._set_status(DeviceState.READY, "dummy scanner", MSG_READY)

    def stop(self) -> None:
        self._set_status(DeviceState.STOPPED)

    def scan(self, text: str, symbology: str | None = "qr") -> None:
        """Deliver ``text`` as if scanned; ignored unless started, as a real port would be."""
        if self.status().state is not DeviceState.READY:
            log.info("dummy scan ignored: scanner is %s", self.status().state)
            return
        self._emit(ScanRecord(text, symbology))

    def unplug(self) -> None:
        self._set_status(DeviceState.DISCONNECTED, "dummy unplugged", MSG_DISCONNECTED)

    def replug(self) -> None:
        self.start()


class SerialQrScanner(QrScanner):
    """Reads a scanner through any pyserial URL (``/dev/ttyACM0``, ``socket://``, a pty)."""

    def __init__(
        self,
        url: str,
        on_scan: ScanListener | None = None,
        *,
        baudrate: int = 9600,
        idle_gap: float | None = DEFAULT_IDLE_GAP,
        reconnect_delays: Sequence[float] = RECONNECT_DELAYS,
        opener: PortOpener | None = None,
        on_reject: Callable[[RecordRejected], None] | None = None,
    ) -> None:
        super().__init__(url, on_scan)
        self.baudrate = baudrate
        self.reconnect_delays = tuple(reconnect_delays) or RECONNECT_DELAYS
        self._opener = opener
        self.framer = RecordFramer(idle_gap=idle_gap, on_reject=on_reject)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: Any = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._set_status(DeviceState.CONNECTING, f"opening {self.url}", MSG_CONNECTING)
        self._thread = threading.Thread(target=self._run, name=f"qr-{self.url}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._set_status(DeviceState.STOPPED)

    def _open(self) -> Any:
        opener = self._opener
        if opener is None:
            import serial

            opener = serial.serial_for_url
        return opener(self.url, baudrate=self.baudrate, timeout=READ_TIMEOUT)

    def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                self._port = self._open()
            except Exception as exc:  # SerialException, OSError, ValueError for a bad URL
                self._disconnected(f"cannot open {self.url}: {exc}")
                delay = self.reconnect_delays[min(attempt, len(self.reconnect_delays) - 1)]
                attempt += 1
                self._stopping.wait(delay)
                continue
            attempt = 0
            self.framer.reset()
            self._set_status(DeviceState.READY, f"open {self.url}", MSG_READY)
            try:
                self._pump(self._port)
            except Exception as exc:
                self._disconnected(f"read from {self.url} failed: {exc}")
            finally:
                self._close()

    def _disconnected(self, detail: str) -> None:
        if self.status().state is not DeviceState.DISCONNECTED:
            log.warning("QR scanner: %s", detail)
        self._set_status(DeviceState.DISCONNECTED, detail, MSG_DISCONNECTED)

    def _pump(self, port: Any) -> None:
        while not self._stopping.is_set():
            waiting = port.in_waiting
            data: bytes = port.read(waiting or 1)
            now = time.monotonic()
            for record in self.framer.feed(data, now):
                self._emit(record)

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing %s failed", self.url, exc_info=True)
