"""The ``timebank`` command: one entry point, subcommands owned by each layer.

Each layer that drives something has a ``cli`` module with ``register(subparsers)``; they
are found by module name, so the core never imports the layers above it. A layer's cli
module imports only argparse at load time and its heavy dependencies (Qt, FastAPI,
pyserial) inside the handler, so ``timebank db check`` starts without any of them.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from collections.abc import Callable, Sequence

LAYERS = ("kiosk.cli", "devices.cli", "sync.cli", "server.cli", "ui.cli")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timebank", description="党员时间银行 kiosk and server tools"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in LAYERS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
