"""``timebank device read-id`` (installer diagnostics) and ``timebank sim idcard`` (pty simulator).

Only argparse and typing are imported at load time; pyserial and the driver are imported in
the handlers so the rest of ``timebank`` starts without them.

``timebank sim idcard --link PATH [--card CARD.json] [--absent] [--fault SPEC]...``
    Creates a pty, symlinks it at PATH and answers the reader protocol until Ctrl-C. Prints
    ``ready PATH -> /dev/pts/N`` once serving. Commands on stdin, one per line, each answered
    with one ``ok ...`` / ``error ...`` line on stdout:
        ``place``        put the current card (back) on the reader
        ``place FILE``   put the card from FILE on the reader
        ``remove``       lift the card
        ``status``       ``ok present=True reads=N``
    Card files are the ``read-id --json --unmasked`` shape; they are not verified, so a
    misprinted card can be simulated. Faults (repeatable): ``empty-polls=N``, ``noise[=N]``, ``bad-checksum[=N]``,
    ``read-failure[=N]``, ``chunked[=SIZE[:DELAY]]``, ``sam-fault``, ``foreign-object``,
    ``reseat=N``; counts
    restart at every placement.

``timebank device read-id --port URL [--timeout S] [--json] [--unmasked]``
    Waits for one card and prints it (ID number masked unless ``--unmasked``). Exit codes:
    0 card read; 1 a card was there but could not be read or failed verification; 3 no
    reader answered on URL; 4 the reader is ready but no card came before the timeout.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_CARD_ERROR = 1
EXIT_NO_READER = 3
EXIT_NO_CARD = 4


def register(device: Any, sim: Any) -> None:
    read = device.add_parser("read-id", help="wait for one ID card on a reader and print it")
    read.add_argument("--port", required=True, help="pyserial URL or device path")
    read.add_argument("--timeout", type=float, default=15.0, help="seconds to wait (default 15)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("--unmasked", action="store_true", help="print the full ID number")
    read.set_defaults(handler=_read_id)

    idcard = sim.add_parser("idcard", help="an ID card reader on a pty; commands on stdin")
    idcard.add_argument("--link", required=True, help="symlink to create for the pty slave")
    idcard.add_argument("--card", help="card JSON file to place at start")
    idcard.add_argument("--absent", action="store_true", help="start with the card lifted")
    idcard.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="empty-polls=N, noise[=N], bad-checksum[=N], read-failure[=N], "
        "chunked[=SIZE[:DELAY]], sam-fault, foreign-object, reseat=N (repeatable)",
    )
    idcard.set_defaults(handler=_sim)


def _sim(args: argparse.Namespace) -> int:
    import signal
    import sys

    from devices.idcard.card import IdCard, load_card
    from devices.idcard.errors import IdCardError
    from devices.idcard.simulator import Faults, run_cli

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def load(path: str) -> IdCard:
        # Unchecked: a simulator must be able to present a misprinted or forged card.
        return load_card(path, check=False)

    # Explicit for both: a shell starts background jobs with SIGINT ignored, and a plain
    # kill must also remove the pty link.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        faults = Faults.parse(args.fault)
        card = load(args.card) if args.card else None
    except (OSError, ValueError, IdCardError) as exc:
        print(f"sim idcard: {exc} ({getattr(exc, 'detail', '')})", file=sys.stderr)
        return 2
    return run_cli(
        args.link,
        card,
        faults,
        placed=not args.absent,
        load=load,
        stdin=sys.stdin,
        stdout=sys.stdout,
    )


def _read_id(args: argparse.Namespace) -> int:
    import json
    import queue
    import sys

    from devices.base import DeviceState
    from devices.idcard.card import IdCard
    from devices.idcard.errors import IdCardError
    from devices.idcard.reader import SerialIdCardReader

    events: queue.Queue[IdCard | IdCardError] = queue.Queue()
    reader = SerialIdCardReader(args.port, on_card=events.put, on_error=events.put)
    reader.start()
    try:
        event = events.get(timeout=args.timeout)
    except queue.Empty:
        status = reader.status()
        if status.state in (DeviceState.READY, DeviceState.BUSY):
            print(f"read-id: no card placed within {args.timeout:g} s", file=sys.stderr)
            return EXIT_NO_CARD
        why = f" ({status.state}: {status.detail})" if status.detail else f" ({status.state})"
        print(
            f"read-id: no ID card reader answered on {args.port} within {args.timeout:g} s{why}",
            file=sys.stderr,
        )
        return EXIT_NO_READER
    finally:
        reader.stop()
    if isinstance(event, IdCardError):
        print(f"read-id: {event.message} ({event.detail})", file=sys.stderr)
        return EXIT_CARD_ERROR
    data = event.to_json(unmasked=args.unmasked)
    if args.json:
        try:
            print(json.dumps(data, ensure_ascii=False))
        except UnicodeEncodeError:  # a non-UTF-8 console: escapes are still the same JSON
            print(json.dumps(data))
    else:
        lines = "\n".join(f"{k}: {'' if v is None else v}" for k, v in data.items())
        try:
            print(lines)
        except UnicodeEncodeError:
            print(lines.encode("ascii", "backslashreplace").decode("ascii"))
    return 0
