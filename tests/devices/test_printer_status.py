"""DLE EOT real-time status bytes -> conditions -> the error a job would fail with."""

from __future__ import annotations

import pytest
from escpos import constants as c

from devices.base import DeviceState
from devices.printer.status import (
    BadStatusByte,
    CoverOpen,
    PaperEnd,
    PrinterDisconnected,
    PrinterError,
    PrinterNotResponding,
    PrinterOffline,
    PrinterTimeout,
    RealtimeStatus,
    parse_status,
    status_request,
)


@pytest.mark.parametrize(
    ("n", "byte", "fields", "problem"),
    [
        (1, 0x12, {}, None),  # online
        (1, 0x16, {}, None),  # drawer pin 3 high: not our business
        (1, 0x1A, {"offline": True}, PrinterOffline),
        (1, 0x3A, {"offline": True, "waiting_recovery": True}, PrinterOffline),
        (1, 0x52, {"feed_button": True}, None),
        (2, 0x12, {}, None),
        (2, 0x16, {"offline": True, "cover_open": True}, CoverOpen),
        (2, 0x1A, {"feed_button": True}, None),
        (2, 0x32, {"offline": True, "paper_end": True}, PaperEnd),
        (2, 0x52, {"offline": True, "error": True}, PrinterError),
        (3, 0x12, {}, None),
        (3, 0x16, {"recoverable_error": True}, PrinterError),
        (3, 0x1A, {"cutter_error": True}, PrinterError),
        (3, 0x32, {"unrecoverable_error": True}, PrinterError),
        (3, 0x52, {"auto_recoverable_error": True}, PrinterError),
        (4, 0x12, {}, None),
        (4, 0x1E, {"paper_near_end": True}, None),  # near end still prints
        (4, 0x16, {"paper_near_end": True}, None),  # one sensor bit is enough
        (4, 0x72, {"paper_end": True}, PaperEnd),
        (4, 0x7E, {"paper_end": True, "paper_near_end": True}, PaperEnd),
        (4, 0x32, {"paper_end": True}, PaperEnd),
    ],
)
def test_status_table(
    n: int, byte: int, fields: dict[str, bool], problem: type[PrinterError] | None
) -> None:
    status = parse_status(n, byte)
    assert status == RealtimeStatus(**fields)
    found = status.problem()
    if problem is None:
        assert found is None
    else:
        assert type(found) is problem


@pytest.mark.parametrize("byte", [0x00, 0xFF, 0x10, 0x02, 0x13, 0x92, 0x1D, 0x0A])
def test_bytes_without_the_fixed_bits_are_not_status(byte: int) -> None:
    # Each reply is 0xx1xx10b; anything else is noise or a wrong baud rate.
    with pytest.raises(BadStatusByte, match="baud"):
        parse_status(1, byte)


def test_python_escpos_masks_agree() -> None:
    assert parse_status(1, c.RT_MASK_ONLINE | 0x12).offline
    assert parse_status(4, c.RT_MASK_NOPAPER).paper_end
    low = parse_status(4, c.RT_MASK_LOWPAPER)
    assert low.paper_near_end and not low.paper_end
    assert status_request(1) == c.RT_STATUS_ONLINE
    assert status_request(4) == c.RT_STATUS_PAPER


def test_most_actionable_cause_wins() -> None:
    out_of_paper = parse_status(1, 0x1A) | parse_status(2, 0x32) | parse_status(4, 0x7E)
    assert isinstance(out_of_paper.problem(), PaperEnd)
    cover_and_paper = parse_status(2, 0x36) | parse_status(4, 0x72)
    assert isinstance(cover_and_paper.problem(), CoverOpen)
    cutter = parse_status(1, 0x1A) | parse_status(2, 0x52) | parse_status(3, 0x1A)
    problem = cutter.problem()
    assert problem is not None and "cutter" in problem.detail


def test_errors_carry_state_detail_and_chinese_message() -> None:
    assert PaperEnd("x").state is DeviceState.FAULT
    assert PrinterDisconnected("x").state is DeviceState.DISCONNECTED
    assert PrinterNotResponding("x").state is DeviceState.DISCONNECTED
    assert issubclass(PrinterNotResponding, PrinterTimeout)
    err = CoverOpen("cover open")
    assert err.detail == "cover open" and "盖" in err.message


def test_only_four_kinds_of_request() -> None:
    assert status_request(2) == b"\x10\x04\x02"
    with pytest.raises(ValueError):
        status_request(5)
    with pytest.raises(ValueError):
        parse_status(5, 0x12)
