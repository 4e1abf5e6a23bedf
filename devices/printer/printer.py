"""Receipt printers as the kiosk sees them: submit bytes, get a future, never wait.

A check-in must never hang because the printer is off, out of paper or unplugged, so
``print_job`` only queues the bytes and returns a ``concurrent.futures.Future``. One worker
thread per printer owns the port and runs the jobs in order. Each job has a deadline; a
timer fails its future at the deadline even if the worker is stuck inside a write, so a
caller that waits on ``future.result()`` is bounded by the timeout it chose. A job whose
deadline passed while it was still queued is dropped, not printed late for the next resident.

The typed errors (``devices.printer.status``) both fail the future and set the status, so the
staff console and the failed job say the same thing.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from abc import abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

from devices.base import Device, DeviceState
from devices.printer.receipts import DEFAULT_LAYOUT, Layout
from devices.printer.status import (
    PrinterError,
    PrinterNotResponding,
    PrinterStopped,
    PrinterTimeout,
    RealtimeStatus,
    parse_status,
    status_request,
)
from devices.printer.transport import Transport, make_transport, parse_printer_url

log = logging.getLogger(__name__)

DEFAULT_JOB_TIMEOUT = 10.0
RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)  # seconds; the last one repeats

MSG_READY = "打印机就绪。"
MSG_NEAR_END = "打印纸快用完了，请及时更换纸卷。"
MSG_BUSY = "正在打印……"
MSG_CONNECTING = "正在连接打印机……"


@dataclass(frozen=True)
class PrintResult:
    job_id: int
    bytes_sent: int
    status: RealtimeStatus | None = None  # what the printer said after the job, if it can say


class PrintJob:
    """One submitted job. Its future is settled once: by the worker, the deadline timer or
    ``stop()``, whichever comes first; the others find it done and let go."""

    _ids = itertools.count(1)

    def __init__(self, data: bytes, timeout: float) -> None:
        self.id = next(PrintJob._ids)
        self.data = data
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.future: Future[PrintResult] = Future()
        self.started = False
        self.timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def begin(self) -> bool:
        """Called by the worker; False if the job expired or was cancelled while queued."""
        with self._lock:
            if self.future.done() or not self.future.set_running_or_notify_cancel():
                return False
            self.started = True
            return True

    def abandoned(self) -> bool:
        return self.future.done()

    def succeed(self, result: PrintResult) -> bool:
        with self._lock:
            return self._settle(lambda: self.future.set_result(result))

    def fail(self, error: PrinterError) -> bool:
        with self._lock:
            return self._settle(lambda: self.future.set_exception(error))

    def _settle(self, action: Callable[[], None]) -> bool:
        if self.future.done():
            return False
        try:
            action()
        except InvalidStateError:  # cancelled by the consumer a moment ago
            return False
        return True


class ReceiptPrinter(Device):
    """The worker, the queue and the deadlines; subclasses only move bytes in ``_send``."""

    family = "printer"

    def __init__(
        self, url: str, *, layout: Layout = DEFAULT_LAYOUT, job_timeout: float = DEFAULT_JOB_TIMEOUT
    ) -> None:
        super().__init__(url)
        self.layout = layout  # receipts for this printer are built with this paper width/cut
        self.job_timeout = job_timeout
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._queue: queue.Queue[PrintJob | None] = queue.Queue()
        self._jobs: set[PrintJob] = set()
        self._jobs_lock = threading.Lock()
        self._lifecycle = threading.Lock()
        self._running = False

    # ------------------------------------------------------------------ public

    def print_job(self, data: bytes, *, timeout: float | None = None) -> Future[PrintResult]:
        """Queue ``data`` and return at once. The future fails with a ``PrinterError``
        (``PrinterTimeout`` after ``timeout`` seconds, default ``job_timeout``).

        Done-callbacks run on the printer's worker or timer thread; the UI hops to its own
        thread, as with status listeners."""
        if not data:
            raise ValueError("empty print job")
        job = PrintJob(bytes(data), self.job_timeout if timeout is None else timeout)
        with self._jobs_lock:
            if not self._running:
                job.fail(PrinterStopped("printer is not started"))
                return job.future
            self._jobs.add(job)
        job.timer = threading.Timer(job.timeout, self._expire, args=(job,))
        job.timer.daemon = True
        job.future.add_done_callback(lambda _: self._forget(job))
        job.timer.start()
        self._queue.put(job)
        return job.future

    def start(self) -> None:
        with self._lifecycle:
            if self._running:
                return
            old = self._thread
            if old is not None and old.is_alive():
                old.join(timeout=1.0)  # a worker stuck in a write from before the last stop()
            self._stopping = threading.Event()
            self._queue = queue.Queue()
            self._set_status(DeviceState.CONNECTING, f"opening {self.url}", MSG_CONNECTING)
            self._thread = threading.Thread(
                target=self._run,
                args=(self._queue, self._stopping),
                name=f"printer-{self.url}",
                daemon=True,
            )
            with self._jobs_lock:
                self._running = True
            self._thread.start()

    def stop(self) -> None:
        with self._lifecycle:
            with self._jobs_lock:
                self._running = False
                pending = list(self._jobs)
            self._stopping.set()
            self._queue.put(None)
            self._wake()
            for job in pending:
                job.fail(PrinterStopped(f"printer stopped before job {job.id} finished"))
            thread = self._thread
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=3.0)
                if thread.is_alive():
                    log.warning("printer worker for %s did not stop in time", self.url)
            self._set_status(DeviceState.STOPPED)

    # ------------------------------------------------------------------ for subclasses

    @abstractmethod
    def _send(self, job: PrintJob) -> PrintResult:
        """Print ``job.data`` before ``job.deadline``; raise a ``PrinterError`` otherwise."""

    def _on_start(self) -> None:
        self._ready(None)

    def _on_idle(self) -> None:
        """Between jobs, about every ``_tick()`` seconds: poll status, reconnect."""

    def _on_stop(self) -> None:
        """On the worker thread as it exits: close the port."""

    def _tick(self) -> float:
        return 1.0

    def _wake(self) -> None:
        """Unblock a ``_send`` that waits on something other than the port (Dummy)."""

    def _ready(self, status: RealtimeStatus | None) -> None:
        if not self._running:
            return  # a worker finishing after stop() must not overwrite STOPPED
        if status is not None and status.paper_near_end:
            self._set_status(DeviceState.READY, "paper near end", MSG_NEAR_END)
        else:
            self._set_status(DeviceState.READY, "", MSG_READY)

    def _report(self, error: PrinterError) -> None:
        if self._running and not isinstance(error, PrinterStopped):
            self._set_status(error.state, error.detail, error.message)

    # ------------------------------------------------------------------ worker

    def _run(self, jobs: queue.Queue[PrintJob | None], stopping: threading.Event) -> None:
        self._guard(self._on_start)
        while not stopping.is_set():
            try:
                job = jobs.get(timeout=max(self._tick(), 0.01))
            except queue.Empty:
                self._guard(self._on_idle)
                continue
            if job is None or stopping.is_set() or not job.begin():
                continue  # a job that expired while queued is never printed late
            self._set_status(DeviceState.BUSY, f"printing job {job.id}", MSG_BUSY)
            try:
                result = self._send(job)
            except PrinterError as exc:
                log.warning("print job %d failed: %s", job.id, exc.detail)
                if job.fail(exc) or not isinstance(exc, PrinterTimeout):
                    self._report(exc)  # an abandoned job's timeout was reported by the timer
            except Exception as exc:  # a driver bug must not end printing for the day
                log.exception("print job %d crashed", job.id)
                error = PrinterError(f"driver error: {type(exc).__name__}: {exc}")
                job.fail(error)
                self._report(error)
            else:
                job.succeed(result)
                self._ready(result.status)
        self._guard(self._on_stop)

    def _guard(self, hook: Callable[[], None]) -> None:
        try:
            hook()
        except PrinterError as exc:
            self._report(exc)
        except Exception as exc:
            log.exception("printer %s: %s failed", self.url, hook.__name__)
            self._report(PrinterError(f"driver error: {type(exc).__name__}: {exc}"))

    def _expire(self, job: PrintJob) -> None:
        error = PrinterTimeout(f"job {job.id} did not finish within {job.timeout:g} s")
        if job.fail(error) and job.started:
            self._report(error)  # the worker is stuck on the printer, not just busy

    def _forget(self, job: PrintJob) -> None:
        if job.timer is not None:
            job.timer.cancel()
        with self._jobs_lock:
            self._jobs.discard(job)


class EscposPrinter(ReceiptPrinter):
    """An ESC/POS printer behind a URL (see ``devices.printer.transport``).

    Hot-plug is handled here, not by the device manager: the worker keeps the port open,
    polls ``DLE EOT`` between jobs where the link is two-way, and after a disconnect reopens
    the port with growing delays. A job always tries to connect at once, whatever the delay.

    Status is asked before each job (a job for an empty printer fails at once instead of
    vanishing into its buffer) and after it. The reply to the after-request comes only once
    every job byte has left the port, so it doubles as a drain bounded by the job deadline.
    Write-only links (``file://``, USB without ``status=1``) cannot be asked, so a lost
    printer there shows only when the next job fails.
    """

    def __init__(
        self,
        url: str,
        *,
        job_timeout: float = DEFAULT_JOB_TIMEOUT,
        status_timeout: float = 0.5,
        poll_interval: float = 5.0,
        connect_timeout: float = 3.0,
        reconnect_delays: Sequence[float] = RECONNECT_DELAYS,
    ) -> None:
        self.target = parse_printer_url(url)
        if self.target.kind == "dummy":
            raise ValueError("dummy printer URLs are served by DummyPrinter (see open_printer)")
        super().__init__(url, layout=self.target.layout, job_timeout=job_timeout)
        self.status_timeout = status_timeout
        self.poll_interval = poll_interval
        self.connect_timeout = connect_timeout
        self.reconnect_delays = tuple(reconnect_delays) or RECONNECT_DELAYS
        self._transport: Transport | None = None
        self._attempt = 0
        self._retry_at = 0.0
        self._polled_at = 0.0

    def _connect(self) -> Transport:
        if self._transport is None:
            transport = make_transport(self.target, connect_timeout=self.connect_timeout)
            transport.open()
            self._transport = transport
            log.info("printer port open: %s", self.url)
        return self._transport

    def _disconnect(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()

    def _check(self, transport: Transport, timeout: float) -> RealtimeStatus:
        """``DLE EOT 1``; then 2 (and 3) only when offline, and 4 for the paper sensor."""
        first = transport.query(status_request(1), timeout)
        self._polled_at = time.monotonic()
        if not first:
            raise PrinterNotResponding(f"no reply to DLE EOT 1 within {timeout:g} s")
        status = parse_status(1, first[0])
        wanted = [2, 4] if status.offline else [4]
        while wanted:
            n = wanted.pop(0)
            reply = transport.query(status_request(n), self.status_timeout)
            if reply:
                part = parse_status(n, reply[0])
                status |= part
                if n == 2 and part.error:
                    wanted.insert(0, 3)
        return status

    def _try_connect(self) -> None:
        try:
            transport = self._connect()
            status = (
                self._check(transport, self.status_timeout) if transport.bidirectional else None
            )
        except PrinterError as exc:
            self._after_error(exc)
            self._report(exc)
            return
        self._attempt = 0
        problem = status.problem() if status is not None else None
        if problem is not None:
            self._report(problem)
        else:
            self._ready(status)

    def _after_error(self, error: PrinterError) -> None:
        """A lost or silent port is closed and retried later; a paper or cover fault keeps
        the port, so the next poll sees the fix. A half-sent job also drops the port: what is
        still queued in the OS for it must not reach the printer."""
        lost = error.state is DeviceState.DISCONNECTED or isinstance(error, PrinterTimeout)
        if lost or self._transport is None:  # None: not even opened (e.g. pyusb missing)
            self._disconnect()
            delay = self.reconnect_delays[min(self._attempt, len(self.reconnect_delays) - 1)]
            self._attempt += 1
            self._retry_at = time.monotonic() + delay

    def _on_start(self) -> None:
        self._try_connect()

    def _on_idle(self) -> None:
        now = time.monotonic()
        if self._transport is None:
            if now >= self._retry_at:
                self._try_connect()
        elif self._transport.bidirectional and now - self._polled_at >= self.poll_interval:
            self._try_connect()

    def _tick(self) -> float:
        if self._transport is None:
            return min(max(self._retry_at - time.monotonic(), 0.01), 1.0)
        return min(self.poll_interval, 1.0)

    def _on_stop(self) -> None:
        self._disconnect()

    def _send(self, job: PrintJob) -> PrintResult:
        try:
            transport = self._connect()
            if transport.bidirectional:
                left = job.deadline - time.monotonic()
                problem = self._check(
                    transport, min(self.status_timeout, max(left, 0.01))
                ).problem()
                if problem is not None:
                    raise problem
            sent = transport.write(job.data, job.deadline, job.abandoned)
            after = None
            if transport.bidirectional:
                after = self._check(transport, max(job.deadline - time.monotonic(), 0.01))
                problem = after.problem()
                if problem is not None:
                    raise type(problem)(f"{problem.detail} during job {job.id}", problem.message)
        except PrinterError as exc:
            self._after_error(exc)
            raise
        self._attempt = 0
        return PrintResult(job.id, sent, after)


def open_printer(url: str, *, job_timeout: float = DEFAULT_JOB_TIMEOUT) -> ReceiptPrinter:
    """The printer for a configured URL: ``dummy`` gives the Dummy, anything else ESC/POS.
    Raises ``ValueError`` for a malformed URL; an absent device is a status, not an error."""
    if parse_printer_url(url).kind == "dummy":
        from devices.printer.dummy import DummyPrinter

        return DummyPrinter(url, job_timeout=job_timeout)
    return EscposPrinter(url, job_timeout=job_timeout)
