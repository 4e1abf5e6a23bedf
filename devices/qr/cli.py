"""``timebank device scan`` (installer diagnostics) and ``timebank sim qr`` (pty simulator).

Only argparse and typing are imported at load time; pyserial and the drivers are imported
inside the handlers so the rest of ``timebank`` starts without them.

``timebank device scan --port URL [--count N] [--json]`` prints each scan as it arrives,
with ``--json`` as one object per line: ``{"data": "...", "symbology": "qr"}``. Status
changes and rejected records go to stderr, so an installer sees a wrong baud rate (garbage)
or a loose cable (disconnected) while stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(device: Any, sim: Any) -> None:
    scan = device.add_parser("scan", help="print what a serial QR scanner reads")
    scan.add_argument("--port", required=True, help="pyserial URL or device path")
    scan.add_argument("--baud", type=int, default=9600, help="9600 (default) or 115200")
    scan.add_argument("--count", type=int, default=0, help="stop after N scans (0: never)")
    scan.add_argument("--timeout", type=float, default=0.0, help="give up after S seconds")
    scan.add_argument("--json", action="store_true", help="one JSON object per scan")
    scan.set_defaults(handler=_scan)

    qr = sim.add_parser("qr", help="a serial QR scanner on a pty; one scan per stdin line")
    qr.add_argument("--link", help="symlink to create for the pty slave, e.g. /tmp/qr")
    qr.add_argument(
        "--terminator", choices=("cr", "lf", "crlf", "none"), default="cr", help="record end"
    )
    qr.add_argument("--aim", default=None, help="AIM identifier to prepend, e.g. ]Q1")
    qr.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8")
    qr.add_argument("--hex", action="store_true", help="stdin lines are raw bytes in hex")
    qr.add_argument(
        "--linger", type=float, default=1.0, help="seconds to keep the pty after end of input"
    )
    qr.set_defaults(handler=_sim)


def _sim(args: argparse.Namespace) -> int:
    from devices.qr import simulator

    return simulator.run(args)


def _scan(args: argparse.Namespace) -> int:
    import json
    import queue
    import sys
    import time

    from devices.base import DeviceStatus
    from devices.qr.framing import RecordRejected, ScanRecord
    from devices.qr.scanner import SerialQrScanner

    records: queue.Queue[ScanRecord] = queue.Queue()

    def on_status(status: DeviceStatus) -> None:
        detail = f": {status.detail}" if status.detail else ""
        print(f"scanner {status.state}{detail}", file=sys.stderr, flush=True)

    def on_reject(exc: RecordRejected) -> None:
        print(f"rejected {exc}", file=sys.stderr, flush=True)

    scanner = SerialQrScanner(args.port, records.put, baudrate=args.baud, on_reject=on_reject)
    scanner.add_status_listener(on_status)
    deadline = time.monotonic() + args.timeout if args.timeout > 0 else None
    seen = 0
    scanner.start()
    try:
        while args.count <= 0 or seen < args.count:
            wait = 0.5 if deadline is None else deadline - time.monotonic()
            if wait <= 0:
                print(f"timed out after {seen} scan(s)", file=sys.stderr)
                return 1
            try:
                record = records.get(timeout=min(wait, 0.5))
            except queue.Empty:
                continue
            seen += 1
            if args.json:
                line = json.dumps(
                    {"data": record.data, "symbology": record.symbology}, ensure_ascii=False
                )
            else:
                line = f"[{record.symbology or '-'}] {record.data}"
            print(line, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        scanner.stop()
    return 0
