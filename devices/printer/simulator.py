"""An ESC/POS receipt printer on a pty, for tests and for installers without hardware.

It records every byte it is sent (minus the status requests), answers ``DLE EOT n`` with the
status bytes it is told to report, and can play dead: ``silent`` never answers, and
``close_after`` drops the line after some bytes, like a printer switched off mid-receipt.
Status requests are found in the byte stream as ``10 04 n``; a real printer has the same
ambiguity inside binary data, and receipts here carry none.
"""

from __future__ import annotations

import os
import select
import threading
import time
from pathlib import Path
from typing import TextIO

from devices.pty import PtyLink

OK = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
# DLE EOT 1/2/4 replies per condition (device-protocols.md, Epson DLE EOT table).
CONDITIONS: dict[str, dict[int, int]] = {
    "ok": OK,
    "near-end": {**OK, 4: 0x1E},
    "paper-end": {**OK, 1: 0x1A, 2: 0x32, 4: 0x7E},
    "cover-open": {**OK, 1: 0x1A, 2: 0x16},
    "offline": {**OK, 1: 0x1A},
}


class PrinterSimulator:
    def __init__(self, link: Path | None = None, *, condition: str = "ok") -> None:
        self.pty = PtyLink(link)
        self.received = bytearray()
        self.requests: list[int] = []
        self.status = dict(CONDITIONS[condition])
        self.silent = False
        self.close_after: int | None = None  # drop the line after this many data bytes
        self.condition_after: tuple[int, str] | None = None  # (bytes, condition): runs out mid-job
        self.closed = False
        self._reading = threading.Event()
        self._reading.set()
        self._pending = bytearray()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="printer-sim", daemon=True)

    @property
    def url(self) -> str:
        return self.pty.url

    def set_condition(self, name: str) -> None:
        with self._cond:
            self.status = dict(CONDITIONS[name])

    def hold(self) -> None:
        """Stop reading, like a printer whose buffer is full: writers block on the pty."""
        self._reading.clear()

    def release(self) -> None:
        self._reading.set()

    def start(self) -> PrinterSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self._close()

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def data(self) -> bytes:
        with self._cond:
            return bytes(self.received)

    def wait_for(self, size: int, timeout: float = 10.0) -> bytes:
        """Block until ``size`` data bytes have arrived (or the timeout); returns them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < size and not self.closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return bytes(self.received)

    def _close(self) -> None:
        with self._cond:
            if not self.closed:
                self.closed = True
                self.pty.close()
            self._cond.notify_all()

    def _run(self) -> None:
        while not self._stop.is_set() and not self.closed:
            if not self._reading.wait(0.05):
                continue
            try:
                ready, _, _ = select.select([self.pty.master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self.pty.master, 4096)
            except OSError:
                break
            self._feed(chunk)
            if self.condition_after is not None and len(self.received) >= self.condition_after[0]:
                self.set_condition(self.condition_after[1])
                self.condition_after = None
            if self.close_after is not None and len(self.received) >= self.close_after:
                self._close()
        self._close()

    def _feed(self, chunk: bytes) -> None:
        answers = bytearray()
        with self._cond:
            pending = self._pending
            pending += chunk
            while True:
                at = pending.find(b"\x10\x04")
                if at < 0:
                    keep = 1 if pending.endswith(b"\x10") else 0
                    self.received += pending[: len(pending) - keep]
                    del pending[: len(pending) - keep]
                    break
                if at + 2 >= len(pending):
                    self.received += pending[:at]
                    del pending[:at]
                    break
                n = pending[at + 2]
                if n in self.status:
                    self.received += pending[:at]
                    self.requests.append(n)
                    if not self.silent:
                        answers.append(self.status[n])
                    del pending[: at + 3]
                else:
                    self.received += pending[: at + 2]
                    del pending[: at + 2]
            self._cond.notify_all()
        if answers:
            try:
                self.pty.write(bytes(answers))
            except OSError:
                pass


def run_cli(link: str, condition: str, out: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """``timebank sim printer``: serve until end of input or a signal; commands on stdin."""
    sim = PrinterSimulator(Path(link), condition=condition).start()
    print(f"ready {link} -> {sim.pty.path}", file=stdout, flush=True)
    try:
        for line in stdin:
            command = line.strip()
            if command in CONDITIONS:
                sim.set_condition(command)
                sim.silent = False
                print(f"ok {command}", file=stdout, flush=True)
            elif command == "silent":
                sim.silent = True
                print("ok silent", file=stdout, flush=True)
            elif command == "status":
                print(
                    f"ok received={len(sim.data())} requests={len(sim.requests)}",
                    file=stdout,
                    flush=True,
                )
            elif command:
                print(f"error unknown command {command!r}", file=stdout, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        if out is not None:
            Path(out).write_bytes(sim.data())
    return 0
