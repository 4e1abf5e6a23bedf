"""Serial framing of the ID card reader's SAM module (GA 467 style), as pure functions.

No I/O here: the driver, the simulator, the fuzz tests and the bench all share these
functions, and the transport thread only moves bytes. Layout, commands and status codes are
those of device-protocols.md Part 1 (sections 1.2 to 1.5).

Frame: ``AA AA AA 96 69 | Len(2, big-endian) | body | CHK``. Len counts body + CHK; CHK is
the XOR of everything after the preamble, so XOR over Len..CHK is 0 for a good frame.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from devices.idcard import errors as e

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = 7  # preamble + Len1 + Len2
MIN_LENGTH = 3  # CMD + Para + CHK is the shortest body anyone sends
# The longest real frame is base info + 1024-byte fingerprint (Len 0x090A). A larger length
# is a corrupted header; waiting for it would stall the line until the command times out.
MAX_LENGTH = 0x1000

# (CMD, Para) pairs, section 1.3.
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)
READ_NEW_ADDRESS = (0x30, 0x03)
READ_MANAGEMENT = (0x30, 0x05)
READ_BASE_FP = (0x30, 0x10)
SET_BAUD = 0x60
SET_MAX_RF = (0x61, 0xFF)

TEXT_SIZE = 256
PHOTO_SIZE = 1024


def checksum(data: bytes | bytearray | memoryview) -> int:
    """XOR of all bytes.

    Folds the bytes as one big integer (log2(n) big-int operations instead of n Python-level
    XORs), which keeps the 1.3 kB read-base frame well under the cost of decoding it.
    """
    width = len(data)
    value = int.from_bytes(data, "little")
    while width > 1:
        half = (width + 1) // 2
        value = (value & ((1 << (8 * half)) - 1)) ^ (value >> (8 * half))
        width = half
    return value & 0xFF


def build_frame(body: bytes) -> bytes:
    """Preamble, length and checksum around ``body`` (command or response fields)."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("frame body too long")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes((checksum(head + body),))


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """Host -> reader frame, e.g. ``build_command(*FIND_CARD)`` == ``AA AA AA 96 69 00 03 20 01 22``."""
    return build_frame(bytes((cmd, para)) + data)


def build_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    """Reader -> host frame; the simulator's half of the codec."""
    return build_frame(bytes((sw1, sw2, sw3)) + data)


@dataclass(frozen=True, slots=True)
class Frame:
    """One delimited frame; ``body`` excludes length and checksum.

    A frame with a bad checksum is still returned (``valid`` False) rather than dropped, so
    the reader can retry at once and the simulator can answer SW3 10, as a real module does.
    """

    body: bytes
    valid: bool

    def __repr__(self) -> str:  # the body may be a card's text block: never print it
        return f"Frame(len={len(self.body)}, valid={self.valid})"


class FrameParser:
    """Cuts a byte stream into frames, across any split of reads.

    Bytes before a preamble are dropped (counted in ``discarded``). A header whose length is
    impossible is also treated as noise: skip one byte and search again, so one bad length
    byte cannot swallow the frames after it.
    """

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self._buf = bytearray()
        self._max = max_length
        self.discarded = 0

    def reset(self) -> None:
        self._buf.clear()

    def missing(self) -> int:
        """How many more bytes could complete the pending frame (at least 1).

        The transport asks the port for exactly this many, so a read returns the moment the
        last byte of a frame lands instead of waiting for the port timeout.
        """
        have = len(self._buf)
        if have < HEADER_SIZE:
            return HEADER_SIZE - have
        return max(1, HEADER_SIZE + ((self._buf[5] << 8) | self._buf[6]) - have)

    def feed(self, data: bytes | bytearray) -> list[Frame]:
        buf = self._buf
        buf += data
        frames: list[Frame] = []
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                drop = len(buf) - _preamble_prefix_len(buf)
                self.discarded += drop
                del buf[:drop]
                return frames
            if start:
                self.discarded += start
                del buf[:start]
            if len(buf) < HEADER_SIZE:
                return frames
            length = (buf[5] << 8) | buf[6]
            if not MIN_LENGTH <= length <= self._max:
                self.discarded += 1
                del buf[:1]
                continue
            end = HEADER_SIZE + length
            if len(buf) < end:
                return frames
            valid = checksum(memoryview(buf)[5:end]) == 0
            frames.append(Frame(bytes(buf[HEADER_SIZE : end - 1]), valid))
            del buf[:end]


def _preamble_prefix_len(buf: bytearray) -> int:
    """Length of the longest tail of ``buf`` that could be the start of a preamble."""
    for size in range(min(len(buf), len(PREAMBLE) - 1), 0, -1):
        if buf.endswith(PREAMBLE[:size]):
            return size
    return 0


def parse_frames(data: bytes) -> list[Frame]:
    """All complete frames in ``data`` (one-shot convenience over ``FrameParser``)."""
    return FrameParser().feed(data)


# ---------------------------------------------------------------------------- status codes


class StatusKind(StrEnum):
    OK = "ok"
    FOUND = "found"
    NO_CONTENT = "no_content"
    NO_CARD = "no_card"
    SELECT_FAILED = "select_failed"
    READ_FAILED = "read_failed"
    AUTH_FAILED = "auth_failed"
    CHECKSUM = "checksum"
    LENGTH = "length"
    COMMAND = "command"
    CARD_TYPE = "card_type"
    SAM_FAULT = "sam_fault"
    READER = "reader"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Status:
    code: int
    kind: StatusKind
    english: str
    error: type[e.IdCardError] | None  # None for the success codes


def _s(code: int, kind: StatusKind, english: str, error: type[e.IdCardError] | None) -> Status:
    return Status(code, kind, english, error)


STATUS: Mapping[int, Status] = {
    s.code: s
    for s in (
        _s(0x90, StatusKind.OK, "success", None),
        _s(0x9F, StatusKind.FOUND, "find card ok", None),
        _s(0x91, StatusKind.NO_CONTENT, "card has no content for this item", e.NoContent),
        _s(0x10, StatusKind.CHECKSUM, "reader got a bad checksum from host", e.ChecksumError),
        _s(0x11, StatusKind.LENGTH, "reader got a bad length from host", e.ProtocolError),
        _s(0x21, StatusKind.COMMAND, "bad command or parameter", e.CommandRejected),
        _s(0x23, StatusKind.COMMAND, "operation not permitted", e.CommandRejected),
        _s(0x24, StatusKind.READER, "unrecognised error", e.ReaderError),
        _s(0x31, StatusKind.AUTH_FAILED, "card failed to authenticate the SAM", e.AuthFailed),
        _s(0x32, StatusKind.AUTH_FAILED, "SAM failed to authenticate the card", e.AuthFailed),
        _s(0x33, StatusKind.AUTH_FAILED, "information verification error", e.AuthFailed),
        _s(0x37, StatusKind.AUTH_FAILED, "fingerprint verification error", e.AuthFailed),
        _s(0x3F, StatusKind.READ_FAILED, "information length error", e.ReadFailed),
        _s(0x40, StatusKind.CARD_TYPE, "unrecognised card type", e.UnsupportedCard),
        _s(0x41, StatusKind.READ_FAILED, "read card failed", e.ReadFailed),
        _s(0x47, StatusKind.AUTH_FAILED, "get random failed", e.AuthFailed),
        _s(0x60, StatusKind.SAM_FAULT, "SAM self-test failed", e.SamFault),
        _s(0x66, StatusKind.SAM_FAULT, "SAM not authorised", e.SamFault),
        _s(0x80, StatusKind.NO_CARD, "no card", e.NoCard),
        _s(0x81, StatusKind.SELECT_FAILED, "select card failed", e.SelectFailed),
    )
}


def status(code: int) -> Status:
    """The table entry for an SW3 code; unknown codes map to ``UnknownStatus``."""
    return STATUS.get(code) or Status(code, StatusKind.UNKNOWN, "unknown status", e.UnknownStatus)


def error_for(code: int) -> e.IdCardError:
    """The typed error for a non-success SW3 code."""
    entry = status(code)
    cls = entry.error or e.UnknownStatus
    return cls(detail=f"SW3 {code:02X}: {entry.english}", sw3=code)


# ---------------------------------------------------------------------------- responses


@dataclass(frozen=True, slots=True)
class Response:
    sw3: int
    data: bytes

    @property
    def status(self) -> Status:
        return status(self.sw3)

    def __repr__(self) -> str:
        return f"Response(sw3={self.sw3:02X}, len={len(self.data)})"


@dataclass(frozen=True, slots=True)
class Command:
    cmd: int
    para: int
    data: bytes


def parse_response(frame: Frame) -> Response:
    """Check a reader frame's integrity and split SW1..SW3 from the data."""
    if not frame.valid:
        raise e.ChecksumError(detail="response checksum mismatch")
    if len(frame.body) < 3:
        raise e.ProtocolError(detail=f"response body too short ({len(frame.body)} bytes)")
    sw1, sw2, sw3 = frame.body[:3]
    if sw1 or sw2:
        raise e.ProtocolError(detail=f"SW1/SW2 {sw1:02X} {sw2:02X}, expected 00 00")
    return Response(sw3, frame.body[3:])


def parse_command(frame: Frame) -> Command:
    """The reader-side view of a host frame (used by the simulator)."""
    if not frame.valid:
        raise e.ChecksumError(detail="command checksum mismatch", sw3=0x10)
    if len(frame.body) < 2:
        raise e.ProtocolError(detail="command body too short", sw3=0x11)
    return Command(frame.body[0], frame.body[1], frame.body[2:])


def expect(response: Response, *ok: int) -> Response:
    """Return ``response`` if its SW3 is one of ``ok``; raise the mapped error otherwise."""
    if response.sw3 in ok:
        return response
    if response.sw3 in (0x90, 0x9F):  # a success code, but not the one this command gives
        raise e.ProtocolError(detail=f"unexpected SW3 {response.sw3:02X}", sw3=response.sw3)
    raise error_for(response.sw3)


def check_find(response: Response) -> bool:
    """True when a card is on the reader (9F), False for "no card" (80)."""
    if response.sw3 == 0x80:
        return False
    expect(response, 0x9F)
    if len(response.data) != 4:
        raise e.ProtocolError(detail=f"find reply carries {len(response.data)} bytes, not 4")
    return True


def check_select(response: Response) -> bytes:
    """The 8-byte card serial from a select reply."""
    expect(response, 0x90)
    if len(response.data) != 8:
        raise e.ProtocolError(detail=f"select reply carries {len(response.data)} bytes, not 8")
    return response.data


def split_base_info(data: bytes, *, fingerprint: bool = False) -> bytes:
    """The 256-byte text block of a read-base reply; the photo and fingerprint are dropped.

    Lengths are big-endian (section 1.5). The whole payload must add up exactly, because a
    truncated or padded block means the offsets of every field are wrong.
    """
    head = 6 if fingerprint else 4
    if len(data) < head:
        raise e.ProtocolError(detail=f"base info too short ({len(data)} bytes)")
    text_len, photo_len = struct.unpack_from(">HH", data)
    fp_len = struct.unpack_from(">H", data, 4)[0] if fingerprint else 0
    if text_len != TEXT_SIZE:
        raise e.ProtocolError(detail=f"text block length {text_len}, expected {TEXT_SIZE}")
    if len(data) != head + text_len + photo_len + fp_len:
        raise e.ProtocolError(
            detail=f"base info is {len(data)} bytes, header says {head + text_len + photo_len + fp_len}"
        )
    return data[head : head + text_len]


def format_sam_id(data: bytes) -> str:
    """``05.01-20101027-0000123456-2345678901`` (the sdtapi format vendor SDKs print)."""
    if len(data) != 16:
        raise e.ProtocolError(detail=f"SAM id is {len(data)} bytes, not 16")
    a, b, c, d, f = struct.unpack("<HHIII", data)
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{f:010d}"
