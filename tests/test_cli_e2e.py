"""The whole path by the command line, as an installer would run it.

server init --demo -> server run -> enroll -> sync -> seed-demo (the station's day) -> sync:
afterwards the server's counts equal the kiosk's for every record kind.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from kiosk.services.stats import RECORD_KEYS

ROOT = Path(__file__).resolve().parent.parent


def timebank(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_station_day_flows_to_the_server(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    init = json.loads(timebank("server", "init", "--db", db, "--demo", "--json"))
    station = next(s for s in init["stations"] if s["name"] == "南沙街党群服务中心")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "server", "run", "--db", db, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    url = f"http://127.0.0.1:{port}"
    kiosk = str(tmp_path / "kiosk")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/api/v1/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
        timebank(
            "enroll", "--server", url, "--code", station["enrollment_code"], "--data-dir", kiosk
        )
        first = json.loads(timebank("sync", "--data-dir", kiosk, "--json"))
        assert first["pulled"] > 0 and first["pending"] == 0
        day = json.loads(timebank("seed-demo", "--data-dir", kiosk, "--json"))
        assert day["walkins"] > 0 and day["checkins"] > 0 and day["needs"] > 0
        second = json.loads(timebank("sync", "--data-dir", kiosk, "--json"))
        assert second["pushed"] > 0 and second["pending"] == 0 and second["quarantined"] == 0
    finally:
        server.terminate()
        server.wait(timeout=20)
    kiosk_status = json.loads(timebank("status", "--data-dir", kiosk, "--json"))
    server_status = json.loads(timebank("server", "stats", "--db", db, "--json"))
    for key in RECORD_KEYS:
        assert kiosk_status["counts"][key] == server_status["counts"][key], key
    assert kiosk_status["ledger"] == server_status["ledger"]
    timebank("db", "check", "--data-dir", kiosk)
