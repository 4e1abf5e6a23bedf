"""Printer errors and the ESC/POS real-time status (``DLE EOT n``, 10 04 n).

Each error carries the ``DeviceState`` it puts the printer in, an English ``detail`` for logs
and a plain Chinese ``message`` for the staff console, so a failed job and the status line
always tell the same story.

Status bytes, per the Epson ESC/POS Command Reference, "DLE EOT: Transmit real-time status"
(download4.epson.biz/sec_pubs/pos/reference_en/escpos/dle_eot.html), cross-checked with
python-escpos ``constants.py`` (``RT_MASK_ONLINE = 8``, ``RT_MASK_LOWPAPER = 0x1E``,
``RT_MASK_NOPAPER = 0x72``) and the node ``escpos`` package's ``statuses.js``:

Every reply is one byte of the form ``0xx1xx10b``: bits 1 and 4 set, bits 0 and 7 clear.
That is how a status byte is told apart from noise or a wrong baud rate.

==  =================  ==================================================================
n   name               bits
==  =================  ==================================================================
1   printer            3 offline; 5 waiting for online recovery; 6 feed button pressed
2   offline cause      2 cover open; 3 feeding by button; 5 stopped by paper end; 6 error
3   error cause        2 recoverable; 3 autocutter; 5 unrecoverable; 6 auto-recoverable
4   roll paper sensor  2,3 near end (both set on Epson); 5,6 paper end (both set on Epson)
==  =================  ==================================================================

Bits 2-3 and 5-6 of n = 4 are read as "either bit": a printer with one sensor line sets one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from devices.base import DeviceState

DLE_EOT = b"\x10\x04"
_FIXED_MASK = 0x93  # bits 0, 1, 4, 7
_FIXED_VALUE = 0x12  # bits 1 and 4 set


def status_request(n: int) -> bytes:
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n must be 1..4")
    return DLE_EOT + bytes((n,))


# ---------------------------------------------------------------------------- errors


class PrinterError(Exception):
    """A job that did not print, or a printer that cannot print; never raised into the UI
    thread by the driver, only delivered through a job's future and the status."""

    state: ClassVar[DeviceState] = DeviceState.FAULT
    default_message: ClassVar[str] = "打印机故障，请联系工作人员。"

    def __init__(self, detail: str = "", message: str | None = None) -> None:
        self.detail = detail or type(self).__name__
        self.message = message or self.default_message
        super().__init__(self.detail)


class PrinterDisconnected(PrinterError):
    """The port or device could not be opened, or vanished mid-job."""

    state = DeviceState.DISCONNECTED
    default_message = "打印机未连接，请检查电源和连接线，接好后会自动恢复。"


class PrinterTimeout(PrinterError):
    """The job did not finish within its timeout (printer off, stuck flow control...)."""

    default_message = "打印机没有响应，本次未能打印。"


class PrinterNotResponding(PrinterTimeout):
    """The port is open but nothing answers the status request: printer off or cable loose."""

    state = DeviceState.DISCONNECTED
    default_message = "打印机没有响应，请检查打印机电源和连接线。"


class PaperEnd(PrinterError):
    default_message = "打印机缺纸，请联系工作人员更换纸卷。"


class CoverOpen(PrinterError):
    default_message = "打印机盖未合上，请联系工作人员。"


class PrinterOffline(PrinterError):
    default_message = "打印机暂停工作，请联系工作人员。"


class PrinterStopped(PrinterError):
    """The printer was stopped (shutdown or reconfiguration) before the job could run."""

    state = DeviceState.STOPPED
    default_message = "打印机未启动。"


class BadStatusByte(PrinterError):
    """A reply that is not a status byte: usually a wrong baud rate or a non-ESC/POS device."""

    default_message = "打印机通讯异常，请联系工作人员。"


# ---------------------------------------------------------------------------- status


@dataclass(frozen=True)
class RealtimeStatus:
    """What the printer said about itself; fields not asked stay False."""

    offline: bool = False
    waiting_recovery: bool = False
    feed_button: bool = False
    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False
    recoverable_error: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False

    def __or__(self, other: RealtimeStatus) -> RealtimeStatus:
        return RealtimeStatus(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def problem(self) -> PrinterError | None:
        """The error a job would fail with now, most actionable cause first; None if it can
        print (a near-end roll still prints)."""
        if self.cover_open:
            return CoverOpen("cover open")
        if self.paper_end:
            return PaperEnd("paper end")
        if self.unrecoverable_error:
            return PrinterError(
                "unrecoverable error", "打印机出现严重故障，请关闭电源并联系工作人员。"
            )
        if self.cutter_error:
            return PrinterError("autocutter error", "打印机切刀故障，请联系工作人员。")
        if self.error or self.recoverable_error or self.auto_recoverable_error:
            return PrinterError("printer error")
        if self.offline:
            return PrinterOffline("offline")
        return None


def parse_status(n: int, value: int) -> RealtimeStatus:
    """One ``DLE EOT n`` reply byte; raises ``BadStatusByte`` for a byte that is not one."""
    if not 0 <= value <= 0xFF or value & _FIXED_MASK != _FIXED_VALUE:
        raise BadStatusByte(f"unexpected reply 0x{value:02X} to DLE EOT {n} (wrong baud rate?)")

    def bit(i: int) -> bool:
        return bool(value >> i & 1)

    if n == 1:
        return RealtimeStatus(offline=bit(3), waiting_recovery=bit(5), feed_button=bit(6))
    if n == 2:
        return RealtimeStatus(
            offline=bit(2) or bit(5) or bit(6),
            cover_open=bit(2),
            feed_button=bit(3),
            paper_end=bit(5),
            error=bit(6),
        )
    if n == 3:
        return RealtimeStatus(
            recoverable_error=bit(2),
            cutter_error=bit(3),
            unrecoverable_error=bit(5),
            auto_recoverable_error=bit(6),
        )
    if n == 4:
        return RealtimeStatus(paper_near_end=bit(2) or bit(3), paper_end=bit(5) or bit(6))
    raise ValueError("DLE EOT n must be 1..4")
