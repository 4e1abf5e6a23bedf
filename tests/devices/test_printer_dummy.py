"""DummyPrinter: the shipped stand-in, with the same queue, deadlines and statuses."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future

import pytest

from devices.base import DeviceState, DeviceStatus
from devices.printer.dummy import DummyFault, DummyPrinter
from devices.printer.printer import PrintResult, open_printer
from devices.printer.status import (
    CoverOpen,
    PaperEnd,
    PrinterDisconnected,
    PrinterError,
    PrinterOffline,
    PrinterStopped,
    PrinterTimeout,
)

WAIT = 10.0


def failure(future: Future[PrintResult]) -> PrinterError:
    exc = future.exception(timeout=WAIT)
    assert isinstance(exc, PrinterError), exc
    return exc


@pytest.fixture
def dummy() -> Iterator[DummyPrinter]:
    printer = DummyPrinter(job_timeout=5.0)
    printer.start()
    yield printer
    printer.stop()


def test_jobs_are_recorded_in_output(dummy: DummyPrinter) -> None:
    first = dummy.print_job(b"\x1b@one").result(timeout=WAIT)
    dummy.print_job(b"two").result(timeout=WAIT)
    assert dummy.output == b"\x1b@onetwo"
    assert dummy.jobs == [b"\x1b@one", b"two"]
    assert first.bytes_sent == 5
    assert dummy.status().state is DeviceState.READY
    dummy.clear()
    assert dummy.output == b"" and dummy.jobs == []


@pytest.mark.parametrize(
    ("fault", "error", "state"),
    [
        (DummyFault.PAPER_END, PaperEnd, DeviceState.FAULT),
        (DummyFault.COVER_OPEN, CoverOpen, DeviceState.FAULT),
        (DummyFault.OFFLINE, PrinterOffline, DeviceState.FAULT),
        (DummyFault.UNPLUGGED, PrinterDisconnected, DeviceState.DISCONNECTED),
    ],
)
def test_faults_fail_jobs_and_show_in_status(
    dummy: DummyPrinter, fault: DummyFault, error: type[PrinterError], state: DeviceState
) -> None:
    seen: list[DeviceStatus] = []
    dummy.add_status_listener(seen.append)
    dummy.set_fault(fault)
    assert dummy.status().state is state  # reported at once, before any job
    assert isinstance(failure(dummy.print_job(b"lost")), error)
    assert dummy.output == b""
    dummy.set_fault(None)
    assert dummy.status().state is DeviceState.READY
    dummy.print_job(b"fine").result(timeout=WAIT)
    assert dummy.output == b"fine"
    assert [s.state for s in seen][:1] == [state]


def test_a_hung_printer_never_blocks_the_caller_and_drops_stale_jobs() -> None:
    printer = DummyPrinter(job_timeout=0.3)
    printer.start()
    try:
        printer.set_fault(DummyFault.HANG)
        stuck = printer.print_job(b"stuck")
        queued = printer.print_job(b"queued behind")
        assert not stuck.done() and not queued.done()  # submit returned; printer is hung
        assert isinstance(failure(stuck), PrinterTimeout)
        assert isinstance(failure(queued), PrinterTimeout)
        assert printer.status().state is DeviceState.FAULT
        printer.set_fault(None)  # printer switched back on
        printer.print_job(b"fresh").result(timeout=WAIT)
        assert printer.output == b"fresh"  # the timed-out jobs were never printed late
    finally:
        printer.stop()


def test_stop_fails_waiting_jobs_and_later_submits() -> None:
    printer = DummyPrinter()
    assert isinstance(failure(printer.print_job(b"early")), PrinterStopped)
    printer.start()
    printer.set_fault(DummyFault.HANG)
    pending = printer.print_job(b"x")
    printer.stop()
    assert isinstance(failure(pending), PrinterStopped)
    assert printer.status().state is DeviceState.STOPPED
    assert isinstance(failure(printer.print_job(b"late")), PrinterStopped)
    printer.set_fault(None)
    printer.start()  # a restart works
    printer.print_job(b"again").result(timeout=WAIT)
    printer.stop()
    assert printer.output == b"again"


def test_a_cancelled_job_is_not_printed(dummy: DummyPrinter) -> None:
    dummy.set_fault(DummyFault.HANG)
    first = dummy.print_job(b"first")
    second = dummy.print_job(b"second")
    assert second.cancel()
    dummy.set_fault(None)
    first.result(timeout=WAIT)
    dummy.print_job(b"third").result(timeout=WAIT)
    assert dummy.jobs == [b"first", b"third"]


def test_empty_jobs_are_a_programming_error(dummy: DummyPrinter) -> None:
    with pytest.raises(ValueError):
        dummy.print_job(b"")


def test_dummy_urls_make_a_dummy_with_the_urls_layout() -> None:
    printer = open_printer("dummy?width=48&cut=full")
    assert isinstance(printer, DummyPrinter)
    assert printer.layout.width == 48 and printer.layout.cut == "full"
    assert printer.family == "printer"
