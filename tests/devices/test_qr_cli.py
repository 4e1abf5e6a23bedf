"""``timebank device scan`` against ``timebank sim qr``, both as real subprocesses."""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from devices.qr.tokens import generate_keypair, route, sign_member_token

ROOT = Path(__file__).resolve().parents[2]
WAIT = 20.0
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    out: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            out.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return out


def wait_for_line(lines: queue.Queue[str], needle: str) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return seen
    pytest.fail(f"never saw {needle!r}; got {seen!r}")


def kiosk(*args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        env=ENV,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=WAIT)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_device_scan_reads_what_the_simulator_sends(
    tmp_path: Path, procs: list[subprocess.Popen[str]]
) -> None:
    link = tmp_path / "qr"
    sim = kiosk("sim", "qr", "--link", str(link), "--aim", "]Q1", stdin=subprocess.PIPE)
    procs.append(sim)
    assert sim.stderr is not None and sim.stdin is not None
    wait_for_line(lines_of(sim.stderr), "qr simulator on")
    assert link.is_symlink()

    scan = kiosk("device", "scan", "--port", str(link), "--count", "3", "--json", "--timeout", "30")
    procs.append(scan)
    assert scan.stderr is not None and scan.stdout is not None
    wait_for_line(lines_of(scan.stderr), "scanner ready")

    private, _ = generate_keypair()
    token = sign_member_token(private, "k1", uuid.uuid4(), dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    sim.stdin.write(f"TBA1:42\n南沙区时间银行\n{token}\n")
    sim.stdin.flush()

    out, _ = scan.communicate(timeout=WAIT)
    assert scan.returncode == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records == [
        {"data": "TBA1:42", "symbology": "qr"},
        {"data": "南沙区时间银行", "symbology": "qr"},
        {"data": token, "symbology": "qr"},
    ]
    assert [route(r["data"]).kind for r in records] == ["activity", "unknown", "member"]

    sim.stdin.close()  # end of input: the simulator exits and removes its link
    assert sim.wait(timeout=WAIT) == 0
    assert not link.exists() and not link.is_symlink()


def test_device_scan_times_out_with_no_scanner(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "kiosk", "device", "scan"),
            *("--port", str(tmp_path / "none"), "--count", "1", "--timeout", "0.3"),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "scanner disconnected" in result.stderr
    assert "timed out after 0 scan(s)" in result.stderr


def test_cli_module_loads_no_heavy_dependencies() -> None:
    code = (
        "import sys, json, argparse\n"
        "from devices.qr import cli\n"
        "p = argparse.ArgumentParser(); s = p.add_subparsers()\n"
        "cli.register(s.add_parser('device').add_subparsers(), s.add_parser('sim').add_subparsers())\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('serial', 'cryptography', 'qrcode', 'PIL') "
        "or (m.startswith('devices.qr.') and m != 'devices.qr.cli'))\n"
        "print(json.dumps(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []
