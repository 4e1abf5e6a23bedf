"""One owner for the kiosk's devices: configuration by URL, lifecycle, restarts, status.

Consumers never keep a device: they ask ``manager.printer()`` (``id_reader()``,
``scanner()``) each time they need one, because after a reconfiguration or a restart the
current device is a different object and the old one is stopped. Event consumers (cards,
scans) give their callbacks to ``default_factories`` once, so every device the manager
builds later is wired to them too.

Hot-plug is the drivers' job, by design: the ID card reader, the QR scanner and the ESC/POS
printer each reopen their port with growing delays while DISCONNECTED, because only the
driver can tell a vanished port from a quiet one and it already owns the port on its thread.
The manager adds the layer the drivers cannot: a device whose ``start()`` raised, or that is
STOPPED while the manager runs (a driver thread that ended), is restarted with backoff by a
watcher thread. A URL that cannot make a device at all (a typo) is reported as FAULT and
left alone until the configuration changes.

Families are imported lazily in ``default_factories``: the reader and scanner modules are
optional here, and importing this module must stay cheap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from devices.base import Device, DeviceState, DeviceStatus, StatusListener
from devices.printer.printer import ReceiptPrinter

if TYPE_CHECKING:
    from devices.idcard.base import CardHandler, ErrorHandler, IdCardReader
    from devices.qr.scanner import QrScanner, ScanListener

log = logging.getLogger(__name__)

FAMILIES = ("idcard", "qr", "printer")
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # seconds between restarts; the last repeats

Factory = Callable[[str], Device]

MSG_BAD_CONFIG = "设备配置有误，请联系安装人员。"
MSG_RESTARTING = "设备启动失败，正在重试……"


@dataclass(frozen=True)
class DeviceConfig:
    """One URL per family; ``dummy`` selects the Dummy that ships in the product."""

    idcard_url: str = "dummy"
    qr_url: str = "dummy"
    printer_url: str = "dummy"

    def url(self, family: str) -> str:
        urls = {"idcard": self.idcard_url, "qr": self.qr_url, "printer": self.printer_url}
        return urls[family]


def is_dummy(url: str) -> bool:
    url = url.strip()
    return url == "dummy" or url.startswith("dummy:") or url.startswith("dummy?")


def default_factories(
    *,
    on_card: CardHandler | None = None,
    on_id_error: ErrorHandler | None = None,
    on_scan: ScanListener | None = None,
) -> dict[str, Factory]:
    """The product's factories; the driver modules are imported when a device is made."""

    def idcard(url: str) -> Device:
        if is_dummy(url):
            from devices.idcard.base import DummyIdCardReader

            return DummyIdCardReader(url, on_card=on_card, on_error=on_id_error)
        from devices.idcard.reader import SerialIdCardReader

        return SerialIdCardReader(url, on_card=on_card, on_error=on_id_error)

    def qr(url: str) -> Device:
        if is_dummy(url):
            from devices.qr.scanner import DummyQrScanner

            return DummyQrScanner(url, on_scan)
        from devices.qr.scanner import SerialQrScanner

        return SerialQrScanner(url, on_scan)

    def printer(url: str) -> Device:
        from devices.printer.printer import open_printer

        return open_printer(url)

    return {"idcard": idcard, "qr": qr, "printer": printer}


@dataclass
class _Slot:
    family: str
    url: str
    device: Device | None = None
    problem: DeviceStatus | None = None  # set while the device is missing or not started
    attempts: int = 0
    retry_at: float = 0.0


class DeviceManager:
    def __init__(
        self,
        config: DeviceConfig,
        factories: Mapping[str, Factory] | None = None,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        watch_interval: float = 0.5,
    ) -> None:
        self._config = config
        self._factories = dict(factories) if factories is not None else default_factories()
        missing = set(FAMILIES) - set(self._factories)
        if missing:
            raise ValueError(f"no factory for {', '.join(sorted(missing))}")
        self.retry_delays = tuple(retry_delays) or RETRY_DELAYS
        self.watch_interval = watch_interval
        self._slots: dict[str, _Slot] = {}
        self._lock = threading.RLock()
        self._listeners: list[StatusListener] = []
        self._running = False
        self._watch_stop = threading.Event()
        self._watcher: threading.Thread | None = None

    # ------------------------------------------------------------------ consumers

    @property
    def config(self) -> DeviceConfig:
        return self._config

    @property
    def running(self) -> bool:
        return self._running

    def device(self, family: str) -> Device | None:
        """The current device of ``family``; None when there is none (stopped, bad URL)."""
        with self._lock:
            slot = self._slots.get(family)
            return slot.device if slot is not None else None

    def printer(self) -> ReceiptPrinter | None:
        device = self.device("printer")
        return device if isinstance(device, ReceiptPrinter) else None

    def id_reader(self) -> IdCardReader | None:
        device = self.device("idcard")
        return cast("IdCardReader", device) if device is not None else None

    def scanner(self) -> QrScanner | None:
        device = self.device("qr")
        return cast("QrScanner", device) if device is not None else None

    def status(self) -> dict[str, DeviceStatus]:
        """Every family, always: the device's own status, or why there is no device."""
        with self._lock:
            out: dict[str, DeviceStatus] = {}
            for family in FAMILIES:
                slot = self._slots.get(family)
                if slot is None:
                    out[family] = DeviceStatus(
                        family, DeviceState.STOPPED, self._config.url(family)
                    )
                elif slot.problem is not None or slot.device is None:
                    out[family] = slot.problem or DeviceStatus(
                        family, DeviceState.STOPPED, slot.url
                    )
                else:
                    out[family] = slot.device.status()
            return out

    def add_status_listener(self, listener: StatusListener) -> None:
        """Status changes of the current devices only; runs on the device's thread."""
        self._listeners.append(listener)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
            for family in FAMILIES:
                self._install(family, self._config.url(family))
            self._watch_stop.clear()
            self._watcher = threading.Thread(target=self._watch, name="device-manager", daemon=True)
            self._watcher.start()

    def stop(self) -> None:
        with self._lock:
            self._running = False
            self._watch_stop.set()
            old = [slot.device for slot in self._slots.values() if slot.device is not None]
            self._slots.clear()
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=5.0)
        for device in old:
            self._stop_device(device)

    def reconfigure(self, config: DeviceConfig) -> None:
        """Replace the devices whose URL changed; the others keep running untouched.

        The old device is stopped before the new one starts, because both may want the same
        port (only the baud rate changed). Blocks for as long as the old ``stop()`` takes.
        """
        with self._lock:
            previous, self._config = self._config, config
            if not self._running:
                return
            changed = [f for f in FAMILIES if config.url(f) != previous.url(f)]
            old: list[Device] = []
            for family in changed:
                slot = self._slots.pop(family, None)
                if slot is not None and slot.device is not None:
                    old.append(slot.device)
        for device in old:
            self._stop_device(device)
        with self._lock:
            if not self.running:  # stopped while the old devices were stopping
                return
            for family in changed:
                if family not in self._slots:
                    self._install(family, self._config.url(family))

    # ------------------------------------------------------------------ internals

    def _install(self, family: str, url: str) -> None:
        slot = _Slot(family, url)
        self._slots[family] = slot
        try:
            device = self._factories[family](url)
        except Exception as exc:
            log.warning("%s: cannot make a device for %r: %s", family, url, exc)
            self._problem(slot, DeviceState.FAULT, f"bad URL {url!r}: {exc}", MSG_BAD_CONFIG)
            return
        slot.device = device
        device.add_status_listener(lambda status: self._forward(slot, device, status))
        self._start(slot)

    def _start(self, slot: _Slot) -> None:
        device = slot.device
        assert device is not None
        try:
            device.start()
        except Exception as exc:
            delay = self._delay(slot)
            slot.retry_at = time.monotonic() + delay
            log.warning("%s: start failed (%s); retry in %g s", slot.family, exc, delay)
            self._problem(slot, DeviceState.FAULT, f"start failed: {exc}", MSG_RESTARTING)
            return
        slot.problem = None

    def _delay(self, slot: _Slot) -> float:
        delay = self.retry_delays[min(slot.attempts, len(self.retry_delays) - 1)]
        slot.attempts += 1
        return delay

    def _problem(self, slot: _Slot, state: DeviceState, detail: str, message: str) -> None:
        slot.problem = DeviceStatus(slot.family, state, slot.url, detail, message)
        self._notify(slot.problem)

    def _forward(self, slot: _Slot, device: Device, status: DeviceStatus) -> None:
        with self._lock:
            current = self._slots.get(slot.family) is slot and slot.device is device
            if current and status.state is DeviceState.READY:
                slot.attempts = 0
        if current:
            self._notify(status)

    def _notify(self, status: DeviceStatus) -> None:
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("device status listener failed")

    def _watch(self) -> None:
        while not self._watch_stop.wait(self.watch_interval):
            now = time.monotonic()
            with self._lock:
                for slot in list(self._slots.values()):
                    device = slot.device
                    if device is None or now < slot.retry_at:
                        continue  # no device (bad URL) or waiting for the next try
                    if slot.problem is not None:
                        log.info("%s: retrying start of %s", slot.family, slot.url)
                        self._start(slot)
                    elif device.status().state is DeviceState.STOPPED:
                        log.warning("%s: %s stopped on its own; restarting", slot.family, slot.url)
                        slot.retry_at = now + self._delay(slot)
                        self._start(slot)

    @staticmethod
    def _stop_device(device: Device) -> None:
        try:
            device.stop()
        except Exception:
            log.exception("stopping %s failed", device.url)
