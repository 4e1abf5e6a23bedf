"""Printer URLs and the byte pipes behind them.

A printer is configured by one URL, so installers can move a kiosk from a serial printer to a
network one by changing a string:

``serial:///dev/ttyUSB0?baudrate=9600``, or any pyserial URL or path (``/dev/ttyUSB0``,
``COM3``, ``hwgrep://1A86:7523``, ``socket://host:port``, ``spy:///dev/ttyUSB0``, a pty)
    pyserial ``serial_for_url``. Bidirectional: real-time status is asked for.
``usb://VID:PID`` (hex)
    python-escpos ``Usb`` (needs pyusb). Status off unless ``status=1``.
``tcp://host[:9100]``
    python-escpos ``Network`` (raw port 9100). Bidirectional.
``file:///dev/usb/lp0`` or ``file:///tmp/out.bin``
    python-escpos ``File``; the file is truncated when the printer connects, and every job
    is appended while it stays connected. Write-only: no status.
``dummy`` / ``dummy://...``
    ``devices.printer.dummy.DummyPrinter`` (records jobs in memory).

Options for every kind: ``width`` (columns: 32 for 58 mm, 48 for 80 mm), ``cut``
(``full``/``partial``/``none``), ``status`` (``1``/``0``: ask ``DLE EOT``). Serial options:
``baudrate bytesize parity stopbits xonxoff rtscts dsrdtr``. USB: ``in_ep out_ep``. Other
options of a pyserial URL (``?logging=debug``) are passed through to pyserial untouched.

python-escpos's own ``Serial`` is not used: it cannot open pyserial URLs, and its ``close()``
calls ``flush()`` (tcdrain), which blocks for ever on a printer that stopped reading.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from devices.printer.receipts import DEFAULT_LAYOUT, Cut, Layout
from devices.printer.status import PrinterDisconnected, PrinterError, PrinterTimeout

Kind = Literal["serial", "usb", "tcp", "file", "dummy"]

_COMMON = {"width", "cut", "status"}
_SERIAL = {"baudrate", "bytesize", "parity", "stopbits", "xonxoff", "rtscts", "dsrdtr"}
_USB = {"in_ep", "out_ep"}
_CHUNK = 1024  # bytes per write: the job deadline is checked between chunks


@dataclass(frozen=True)
class PrinterTarget:
    kind: Kind
    address: str  # pyserial URL or path, "VID:PID", "host:port", file path, dummy name
    layout: Layout = DEFAULT_LAYOUT
    status: bool = False
    options: dict[str, str] = field(default_factory=dict)


def _flag(value: str, name: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"printer URL option {name}={value!r}: expected 1 or 0")


def parse_printer_url(url: str) -> PrinterTarget:
    """Split a printer URL into kind, address and options; raises ``ValueError`` if bad."""
    url = url.strip()
    if not url:
        raise ValueError("empty printer URL")
    base, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    kind: Kind
    if base == "dummy" or base.startswith("dummy:"):
        kind, address = "dummy", base
    elif base.startswith("serial:"):
        kind, address = "serial", base.removeprefix("serial:").removeprefix("//")
    elif base.startswith("usb://"):
        kind, address = "usb", base.removeprefix("usb://")
    elif base.startswith("tcp://"):
        kind, address = "tcp", base.removeprefix("tcp://")
    elif base.startswith("file://"):
        kind, address = "file", base.removeprefix("file://")
    else:
        kind, address = "serial", base
    if not address:
        raise ValueError(f"printer URL {url!r} has no device")
    owned = _COMMON | (_SERIAL if kind == "serial" else _USB if kind == "usb" else set())
    mine = {k: v for k, v in pairs if k in owned}
    rest = [(k, v) for k, v in pairs if k not in owned]
    if rest and not (kind == "serial" and "://" in address):
        raise ValueError(f"printer URL {url!r}: unknown option(s) {', '.join(k for k, _ in rest)}")
    if rest:
        address += "?" + urlencode(rest)
    try:
        layout = Layout(
            width=int(mine.pop("width", "32")),
            cut=Cut(mine.pop("cut", "partial").lower()),
        )
    except ValueError as exc:
        raise ValueError(f"printer URL {url!r}: {exc}") from None
    if not 16 <= layout.width <= 80:
        raise ValueError(f"printer URL {url!r}: width must be 16..80 columns")
    status = _flag(mine.pop("status"), "status") if "status" in mine else kind in ("serial", "tcp")
    if kind == "usb":
        _vid_pid(address)
    if kind == "tcp":
        _host_port(address)
    return PrinterTarget(kind, address, layout, status, mine)


def _vid_pid(address: str) -> tuple[int, int]:
    try:
        vid, pid = (int(part, 16) for part in address.split(":"))
    except ValueError:
        raise ValueError(
            f"usb printer {address!r}: expected VID:PID in hex, e.g. 0416:5011"
        ) from None
    return vid, pid


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "9100")
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise ValueError(f"tcp printer {address!r}: bad port") from None


# ---------------------------------------------------------------------------- transports

Aborted = Callable[[], bool]


class Transport(ABC):
    """Moves bytes to a printer; every call is bounded in time and raises ``PrinterError``."""

    bidirectional = False

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def _write_chunk(self, chunk: bytes, timeout: float) -> None: ...

    def query(self, request: bytes, timeout: float) -> bytes:
        """Send a real-time request and return the first reply byte, or b"" on silence."""
        return b""

    @abstractmethod
    def close(self) -> None: ...

    def write(self, data: bytes, deadline: float, aborted: Aborted) -> int:
        """Write in chunks until done, the deadline passes, or the job is abandoned.

        Stopping between chunks keeps a timed-out job from being finished minutes later.
        """
        sent = 0
        view = memoryview(data)
        while sent < len(data):
            left = deadline - time.monotonic()
            if left <= 0 or aborted():
                raise PrinterTimeout(f"job abandoned after {sent} of {len(data)} bytes")
            chunk = bytes(view[sent : sent + _CHUNK])
            self._write_chunk(chunk, left)
            sent += len(chunk)
        return sent


class SerialTransport(Transport):
    def __init__(self, target: PrinterTarget) -> None:
        self.target = target
        self.bidirectional = target.status
        self._port: Any = None

    def open(self) -> None:
        import serial

        opts: dict[str, Any] = {"baudrate": 9600, "timeout": 0.5, "write_timeout": 1.0}
        for key, value in self.target.options.items():
            if key in ("xonxoff", "rtscts", "dsrdtr"):
                opts[key] = _flag(value, key)
            elif key in ("baudrate", "bytesize"):
                opts[key] = int(value)
            elif key == "stopbits":
                opts[key] = float(value) if "." in value else int(value)
            else:
                opts[key] = value.upper()[:1]  # parity: N E O M S
        try:
            self._port = serial.serial_for_url(self.target.address, **opts)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterDisconnected(f"cannot open {self.target.address}: {exc}") from exc

    def _write_chunk(self, chunk: bytes, timeout: float) -> None:
        import serial

        try:
            self._port.write_timeout = timeout
            written = self._port.write(chunk)
        except serial.SerialTimeoutException as exc:
            raise PrinterTimeout("printer is not taking data (write timeout)") from exc
        except (serial.SerialException, OSError) as exc:
            raise PrinterDisconnected(f"write failed: {exc}") from exc
        if written is not None and written < len(chunk):
            raise PrinterDisconnected(f"short write: {written} of {len(chunk)} bytes")

    def query(self, request: bytes, timeout: float) -> bytes:
        import serial

        try:
            self._port.reset_input_buffer()  # a late reply to an earlier request is not ours
            self._port.write_timeout = max(timeout, 0.05)
            self._port.write(request)
            self._port.timeout = max(timeout, 0.0)
            reply: bytes = self._port.read(1)
        except serial.SerialTimeoutException:
            return b""
        except (serial.SerialException, OSError) as exc:
            raise PrinterDisconnected(f"status request failed: {exc}") from exc
        return reply

    def close(self) -> None:
        port, self._port = self._port, None
        if port is None:
            return
        try:
            port.reset_output_buffer()  # never close() with a tcdrain on a dead printer
        except Exception:
            pass
        try:
            port.close()
        except Exception:
            pass


class EscposTransport(Transport):
    """Wraps a python-escpos printer object (``Network``, ``File``, ``Usb``)."""

    def __init__(
        self,
        make: Callable[[], Any],
        name: str,
        bidirectional: bool,
        connect: Callable[[Any], None] | None = None,
    ) -> None:
        self._make = make
        self._connect = connect
        self.name = name
        self.bidirectional = bidirectional
        self._printer: Any = None

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError

        printer = self._make()
        try:
            if self._connect is not None:
                self._connect(printer)
            else:
                printer.open()
        except (DeviceNotFoundError, OSError) as exc:
            raise PrinterDisconnected(f"cannot open {self.name}: {exc}") from exc
        self._printer = printer

    def _write_chunk(self, chunk: bytes, timeout: float) -> None:
        sock = _socket_of(self._printer)
        try:
            if sock is not None:
                sock.settimeout(timeout)
            self._printer._raw(chunk)
        except TimeoutError as exc:
            raise PrinterTimeout("printer is not taking data (write timeout)") from exc
        except Exception as exc:  # OSError, usb.core.USBError: the device went away
            if type(exc).__name__ == "USBTimeoutError":
                raise PrinterTimeout("printer is not taking data (USB timeout)") from exc
            raise PrinterDisconnected(f"write to {self.name} failed: {exc}") from exc

    def query(self, request: bytes, timeout: float) -> bytes:
        sock = _socket_of(self._printer)
        try:
            if sock is not None:
                _drain(sock)
                sock.settimeout(max(timeout, 0.05))
                sock.sendall(request)
                reply: bytes = sock.recv(1)
                if not reply:
                    raise PrinterDisconnected(f"{self.name} closed the connection")
                return reply
            self._printer._raw(request)
            data = self._printer.device.read(self._printer.in_ep, 16, int(timeout * 1000))
            return bytes(data[:1])
        except TimeoutError:
            return b""
        except PrinterError:
            raise
        except Exception as exc:
            if type(exc).__name__ == "USBTimeoutError":
                return b""
            raise PrinterDisconnected(f"status request to {self.name} failed: {exc}") from exc

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is None:
            return
        try:
            printer.close()
        except Exception:
            pass


def _socket_of(printer: Any) -> Any:
    import socket

    device = getattr(printer, "_device", None)
    return device if isinstance(device, socket.socket) else None


def _drain(sock: Any) -> None:
    sock.settimeout(0)
    try:
        while sock.recv(64):
            pass
    except (BlockingIOError, TimeoutError):
        pass


def make_transport(target: PrinterTarget, *, connect_timeout: float = 3.0) -> Transport:
    """The transport for a parsed URL (not opened). Raises ``PrinterError`` if unusable here."""
    if target.kind == "serial":
        return SerialTransport(target)
    if target.kind == "tcp":
        host, port = _host_port(target.address)

        def network() -> Any:
            from escpos.printer import Network

            return Network(host, port, timeout=connect_timeout)

        def connect(printer: Any) -> None:
            # Not Network.open(): python-escpos 3.1 drops the socket unclosed when connect fails.
            import socket

            printer.device = socket.create_connection((host, port), timeout=connect_timeout)

        return EscposTransport(network, f"tcp://{host}:{port}", target.status, connect)
    if target.kind == "file":
        path = target.address

        def file() -> Any:
            from escpos.printer import File

            return File(path, auto_flush=True)

        return EscposTransport(file, path, target.status)
    if target.kind == "usb":
        from escpos.printer import usb as escpos_usb

        if not escpos_usb.is_usable():
            raise PrinterError(
                "usb:// needs pyusb, which is not installed", "打印机驱动缺少 USB 组件。"
            )
        vid, pid = _vid_pid(target.address)
        in_ep = int(target.options.get("in_ep", "0x82"), 0)
        out_ep = int(target.options.get("out_ep", "0x01"), 0)

        def usb() -> Any:
            from escpos.printer import Usb

            return Usb(vid, pid, timeout=int(connect_timeout * 1000), in_ep=in_ep, out_ep=out_ep)

        return EscposTransport(usb, f"usb://{target.address}", target.status)
    raise ValueError(f"no transport for {target.kind!r} printers")
