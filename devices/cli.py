"""Device subcommands: ``timebank device ...`` diagnostics and ``timebank sim ...`` simulators.

Each family adds its own commands; this module and theirs import only argparse at load
time, so the rest of ``timebank`` never loads pyserial or python-escpos.
"""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    from devices.idcard import cli as idcard_cli
    from devices.printer import cli as printer_cli
    from devices.qr import cli as qr_cli

    device = sub.add_parser("device", help="device diagnostics for installers").add_subparsers(
        dest="device_command", required=True
    )
    sim = sub.add_parser("sim", help="device simulators on a pseudo-terminal").add_subparsers(
        dest="sim_command", required=True
    )
    for family in (idcard_cli, qr_cli, printer_cli):
        family.register(device, sim)
