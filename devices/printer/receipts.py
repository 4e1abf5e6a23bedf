"""Receipts as ESC/POS bytes: pure functions, so every byte on the paper is decided here.

Why not python-escpos ``text()`` / ``qr()``: ``text()`` switches to GB18030 only when the
string holds a CJK ideograph (a line of only Chinese punctuation comes out as ``?``) and never
sends ``FS &``, and ``qr()`` cannot centre a native code. Building the bytes ourselves keeps
the layout deterministic and byte-exact in tests; the printer driver only moves bytes.

Commands used (device-protocols.md Part 3, Epson ESC/POS reference):

- ``ESC @`` (1B 40) initialise, then ``FS &`` (1C 26) Chinese double-byte mode. Text is
  GB18030: in Chinese mode bytes below 0x80 stay ASCII, so Latin text needs no mode switch.
- ``ESC a n`` (1B 61 n) alignment, ``GS ! n`` (1D 21 n) character size.
- ``GS ( k`` (1D 28 6B) native QR: model 2, module size, error level M, store, print.
- ``ESC d n`` (1B 64 n) feed n lines so the last line clears the cutter, then ``GS V m``.

User-supplied fields are cleaned of control characters: a name or activity title must never
be able to smuggle an ESC/POS command (a cut, a cash-drawer kick, a mode change) onto paper.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import IntEnum, StrEnum

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
LF = b"\n"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
SIZE_NORMAL = GS + b"!\x00"
SIZE_DOUBLE = GS + b"!\x11"  # double width and double height
FULL_CUT = GS + b"V\x00"
PARTIAL_CUT = GS + b"V\x01"

DEFAULT_HEADER = "党员时间银行"


class Cut(StrEnum):
    """Many cheap printers ignore the full-cut form or have no cutter: configurable per printer."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class QrLevel(IntEnum):
    """Error correction; the byte sent is 0x30 + level (fn 169)."""

    L = 0
    M = 1
    Q = 2
    H = 3


# Largest byte-mode payload of a version-40 model-2 symbol, per level (ISO/IEC 18004 table 7).
_QR_MAX_BYTES = {QrLevel.L: 2953, QrLevel.M: 2331, QrLevel.Q: 1663, QrLevel.H: 1273}


@dataclass(frozen=True)
class Layout:
    """Paper and printer facts. ``width`` is in half-width columns: 32 on 58 mm, 48 on 80 mm."""

    width: int = 32
    qr_size: int = 6
    feed_lines: int = 4
    cut: Cut = Cut.PARTIAL
    header: str = DEFAULT_HEADER


DEFAULT_LAYOUT = Layout()

# ---------------------------------------------------------------------------- primitives


def clean(text: str) -> str:
    """Drop control and format characters (Unicode categories Cc, Cf, Cs) and trim."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return kept.replace("\u00a5", "\uffe5").strip()  # '¥' is not in GBK; '￥' is A3 A4


def gb18030(text: str) -> bytes:
    """Cleaned text in GB18030. Characters outside GBK become 4-byte sequences, which only
    printers with a GB18030 font render; the byte pairs stay aligned either way."""
    return clean(text).encode("gb18030")


def display_width(text: str) -> int:
    """Columns on paper: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Break at column ``width`` ourselves, so a wrapped line is never split mid-character."""
    lines: list[str] = []
    line, used = "", 0
    for c in text:
        w = display_width(c)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += c
        used += w
    if line or not lines:
        lines.append(line)
    return lines


def field(label: str, value: str, width: int) -> bytes:
    """``label：value`` with continuation lines indented under the value."""
    label = clean(label) + "："
    indent = display_width(label)
    room = max(width - indent, 8)
    first, *rest = wrap(clean(value), room)
    lines = [label + first, *(" " * indent + part for part in rest)]
    return b"".join(line.encode("gb18030") + LF for line in lines)


def rule(width: int) -> bytes:
    return b"-" * width + LF


def qr_code(
    data: str | bytes, *, size: int = 6, level: QrLevel = QrLevel.M, model: int = 2
) -> bytes:
    """The five ``GS ( k`` functions (165, 167, 169, 180, 181) for one native QR symbol.

    pL pH count the bytes after pH; for the store function that is ``len(data) + 3``
    (cn, fn, m). Text is sent as UTF-8, as python-escpos does; our codes are ASCII.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if not payload:
        raise ValueError("QR data is empty")
    if len(payload) > _QR_MAX_BYTES[level]:
        raise ValueError(
            f"QR data is {len(payload)} bytes; level {level.name} holds at most {_QR_MAX_BYTES[level]}"
        )
    if not 1 <= size <= 16:
        raise ValueError("QR module size must be 1..16")
    if model not in (1, 2):
        raise ValueError("QR model must be 1 or 2")

    def fn(code: int, params: bytes) -> bytes:
        n = len(params) + 2  # cn + fn + params
        return GS + b"(k" + bytes((n & 0xFF, n >> 8, 0x31, code)) + params

    return (
        fn(0x41, bytes((0x30 + model, 0)))
        + fn(0x43, bytes((size,)))
        + fn(0x45, bytes((0x30 + level,)))
        + fn(0x50, b"0" + payload)
        + fn(0x51, b"0")
    )


def cut(mode: Cut, feed_lines: int = 4) -> bytes:
    """Feed past the cutter (``ESC d n``), then cut; ``Cut.NONE`` only feeds (tear bar)."""
    if not 0 <= feed_lines <= 255:
        raise ValueError("feed_lines must be 0..255")
    feed = ESC + b"d" + bytes((feed_lines,)) if feed_lines else b""
    if mode is Cut.FULL:
        return feed + FULL_CUT
    if mode is Cut.PARTIAL:
        return feed + PARTIAL_CUT
    return feed


def check_masked(name: str) -> str:
    """A receipt is left lying on counters: refuse a name that was not masked by the caller."""
    name = clean(name)
    if len(name) >= 2 and "*" not in name:
        raise ValueError("resident name must be masked (e.g. 张*英) before printing")
    return name


def when(moment: dt.datetime) -> str:
    """Local wall-clock time as printed; seconds are noise on paper."""
    return moment.strftime("%Y-%m-%d %H:%M")


def _head(title: str, layout: Layout) -> bytes:
    return (
        INIT
        + CHINESE_ON
        + ALIGN_CENTER
        + SIZE_DOUBLE
        + gb18030(title)
        + LF
        + SIZE_NORMAL
        + gb18030(layout.header)
        + LF
        + ALIGN_LEFT
        + rule(layout.width)
    )


def _tail(footer: str, layout: Layout) -> bytes:
    return (
        rule(layout.width)
        + ALIGN_CENTER
        + gb18030(footer)
        + LF
        + ALIGN_LEFT
        + cut(layout.cut, layout.feed_lines)
    )


# ---------------------------------------------------------------------------- receipts


def need_ticket(
    *,
    masked_name: str,
    category: str,
    wished_time: str,
    station: str,
    qr_text: str,
    printed_at: dt.datetime,
    layout: Layout = DEFAULT_LAYOUT,
    ticket: str = "",
) -> bytes:
    """服务需求回执: proof that a resident's need was posted, with the ticket as a QR code.

    ``qr_text`` is the need ticket code (``TBN1:<uuid>``); its scheme belongs to
    ``devices.qr.tokens``, so it is taken ready-made. ``ticket`` is the short number the
    resident can read out (求助号码), printed large under the header; without it the
    receipt is as before.
    """
    w = layout.width
    number = b""
    if clean(ticket):
        number = (
            ALIGN_CENTER
            + gb18030("求助号码")
            + LF
            + SIZE_DOUBLE
            + gb18030(ticket)
            + LF
            + SIZE_NORMAL
            + ALIGN_LEFT
            + rule(w)
        )
    return (
        _head("服务需求回执", layout)
        + number
        + field("居民", check_masked(masked_name), w)
        + field("服务类别", category, w)
        + field("期望时间", wished_time, w)
        + field("服务站点", station, w)
        + field("登记时间", when(printed_at), w)
        + rule(w)
        + ALIGN_CENTER
        + qr_code(qr_text, size=layout.qr_size, level=QrLevel.M)
        + LF
        + gb18030("凭此码查询需求进度")
        + LF
        + ALIGN_LEFT
        + _tail("请妥善保管本回执", layout)
    )


def checkin_slip(
    *,
    masked_name: str,
    activity: str,
    at: dt.datetime,
    station: str,
    minutes: int | None = None,
    coins: str | None = None,
    layout: Layout = DEFAULT_LAYOUT,
) -> bytes:
    """签到凭条. At check-in the minutes and coins are not known yet: pass None to leave
    those lines out. ``coins`` is display text from the ledger (``1.5``), not a number, so
    rounding rules stay in one place."""
    if minutes is not None and minutes < 0:
        raise ValueError("minutes must not be negative")
    w = layout.width
    body = (
        field("姓名", check_masked(masked_name), w)
        + field("活动", activity, w)
        + field("时间", when(at), w)
        + field("站点", station, w)
    )
    if minutes is not None:
        body += field("服务时长", f"{minutes} 分钟", w)
    if coins is not None:
        body += field("时间币", f"{coins} 枚", w)
    return _head("签到凭条", layout) + body + _tail("感谢您的志愿服务", layout)
