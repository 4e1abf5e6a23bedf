"""``timebank device print-test`` / ``device list`` / ``sim printer`` as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from devices.printer import receipts
from devices.printer.cli import sample_jobs
from devices.printer.simulator import PrinterSimulator

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}


def timebank(
    *args: str, timeout: float = 30.0, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        check=False,
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def test_print_test_to_a_file_writes_the_sample_receipts(tmp_path: Path) -> None:
    out = tmp_path / "x.bin"
    done = timebank("device", "print-test", "--printer", f"file://{out}")
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data == b"".join(sample_jobs(receipts.Layout()))
    # Spot checks written out by hand, independent of the builders.
    assert data.startswith(bytes.fromhex("1B40 1C26 1B6101 1D2111 B7FECEF1D0E8C7F3BBD8D6B4 0A"))
    qr = "TBN1:0190f3a2-7c1e-7d2a-9b41-5e8f0c6a1d37"
    assert (
        bytes.fromhex("1D286B 2C00 315030") + qr.encode() + bytes.fromhex("1D286B 0300 315130")
        in data
    )
    assert bytes.fromhex("C7A9B5BDC6BECCF5") in data  # 签到凭条
    assert data.count(bytes.fromhex("1B6404 1D5601")) == 2 and data.endswith(
        bytes.fromhex("1D5601")
    )
    assert "printed need ticket" in done.stdout and "printer ready" in done.stdout


def test_print_test_uses_the_urls_paper_width_and_cut(tmp_path: Path) -> None:
    out = tmp_path / "wide.bin"
    done = timebank("device", "print-test", "--printer", f"file://{out}?width=48&cut=full")
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert b"-" * 48 + b"\n" in data and data.endswith(bytes.fromhex("1B6404 1D5600"))


def test_print_test_through_a_pty_printer() -> None:
    with PrinterSimulator() as sim:
        done = timebank("device", "print-test", "--printer", f"serial://{sim.url}?baudrate=9600")
        expected = b"".join(sample_jobs(receipts.Layout()))
        assert done.returncode == 0, done.stderr
        assert sim.wait_for(len(expected)) == expected


def test_print_test_reports_paper_end_with_exit_1() -> None:
    with PrinterSimulator(condition="paper-end") as sim:
        done = timebank("device", "print-test", "--printer", sim.url)
        assert done.returncode == 1
        assert "paper end" in done.stderr and "缺纸" in done.stderr
        assert sim.data() == b""


def test_print_test_with_no_printer_exits_3(tmp_path: Path) -> None:
    done = timebank(
        "device", "print-test", "--printer", str(tmp_path / "ttyNONE"), "--timeout", "2"
    )
    assert done.returncode == 3
    assert "failed" in done.stderr and "disconnected" in done.stdout


def test_print_test_with_a_silent_printer_times_out_with_exit_3() -> None:
    with PrinterSimulator() as sim:
        sim.silent = True
        done = timebank("device", "print-test", "--printer", sim.url, "--timeout", "2")
        assert done.returncode == 3
        assert "no reply to DLE EOT" in done.stderr


def test_print_test_bad_url_exits_2() -> None:
    done = timebank("device", "print-test", "--printer", "usb://zz")
    assert done.returncode == 2 and "VID:PID" in done.stderr


def test_status_only_prints_nothing(tmp_path: Path) -> None:
    with PrinterSimulator(condition="cover-open") as sim:
        done = timebank("device", "print-test", "--printer", sim.url, "--status-only")
        assert done.returncode == 1 and "fault" in done.stdout
        assert sim.data() == b""


def test_device_list_json() -> None:
    done = timebank("device", "list", "--json")
    assert done.returncode == 0, done.stderr
    ports = json.loads(done.stdout)
    assert isinstance(ports, list)
    for port in ports:
        assert set(port) == {"device", "description", "vid_pid", "serial_number", "bridge"}


def test_sim_printer_records_what_it_is_sent(tmp_path: Path) -> None:
    link, out = tmp_path / "printer", tmp_path / "got.bin"
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "printer", "--link", str(link), "--out", str(out)],
        cwd=ROOT,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stdin is not None
            assert proc.stdout.readline().startswith(f"ready {link}")
            done = timebank("device", "print-test", "--printer", str(link))
            assert done.returncode == 0, done.stderr
            proc.stdin.write("paper-end\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "ok paper-end"
            assert timebank("device", "print-test", "--printer", str(link)).returncode == 1
            proc.stdin.close()
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    assert out.read_bytes() == b"".join(sample_jobs(receipts.Layout()))


def test_cli_modules_load_without_serial_or_escpos() -> None:
    code = (
        "import sys, json\n"
        "import devices.printer.cli, devices.manager, devices.ports\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('serial', 'escpos', 'usb', 'PIL', 'qrcode') or m.startswith(('devices.idcard', 'devices.qr')))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
