"""Serial ID card reader: one thread that owns the port and runs the polling loop.

The thread opens the port by pyserial URL (``/dev/ttyUSB0``, ``hwgrep://VID:PID``,
``spy://...``, a pty path), checks the SAM, then polls find -> select -> read. It never
raises into the kiosk: port loss becomes ``DISCONNECTED`` and a reconnect loop with backoff,
a dead SAM becomes ``FAULT``, and card problems go to ``on_error`` once per placement.

Deduplication is by presence, not by content: after a card is handled, "card found" polls
are ignored until the reader has said "no card" ``absent_polls`` times in a row. A second
event for the same card therefore needs it to be lifted and placed again, and one flaky
"no card" answer while it lies still does not cause a repeat read.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import serial

from devices.base import DeviceState
from devices.idcard import protocol as p
from devices.idcard.base import READY_MESSAGE, CardHandler, ErrorHandler, IdCardReader
from devices.idcard.card import IdCard, decode_text
from devices.idcard.errors import (
    CardReadError,
    IdCardError,
    NoCard,
    ReaderTimeout,
    SamFault,
    UnsupportedCard,
)

log = logging.getLogger(__name__)

try:
    import termios

    _PORT_ERRORS: tuple[type[BaseException], ...] = (
        serial.SerialException,
        OSError,
        termios.error,
    )
except ImportError:  # pragma: no cover - Windows
    _PORT_ERRORS = (serial.SerialException, OSError)

_OPEN_ERRORS: tuple[type[BaseException], ...] = (*_PORT_ERRORS, ValueError)  # ValueError: bad URL
_READ_SLICE = 0.05  # port read timeout: how quickly the thread notices stop()


class _PortLost(Exception):
    """The port raised: unplugged adapter, closed pty, vanished device node."""


class _Stopping(Exception):
    pass


class SerialIdCardReader(IdCardReader):
    def __init__(
        self,
        url: str,
        *,
        on_card: CardHandler | None = None,
        on_error: ErrorHandler | None = None,
        baudrate: int = 115200,
        poll_interval: float = 0.3,
        command_timeout: float = 0.5,
        read_timeout: float = 3.0,
        max_attempts: int = 3,
        absent_polls: int = 2,
        reconnect_min: float = 0.5,
        reconnect_max: float = 5.0,
    ) -> None:
        """``poll_interval`` below 0.3 s is for simulators only (vendor manual: > 300 ms)."""
        super().__init__(url, on_card=on_card, on_error=on_error)
        self.baudrate = baudrate
        self.poll_interval = poll_interval
        self.command_timeout = command_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max_attempts
        self.absent_polls = absent_polls
        self.reconnect_min = reconnect_min
        self.reconnect_max = reconnect_max
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._parser = p.FrameParser()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._set_status(DeviceState.CONNECTING, "opening port")
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)
        self._set_status(DeviceState.STOPPED)

    # ------------------------------------------------------------------ connection loop

    def _run(self) -> None:
        delay = self.reconnect_min
        while not self._stop.is_set():
            try:
                port = serial.serial_for_url(
                    self.url, baudrate=self.baudrate, timeout=_READ_SLICE, write_timeout=1.0
                )
            except _OPEN_ERRORS as exc:
                self._set_status(
                    DeviceState.DISCONNECTED, f"cannot open port: {exc}", "身份证阅读器未连接"
                )
                self._stop.wait(delay)
                delay = min(delay * 2, self.reconnect_max)
                continue
            delay = self.reconnect_min
            log.info("id card reader port open: %s", self.url)
            try:
                self._session(port)
            except _PortLost as exc:
                log.warning("id card reader port lost: %s", exc)
                self._set_status(
                    DeviceState.DISCONNECTED, f"port lost: {exc}", "身份证阅读器已断开，正在重连"
                )
                self._stop.wait(delay)
            except _Stopping:
                pass
            except Exception as exc:  # a driver bug must not end reading for the whole day
                log.exception("id card reader session failed")
                self._set_status(
                    DeviceState.FAULT, f"driver error: {type(exc).__name__}", "身份证阅读器故障"
                )
                self._stop.wait(self.reconnect_max)
            finally:
                try:
                    port.close()
                except _PORT_ERRORS:
                    pass

    def _session(self, port: Any) -> None:
        self._set_status(DeviceState.CONNECTING, "checking SAM")
        self._check_sam(port)
        held = False  # the card on the reader has been handled; wait for it to leave
        absent = 0
        failures = 0
        while not self._stop.is_set():
            try:
                present = p.check_find(self._transact(port, p.FIND_CARD, self.command_timeout))
            except SamFault as exc:
                self._set_status(DeviceState.FAULT, exc.detail, exc.message)
                self._pause(max(self.poll_interval, 1.0))
                self._check_sam(port)
                continue
            except UnsupportedCard as exc:  # e.g. a bank card: tell the resident once
                failures = absent = 0
                if not held:
                    self._emit_error(exc)
                    held = True
                self._pause(self.poll_interval)
                continue
            except IdCardError as exc:
                failures += 1
                if failures >= self.max_attempts or not exc.retryable:
                    what = "reader not answering" if exc.retryable else "reader refused find"
                    self._set_status(DeviceState.FAULT, f"{what}: {exc.detail}", exc.message)
                self._pause(self.poll_interval)
                continue
            failures = 0
            self._set_status(DeviceState.READY, "", READY_MESSAGE)
            if not present:
                absent += 1
                if held and absent >= self.absent_polls:
                    held = False
                    log.debug("card removed")
                self._pause(self.poll_interval)
                continue
            absent = 0
            if not held:
                held = self._handle_card(port)
            self._pause(self.poll_interval)

    def _check_sam(self, port: Any) -> None:
        """Until the module answers SAM status: 90 (or any non-fault reply) means usable."""
        while True:
            try:
                reply = self._transact(port, p.SAM_STATUS, self.command_timeout)
                if reply.sw3 in (0x60, 0x66):
                    raise p.error_for(reply.sw3)
            except IdCardError as exc:
                self._set_status(DeviceState.FAULT, f"SAM check: {exc.detail}", exc.message)
                self._pause(max(self.poll_interval, 1.0))
                continue
            self._set_status(DeviceState.READY, "", READY_MESSAGE)
            return

    def _pause(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise _Stopping

    # ------------------------------------------------------------------ one card

    def _handle_card(self, port: Any) -> bool:
        """Read the card that was just found; returns whether it should count as handled."""
        self._set_status(DeviceState.BUSY, "reading card", "正在读卡，请勿移动证件")
        try:
            card = self._read_card(port)
        except SamFault as exc:
            self._set_status(DeviceState.FAULT, exc.detail, exc.message)
            return False
        except IdCardError as exc:
            self._emit_error(exc)
            return True
        finally:
            if self.status().state is DeviceState.BUSY:
                self._set_status(DeviceState.READY, "", READY_MESSAGE)
        if card is None:
            return False
        self._emit_card(card)
        return True

    def _read_card(self, port: Any) -> IdCard | None:
        """Select and read with retries. Returns None when the card left before a good read.

        Retried: checksum errors, timeouts, select/read/auth failures, malformed replies.
        Each retry starts again at find, because after a failed read the module expects a
        fresh find + select (device-protocols.md 1.5, vendor notes).
        """
        last: IdCardError | None = None
        for attempt in range(self.max_attempts):
            try:
                if attempt and not p.check_find(
                    self._transact(port, p.FIND_CARD, self.command_timeout)
                ):
                    break
                p.check_select(self._transact(port, p.SELECT_CARD, self.command_timeout))
                reply = p.expect(self._transact(port, p.READ_BASE, self.read_timeout), 0x90)
                return decode_text(p.split_base_info(reply.data))
            except NoCard:
                return None  # lifted during the read: nothing to report, the UI still waits
            except IdCardError as exc:
                if not exc.retryable:
                    raise
                log.info("card read attempt %d failed: %s", attempt + 1, exc.detail)
                last = exc
        if last is None:
            return None
        if isinstance(last, CardReadError | ReaderTimeout):
            raise last
        raise CardReadError(detail=f"giving up after {self.max_attempts} attempts: {last.detail}")

    # ------------------------------------------------------------------ one command

    def _transact(self, port: Any, op: tuple[int, int], timeout: float) -> p.Response:
        """Send one command and wait for the first complete frame back.

        Input is flushed first: a reply that arrived after an earlier timeout must not be
        taken for the answer to this command.
        """
        try:
            port.reset_input_buffer()
            self._parser.reset()
            port.write(p.build_command(*op))
            deadline = time.monotonic() + timeout
            while True:
                chunk = port.read(max(self._parser.missing(), port.in_waiting))
                if chunk:
                    frames = self._parser.feed(chunk)
                    if frames:
                        return p.parse_response(frames[0])
                if self._stop.is_set():
                    raise _Stopping
                if time.monotonic() >= deadline:
                    raise ReaderTimeout(detail=f"no reply to {op[0]:02X} {op[1]:02X}")
        except _PORT_ERRORS as exc:
            raise _PortLost(str(exc) or type(exc).__name__) from exc
