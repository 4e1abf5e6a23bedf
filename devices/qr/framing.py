"""Turn the byte stream of a serial (or USB-CDC) QR scanner into scan records.

Scanners are output-only and vendor settings vary, so the framer accepts what any of them
may send rather than one configuration: a record ends at CR, LF or CRLF, or, for scanners
set to "no terminator", after the line has been idle for ``idle_gap`` seconds. A CRLF split
across two reads (CR last in one chunk, LF first in the next) must not yield an empty
record; since no scan is ever empty, blank lines are simply skipped, which covers that
case and any vendor that sends LF CR or doubled terminators.

The framer is pure (the caller passes the time), so tests drive it with bytes and numbers
and the serial thread only pumps. A record that cannot be trusted is dropped with a typed
reason instead of being passed on: the kiosk would otherwise look up a member or activity
with garbage from line noise, a wrong baud rate or a scanner in a binary mode. Record text
is never logged, because a scanned code may carry personal data.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)

MAX_RECORD = 4096  # bytes, terminator excluded; real QR payloads stay well below this
DEFAULT_IDLE_GAP = 0.1  # seconds; the reference suggests 50-100 ms

# AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier.
AIM_SYMBOLOGIES: dict[str, str] = {
    "]Q0": "qr-model1",
    "]Q1": "qr",
    "]Q2": "qr-eci",
    "]Q3": "qr-gs1",
    "]C0": "code128",
    "]C1": "gs1-128",
    "]E0": "ean13",
    "]E4": "ean8",
    "]d1": "datamatrix",
    "]d2": "gs1-datamatrix",
    "]A0": "code39",
    "]I0": "itf",
    "]L2": "pdf417",
}
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")

# Control characters that legitimate codes do carry: TAB, and the GS1 / ISO 15434
# separators GS (FNC1), RS and EOT. Anything else below 0x20 means binary or line noise.
_ALLOWED_CONTROLS = frozenset("\t\x1d\x1e\x04")
_TERMINATOR = re.compile(rb"[\r\n]")


class RejectReason(StrEnum):
    TOO_LONG = "too-long"  # no terminator within MAX_RECORD bytes
    UNDECODABLE = "undecodable"  # neither UTF-8 nor GB18030
    BINARY = "binary"  # decodes, but carries control or unassigned characters
    EMPTY = "empty"  # only an AIM identifier, no data


class RecordRejected(Exception):
    """A record the framer dropped; ``reason`` is for logs and the installer's diagnostics."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ScanRecord:
    data: str
    symbology: str | None = None  # name from AIM_SYMBOLOGIES, the raw "]Xn", or None


RejectListener = Callable[[RecordRejected], None]


def split_aim(text: str) -> tuple[str, str | None]:
    """Strip a leading AIM identifier; an unlisted but well-formed one is kept as "]Xn".

    Requiring the full "]" + letter + alphanumeric shape keeps data that merely starts
    with "]" from losing its first characters.
    """
    if _AIM.match(text):
        aim = text[:3]
        return text[3:], AIM_SYMBOLOGIES.get(aim, aim)
    return text, None


def _bad_char(text: str, *, strict: bool) -> str | None:
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _ALLOWED_CONTROLS:
            return ch
        # GB18030 maps almost any byte pair to some code point, so a fallback decode that
        # lands in private-use, surrogate or unassigned space is noise, not Chinese text.
        if strict and category in ("Co", "Cs", "Cn"):
            return ch
    return None


def decode_record(raw: bytes, *, max_record: int = MAX_RECORD) -> ScanRecord:
    """Decode one record without its terminator; raises only ``RecordRejected``.

    UTF-8 comes first because modern QR content is UTF-8 and GB18030 would also accept many
    UTF-8 byte strings (as the wrong characters); GB18030 is the fallback for scanners set
    to GBK output. GB18030 is a superset of GBK and GB2312, so one fallback covers all three.
    """
    if len(raw) > max_record:
        raise RecordRejected(RejectReason.TOO_LONG, f"{len(raw)} bytes > {max_record}")
    try:
        text = raw.decode("utf-8")
        strict = False
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
            strict = True
        except UnicodeDecodeError as exc:
            raise RecordRejected(
                RejectReason.UNDECODABLE, f"{len(raw)} bytes, neither UTF-8 nor GB18030"
            ) from exc
    bad = _bad_char(text, strict=strict)
    if bad is not None:
        raise RecordRejected(
            RejectReason.BINARY,
            f"{len(raw)} bytes, character U+{ord(bad):04X} at {text.index(bad)}",
        )
    data, symbology = split_aim(text)
    if not data:
        raise RecordRejected(RejectReason.EMPTY, f"AIM identifier {text[:3]} with no data")
    return ScanRecord(data, symbology)


class RecordFramer:
    """Incremental framer; not thread-safe, owned by one reader thread.

    ``idle_gap=None`` turns the idle flush off, for scanners known to send a terminator and
    links so slow that a record may pause mid-way.
    """

    def __init__(
        self,
        *,
        idle_gap: float | None = DEFAULT_IDLE_GAP,
        max_record: int = MAX_RECORD,
        on_reject: RejectListener | None = None,
    ) -> None:
        self.idle_gap = idle_gap
        self.max_record = max_record
        self.on_reject = on_reject
        self.rejected = 0
        self._buf = bytearray()
        self._discarding = False  # inside an over-long record: drop bytes until it ends
        self._last_byte: float | None = None

    def reset(self) -> None:
        """Forget a partial record, e.g. after the port was reopened."""
        self._buf.clear()
        self._discarding = False
        self._last_byte = None

    @property
    def pending(self) -> int:
        """Bytes of an unfinished record (0 while discarding an over-long one)."""
        return len(self._buf)

    def idle_deadline(self) -> float | None:
        """When ``flush_idle`` would end the current record, so a reader can time its wait."""
        if self.idle_gap is None or self._last_byte is None:
            return None
        if not self._buf and not self._discarding:
            return None
        return self._last_byte + self.idle_gap

    def flush_idle(self, now: float) -> list[ScanRecord]:
        deadline = self.idle_deadline()
        if deadline is None or now < deadline:
            return []
        return self._end_record()

    def feed(self, data: bytes, now: float) -> list[ScanRecord]:
        out = self.flush_idle(now)  # bytes after a long pause start a new record
        if not data:
            return out
        self._last_byte = now
        # Every CR and every LF ends a record; the empty "record" between the CR and LF of a
        # CRLF (in one read or split across two) is skipped in _end_record, like blank lines.
        *records, tail = _TERMINATOR.split(data)
        for segment in records:
            self._append(segment)
            out.extend(self._end_record())
        self._append(tail)
        return out

    def _append(self, chunk: bytes) -> None:
        if self._discarding or not chunk:
            return
        self._buf += chunk
        if len(self._buf) > self.max_record:
            self._reject(RecordRejected(RejectReason.TOO_LONG, f"over {self.max_record} bytes"))
            self._buf.clear()
            self._discarding = True

    def _end_record(self) -> list[ScanRecord]:
        if self._discarding:
            self._discarding = False
            return []
        if not self._buf:
            return []  # blank line: a stray terminator, not worth a warning
        raw = bytes(self._buf)
        self._buf.clear()
        try:
            return [decode_record(raw, max_record=self.max_record)]
        except RecordRejected as exc:
            self._reject(exc)
            return []

    def _reject(self, exc: RecordRejected) -> None:
        self.rejected += 1
        log.warning("QR record rejected: %s", exc)
        if self.on_reject is not None:
            self.on_reject(exc)
