"""The ID card reader as the kiosk sees it, and the dummy that ships for demo mode.

Consumers get two callbacks: ``on_card`` with a verified ``IdCard`` (once per placement)
and ``on_error`` with a typed ``IdCardError`` for a card that could not be read or did not
verify. Reader health goes through the status listeners of ``Device``. Callbacks run on the
driver's thread; a consumer that raises is logged and does not kill the driver.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.base import Device, DeviceState
from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError

log = logging.getLogger(__name__)

CardHandler = Callable[[IdCard], None]
ErrorHandler = Callable[[IdCardError], None]

READY_MESSAGE = "身份证阅读器就绪"


class IdCardReader(Device):
    family = "idcard"

    def __init__(
        self,
        url: str,
        *,
        on_card: CardHandler | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(url)
        self.on_card = on_card
        self.on_error = on_error

    def _emit_card(self, card: IdCard) -> None:
        log.info("id card read: %s", card)  # IdCard's repr is masked
        if self.on_card is None:
            return
        try:
            self.on_card(card)
        except Exception:
            log.exception("on_card handler failed")

    def _emit_error(self, error: IdCardError) -> None:
        log.warning("id card error: %s", error.detail)
        if self.on_error is None:
            return
        try:
            self.on_error(error)
        except Exception:
            log.exception("on_error handler failed")


class DummyIdCardReader(IdCardReader):
    """No hardware: demo mode and UI tests push cards and errors in by hand.

    Events are delivered synchronously on the caller's thread, so a UI test can assert
    right after ``present()`` without waiting.
    """

    def __init__(
        self,
        url: str = "dummy://idcard",
        *,
        on_card: CardHandler | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(url, on_card=on_card, on_error=on_error)

    def start(self) -> None:
        self._set_status(DeviceState.READY, "dummy reader", READY_MESSAGE)

    def stop(self) -> None:
        self._set_status(DeviceState.STOPPED)

    def present(self, card: IdCard) -> None:
        """As if ``card`` had been placed on a reader and read successfully."""
        self._emit_card(card)

    def present_error(self, error: IdCardError) -> None:
        """As if a card had been placed but could not be read or verified."""
        self._emit_error(error)

    def unplug(self) -> None:
        self._set_status(DeviceState.DISCONNECTED, "dummy reader unplugged", "身份证阅读器未连接")

    def plug(self) -> None:
        self.start()
