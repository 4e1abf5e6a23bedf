"""Typed failures of the ID card reader, one class per thing a caller would do differently.

The driver retries what can heal by itself (a garbled frame, a card moved during the read)
and surfaces the rest; ``retryable`` carries that decision so the polling loop does not
need its own table. Every error is a ``TimebankError``: ``message`` is plain Chinese for the
resident, ``detail`` is English for logs and never contains a name or an ID number.
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.errors import TimebankError


class IdCardError(TimebankError):
    """Base of everything the reader, the framing or the card decoder can refuse."""

    code = "idcard"
    retryable: ClassVar[bool] = False
    default_message: ClassVar[str] = "读卡失败，请将身份证重新放置在阅读器上。"

    def __init__(
        self, message: str | None = None, *, detail: str = "", sw3: int | None = None
    ) -> None:
        super().__init__(message or self.default_message, detail=detail or type(self).__name__)
        self.sw3 = sw3


class NoCard(IdCardError):
    """SW3 80: nothing on the reader. Normal during polling, an error only when asked to read."""

    default_message = "请将身份证放在阅读器上。"


class NoContent(IdCardError):
    """SW3 91: the card has no data for this item (no new address, no fingerprint)."""

    default_message = "证件中没有此项信息。"


class CardReadError(IdCardError):
    """The card was there but this attempt failed; moving the card is the usual cause."""

    retryable = True


class SelectFailed(CardReadError):
    """SW3 81."""


class ReadFailed(CardReadError):
    """SW3 41, and 3F (information length error)."""


class AuthFailed(CardReadError):
    """SW3 31/32/33/37/47: mutual authentication between card and SAM did not complete."""


class ReaderError(CardReadError):
    """SW3 24: the module's own "unrecognised error"."""


class ChecksumError(CardReadError):
    """A frame whose XOR checksum is wrong, in either direction (SW3 10 is the reader's side)."""


class ProtocolError(IdCardError):
    """A frame that is well delimited but says something impossible (bad SW1/SW2, bad length).

    Retryable: on a serial line this is almost always noise or a stale reply, not a bug.
    """

    retryable = True
    default_message = "身份证阅读器通讯异常，请重新放置身份证。"


class UnknownStatus(ProtocolError):
    """An SW3 code that is in no vendor table."""


class CommandRejected(IdCardError):
    """SW3 21/23: the module refuses the command itself; retrying the same bytes cannot help."""

    default_message = "身份证阅读器通讯异常，请联系工作人员。"


class UnsupportedCard(IdCardError):
    """SW3 40: a card the module cannot identify (not an ID card, or a damaged one)."""

    default_message = "无法识别此证件，请使用居民身份证、港澳台居民居住证或外国人永久居留身份证。"


class SamFault(IdCardError):
    """SW3 60/66: the security module cannot work; only staff can fix this."""

    default_message = "身份证阅读器故障，请联系工作人员。"


class ReaderTimeout(IdCardError):
    """No complete reply before the deadline."""

    retryable = True
    default_message = "身份证阅读器无响应，请联系工作人员。"


class CardDataError(IdCardError):
    """The frame was intact but the text block does not hold a valid card record."""

    default_message = "证件信息无法识别，请联系工作人员人工核验。"


class IdNumberError(CardDataError):
    """The ID number fails GB 11643, or disagrees with the card's birth date or sex.

    ``reason`` is one of ``format``, ``check_digit``, ``birth_date``, ``sex`` so a caller can
    tell a forged or misprinted record from a number that merely has the wrong shape.
    """

    default_message = "证件号码校验不通过，请联系工作人员人工核验。"

    def __init__(self, reason: str, *, detail: str = "") -> None:
        super().__init__(detail=detail or f"id number check failed: {reason}")
        self.reason = reason
