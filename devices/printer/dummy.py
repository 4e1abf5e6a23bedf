"""The printer that ships in the product for kiosks without one, demos and UI tests."""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Any

from devices.printer.printer import DEFAULT_JOB_TIMEOUT, PrintJob, PrintResult, ReceiptPrinter
from devices.printer.receipts import Layout
from devices.printer.status import (
    CoverOpen,
    PaperEnd,
    PrinterDisconnected,
    PrinterError,
    PrinterOffline,
    PrinterStopped,
    PrinterTimeout,
)
from devices.printer.transport import parse_printer_url


class DummyFault(StrEnum):
    PAPER_END = "paper-end"
    COVER_OPEN = "cover-open"
    OFFLINE = "offline"
    UNPLUGGED = "unplugged"
    HANG = "hang"  # looks ready, never finishes a job: the silent dead printer


class DummyPrinter(ReceiptPrinter):
    """Ships in the product: demo mode, kiosks without a printer, UI tests.

    Jobs go to python-escpos's ``Dummy`` (``output`` is every printed byte, ``jobs`` each
    job) through the same worker, timeouts and statuses as a real printer, and
    ``set_fault`` makes it fail the way real ones do.
    """

    def __init__(
        self,
        url: str = "dummy://printer",
        *,
        layout: Layout | None = None,
        job_timeout: float = DEFAULT_JOB_TIMEOUT,
    ) -> None:
        from escpos.printer import Dummy

        if layout is None:
            layout = parse_printer_url(url).layout  # dummy?width=48 for 80 mm demo layouts
        super().__init__(url, layout=layout, job_timeout=job_timeout)
        self._sink: Any = Dummy()
        self.jobs: list[bytes] = []
        self._fault: DummyFault | None = None
        self._changed = threading.Condition()

    @property
    def output(self) -> bytes:
        with self._changed:
            return bytes(self._sink.output)

    @property
    def fault(self) -> DummyFault | None:
        return self._fault

    def clear(self) -> None:
        with self._changed:
            self._sink.clear()
            self.jobs.clear()

    def set_fault(self, fault: DummyFault | None) -> None:
        with self._changed:
            self._fault = fault
            self._changed.notify_all()
        if self._running:
            self._show()

    def _error(self) -> PrinterError | None:
        fault = self._fault
        if fault is DummyFault.PAPER_END:
            return PaperEnd("dummy: paper end")
        if fault is DummyFault.COVER_OPEN:
            return CoverOpen("dummy: cover open")
        if fault is DummyFault.OFFLINE:
            return PrinterOffline("dummy: offline")
        if fault is DummyFault.UNPLUGGED:
            return PrinterDisconnected("dummy: unplugged")
        return None

    def _show(self) -> None:
        error = self._error()
        if error is None:
            self._ready(None)
        else:
            self._report(error)

    def start(self) -> None:
        super().start()
        self._show()  # synchronous, like the other Dummies: a UI test can assert right away

    def _on_start(self) -> None:
        self._show()

    def _wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def _send(self, job: PrintJob) -> PrintResult:
        with self._changed:
            while self._fault is DummyFault.HANG and not self._stopping.is_set():
                self._changed.wait()
            if self._stopping.is_set():
                raise PrinterStopped(f"printer stopped during job {job.id}")
            if job.abandoned():
                raise PrinterTimeout(f"dummy: job {job.id} abandoned while the printer hung")
            error = self._error()
            if error is not None:
                raise error
            self._sink._raw(job.data)
            self.jobs.append(job.data)
        return PrintResult(job.id, len(job.data), None)
