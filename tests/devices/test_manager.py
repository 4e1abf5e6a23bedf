"""DeviceManager with hand-written devices and the real printer classes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest

from devices.base import Device, DeviceState, DeviceStatus
from devices.manager import DeviceConfig, DeviceManager, Factory, default_factories, is_dummy
from devices.printer.dummy import DummyPrinter
from devices.printer.printer import EscposPrinter, open_printer
from devices.printer.status import PrinterStopped

ROOT = Path(__file__).resolve().parents[2]
WAIT = 10.0


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.01)
    pytest.fail(f"never happened: {what}")


class FakeDevice(Device):
    """Starts READY unless told to fail its first ``fail_starts`` starts."""

    made: list[FakeDevice] = []

    def __init__(self, url: str, family: str, fail_starts: int = 0) -> None:
        self.family = family
        super().__init__(url)
        self.fail_starts = fail_starts
        self.starts = 0
        self.stops = 0
        FakeDevice.made.append(self)

    def start(self) -> None:
        self.starts += 1
        if self.starts <= self.fail_starts:
            raise OSError("port busy")
        self._set_status(DeviceState.READY, "fake ready")

    def stop(self) -> None:
        self.stops += 1
        self._set_status(DeviceState.STOPPED)

    def unplug(self) -> None:
        self._set_status(DeviceState.DISCONNECTED, "unplugged")


def factories(fail_starts: int = 0) -> dict[str, Factory]:
    def fake(family: str) -> Factory:
        return lambda url: FakeDevice(url, family, fail_starts if "flaky" in url else 0)

    return {"idcard": fake("idcard"), "qr": fake("qr"), "printer": open_printer}


@pytest.fixture
def managers() -> Iterator[list[DeviceManager]]:
    made: list[DeviceManager] = []
    yield made
    for m in made:
        m.stop()


def started(managers: list[DeviceManager], config: DeviceConfig, **kw: object) -> DeviceManager:
    manager = DeviceManager(config, factories(**kw), retry_delays=(0.02,), watch_interval=0.02)  # type: ignore[arg-type]
    managers.append(manager)
    manager.start()
    return manager


def test_statuses_of_all_families(managers: list[DeviceManager]) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://id", qr_url="fake://qr"))
    status = m.status()
    assert set(status) == {"idcard", "qr", "printer"}
    assert all(s.state is DeviceState.READY for s in status.values())
    assert status["printer"].url == "dummy"
    assert isinstance(m.printer(), DummyPrinter)


def test_before_start_everything_is_stopped() -> None:
    m = DeviceManager(DeviceConfig(), factories())
    assert {s.state for s in m.status().values()} == {DeviceState.STOPPED}
    assert m.printer() is None and m.id_reader() is None and m.scanner() is None


def test_reconfigure_replaces_only_the_changed_device(
    managers: list[DeviceManager], tmp_path: Path
) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://id", qr_url="fake://qr"))
    old_printer, reader = m.printer(), m.id_reader()
    assert isinstance(old_printer, DummyPrinter)
    out = tmp_path / "out.bin"
    m.reconfigure(
        DeviceConfig(idcard_url="fake://id", qr_url="fake://qr", printer_url=f"file://{out}")
    )
    new_printer = m.printer()
    assert isinstance(new_printer, EscposPrinter)
    assert m.id_reader() is reader  # unchanged URL, same running device
    assert old_printer.status().state is DeviceState.STOPPED
    # A consumer that kept the old printer gets a typed failure, never a hang.
    stale = old_printer.print_job(b"stale").exception(timeout=WAIT)
    assert isinstance(stale, PrinterStopped)
    new_printer.print_job(b"fresh").result(timeout=WAIT)
    assert out.read_bytes() == b"fresh"
    assert m.status()["printer"].url == f"file://{out}"


def test_each_call_returns_the_current_device(managers: list[DeviceManager]) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://a", qr_url="fake://qr"))
    first = m.device("idcard")
    assert cast(object, m.id_reader()) is first
    m.reconfigure(DeviceConfig(idcard_url="fake://b", qr_url="fake://qr"))
    second = m.device("idcard")
    assert second is not first and second is not None and second.url == "fake://b"
    assert isinstance(first, FakeDevice) and first.stops == 1


def test_a_bad_url_is_a_fault_until_reconfigured(managers: list[DeviceManager]) -> None:
    seen: list[DeviceStatus] = []
    m = DeviceManager(
        DeviceConfig(idcard_url="fake://id", qr_url="fake://qr", printer_url="usb://nothex"),
        factories(),
        watch_interval=0.02,
    )
    managers.append(m)
    m.add_status_listener(seen.append)
    m.start()
    status = m.status()["printer"]
    assert status.state is DeviceState.FAULT and "nothex" in status.detail
    assert "配置" in status.message
    assert m.printer() is None
    assert any(s.family == "printer" and s.state is DeviceState.FAULT for s in seen)
    m.reconfigure(DeviceConfig(idcard_url="fake://id", qr_url="fake://qr", printer_url="dummy"))
    assert m.status()["printer"].state is DeviceState.READY
    assert isinstance(m.printer(), DummyPrinter)


def test_a_device_whose_start_fails_is_retried(managers: list[DeviceManager]) -> None:
    m = started(
        managers, DeviceConfig(idcard_url="fake://flaky", qr_url="fake://qr"), fail_starts=2
    )
    reader = m.device("idcard")
    assert isinstance(reader, FakeDevice)
    wait_until(lambda: m.status()["idcard"].state is DeviceState.READY, "idcard started")
    assert reader.starts == 3
    assert cast(object, m.id_reader()) is reader


def test_a_device_stopped_behind_the_managers_back_is_restarted(
    managers: list[DeviceManager],
) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://id", qr_url="fake://qr"))
    scanner = m.device("qr")
    assert isinstance(scanner, FakeDevice)
    scanner.stop()
    wait_until(lambda: scanner.starts >= 2, "restart")
    wait_until(lambda: m.status()["qr"].state is DeviceState.READY, "ready again")


def test_disconnected_is_left_to_the_driver(managers: list[DeviceManager]) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://id", qr_url="fake://qr"))
    reader = m.device("idcard")
    assert isinstance(reader, FakeDevice)
    reader.unplug()
    assert m.status()["idcard"].state is DeviceState.DISCONNECTED
    time.sleep(0.1)  # several watcher ticks: none may restart a driver that is reconnecting
    assert reader.starts == 1 and reader.stops == 0


def test_listeners_hear_only_current_devices(managers: list[DeviceManager]) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://a", qr_url="fake://qr"))
    old = m.device("idcard")
    assert isinstance(old, FakeDevice)
    m.reconfigure(DeviceConfig(idcard_url="fake://b", qr_url="fake://qr"))
    seen: list[DeviceStatus] = []
    m.add_status_listener(seen.append)
    old.unplug()  # a late report from a replaced device
    new = m.device("idcard")
    assert isinstance(new, FakeDevice)
    new.unplug()
    heard = [(s.url, s.state) for s in seen if s.family == "idcard"]
    assert heard == [("fake://b", DeviceState.DISCONNECTED)]


def test_stop_stops_every_device(managers: list[DeviceManager]) -> None:
    m = started(managers, DeviceConfig(idcard_url="fake://id", qr_url="fake://qr"))
    devices = [m.id_reader(), m.scanner(), m.printer()]
    m.stop()
    assert all(d is not None and d.status().state is DeviceState.STOPPED for d in devices)
    assert m.printer() is None
    m.reconfigure(DeviceConfig(printer_url="dummy?width=48"))  # remembered for the next start
    assert m.config.printer_url == "dummy?width=48"


def test_missing_factory_is_refused() -> None:
    with pytest.raises(ValueError, match="printer"):
        DeviceManager(DeviceConfig(), {"idcard": open_printer, "qr": open_printer})


def test_is_dummy() -> None:
    assert is_dummy("dummy") and is_dummy("dummy://printer") and is_dummy(" dummy?width=48")
    assert not is_dummy("/dev/ttyUSB0") and not is_dummy("dummyish")


def test_default_factories_build_every_family_lazily() -> None:
    code = """
import json, sys
import devices.manager as m
before = sorted(n for n in sys.modules if n.startswith(("devices.idcard", "devices.qr", "serial", "escpos")))
f = m.default_factories()
out = {}
for fam, url in [("idcard", "dummy"), ("qr", "dummy"), ("printer", "dummy"),
                 ("idcard", "/dev/ttyUSB0"), ("qr", "/dev/ttyACM0"), ("printer", "/dev/ttyUSB1")]:
    out[fam + " " + url] = type(f[fam](url)).__name__
print(json.dumps({"before": before, "made": out}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == []
    assert result["made"] == {
        "idcard dummy": "DummyIdCardReader",
        "qr dummy": "DummyQrScanner",
        "printer dummy": "DummyPrinter",
        "idcard /dev/ttyUSB0": "SerialIdCardReader",
        "qr /dev/ttyACM0": "SerialQrScanner",
        "printer /dev/ttyUSB1": "EscposPrinter",
    }


def test_default_factories_wire_the_callbacks() -> None:
    scans: list[object] = []
    f = default_factories(on_scan=scans.append)
    scanner = f["qr"]("dummy")
    scanner.start()
    scanner.scan("TBN1:x")  # type: ignore[attr-defined]
    scanner.stop()
    assert len(scans) == 1
