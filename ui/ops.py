"""The one way screens run work: database on one writer thread, devices and network on others.

Screens must never wait on SQLite, a serial port or the network on the GUI thread (a frozen
touchscreen looks broken to an elderly user, who then taps again). Anki's ``CollectionOp``
and ``QueryOp`` are the model: all database work goes through a single-worker executor, so
writes are serialised in the order screens asked for them and SQLite never sees two
writers from this process; device and network work runs on a small separate pool, so a
slow server never delays a check-in.

Results come back on the GUI thread through a queued signal. A screen that was destroyed
meanwhile (the idle reset rebuilds every screen) is skipped, so a late answer can never
write personal data into a fresh screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from kiosk.errors import TimebankError

log = logging.getLogger(__name__)

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]

GENERIC_ERROR = "出了点问题，请再试一次或找工作人员。"


def user_message(exc: BaseException) -> str:
    """The plain-Chinese sentence for a failure; never an exception's English text."""
    if isinstance(exc, TimebankError):
        return exc.message
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message and not message.isascii():
        return message
    return GENERIC_ERROR


class Ops(QObject):
    """Submits work off the GUI thread and calls back on it."""

    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None, *, io_workers: int = 4) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-db")
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="kiosk-io")
        self._pending = 0
        self._closed = False
        self.on_unhandled: Failed | None = None  # the window shows a generic error overlay
        self._deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        """True when no submitted work is waiting for its callback (tests wait on this)."""
        return self._pending == 0

    def db(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Database work, serialised with every other database operation of the kiosk."""
        self._submit(self._db, work, done, failed, owner)

    def io(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Device or network work, which may be slow and must not hold up the database."""
        self._submit(self._io, work, done, failed, owner)

    def shutdown(self) -> None:
        self._closed = True
        self._db.shutdown(wait=True, cancel_futures=True)
        self._io.shutdown(wait=True, cancel_futures=True)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        work: Callable[[], Any],
        done: Done | None,
        failed: Failed | None,
        owner: QObject | None,
    ) -> None:
        if self._closed:
            return
        self._pending += 1

        def job() -> None:
            try:
                outcome: tuple[bool, Any] = (True, work())
            except Exception as exc:
                if not isinstance(exc, TimebankError):
                    log.exception("operation failed")
                else:
                    log.info("operation refused: %s", exc.detail)
                outcome = (False, exc)
            self._deliver.emit(lambda: self._finish(outcome, done, failed, owner))

        pool.submit(job)

    def _run(self, callback: Callable[[], None]) -> None:
        callback()

    def _finish(
        self,
        outcome: tuple[bool, Any],
        done: Done | None,
        failed: Failed | None,
        owner: QObject | None,
    ) -> None:
        self._pending -= 1
        if owner is not None and not shiboken6.isValid(owner):
            return
        ok, value = outcome
        try:
            if ok:
                if done is not None:
                    done(value)
            elif failed is not None:
                failed(value)
            elif self.on_unhandled is not None:
                self.on_unhandled(value)
        except Exception:
            log.exception("result callback failed")
