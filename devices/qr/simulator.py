"""A serial QR scanner on a pseudo-terminal, for tests, demos and installers without hardware.

``timebank sim qr --link /tmp/qr`` creates a pty, points the symlink at its slave side and
sends each line read from stdin as one scan, framed the way a configured scanner would
(AIM prefix, encoding, terminator). Point the kiosk (or ``timebank device scan``) at the
link. The driver flushes its input when it opens the port, exactly like a real scanner's
unread output is lost, so start the reader before typing lines.

Options, so every framing path of the driver can be exercised from a shell:

``--terminator cr|lf|crlf|none``   record end (default cr, the common factory setting)
``--aim ]Q1``                      AIM identifier to prepend (default none)
``--encoding utf-8|gb18030``       how text is encoded (GB18030 = scanners set to GBK)
``--hex``                          lines are hex bytes sent as they are (garbage tests)
``--linger SECONDS``               keep the pty open after end of input (default 1)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from devices.pty import PtyLink

TERMINATORS: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}


class QrScannerSimulator:
    """Writes scans to the master side of a pty; the scanner is output-only, so no reads."""

    def __init__(
        self,
        link: PtyLink,
        *,
        terminator: bytes = b"\r",
        aim: str | None = None,
        encoding: str = "utf-8",
    ) -> None:
        self.link = link
        self.terminator = terminator
        self.aim = aim
        self.encoding = encoding

    def frame(self, text: str) -> bytes:
        return (self.aim or "").encode("ascii") + text.encode(self.encoding) + self.terminator

    def send(self, text: str) -> None:
        self.link.write(self.frame(text))

    def send_raw(self, data: bytes) -> None:
        self.link.write(data)


def serve_lines(sim: QrScannerSimulator, lines: TextIO, *, hex_lines: bool = False) -> int:
    """Send each input line as one scan; returns how many were sent."""
    sent = 0
    for line in lines:
        text = line.rstrip("\r\n")
        if hex_lines:
            try:
                sim.send_raw(bytes.fromhex(text))
            except ValueError:
                print(f"not hex, skipped: {text!r}", file=sys.stderr)
                continue
        else:
            sim.send(text)
        sent += 1
    return sent


def run(args: argparse.Namespace) -> int:
    link = PtyLink(Path(args.link) if args.link else None)
    try:
        sim = QrScannerSimulator(
            link,
            terminator=TERMINATORS[args.terminator],
            aim=args.aim,
            encoding=args.encoding,
        )
        print(f"qr simulator on {link.path} (open {link.url}); one scan per line", file=sys.stderr)
        sys.stderr.flush()
        serve_lines(sim, sys.stdin, hex_lines=args.hex)
        # Closing the master hangs up the slave and may drop what the reader has not read.
        time.sleep(args.linger)
    except KeyboardInterrupt:
        pass
    finally:
        link.close()
    return 0
