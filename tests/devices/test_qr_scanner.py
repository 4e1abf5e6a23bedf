"""Scanner drivers: Dummy, reconnect logic with a fake port, end-to-end through a pty."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import serial

from devices.base import DeviceState, DeviceStatus
from devices.pty import PtyLink
from devices.qr.framing import RecordRejected, ScanRecord
from devices.qr.scanner import DummyQrScanner, QrScanner, SerialQrScanner
from devices.qr.simulator import QrScannerSimulator

CHINESE = "南沙区时间银行"
WAIT = 10.0  # generous upper bound; tests never assert how long anything took


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


class Recorder:
    """Collects scans and statuses from the driver thread."""

    def __init__(self, scanner: QrScanner) -> None:
        self.scans: queue.Queue[ScanRecord] = queue.Queue()
        self.states: list[DeviceState] = []
        self.statuses: list[DeviceStatus] = []
        scanner.on_scan = self.scans.put
        scanner.add_status_listener(self._on_status)

    def _on_status(self, status: DeviceStatus) -> None:
        self.statuses.append(status)
        self.states.append(status.state)

    def next_scan(self) -> ScanRecord:
        try:
            return self.scans.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail("no scan arrived")


# --- Dummy --------------------------------------------------------------------------------


def test_dummy_scanner_injects_scans_only_when_ready() -> None:
    dummy = DummyQrScanner()
    rec = Recorder(dummy)
    dummy.scan("ignored")
    dummy.start()
    dummy.scan("TBA1:42")
    dummy.scan(CHINESE, symbology=None)
    dummy.unplug()
    dummy.scan("lost")
    dummy.replug()
    dummy.scan("back")
    dummy.stop()
    dummy.stop()
    got = [rec.scans.get_nowait() for _ in range(rec.scans.qsize())]
    assert got == [ScanRecord("TBA1:42", "qr"), ScanRecord(CHINESE), ScanRecord("back", "qr")]
    assert rec.states == [
        DeviceState.READY,
        DeviceState.DISCONNECTED,
        DeviceState.READY,
        DeviceState.STOPPED,
    ]
    assert dummy.status().family == "qr"
    assert rec.statuses[1].message  # Chinese text for the staff console


def test_failing_consumer_does_not_break_the_scanner(caplog: pytest.LogCaptureFixture) -> None:
    dummy = DummyQrScanner()
    calls: list[str] = []

    def boom(record: ScanRecord) -> None:
        calls.append(record.data)
        raise RuntimeError("consumer bug")

    dummy.on_scan = boom
    dummy.start()
    dummy.scan("a")
    dummy.scan("b")
    assert calls == ["a", "b"]
    assert "on_scan callback failed" in caplog.text


# --- SerialQrScanner with a fake port -----------------------------------------------------


class FakePort:
    def __init__(self, chunks: list[bytes], fail_after: bool = True) -> None:
        self._chunks = list(chunks)
        self.fail_after = fail_after
        self.closed = False

    @property
    def in_waiting(self) -> int:
        return len(self._chunks[0]) if self._chunks else 0

    def read(self, size: int) -> bytes:
        if self._chunks:
            return self._chunks.pop(0)
        if self.fail_after:
            raise serial.SerialException("device disconnected")
        time.sleep(0.01)
        return b""

    def close(self) -> None:
        self.closed = True


class FakeOpener:
    """Fails the first ``failures`` opens, then hands out ports in turn."""

    def __init__(self, failures: int, ports: list[FakePort]) -> None:
        self.failures = failures
        self.ports = ports
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, url: str, **kwargs: Any) -> FakePort:
        self.calls.append((url, kwargs))
        if self.failures > 0:
            self.failures -= 1
            raise serial.SerialException(f"could not open port {url}")
        if not self.ports:
            raise serial.SerialException("gone for good")
        return self.ports.pop(0)


def test_reconnects_after_open_failures_and_read_failures() -> None:
    first = FakePort([b"]Q1one\r", b"two\r\n"])  # then the read fails: unplugged
    second = FakePort([b"thr", b"ee\n"], fail_after=False)
    opener = FakeOpener(failures=2, ports=[first, second])
    scanner = SerialQrScanner("fake://qr", opener=opener, reconnect_delays=(0.001,))
    rec = Recorder(scanner)
    scanner.start()
    try:
        assert [rec.next_scan() for _ in range(3)] == [
            ScanRecord("one", "qr"),
            ScanRecord("two"),
            ScanRecord("three"),
        ]
        wait_until(lambda: scanner.status().state is DeviceState.READY, "second READY")
    finally:
        scanner.stop()
    assert first.closed and second.closed
    assert rec.states == [
        DeviceState.CONNECTING,
        DeviceState.DISCONNECTED,
        DeviceState.READY,
        DeviceState.DISCONNECTED,
        DeviceState.READY,
        DeviceState.STOPPED,
    ]
    assert "device disconnected" in rec.statuses[3].detail
    assert len(opener.calls) == 4
    assert opener.calls[0] == ("fake://qr", {"baudrate": 9600, "timeout": 0.05})


def test_backoff_grows_and_stop_interrupts_it() -> None:
    opener = FakeOpener(failures=10**6, ports=[])
    waits: list[float] = []
    scanner = SerialQrScanner("fake://qr", opener=opener, reconnect_delays=(0.001, 0.002, 60.0))
    original_wait = scanner._stopping.wait

    def spy(timeout: float | None = None) -> bool:
        waits.append(timeout or 0.0)
        return original_wait(timeout)

    scanner._stopping.wait = spy  # type: ignore[method-assign]
    scanner.start()
    wait_until(lambda: len(waits) >= 3, "three reconnect waits")
    scanner.stop()  # must not sit out the 60 s delay
    assert waits[:3] == [0.001, 0.002, 60.0]
    assert scanner.status().state is DeviceState.STOPPED


def test_rejected_records_reach_the_listener() -> None:
    seen: list[RecordRejected] = []
    port = FakePort([b"\x00\x01\r", b"ok\r"], fail_after=False)
    scanner = SerialQrScanner("fake://qr", opener=FakeOpener(0, [port]), on_reject=seen.append)
    rec = Recorder(scanner)
    scanner.start()
    try:
        assert rec.next_scan() == ScanRecord("ok")
    finally:
        scanner.stop()
    assert [r.reason.value for r in seen] == ["binary"]


# --- end to end through a pty -------------------------------------------------------------


@pytest.fixture
def link_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "qr"
    yield path
    if path.is_symlink():
        path.unlink()


def test_serial_scanner_through_a_pty_with_every_framing(link_path: Path) -> None:
    with PtyLink(link_path) as link:
        sim = QrScannerSimulator(link)
        scanner = SerialQrScanner(str(link_path), idle_gap=0.05)
        rec = Recorder(scanner)
        scanner.start()
        try:
            wait_until(lambda: scanner.status().state is DeviceState.READY, "READY")
            sim.send("TBA1:cr")
            assert rec.next_scan() == ScanRecord("TBA1:cr")
            sim.terminator = b"\r\n"
            sim.aim = "]Q1"
            sim.send("TBN1:crlf")
            assert rec.next_scan() == ScanRecord("TBN1:crlf", "qr")
            sim.encoding = "gb18030"
            sim.terminator = b"\n"
            sim.send(CHINESE)
            assert rec.next_scan() == ScanRecord(CHINESE, "qr")
            sim.terminator = b""  # scanner set to "no terminator": the idle gap ends it
            sim.aim = None
            sim.encoding = "utf-8"
            sim.send("idle")
            assert rec.next_scan() == ScanRecord("idle")
        finally:
            scanner.stop()
    assert scanner.status().state is DeviceState.STOPPED


def test_scanner_that_disappears_and_returns(link_path: Path) -> None:
    scanner = SerialQrScanner(str(link_path), reconnect_delays=(0.02,))
    rec = Recorder(scanner)
    first = PtyLink(link_path)
    scanner.start()
    try:
        wait_until(lambda: scanner.status().state is DeviceState.READY, "first READY")
        QrScannerSimulator(first).send("before")
        assert rec.next_scan() == ScanRecord("before")

        first.close()  # unplugged: the port and its path vanish
        wait_until(lambda: scanner.status().state is DeviceState.DISCONNECTED, "DISCONNECTED")
        assert scanner.status().message

        with PtyLink(link_path) as second:  # plugged back in (a new tty behind the same path)
            wait_until(lambda: scanner.status().state is DeviceState.READY, "READY again")
            QrScannerSimulator(second).send("after")
            assert rec.next_scan() == ScanRecord("after")
    finally:
        scanner.stop()
        first.close()
    ready_again = rec.states.index(DeviceState.READY, rec.states.index(DeviceState.DISCONNECTED))
    assert rec.states[:2] == [DeviceState.CONNECTING, DeviceState.READY]
    assert ready_again > 2
    assert rec.states[-1] is DeviceState.STOPPED


def test_start_and_stop_are_idempotent(link_path: Path) -> None:
    scanner = SerialQrScanner(str(link_path), reconnect_delays=(0.01,))
    scanner.start()
    scanner.start()
    wait_until(lambda: scanner.status().state is DeviceState.DISCONNECTED, "DISCONNECTED")
    scanner.stop()
    scanner.stop()
    assert scanner.status().state is DeviceState.STOPPED
    assert not any(t.name.startswith("qr-") and t.is_alive() for t in threading.enumerate())
