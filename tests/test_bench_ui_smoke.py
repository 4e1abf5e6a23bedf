"""``bench/ui.py --quick`` runs to the end and prints its three figures.

A smoke test of the benchmark only: it checks that each part ran and reported, never how
fast or how big anything was (tests never assert timings; the machine may be busy).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_ui_quick_prints_the_three_figures() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ui.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=900,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    number = r"\d+(?:\.\d+)?"
    assert re.search(rf"kiosk/bare: {number}x \(goal <= 1\.5x\): (met|MISSED)", out), out
    assert re.search(
        rf"longest stall during sync: {number} ms \(goal <= 50 ms\): (met|MISSED)", out
    ), out
    assert re.search(rf"RSS growth -?{number}% \(goal <= 10%\): (met|MISSED)", out), out
    assert re.search(r"all [\d,]+ acked: (yes|NO)", out), out
    assert "goals: start " in out, out
