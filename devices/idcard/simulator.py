"""A reader simulator that speaks the real protocol on the master side of a pty.

The driver under test opens the slave by path exactly like ``/dev/ttyUSB0``, so everything
between ``serial_for_url`` and the decoded card is exercised, including chunked arrival and
resynchronisation. The state machine follows device-protocols.md 1.14: no card -> found ->
selected -> read; a read sends the card back to "needs find + select", as real modules do.

Faults are per placement (counters reset on every ``place``), so a demo that places the
same card twice sees the same behaviour twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import random
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from devices.idcard import protocol as p
from devices.idcard.card import LAYOUTS, LONG_TERM, CardType, IdCard
from devices.idcard.errors import IdCardError
from devices.pty import PtyLink

log = logging.getLogger(__name__)

# Example E of the reference: 05.01-20101027-0000123456-2345678901.
SAM_ID = bytes.fromhex("05 00 01 00 A3 B7 32 01 40 E2 01 00 35 38 D0 8B")


@dataclass
class Faults:
    """What can go wrong, per placement. See ``parse`` for the ``--fault`` spelling."""

    empty_polls: int = 0  # "no card" answers before the card is seen
    noise: int = 0  # garbage bytes written before every reply
    bad_checksum: int = 0  # read replies with a flipped text byte (checksum then fails)
    read_failure: int = 0  # read commands answered 41
    chunk_size: int = 0  # split replies into writes of this size (0: one write)
    chunk_delay: float = 0.0  # seconds between chunks
    sam_fault: bool = False  # every command answered 60
    foreign_object: bool = False  # a card that is not an ID card: find answers 40
    reseat_after_read: int = 0  # after each read, "no card" this many times, then present again

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Faults:
        """``empty-polls=N``, ``noise[=N]``, ``bad-checksum[=N]``, ``read-failure[=N]``,
        ``chunked[=SIZE[:DELAY]]`` (default 64:0.005), ``sam-fault``, ``foreign-object``,
        ``reseat=N``."""
        faults = cls()
        for spec in specs:
            name, _, value = spec.partition("=")
            if name == "empty-polls":
                faults.empty_polls = int(value or 3)
            elif name == "noise":
                faults.noise = int(value or 8)
            elif name == "bad-checksum":
                faults.bad_checksum = int(value or 1)
            elif name == "read-failure":
                faults.read_failure = int(value or 1)
            elif name == "chunked":
                size, _, delay = (value or "64:0.005").partition(":")
                faults.chunk_size = int(size)
                faults.chunk_delay = float(delay or 0.005)
            elif name == "sam-fault":
                faults.sam_fault = True
            elif name == "foreign-object":
                faults.foreign_object = True
            elif name == "reseat":
                faults.reseat_after_read = int(value or 2)
            else:
                raise ValueError(f"unknown fault {spec!r}")
        return faults


def encode_text(card: IdCard) -> bytes:
    """The exact 256-byte block a real card of this type carries (inverse of ``decode_text``)."""
    flag = "" if card.card_type is CardType.RESIDENT else card.type_flag
    if card.card_type is CardType.HMT_RESIDENCE_PERMIT:
        flag = "J"
    elif card.card_type is CardType.FOREIGN_PERMANENT_RESIDENT and flag not in ("I", "Y"):
        flag = "I" if len(card.id_number) == 15 else "Y"
    sex = {"男": "1", "女": "2"}.get(card.sex, card.sex)
    values = {
        "name": card.name,
        "sex": sex,
        "nation_code": card.nation_code,
        "birth_date": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": (
            LONG_TERM if isinstance(card.valid_to, str) else card.valid_to.strftime("%Y%m%d")
        ),
        "pass_number": card.pass_number,
        "issue_count": "" if card.issue_count is None else f"{card.issue_count:02d}",
        "english_name": card.english_name,
        "english_name_2": "",
        "nationality": card.nationality,
        "card_version": card.card_version,
        "previous_number_link": card.previous_number_link,
    }
    if flag == "Y":
        units = card.english_name.encode("utf-16-le")
        values["english_name"] = units[:70].decode("utf-16-le")
        values["english_name_2"] = units[70:].decode("utf-16-le")
    block = bytearray(" ".encode("utf-16-le") * 128)
    for key, (offset, size) in LAYOUTS[flag].items():
        _put(block, offset, size, values[key], key)
    if flag:
        _put(block, 248, 2, flag, "type_flag")
    return bytes(block)


def _put(block: bytearray, offset: int, size: int, text: str, key: str) -> None:
    raw = text.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{key} does not fit in {size // 2} UCS-2 characters")
    block[offset : offset + len(raw)] = raw


def read_base_reply(card: IdCard, photo: bytes = bytes(p.PHOTO_SIZE)) -> bytes:
    """The complete 1295-byte success reply to ``30 01`` for ``card``."""
    text = encode_text(card)
    return p.build_response(0x90, b"\x01\x00\x04\x00" + text + photo)


class IdCardSimulator:
    """The reader's side; ``link`` may be None to drive ``respond()`` without a pty."""

    def __init__(
        self,
        link: PtyLink | None,
        card: IdCard | None = None,
        *,
        faults: Faults | None = None,
        placed: bool | None = None,
        seed: int = 0,
    ) -> None:
        self.link = link
        self.faults = faults or Faults()
        self._card = card
        self._present = (card is not None) if placed is None else placed
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._selected = self._found = False
        self._absent_left = 0
        self._counters = dataclasses.replace(self.faults)
        self.reads = 0  # successful read-base replies written
        self.commands: deque[tuple[int, int, int]] = deque(maxlen=1000)  # (ns, CMD, Para)
        self.on_read_sent: Callable[[int], None] | None = None  # perf_counter_ns after last byte
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ card on the reader

    @property
    def present(self) -> bool:
        return self._present and self._card is not None

    def place(self, card: IdCard | None = None) -> None:
        with self._lock:
            if card is not None:
                self._card = card
            self._present = True
            self._found = self._selected = False
            self._absent_left = 0
            self._counters = dataclasses.replace(self.faults)

    def remove(self) -> None:
        with self._lock:
            self._present = False
            self._found = self._selected = False

    # ------------------------------------------------------------------ state machine

    def respond(self, frame: p.Frame) -> bytes:
        """The reply to one host frame; no I/O, usable without a pty."""
        return self._respond(frame)[0]

    def _respond(self, frame: p.Frame) -> tuple[bytes, bool]:
        try:
            cmd = p.parse_command(frame)
        except IdCardError as exc:
            return p.build_response(exc.sw3 or 0x10), False
        with self._lock:
            self.commands.append((time.perf_counter_ns(), cmd.cmd, cmd.para))
            if self.faults.sam_fault:
                return p.build_response(0x60), False
            op = (cmd.cmd, cmd.para)
            if op in (p.RESET_SAM, p.SAM_STATUS, p.FIND_CARD, p.SELECT_CARD, p.READ_BASE):
                if cmd.data:
                    return p.build_response(0x11), False
            if op in (p.RESET_SAM, p.SAM_STATUS):
                return p.build_response(0x90), False
            if op == p.READ_SAM_ID:
                return p.build_response(0x90, SAM_ID), False
            if op == p.FIND_CARD:
                return self._find(), False
            if op == p.SELECT_CARD:
                if not (self.present and self._found):
                    return p.build_response(0x81), False
                self._selected = True
                return p.build_response(0x90, bytes(8)), False
            if op in (p.READ_BASE, p.READ_BASE_FP):
                return self._read(fingerprint=op == p.READ_BASE_FP)
            if op in (p.READ_NEW_ADDRESS, p.READ_MANAGEMENT):
                return p.build_response(0x91 if self.present else 0x41), False
            if (cmd.cmd == p.SET_BAUD and cmd.para <= 4) or (op == p.SET_MAX_RF and cmd.data):
                return p.build_response(0x90), False
            return p.build_response(0x21), False

    def _find(self) -> bytes:
        if not self.present:
            return p.build_response(0x80)
        if self._absent_left:
            self._absent_left -= 1
            return p.build_response(0x80)
        if self.faults.foreign_object:
            return p.build_response(0x40)
        if self._counters.empty_polls:
            self._counters.empty_polls -= 1
            return p.build_response(0x80)
        self._found = True
        return p.build_response(0x9F, bytes(4))

    def _read(self, *, fingerprint: bool) -> tuple[bytes, bool]:
        ready = self.present and self._selected
        self._found = self._selected = False  # the next read needs find + select again
        if not ready or self._card is None:
            return p.build_response(0x41), False
        if self._counters.read_failure:
            self._counters.read_failure -= 1
            return p.build_response(0x41), False
        head = b"\x01\x00\x04\x00" + (b"\x00\x00" if fingerprint else b"")
        reply = bytearray(
            p.build_response(0x90, head + encode_text(self._card) + bytes(p.PHOTO_SIZE))
        )
        if self._counters.bad_checksum:
            self._counters.bad_checksum -= 1
            reply[10 + len(head)] ^= 0x01  # a line error inside the name field
            return bytes(reply), False
        self.reads += 1
        if self.faults.reseat_after_read:
            self._absent_left = self.faults.reseat_after_read
            self._counters = dataclasses.replace(self.faults)
        return bytes(reply), True

    # ------------------------------------------------------------------ pty pump

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.serve, name="idcard-sim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

    def serve(self) -> None:
        """Answer frames until ``stop()``; returns quietly if the pty is closed under it."""
        if self.link is None:
            raise RuntimeError("simulator has no pty link to serve")
        parser = p.FrameParser()
        fd = self.link.master
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(fd, 4096)
            except (OSError, ValueError):
                return
            for frame in parser.feed(data):
                reply, is_read = self._respond(frame)
                try:
                    self._send(reply)
                except OSError:
                    return
                if is_read and self.on_read_sent is not None:
                    self.on_read_sent(time.perf_counter_ns())

    def _send(self, reply: bytes) -> None:
        f = self.faults
        if f.noise:
            # No 0x96 in the noise, so it can never contain a whole preamble by chance; the
            # trailing AA AA makes the parser hold a partial preamble across the boundary.
            junk = bytes(b if b != 0x96 else 0x00 for b in self._rng.randbytes(f.noise))
            reply = junk + b"\xaa\xaa" + reply
        assert self.link is not None
        if not f.chunk_size:
            self.link.write(reply)
            return
        for start in range(0, len(reply), f.chunk_size):
            if start and f.chunk_delay:
                time.sleep(f.chunk_delay)
            self.link.write(reply[start : start + f.chunk_size])


def run_cli(
    link_path: str,
    card: IdCard | None,
    faults: Faults,
    *,
    placed: bool,
    load: Callable[[str], IdCard],
    stdin: IO[str],
    stdout: IO[str],
) -> int:
    """``timebank sim idcard``: serve on a pty, take ``place [FILE]`` / ``remove`` on stdin."""
    from pathlib import Path

    with PtyLink(Path(link_path)) as link:
        sim = IdCardSimulator(link, card, faults=faults, placed=placed and card is not None)
        sim.start()
        print(f"ready {link.url} -> {link.path}", file=stdout, flush=True)
        try:
            for line in stdin:
                _command(sim, line.split(), load, stdout)
            # End of input is not the end of the simulator: it serves until Ctrl-C.
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
    return 0


def _command(
    sim: IdCardSimulator, words: list[str], load: Callable[[str], IdCard], out: IO[str]
) -> None:
    if not words:
        return
    verb, args = words[0], words[1:]
    try:
        if verb == "place":
            sim.place(load(" ".join(args)) if args else None)
            reply = "ok placed" if sim.present else "error no card loaded"
        elif verb == "remove":
            sim.remove()
            reply = "ok removed"
        elif verb == "status":
            reply = f"ok present={sim.present} reads={sim.reads}"
        else:
            reply = f"error unknown command {verb!r} (place [FILE] | remove | status)"
    except (OSError, ValueError, IdCardError) as exc:
        reply = f"error {exc}"
    with contextlib.suppress(OSError, ValueError):
        print(reply, file=out, flush=True)
