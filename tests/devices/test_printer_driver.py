"""The printer driver over real transports: a pty (serial URL), a file, a TCP socket.

Each test waits on futures or polls with a generous deadline; nothing asserts how long
anything took. "The caller is never blocked" is shown where it is deterministic: the job
cannot have finished when ``print_job`` returns because the printer is held or hung.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.base import DeviceState, DeviceStatus
from devices.printer import receipts
from devices.printer.printer import EscposPrinter, PrintResult, open_printer
from devices.printer.simulator import PrinterSimulator
from devices.printer.status import (
    BadStatusByte,
    PaperEnd,
    PrinterDisconnected,
    PrinterError,
    PrinterNotResponding,
    PrinterStopped,
    PrinterTimeout,
)
from devices.printer.transport import parse_printer_url

WAIT = 10.0
FAST = {"status_timeout": 0.3, "poll_interval": 0.05, "reconnect_delays": (0.02, 0.05, 0.1)}


def wait_until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.01)
    pytest.fail(f"never happened: {what}")


def ticket() -> bytes:
    return receipts.need_ticket(
        masked_name="张*英",
        category="助老服务",
        wished_time="周六上午",
        station="测试服务站",
        qr_text="TBN1:0190f3a2-7c1e-7d2a-9b41-5e8f0c6a1d37",
        printed_at=dt.datetime(2026, 1, 2, 9, 30),
    )


def failure(future: object, timeout: float = WAIT) -> PrinterError:
    from concurrent.futures import Future

    assert isinstance(future, Future)
    exc = future.exception(timeout=timeout)
    assert isinstance(exc, PrinterError), exc
    return exc


@pytest.fixture
def sim() -> Iterator[PrinterSimulator]:
    with PrinterSimulator() as s:
        yield s


@pytest.fixture
def printers() -> Iterator[list[EscposPrinter]]:
    made: list[EscposPrinter] = []
    yield made
    for p in made:
        p.stop()


def started(printers: list[EscposPrinter], url: str, **kw: object) -> EscposPrinter:
    options: dict[str, object] = {**FAST, "job_timeout": 5.0, **kw}
    printer = EscposPrinter(url, **options)  # type: ignore[arg-type]
    printers.append(printer)
    printer.start()
    return printer


# ---------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "kind", "address", "status"),
    [
        ("serial:///dev/ttyUSB0?baudrate=9600", "serial", "/dev/ttyUSB0", True),
        ("/dev/pts/7", "serial", "/dev/pts/7", True),
        ("COM3", "serial", "COM3", True),
        ("hwgrep://1A86:7523", "serial", "hwgrep://1A86:7523", True),
        (
            "spy:///dev/ttyUSB0?file=x.log&baudrate=19200",
            "serial",
            "spy:///dev/ttyUSB0?file=x.log",
            True,
        ),
        ("usb://0416:5011", "usb", "0416:5011", False),
        ("usb://0416:5011?status=1", "usb", "0416:5011", True),
        ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50:9100", True),
        ("tcp://printer.local", "tcp", "printer.local", True),
        ("file:///tmp/x.bin", "file", "/tmp/x.bin", False),
        ("dummy", "dummy", "dummy", False),
    ],
)
def test_printer_urls(url: str, kind: str, address: str, status: bool) -> None:
    target = parse_printer_url(url)
    assert (target.kind, target.address, target.status) == (kind, address, status)


def test_url_options_set_layout_and_serial_settings() -> None:
    target = parse_printer_url("serial:///dev/ttyS0?baudrate=19200&width=48&cut=full&status=0")
    assert target.layout.width == 48 and target.layout.cut is receipts.Cut.FULL
    assert target.options == {"baudrate": "19200"} and not target.status


@pytest.mark.parametrize(
    "url",
    [
        "",
        "usb://nothex",
        "tcp://host:port",
        "file:///x?baud=9600",
        "/dev/ttyUSB0?baud=9600",
        "serial:///dev/x?cut=sideways",
        "serial:///dev/x?width=5",
        "file://",
    ],
)
def test_bad_urls_are_refused_up_front(url: str) -> None:
    with pytest.raises(ValueError):
        open_printer(url)


# ---------------------------------------------------------------------------- pty


def test_ticket_arrives_byte_exact_through_a_pty(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, f"serial://{sim.url}?baudrate=9600")
    job = ticket()
    result = printer.print_job(job).result(timeout=WAIT)
    assert isinstance(result, PrintResult)
    assert result.bytes_sent == len(job)
    assert sim.wait_for(len(job)) == job
    assert 1 in sim.requests and 4 in sim.requests  # asked before and after
    wait_until(lambda: printer.status().state is DeviceState.READY, "ready")


def test_a_job_bigger_than_the_pty_buffer_arrives_whole(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, sim.url)
    job = ticket() * 20 + b"x" * 100_000
    printer.print_job(job).result(timeout=WAIT)
    assert sim.wait_for(len(job)) == job


def test_jobs_print_in_submission_order(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, sim.url)
    futures = [printer.print_job(f"job {i}\n".encode()) for i in range(5)]
    for f in futures:
        f.result(timeout=WAIT)
    assert sim.wait_for(30) == b"".join(f"job {i}\n".encode() for i in range(5))


def test_paper_end_fails_the_job_before_any_byte_is_sent(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, sim.url)
    sim.set_condition("paper-end")
    error = failure(printer.print_job(ticket()))
    assert isinstance(error, PaperEnd)
    assert sim.data() == b""
    wait_until(lambda: printer.status().state is DeviceState.FAULT, "fault")
    assert "缺纸" in printer.status().message
    sim.set_condition("ok")  # staff change the roll; the idle poll notices
    wait_until(lambda: printer.status().state is DeviceState.READY, "ready again")
    printer.print_job(b"after\n").result(timeout=WAIT)
    assert sim.wait_for(6) == b"after\n"


def test_paper_running_out_during_the_job_is_reported(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, sim.url)
    sim.condition_after = (1000, "paper-end")
    error = failure(printer.print_job(b"y" * 20_000))
    assert isinstance(error, PaperEnd) and "during job" in error.detail


def test_near_end_prints_and_warns(sim: PrinterSimulator, printers: list[EscposPrinter]) -> None:
    printer = started(printers, sim.url)
    sim.set_condition("near-end")
    result = printer.print_job(b"ok\n").result(timeout=WAIT)
    assert result.status is not None and result.status.paper_near_end
    wait_until(lambda: printer.status().detail == "paper near end", "near-end warning")
    assert printer.status().state is DeviceState.READY


def test_cover_open_and_offline_are_faults(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, sim.url)
    sim.set_condition("cover-open")
    assert "cover" in failure(printer.print_job(b"x")).detail
    sim.set_condition("offline")
    assert "offline" in failure(printer.print_job(b"x")).detail
    assert printer.status().state is DeviceState.FAULT


def test_a_wrong_baud_rate_shows_as_garbage_status(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    sim.status[1] = 0xF0
    printer = started(printers, sim.url)
    assert isinstance(failure(printer.print_job(b"x")), BadStatusByte)
    assert printer.status().state is DeviceState.FAULT


def test_a_printer_that_never_answers_fails_fast_then_recovers(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    sim.silent = True
    printer = started(printers, sim.url, job_timeout=3.0)
    error = failure(printer.print_job(ticket()))
    assert isinstance(error, PrinterNotResponding)
    assert sim.data() == b""  # nothing was sent into a dead printer's buffer
    assert printer.status().state is DeviceState.DISCONNECTED
    sim.silent = False
    printer.print_job(b"back\n").result(timeout=WAIT)
    assert sim.wait_for(5) == b"back\n"


def test_a_printer_that_stops_reading_times_out_without_blocking_the_caller(
    sim: PrinterSimulator, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, f"{sim.url}?status=0", job_timeout=1.0)
    sim.hold()
    future = printer.print_job(b"z" * 2_000_000)  # far more than a pty buffers
    assert not future.done()  # returned while the worker is stuck writing
    error = failure(future)
    assert isinstance(error, PrinterTimeout)
    wait_until(lambda: printer.status().state is DeviceState.FAULT, "fault after timeout")
    sim.release()
    later = b"later job\n"
    printer.print_job(later).result(timeout=WAIT)
    wait_until(lambda: sim.data().endswith(later), "later job arrives")
    assert len(sim.data()) < 2_000_000  # the abandoned job was not finished


def test_pty_closed_mid_job_then_printer_comes_back(
    tmp_path: Path, printers: list[EscposPrinter]
) -> None:
    link = tmp_path / "printer"
    states: list[DeviceStatus] = []
    first = PrinterSimulator(link).start()
    try:
        first.close_after = 2000
        printer = started(printers, str(link))
        printer.add_status_listener(states.append)
        error = failure(printer.print_job(b"q" * 500_000))
        assert isinstance(error, PrinterDisconnected | PrinterTimeout)
        wait_until(lambda: printer.status().state is DeviceState.DISCONNECTED, "disconnected")
    finally:
        first.stop()
    assert isinstance(failure(printer.print_job(b"nobody home")), PrinterDisconnected)
    with PrinterSimulator(link) as second:
        wait_until(lambda: printer.status().state is DeviceState.READY, "reconnected by itself")
        job = ticket()
        printer.print_job(job).result(timeout=WAIT)
        assert second.wait_for(len(job)) == job
    assert DeviceState.DISCONNECTED in [s.state for s in states]


def test_a_missing_port_is_disconnected_and_jobs_fail_fast(
    tmp_path: Path, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, str(tmp_path / "no-such-tty"))
    wait_until(lambda: printer.status().state is DeviceState.DISCONNECTED, "disconnected")
    assert isinstance(failure(printer.print_job(b"x")), PrinterDisconnected)


# ---------------------------------------------------------------------------- file


def test_file_backend_appends_jobs_while_connected(
    tmp_path: Path, printers: list[EscposPrinter]
) -> None:
    out = tmp_path / "receipts.bin"
    printer = started(printers, f"file://{out}")
    one, two = ticket(), b"second\n"
    first = printer.print_job(one).result(timeout=WAIT)
    printer.print_job(two).result(timeout=WAIT)
    assert first.status is None  # a file cannot answer DLE EOT
    assert out.read_bytes() == one + two
    assert printer.status().state is DeviceState.READY


def test_file_backend_in_a_missing_directory_is_disconnected(
    tmp_path: Path, printers: list[EscposPrinter]
) -> None:
    printer = started(printers, f"file://{tmp_path}/missing/out.bin")
    assert isinstance(failure(printer.print_job(b"x")), PrinterDisconnected)
    assert printer.status().state is DeviceState.DISCONNECTED


# ---------------------------------------------------------------------------- tcp


class TcpPrinter:
    """A network printer on 127.0.0.1: records bytes, answers DLE EOT with "all fine"."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            pending = b""
            while chunk := conn.recv(4096):
                pending += chunk
                while (at := pending.find(b"\x10\x04")) >= 0 and len(pending) > at + 2:
                    self.received += pending[:at]
                    pending = pending[at + 3 :]
                    conn.sendall(b"\x12")
                if b"\x10" not in pending[-1:]:
                    self.received += pending
                    pending = b""

    def close(self) -> None:
        self.server.close()


def test_network_backend_prints_and_asks_status(printers: list[EscposPrinter]) -> None:
    server = TcpPrinter()
    try:
        printer = started(printers, f"tcp://127.0.0.1:{server.port}")
        job = ticket()
        printer.print_job(job).result(timeout=WAIT)
        wait_until(lambda: bytes(server.received) == job, "bytes over tcp")
    finally:
        server.close()


def test_network_printer_refusing_connections_is_disconnected(
    printers: list[EscposPrinter],
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    printer = started(printers, f"tcp://127.0.0.1:{port}")
    assert isinstance(failure(printer.print_job(b"x")), PrinterDisconnected)


# ---------------------------------------------------------------------------- usb, lifecycle


def test_usb_without_pyusb_is_a_clear_fault(printers: list[EscposPrinter]) -> None:
    pytest.importorskip("escpos")
    try:
        import usb  # type: ignore[import-not-found]  # noqa: F401

        pytest.skip("pyusb is installed here")
    except ImportError:
        pass
    printer = started(printers, "usb://0416:5011")
    error = failure(printer.print_job(b"x"))
    assert "pyusb" in error.detail and printer.status().state is DeviceState.FAULT


def test_jobs_on_a_stopped_printer_fail_at_once(sim: PrinterSimulator) -> None:
    printer = EscposPrinter(sim.url, **FAST)  # type: ignore[arg-type]
    assert isinstance(failure(printer.print_job(b"x")), PrinterStopped)
    printer.start()
    printer.print_job(b"x").result(timeout=WAIT)
    printer.stop()
    printer.stop()
    assert printer.status().state is DeviceState.STOPPED
    assert isinstance(failure(printer.print_job(b"y")), PrinterStopped)
