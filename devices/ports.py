"""Serial ports on this machine, with USB VID:PID, for installers choosing device URLs.

Readers, scanners and printers sit behind the same few USB-serial bridges, so the bridge's
VID:PID (``1A86:7523``) is what tells them apart, and it is stable across reboots where
``/dev/ttyUSB0`` is not: it goes straight into a ``hwgrep://1A86:7523`` URL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Bridges commonly found inside kiosk peripherals; a hint for the installer, not a rule.
KNOWN_BRIDGES = {
    "1A86:7523": "CH340",
    "1A86:5523": "CH341",
    "1A86:55D4": "CH9102",
    "067B:2303": "PL2303",
    "10C4:EA60": "CP210x",
    "0403:6001": "FT232R",
    "0403:6015": "FT231X",
}


@dataclass(frozen=True)
class PortInfo:
    device: str  # what goes into a URL: /dev/ttyUSB0, COM3
    description: str
    vid_pid: str | None  # "1A86:7523" for USB ports, None for built-in UARTs and ptys
    serial_number: str | None = None
    bridge: str | None = None  # chip name when the VID:PID is a known USB-serial bridge

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def port_info(port: Any) -> PortInfo:
    """From a pyserial ``ListPortInfo`` (or anything with the same attributes)."""
    vid, pid = getattr(port, "vid", None), getattr(port, "pid", None)
    vid_pid = f"{vid:04X}:{pid:04X}" if vid is not None and pid is not None else None
    description = getattr(port, "description", "") or ""
    return PortInfo(
        device=str(port.device),
        description="" if description == "n/a" else description,
        vid_pid=vid_pid,
        serial_number=getattr(port, "serial_number", None) or None,
        bridge=KNOWN_BRIDGES.get(vid_pid) if vid_pid else None,
    )


def list_serial_ports() -> list[PortInfo]:
    """All serial ports pyserial can see, sorted by device name."""
    from serial.tools import list_ports

    return sorted((port_info(p) for p in list_ports.comports()), key=lambda p: p.device)
