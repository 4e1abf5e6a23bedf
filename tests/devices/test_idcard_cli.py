"""``timebank sim idcard`` and ``timebank device read-id`` as separate processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "devices" / "idcard" / "cards"


class SimProcess:
    def __init__(self, link: Path, *args: str) -> None:
        self.link = link
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sim", "idcard", "--link", str(link), *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        assert first.startswith(f"ready {link} -> /dev/"), first + self._stderr()

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        assert self.proc.stderr is not None
        return self.proc.stderr.read()

    def send(self, line: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout=10)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
        return rc


StartSim = Callable[..., SimProcess]


@pytest.fixture
def sim_factory(tmp_path: Path) -> Iterator[StartSim]:
    started: list[SimProcess] = []

    def start(*args: str) -> SimProcess:
        sim = SimProcess(tmp_path / "idcard", *args)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.close()


def read_id(*args: str, timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "device", "read-id", *args, "--timeout", str(timeout)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout + 20,
    )


def test_read_id_json_is_masked(sim_factory: StartSim) -> None:
    sim = sim_factory("--card", str(CARDS / "resident_wang_yan.json"), "--fault", "chunked")
    out = read_id("--port", str(sim.link), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == {
        "card_type": "resident",
        "name": "王䶮",
        "sex": "男",
        "nation": "汉",
        "nation_code": "01",
        "birth_date": "1968-04-15",
        "address": "广东省广州市南沙区黄阁镇麒麟一路测试大街8号之二101房",
        "id_number": "440***********0039",
        "issuer": "广州市公安局南沙分局",
        "valid_from": "2016-05-20",
        "valid_to": "长期",
    }
    assert "440115196804150039" not in out.stdout + out.stderr
    assert sim.close() == 0
    assert not sim.link.exists()  # the simulator removes its link on Ctrl-C


def test_read_id_unmasked_foreign_card_with_faults(sim_factory: StartSim) -> None:
    sim = sim_factory(
        "--card",
        str(CARDS / "foreign_2023_montgomery.json"),
        "--fault",
        "noise",
        "--fault",
        "bad-checksum",
        "--fault",
        "read-failure",
    )
    out = read_id("--port", str(sim.link), "--json", "--unmasked")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["card_type"] == "foreign_permanent_resident"
    assert data["english_name"] == "MONTGOMERY-WHITFIELD, CHARLOTTE ANNE ELIZABETH"
    assert data["id_number"] == "944826198803040020"
    assert (data["nationality"], data["issue_count"], data["sex"]) == ("GBR", 0, "女")


def test_sim_commands_on_stdin_drive_placement(sim_factory: StartSim) -> None:
    sim = sim_factory("--absent")
    assert sim.send("status") == "ok present=False reads=0"
    assert sim.send("place") == "error no card loaded"
    assert sim.send(f"place {CARDS / 'hmt_permit_chen.json'}") == "ok placed"
    out = read_id("--port", str(sim.link), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["card_type"] == "hmt_residence_permit" and data["name"] == "陈嘉欣"
    assert data["pass_number"] == "H60**3456" and data["issue_count"] == 1
    assert sim.send("status") == "ok present=True reads=1"
    assert sim.send("remove") == "ok removed"
    assert sim.send("frobnicate").startswith("error unknown command")


def test_read_id_times_out_without_a_card(sim_factory: StartSim) -> None:
    sim = sim_factory("--card", str(CARDS / "resident_wang_yan.json"), "--absent")
    out = read_id("--port", str(sim.link), timeout=1.0)
    assert out.returncode == 4
    assert "no card" in out.stderr


def test_read_id_without_a_reader_fails_clearly(tmp_path: Path) -> None:
    out = read_id("--port", str(tmp_path / "nothing-here"), "--json", timeout=1.0)
    assert out.returncode == 3
    assert "no ID card reader answered" in out.stderr and out.stdout == ""


def test_read_id_reports_a_card_that_fails_verification(
    tmp_path: Path, sim_factory: StartSim
) -> None:
    bad = json.loads((CARDS / "resident_wang_yan.json").read_text(encoding="utf-8"))
    bad["birth_date"] = "1968-04-16"  # disagrees with the ID number
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    sim = sim_factory("--card", str(path))
    out = read_id("--port", str(sim.link), "--json")
    assert out.returncode == 1 and out.stdout == ""
    assert "birth" in out.stderr and "440115" not in out.stderr


def test_sim_rejects_an_unknown_fault(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "sim",
            "idcard",
            "--link",
            str(tmp_path / "x"),
            "--fault",
            "gremlins",
        ],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert out.returncode == 2 and "gremlins" in out.stderr
