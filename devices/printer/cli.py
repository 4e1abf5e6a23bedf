"""``timebank device print-test``, ``timebank device list`` and ``timebank sim printer``.

Only argparse and typing are imported at load time; pyserial, python-escpos and the driver
are imported inside the handlers so the rest of ``timebank`` starts without them.

``timebank device print-test --printer URL [--timeout S] [--status-only]``
    Prints a sample need ticket and a sample check-in slip (fixed sample data, so the bytes
    are the same on every run) and reports the printer status. Exit codes: 0 printed;
    1 the printer reported a fault (paper end, cover open, offline, error); 3 no printer
    answered or a job did not finish within the timeout; 2 bad URL.

``timebank device list [--json]``
    Serial ports with USB VID:PID (and the bridge chip when known), one per line.

``timebank sim printer --link PATH [--condition ok|near-end|paper-end|cover-open|offline]
[--out FILE]``
    An ESC/POS printer on a pty. Prints ``ready PATH -> /dev/pts/N``; stdin commands, one
    per line, each answered with ``ok ...``: a condition name, ``silent`` (stop answering
    status requests), ``status``. Received bytes are written to FILE on exit.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_FAULT = 1
EXIT_BAD_URL = 2
EXIT_NO_PRINTER = 3

SAMPLE_TICKET = "0190f3a2-7c1e-7d2a-9b41-5e8f0c6a1d37"


def register(device: Any, sim: Any) -> None:
    test = device.add_parser("print-test", help="print a sample need ticket and check-in slip")
    test.add_argument(
        "--printer",
        required=True,
        help="printer URL: serial:///dev/ttyUSB0, tcp://host, file://...",
    )
    test.add_argument("--timeout", type=float, default=15.0, help="seconds per job (default 15)")
    test.add_argument("--status-only", action="store_true", help="report status, print nothing")
    test.set_defaults(handler=_print_test)

    ports = device.add_parser("list", help="list serial ports with USB VID:PID")
    ports.add_argument("--json", action="store_true", help="print one JSON array")
    ports.set_defaults(handler=_list)

    printer = sim.add_parser("printer", help="an ESC/POS printer on a pty; commands on stdin")
    printer.add_argument("--link", required=True, help="symlink to create for the pty slave")
    printer.add_argument(
        "--condition",
        choices=("ok", "near-end", "paper-end", "cover-open", "offline"),
        default="ok",
        help="status the printer reports at start",
    )
    printer.add_argument("--out", help="file to write the received bytes to on exit")
    printer.set_defaults(handler=_sim)


def sample_jobs(layout: Any) -> list[bytes]:
    """The two sample receipts of ``print-test``, built for ``layout``."""
    import datetime as dt

    from devices.printer import receipts
    from devices.qr.tokens import need_qr_text

    at = dt.datetime(2026, 1, 1, 9, 30)
    return [
        receipts.need_ticket(
            masked_name="张*英",
            category="助老服务（测试）",
            wished_time="周六上午 9:00-11:00",
            station="测试服务站",
            qr_text=need_qr_text(SAMPLE_TICKET),
            printed_at=at,
            layout=layout,
        ),
        receipts.checkin_slip(
            masked_name="李*",
            activity="社区义诊志愿服务（测试）",
            at=at,
            station="测试服务站",
            minutes=90,
            coins="1.5",
            layout=layout,
        ),
    ]


def _print_test(args: argparse.Namespace) -> int:
    import concurrent.futures
    import sys
    import time

    from devices.base import DeviceState
    from devices.printer.printer import open_printer
    from devices.printer.status import PrinterError, PrinterTimeout

    try:
        printer = open_printer(args.printer, job_timeout=args.timeout)
    except ValueError as exc:
        print(f"print-test: {exc}", file=sys.stderr)
        return EXIT_BAD_URL
    printer.start()
    code = 0
    try:
        if args.status_only:
            deadline = time.monotonic() + min(args.timeout, 5.0)
            while printer.status().state is DeviceState.CONNECTING and time.monotonic() < deadline:
                time.sleep(0.05)
        else:
            futures = [printer.print_job(job) for job in sample_jobs(printer.layout)]
            for name, future in zip(("need ticket", "check-in slip"), futures, strict=True):
                try:
                    result = future.result(timeout=args.timeout + 1.0)
                except PrinterError as exc:
                    print(
                        f"print-test: {name} failed: {exc.detail} ({exc.message})", file=sys.stderr
                    )
                    timeout = (
                        isinstance(exc, PrinterTimeout) or exc.state is DeviceState.DISCONNECTED
                    )
                    code = code or (EXIT_NO_PRINTER if timeout else EXIT_FAULT)
                except concurrent.futures.TimeoutError:
                    print(f"print-test: {name} did not finish in time", file=sys.stderr)
                    code = code or EXIT_NO_PRINTER
                else:
                    print(f"printed {name}: {result.bytes_sent} bytes")
        status = printer.status()
        detail = f" ({status.detail})" if status.detail else ""
        print(f"printer {status.state}{detail}: {status.message}")
        if args.status_only and status.state is not DeviceState.READY:
            code = EXIT_NO_PRINTER if status.state is DeviceState.DISCONNECTED else EXIT_FAULT
    finally:
        printer.stop()
    return code


def _list(args: argparse.Namespace) -> int:
    import json
    import sys

    from devices.ports import list_serial_ports

    ports = list_serial_ports()
    if args.json:
        print(json.dumps([p.to_json() for p in ports], ensure_ascii=False))
        return 0
    if not ports:
        print("no serial ports found", file=sys.stderr)
        return 0
    for p in ports:
        chip = f" [{p.bridge}]" if p.bridge else ""
        print(f"{p.device}\t{p.vid_pid or '-'}{chip}\t{p.description}")
    return 0


def _sim(args: argparse.Namespace) -> int:
    import signal
    import sys

    from devices.printer.simulator import run_cli

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    return run_cli(args.link, args.condition, args.out, sys.stdin, sys.stdout)
