"""Kiosk UI responsiveness: ``python bench/ui.py [--quick] [--runs 7] [--records 20000] [--interactions 10000]``.

Three measurements of the real kiosk (``ui.app.KioskApp``, Qt offscreen), each printed side
by side with a baseline measured in the same run:

1. **Cold start to the first painted home screen**, against a bare PySide6 window (a
   QApplication and a 1920x1080 QWidget holding a QLabel). Each start is a fresh process of
   this file (``--child bare`` / ``--child kiosk``), runs alternate kiosk/bare, and the time
   is the parent's wall clock from ``Popen`` to the child's line written once its window's
   first paint has finished (an application event filter sees the Paint event of a widget of
   that window, with the home screen on show for the kiosk, and a zero timer then reports,
   so the whole paint pass is in). The kiosk child starts as ``timebank kiosk`` does
   (``ui.cli._run_station``): it opens a data directory prepared beforehand by the demo
   (enrolled, Nansha demo data, a station day), builds ``KioskApp`` with the default parts
   (voice on: ``QtSpeaker``), attaches a ``SyncWorker`` and calls ``start(fullscreen=False)``.
   The demo server is not running then, so the worker's first sync fails in the background,
   as on a kiosk started offline. The children also report their own clock per phase.
   ``--profile-start`` adds one kiosk start under ``-X importtime`` and cProfile.

2. **Longest GUI-thread stall during a big sync.** One process holds the demo (``ui.demo``:
   embedded server on a temp SQLite, enrolled kiosk), then records ``--records`` outbox rows
   of a week's mixed station work through the kiosk services on a second store handle
   (``bench/sync.py``'s ``StationWork``). A 5 ms precise QTimer on the GUI thread records
   every tick; a stall is a gap between ticks minus the 5 ms. Side by side, 20 s each: the
   timer alone in this process before the kiosk exists (the machine's own noise), the kiosk
   idle on home (the baseline), ID cards presented from a thread every 300 ms through the
   Dummy reader plus screen navigation by a QTimer every 400 ms (home, check-in, today,
   wishes, help, suggestions...: cards check people in and out and identify them), and the
   same cards and navigation while ``SyncWorker.sync_now`` pushes the backlog (measured
   until the worker reports the cycle; then every backlog row must be acked). The server
   answers from its own process (``timebank server run`` on the demo's server database), as
   a field kiosk's remote server does; ``--server thread`` keeps it in the kiosk's process,
   sharing its interpreter lock, as in demo mode. A sampler thread notes, every 10 ms of a stall
   over 25 ms, what the GUI thread and the other threads were doing: Python stacks only,
   seen when the GUI thread lets go of the GIL, so they name the Python code running in the
   stall rather than the C++ under it ("in Qt / waiting for the GIL" when the GUI thread
   shows no Python frame of the kiosk).

3. **Resident memory after ``--interactions`` scripted interactions** through the real
   window (mouse clicks on tiles and buttons with QTest, card taps, check-in and check-out,
   identification, an unknown card, text size and theme switches), driven from the Qt
   event loop so deleted screens are really deleted, each once the previous one's database
   work has called back. VmRSS (``/proc/self/status``) after ``gc.collect()`` once the
   first screens are warm (4 rounds of the 28-step script), at every tenth, and at the end;
   also VmRSS after ``malloc_trim``, the live QWidgets and the Python types that grew.

Parts 2 and 3 use ``SilentSpeaker`` (as the screenshot tour does); part 3 runs no sync.
One demo data directory is prepared first and copied for each part. Parts 2 and 3 run in
child processes (``--child stalls``, ``--child memory``); part 2 builds its backlog while
part 3 runs (whose figures are not timings) and measures once part 3 is over.

Goals (printed, never asserted): start <= 1.5x the bare window; longest stall during the
sync <= 50 ms; memory growth <= 10%. ``--quick`` is a smoke run (1 start each, 200
records, 2 s phases, 60 interactions) for the test; its figures mean little.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # cold-start children measure their own phases from here

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/ui.py: with bench/ on the path, ``import ui`` would import this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

GOAL_START_RATIO = 1.5
GOAL_STALL_MS = 50.0
GOAL_GROWTH = 0.10
TICK_MS = 5
FRAME_MS = 16
CARD_EVERY_S = 0.3
NAV_EVERY_MS = 400
SAMPLE_OVER_MS = 25
CHILD_TIMEOUT_S = 120
MEMBER, MEMBER2, RESIDENT = "王䶮", "李晓红", "陈伯"


# --- small helpers -----------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else 0.0


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def emit(tag: str, data: Any) -> None:
    """A child's answer to the parent: one line on stdout."""
    print(f"{tag} {json.dumps(data)}", flush=True)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def malloc_trim() -> bool:
    """Give glibc's free heap pages back, so RSS shows memory in use (Linux/glibc only)."""
    try:
        import ctypes

        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


# === part 1: cold start ===================================================================
def child_start(kind: str, data_dir: str | None, cprofile: str | None) -> int:
    """``--child bare|kiosk``: show the window, report after its first paint, quit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = (time.perf_counter() - T0) * 1000

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    mark("PySide6 imported")

    class FirstPaint(QObject):
        def __init__(self, window: QWidget, ready: Callable[[], bool]) -> None:
            super().__init__()
            self.window, self.ready, self.seen = window, ready, False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and watched.window() is self.window
                and self.ready()
            ):
                self.seen = True
                QTimer.singleShot(0, self.report)  # after the rest of this paint pass
            return False

        def report(self) -> None:
            mark("first paint done")
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(cprofile)
            emit("PAINTED", marks)
            app = QApplication.instance()
            if app is not None:
                app.exit(0)  # not quit(): the kiosk window refuses the close that quit() asks

    profiler = None
    if kind == "bare":
        app = QApplication(["bare"])
        mark("QApplication")
        window = QWidget()
        window.resize(1920, 1080)
        QVBoxLayout(window).addWidget(QLabel("党员时间银行 Party members' time bank"))
        painted = FirstPaint(window, lambda: True)
        app.installEventFilter(painted)
        window.show()
        mark("window shown")
        app.exec()
        return 0

    assert data_dir is not None
    directory = Path(data_dir)
    # What ui.cli._run_station imports and does, in that order.
    from kiosk.store.opening import open_store
    from sync.background import SyncWorker
    from sync.client import SyncClient
    from sync.engine import SyncEngine
    from sync.enrolment import load_enrolment
    from ui.app import KioskApp, KioskParts, application

    mark("kiosk modules imported")
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    app = application()
    mark("QApplication")
    store = open_store(directory)
    mark("store opened")
    kiosk = KioskApp(KioskParts(store=store, data_dir=directory))
    mark("KioskApp built")
    enrolment = load_enrolment(directory)
    if enrolment is not None:
        client = SyncClient(enrolment.server_url, enrolment.credentials())
        engine = SyncEngine(store, client, lock_path=directory / "sync.lock")
        kiosk.attach_sync(SyncWorker(engine, client))
    from ui.screens.home import HomeScreen

    painted = FirstPaint(kiosk.window, lambda: isinstance(kiosk.window.current, HomeScreen))
    app.installEventFilter(painted)
    kiosk.start(fullscreen=False)
    mark("start() returned")
    app.exec()
    app.removeEventFilter(painted)
    kiosk.stop()
    store.close()
    return 0


def child_prepare(root: str) -> int:
    """``--child prepare``: a demo data directory (enrolled, demo data, synced), then exit."""
    from ui.demo import demo

    with demo(Path(root)):
        pass
    return 0


def start_once(kind: str, data_dir: Path, logs: Path) -> tuple[float, dict[str, float]]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    if kind == "kiosk":
        cmd += ["--data-dir", str(data_dir)]
    err = (logs / f"start-{kind}.log").open("a")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT, env=env)
    assert proc.stdout is not None
    wall, marks = None, {}
    for line in proc.stdout:
        if line.startswith("PAINTED "):
            wall = (time.perf_counter() - t0) * 1000
            marks = json.loads(line[8:])
            break
    proc.stdout.read()
    proc.wait(timeout=CHILD_TIMEOUT_S)
    err.close()
    if wall is None:
        raise RuntimeError(f"{kind} start did not report a paint (see {logs})")
    return wall, marks


def part_start(args: argparse.Namespace, tmp: Path, data_dir: Path) -> dict[str, Any]:
    walls: dict[str, list[float]] = {"bare": [], "kiosk": []}
    marks: dict[str, list[dict[str, float]]] = {"bare": [], "kiosk": []}
    if not args.quick:  # unmeasured: the OS file cache, .pyc files
        start_once("kiosk", data_dir, tmp)
        start_once("bare", data_dir, tmp)
    for run in range(args.runs):
        order = ("kiosk", "bare") if run % 2 == 0 else ("bare", "kiosk")
        for kind in order:
            wall, child = start_once(kind, data_dir, tmp)
            walls[kind].append(wall)
            marks[kind].append(child)
    profile = profile_start(data_dir, tmp) if args.profile_start else None
    return {"walls": walls, "marks": marks, "profile": profile}


def profile_start(data_dir: Path, tmp: Path) -> dict[str, Any]:
    """One kiosk start with -X importtime and cProfile (from the imports to the paint)."""
    import pstats

    prof = tmp / "start.prof"
    cmd = [sys.executable, "-X", "importtime", str(Path(__file__).resolve()), "--child", "kiosk"]
    cmd += ["--data-dir", str(data_dir), "--cprofile", str(prof)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    imports: list[tuple[int, int, int, str]] = []  # own us, cumulative us, depth, name
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, total, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        imports.append((int(own), int(total), depth, name.strip()))
    top_level = sorted((i for i in imports if i[2] == 0), key=lambda i: -i[1])[:10]
    top_self = sorted(imports, key=lambda i: -i[0])[:8]
    ours: list[tuple[float, str]] = []
    own_time: list[tuple[float, str]] = []
    if prof.exists():
        stats = pstats.Stats(str(prof))
        for (file, line, func), row in stats.stats.items():  # type: ignore[attr-defined]
            short = file.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
            if "importlib" in file or file.startswith("<"):
                continue
            own_time.append((row[2] * 1000, f"{short}:{line} {func}"))
            if file.startswith(str(ROOT)) and "/.venv/" not in file and file != __file__:
                ours.append((row[3] * 1000, f"{short}:{line} {func}"))
    return {
        "top_level_imports": [(total / 1000, name) for _, total, _, name in top_level],
        "top_self_imports": [(own / 1000, name) for own, _, _, name in top_self],
        "ours": sorted(ours, reverse=True)[:12],
        "own_time": sorted(own_time, reverse=True)[:8],
    }


def report_start(res: dict[str, Any], runs: int) -> bool:
    walls = res["walls"]
    med = {k: statistics.median(v) for k, v in walls.items()}
    print(
        f"\n1. Cold start to the first painted screen ({runs} runs each, alternating, fresh processes)"
    )
    print(
        f"   {'side':8} {'median ms':>10} {'min':>7} {'max':>7}   (wall: Popen to the line after the first paint)"
    )
    for side in ("bare", "kiosk"):
        v = walls[side]
        print(f"   {side:8} {med[side]:>10.0f} {min(v):>7.0f} {max(v):>7.0f}")
    ratio = med["kiosk"] / med["bare"]
    ok = ratio <= GOAL_START_RATIO
    print(f"   kiosk/bare: {ratio:.2f}x (goal <= {GOAL_START_RATIO}x): {verdict(ok)}")
    print("   where the time goes, medians by the child's own clock (ms since its first line):")
    for side in ("bare", "kiosk"):
        names = list(res["marks"][side][0])
        row = []
        prev = 0.0
        for name in names:
            at = statistics.median(m[name] for m in res["marks"][side])
            row.append(f"{name} +{at - prev:.0f}")
            prev = at
        startup = statistics.median(
            w - m["first paint done"] for w, m in zip(walls[side], res["marks"][side], strict=True)
        )
        print(f"   {side:6} interpreter start + this file {startup:.0f} | " + " | ".join(row))
    prof = res.get("profile")
    if prof:
        print(
            "   one kiosk start under -X importtime (inflated by the tracing): biggest imports, ms"
        )
        print("     " + ", ".join(f"{n} {t:.0f}" for t, n in prof["top_level_imports"]))
        print(
            "     biggest own import time: "
            + ", ".join(f"{n} {t:.0f}" for t, n in prof["top_self_imports"])
        )
        print("   cProfile from the imports to the paint (inflated by the tracing), ms:")
        print("     project functions by cumulative time:")
        for cum, name in prof["ours"]:
            print(f"     {cum:8.0f}  {name}")
        print("     any function by own time:")
        for own, name in prof["own_time"]:
            print(f"     {own:8.0f}  {name}")
    return ok


# === part 2: GUI stalls during a sync =====================================================
def make_backlog(demo_: Any, records: int) -> dict[str, Any]:
    """``records`` outbox rows of a week's station work, through the services.

    A second store handle on the demo kiosk's data directory with a FixedClock, as
    ``bench/sync.py`` builds its backlog (its ``StationWork``); this handle alone writes with
    ``synchronous=OFF`` to save the benchmark's time (the rows are the same). The demo has
    already made the staff accounts ``StationWork`` would create, so those are reused.
    """
    import datetime as dt
    import random

    from sqlalchemy import event, func, select

    import bench.sync as bsync
    from kiosk.clock import CHINA, UTC, FixedClock
    from kiosk.services import Services
    from kiosk.store.models import OutboxItem
    from kiosk.store.opening import open_store

    store = open_store(demo_.data_dir, clock=FixedClock(dt.datetime.now(UTC)))
    event.listen(store.engine, "connect", lambda con, _rec: con.execute("PRAGMA synchronous=OFF"))
    store.engine.dispose()

    def last_seq() -> int:
        with store.read() as s:
            return int(
                s.execute(select(func.coalesce(func.max(OutboxItem.device_seq), 0))).scalar_one()
            )

    class ExistingStaff:
        def __init__(self, real: Any) -> None:
            self.real = real

        def create(self, *, name: str, login: str, pin: str, **kw: Any) -> Any:
            for account in self.real.accounts():
                if account.login == login:
                    return account
            return self.real.create(name=name, login=login, pin=pin, **kw)

    try:
        svc = Services(store)
        real_staff = svc.staff
        svc.staff = ExistingStaff(real_staff)  # type: ignore[assignment]
        work = bsync.StationWork(svc, random.Random(bsync.SEED), serial_base=700_000)
        svc.staff = real_staff
        first_seq = last_seq() + 1
        t0 = time.perf_counter()
        today = dt.datetime.now(CHINA).replace(hour=8, minute=0, second=0, microsecond=0)
        first = today - bsync.DAYS * bsync.DAY
        scale = records / bsync.DAYS / bsync.RECORDS_PER_SCALE
        made = 0
        for day in range(bsync.DAYS):
            before = made
            work.day(first + day * bsync.DAY, scale)
            made = last_seq() - first_seq + 1
            per_scale = (made - before) / scale if made > before else bsync.RECORDS_PER_SCALE
            left = bsync.DAYS - day - 1
            if left:
                scale = max(0.02, (records - made) / left / per_scale)
        seconds = time.perf_counter() - t0
        return {
            "records": made,
            "first_seq": first_seq,
            "last_seq": last_seq(),
            "seconds": seconds,
            "refused": sum(work.skipped.values()),
        }
    finally:
        store.close()


class Sampler(threading.Thread):
    """Notes what every thread is doing while the GUI thread has not ticked for a while."""

    IDLE = (
        "read",
        "readline",
        "recv",
        "wait",
        "select",
        "poll",
        "_worker",
        "get",
        "sleep",
        "accept",
        "readinto",
        "recv_into",
        "_run_once",
    )

    def __init__(self, gui_ident: int, threshold_ms: float = SAMPLE_OVER_MS) -> None:
        super().__init__(name="stall-sampler", daemon=True)
        self.gui_ident = gui_ident
        self.threshold = threshold_ms / 1000
        self.last_tick = time.perf_counter()
        self.active = False
        self.halt = threading.Event()
        self.gui: Counter[str] = Counter()
        self.others: Counter[str] = Counter()
        self.samples = 0

    def run(self) -> None:
        while not self.halt.wait(0.01):
            if not self.active or time.perf_counter() - self.last_tick < self.threshold:
                continue
            frames = sys._current_frames()
            names = {t.ident: t.name for t in threading.enumerate()}
            self.samples += 1
            gui = frames.get(self.gui_ident)
            self.gui[self._where(gui, own=True)] += 1
            for ident, frame in frames.items():
                if ident in (self.gui_ident, self.ident):
                    continue
                where = self._where(frame, own=False)
                if where:
                    name = names.get(ident, "?").split("_")[0].rstrip("-0123456789")
                    self.others[f"{name}: {where}"] += 1

    def _where(self, frame: Any, *, own: bool) -> str:
        """Innermost frame and innermost project frame; "" for a thread that waits.

        For the GUI thread, a stack whose innermost frame is this file's event loop means it
        runs Qt's C++ (layout, style, paint) or waits for the interpreter lock to call back.
        """
        if frame is None:
            return "?"
        if not own and frame.f_code.co_name in self.IDLE:
            return ""
        here = str(Path(__file__).resolve())
        if frame.f_code.co_filename == here:
            return "in Qt / waiting for the GIL" if own else ""
        inner = f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"
        project = ""
        while frame is not None:
            file = frame.f_code.co_filename
            if file == here:
                break
            if file.startswith(str(ROOT)) and "/.venv/" not in file:
                project = f"{Path(file).name}:{frame.f_code.co_name}"
                break
            frame = frame.f_back
        return inner if not project or project == inner else f"{inner} <- {project}"


def gaps_summary(ticks: list[float], seconds: float) -> dict[str, Any]:
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    if not gaps:
        return {"ticks": 0}
    worst = sorted(range(len(gaps)), key=lambda i: -gaps[i])[:3]
    return {
        "ticks": len(ticks),
        "seconds": seconds,
        "max_stall_ms": max(gaps) - TICK_MS,
        "p99_gap_ms": pct(gaps, 0.99),
        "p50_gap_ms": pct(gaps, 0.50),
        "over_16": sum(g > FRAME_MS for g in gaps),
        "over_50": sum(g > GOAL_STALL_MS + TICK_MS for g in gaps),
        "worst_at_s": [round(ticks[i] - ticks[0], 2) for i in worst],
    }


def child_stalls(args: argparse.Namespace) -> int:
    """``--child stalls``: build the backlog, wait for the parent's go, measure."""
    logging_quiet()
    from ui.demo import demo

    root = Path(args.root)
    with demo(root) as d:
        t0 = time.perf_counter()
        backlog = make_backlog(d, args.records)
        log(f"  backlog: {backlog['records']} records in {time.perf_counter() - t0:.0f} s")
        emit("READY", backlog)
        sys.stdin.readline()  # the parent says go when the machine is quiet again
        result = measure_stalls(d, backlog, args)
    emit("RESULT", {"backlog": backlog, **result})
    return 0


def logging_quiet() -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def field_server(d: Any) -> tuple[subprocess.Popen[bytes], Any]:
    """The demo's server database served by ``timebank server run`` in its own process.

    A field kiosk talks to a remote server: only the kiosk's own sync thread shares the
    GUI thread's interpreter lock. (The demo's in-process server stays up, idle.)
    """
    import socket

    import requests

    from sync.client import SyncClient
    from sync.engine import SyncEngine
    from sync.enrolment import load_enrolment

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = f"sqlite:///{d.root / 'server.db'}"
    cmd = [sys.executable, "-m", "kiosk.entry", "server", "run", "--db", db, "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("the field server did not start")
        time.sleep(0.1)
    enrolment = load_enrolment(d.data_dir)
    assert enrolment is not None
    client = SyncClient(url, enrolment.credentials())
    return proc, SyncEngine(d.store, client, lock_path=d.data_dir / "sync.lock")


def measure_stalls(d: Any, backlog: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    import gc

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from sqlalchemy import func, select

    from devices.idcard.base import DummyIdCardReader
    from kiosk.store.models import OutboxItem
    from sync.background import SyncWorker
    from ui.app import KioskApp, KioskParts, application
    from ui.demo import DEMO_PEOPLE
    from ui.speaker import SilentSpeaker

    gc.collect()  # the backlog builder's garbage is not the kiosk's
    qt = application()
    ticks: list[float] = []
    sampler = Sampler(threading.get_ident())
    sampler.start()

    def tick() -> None:
        now = time.perf_counter()
        ticks.append(now)
        sampler.last_tick = now

    meter = QTimer()
    meter.setTimerType(Qt.TimerType.PreciseTimer)
    meter.setInterval(TICK_MS)
    meter.timeout.connect(tick)
    kiosk: Any = None
    nav: Navigator | None = None
    nav_timer = QTimer()
    nav_timer.setInterval(NAV_EVERY_MS)
    cards = [d.card(p.name) for p in DEMO_PEOPLE]
    presented = [0]

    def feed(stop: threading.Event) -> None:
        reader = kiosk.manager.id_reader()
        assert isinstance(reader, DummyIdCardReader)
        while not stop.wait(CARD_EVERY_S):
            reader.present(cards[presented[0] % len(cards)])
            presented[0] += 1

    def run_loop(seconds: float, until: Callable[[], bool] | None = None) -> float:
        loop = QEventLoop()
        t0 = time.perf_counter()
        check = QTimer()
        check.setInterval(50)
        check.timeout.connect(
            lambda: (
                loop.quit()
                if time.perf_counter() - t0 >= seconds or (until is not None and until())
                else None
            )
        )
        check.start()
        loop.exec()
        check.stop()
        return time.perf_counter() - t0

    @contextmanager
    def phase(name: str, *, load: bool) -> Iterator[dict[str, Any]]:
        out: dict[str, Any] = {}
        stop = threading.Event()
        feeder = threading.Thread(target=feed, args=(stop,), name="card-feeder", daemon=True)
        sampler.gui.clear()
        sampler.others.clear()
        sampler.samples = 0
        if kiosk is not None:
            kiosk.window.go_home()
        run_loop(0.5)
        ticks.clear()
        presented[0] = 0
        if nav is not None:
            nav.steps = nav.misses = 0
        t0 = time.perf_counter()
        sampler.last_tick = t0
        meter.start()
        sampler.active = True
        if load:
            nav_timer.start()
            feeder.start()
        try:
            yield out
        finally:
            stop.set()
            nav_timer.stop()
            meter.stop()
            sampler.active = False
            if load:
                feeder.join()
            out.update(gaps_summary(ticks, time.perf_counter() - t0))
            out["cards"] = presented[0]
            if nav is not None:
                out["nav_steps"], out["nav_misses"] = nav.steps, nav.misses
            out["gui_during_stalls"] = sampler.gui.most_common(4)
            out["others_during_stalls"] = sampler.others.most_common(4)
            out["samples"] = sampler.samples
            out["load"] = os.getloadavg()[0]
            log(f"  {name}: max stall {out.get('max_stall_ms', 0):.0f} ms")

    results: dict[str, Any] = {}
    # The machine's own noise: the same timer in this process before the kiosk exists.
    with phase("timer alone", load=False) as out:
        run_loop(args.phase_s)
    results["timer alone"] = out
    kiosk = KioskApp(KioskParts(store=d.store, data_dir=d.data_dir, speaker=SilentSpeaker()))
    kiosk.start(fullscreen=False)
    nav = Navigator(kiosk)
    nav_timer.timeout.connect(nav.step)
    # Warm-up: every screen of the navigation once, and a few cards, unmeasured.
    run_loop(1.0)
    for _ in range(len(NAV_SCRIPT)):
        nav.step()
        run_loop(0.15)
    reader = kiosk.manager.id_reader()
    for card_ in cards:
        reader.present(card_)
        run_loop(0.3)
    with phase("kiosk idle", load=False) as out:
        run_loop(args.phase_s)
    results["kiosk idle"] = out
    with phase("cards+nav", load=True) as out:
        run_loop(args.phase_s)
    results["cards+nav"] = out
    server_proc, engine = field_server(d) if args.server == "process" else (None, d.engine)
    worker = SyncWorker(engine, engine.client)
    kiosk.attach_sync(worker)
    reports: list[tuple[float, Any]] = []
    kiosk.sync.status.connect(lambda status: reports.append((time.perf_counter(), status)))
    with phase("sync+cards+nav", load=True) as out:
        trigger = time.perf_counter()
        worker.sync_now()
        worker.start()
        run_loop(args.sync_timeout, lambda: bool(reports))
        run_loop(0.5)
    if reports:
        at, status = reports[0]
        out["sync_s"] = at - trigger
        out["pushed"] = status.sync.pushed
        out["failures"] = status.failures
        out["last_error"] = status.sync.last_error
    results["sync+cards+nav"] = out
    results["server"] = args.server
    kiosk.stop()
    if server_proc is not None:
        server_proc.terminate()
        server_proc.wait(timeout=30)
    sampler.halt.set()
    with d.store.read() as s:
        rows = s.execute(
            select(OutboxItem.status, func.count())
            .where(OutboxItem.device_seq.between(backlog["first_seq"], backlog["last_seq"]))
            .group_by(OutboxItem.status)
        ).all()
    results["backlog_status"] = {str(k): int(v) for k, v in rows}
    del qt
    return results


NAV_SCRIPT = (
    "回到首页",
    "签到 / 签退",
    "回到首页",
    "今日活动",
    "返回",
    "微心愿",
    "回到首页",
    "我要求助",
    "返回",
    "留言建议",
    "回到首页",
    "我的时间币",
    "返回",
)


class Navigator:
    """Presses the next button of ``NAV_SCRIPT`` if it is on show, else goes home."""

    def __init__(self, kiosk: Any) -> None:
        self.kiosk = kiosk
        self.i = 0
        self.steps = 0
        self.misses = 0

    def step(self) -> None:
        text = NAV_SCRIPT[self.i % len(NAV_SCRIPT)]
        self.i += 1
        self.steps += 1
        window = self.kiosk.window
        if window.overlay is not None:
            window.close_overlay()
        found = find_button(window, text)
        if found is None:
            self.misses += 1
            window.go_home()
        else:
            found.click()


def find_button(window: Any, text: str) -> Any:
    """The button on show whose text (first line) or accessible name is ``text``.

    Widgets added to a visible parent are shown by a queued call, so when none is found the
    posted events are delivered once and the search repeated (a finger cannot be faster).
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QAbstractButton

    for attempt in range(2):
        if attempt:
            QCoreApplication.sendPostedEvents()
        for widget in window.findChildren(QAbstractButton):
            if widget.isVisible() and (
                widget.text().split("\n")[0] == text or widget.accessibleName() == text
            ):
                return widget
    return None


def report_stalls(res: dict[str, Any]) -> bool:
    backlog = res["backlog"]
    print(
        f"\n2. GUI-thread stalls (5 ms timer; stall = gap - 5 ms) while a {backlog['records']:,}-record"
        " sync and card reads run"
    )
    print(
        f"   backlog: {backlog['records']:,} outbox rows of mixed station work, built in"
        f" {backlog['seconds']:.0f} s through the services"
        + (f" ({backlog['refused']} steps refused by rules)" if backlog["refused"] else "")
    )
    where = (
        "its own process (as a field kiosk's remote server)"
        if res.get("server") == "process"
        else "the kiosk's process (demo mode: it shares the interpreter lock)"
    )
    print(f"   the server runs in {where}")
    sides = ("timer alone", "kiosk idle", "cards+nav", "sync+cards+nav")
    print(f"   {'':22}" + "".join(f"{s:>16}" for s in sides))
    rows = (
        ("measured for, s", "seconds", "{:.1f}"),
        ("timer ticks", "ticks", "{:d}"),
        ("max stall, ms", "max_stall_ms", "{:.1f}"),
        ("p99 gap, ms", "p99_gap_ms", "{:.1f}"),
        ("median gap, ms", "p50_gap_ms", "{:.1f}"),
        ("gaps > 16 ms", "over_16", "{:d}"),
        ("stalls > 50 ms", "over_50", "{:d}"),
        ("cards presented", "cards", "{:d}"),
        ("navigation steps", "nav_steps", "{:d}"),
        ("load average (1 min)", "load", "{:.1f}"),
    )
    for title, key, fmt in rows:
        cells = [fmt.format(res[s][key]) if key in res[s] else "-" for s in sides]
        print(f"   {title:22}" + "".join(f"{c:>16}" for c in cells))
    sync = res["sync+cards+nav"]
    status = res["backlog_status"]
    acked = status.get("acked", 0)
    finished = "sync_s" in sync and acked == backlog["records"] and not sync.get("failures")
    if "sync_s" in sync:
        rate = sync["pushed"] / sync["sync_s"] if sync["sync_s"] else 0
        print(
            f"   sync cycle: {sync['sync_s']:.1f} s, {sync['pushed']:,} pushed ({rate:,.0f} records/s),"
            f" failures {sync['failures']}"
            + (f", error {sync['last_error']}" if sync["last_error"] else "")
        )
    else:
        print("   sync cycle: no report from the worker before the timeout")
    print(
        f"   backlog after: {dict(status)}; all {backlog['records']:,} acked: {'yes' if finished else 'NO'}"
    )
    worst = sync.get("max_stall_ms", 0.0)
    ok = worst <= GOAL_STALL_MS
    print(
        f"   longest stall during sync: {worst:.0f} ms (goal <= {GOAL_STALL_MS:.0f} ms): {verdict(ok)}"
    )
    print(
        "   what the threads were doing in stalls (Python stacks, seen only when the GUI thread"
        " lets go of the GIL; 'in Qt' = no Python frame of the kiosk on the GUI thread):"
    )
    for side in sides:
        part = res[side]
        if part.get("samples"):
            print(
                f"   stalls > {SAMPLE_OVER_MS} ms, {side} ({part['samples']} samples, 10 ms apart):"
            )
            print(
                "     GUI thread: " + "; ".join(f"{w} x{n}" for w, n in part["gui_during_stalls"])
            )
            if part["others_during_stalls"]:
                print(
                    "     busy elsewhere: "
                    + "; ".join(f"{w} x{n}" for w, n in part["others_during_stalls"])
                )
    return ok and finished


# === part 3: memory =======================================================================
class Script:
    """The scripted visitor: one interaction per ``step()``, through the real window."""

    def __init__(self, kiosk: Any, demo_: Any) -> None:
        from devices.idcard.card import resident_card
        from kiosk.identity import check_digit

        self.kiosk = kiosk
        self.reader = kiosk.manager.id_reader()
        first17 = "11010119500101001"
        self.cards = {p: demo_.card(p) for p in (MEMBER, MEMBER2, RESIDENT)}
        self.cards["unknown"] = resident_card("赵六", first17 + check_digit(first17))
        self.actions: list[tuple[str, str]] = [
            ("click", "签到 / 签退"),  # home -> check-in, step 1
            ("card", MEMBER),  # checked in (or told so) -> done
            ("click", "回到首页"),
            ("card", MEMBER),  # home: identified -> their page
            ("click", "签到 / 签退"),
            ("click", "我要签退"),
            ("card", MEMBER),  # checked out (or told why not)
            ("click", "回到首页"),
            ("card", RESIDENT),  # a resident's page
            ("click", "我的时间币"),
            ("click", "返回"),
            ("click", "回到首页"),
            ("click", "今日活动"),
            ("click", "返回"),
            ("click", "微心愿"),
            ("click", "回到首页"),
            ("click", "我要求助"),
            ("click", "返回"),
            ("click", "留言建议"),
            ("click", "回到首页"),
            ("click", "长者饭堂"),
            ("click", "回到首页"),
            ("click", "大字"),  # text size: cycles 1x, 1.5x, 2x
            ("card", MEMBER2),
            ("click", "回到首页"),
            ("click", "颜色"),  # theme: standard <-> high contrast
            ("card", "unknown"),  # not registered: an overlay
            ("click", "知道了"),
        ]
        self.i = 0
        self.misses: Counter[str] = Counter()

    def step(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        kind, what = self.actions[self.i % len(self.actions)]
        self.i += 1
        window = self.kiosk.window
        if kind == "card":
            self.reader.present(self.cards[what])
            return
        found = find_button(window, what)
        if found is None:
            self.misses[what] += 1
            window.go_home()
            return
        QTest.mouseClick(found, Qt.MouseButton.LeftButton)


def child_memory(args: argparse.Namespace) -> int:
    """``--child memory``: the demo kiosk, ``--interactions`` scripted interactions."""
    logging_quiet()
    from ui.demo import demo

    with demo(Path(args.root)) as d:
        result = measure_memory(d, args.interactions, quick=args.quick)
    emit("RESULT", result)
    return 0


def measure_memory(d: Any, interactions: int, *, quick: bool = False) -> dict[str, Any]:
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import KioskApp, KioskParts, application
    from ui.speaker import SilentSpeaker

    qt = application()
    kiosk = KioskApp(KioskParts(store=d.store, data_dir=d.data_dir, speaker=SilentSpeaker()))
    kiosk.start(fullscreen=False)
    script = Script(kiosk, d)

    def drive(n: int) -> float:
        """``n`` interactions, each once the last one's database work has called back."""
        loop = QEventLoop()
        left = [n]
        t0 = time.perf_counter()

        def next_step() -> None:
            if not kiosk.ops.idle:
                QTimer.singleShot(1, next_step)
                return
            if left[0] <= 0:
                loop.quit()
                return
            left[0] -= 1
            script.step()
            QTimer.singleShot(0, next_step)

        QTimer.singleShot(0, next_step)
        loop.exec()
        return time.perf_counter() - t0

    def settle() -> None:
        for _ in range(3):
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    def types() -> Counter[str]:
        return Counter(type(o).__name__ for o in gc.get_objects())

    def reading() -> dict[str, Any]:
        settle()
        rss = rss_kib()
        malloc_trim()
        return {
            "rss_kib": rss,
            "rss_trimmed_kib": rss_kib(),
            "widgets": len(QApplication.allWidgets()),
            "objects": len(gc.get_objects()),
        }

    warm = (1 if quick else 4) * len(script.actions)
    drive(warm)  # every screen built once or twice: fonts, style sheets, imports, caches
    start = reading()
    start_types = types()
    start_modules = set(sys.modules)
    checkpoints = []
    seconds = 0.0
    chunk = max(1, interactions // 10)
    done = 0
    while done < interactions:
        n = min(chunk, interactions - done)
        seconds += drive(n)
        done += n
        checkpoints.append((done, reading()["rss_kib"]))
    end = reading()
    growth = types() - start_types
    kiosk.stop()
    del qt
    return {
        "interactions": interactions,
        "warm_up": warm,
        "seconds": seconds,
        "start": start,
        "end": end,
        "checkpoints": checkpoints,
        "grown_types": growth.most_common(8),
        "new_modules": sorted(set(sys.modules) - start_modules),
        "misses": dict(script.misses),
    }


def report_memory(res: dict[str, Any]) -> bool:
    start, end = res["start"], res["end"]
    print(
        f"\n3. Resident memory after {res['interactions']:,} scripted interactions"
        f" ({res['seconds']:.0f} s, {res['seconds'] / res['interactions'] * 1000:.1f} ms each;"
        f" after a warm-up of {res['warm_up']})"
    )
    print(f"   {'':26}{'after start':>14}{'after':>14}{'growth':>10}")
    rows = (
        ("VmRSS, MiB", "rss_kib", 1024),
        ("VmRSS after malloc_trim", "rss_trimmed_kib", 1024),
        ("live QWidgets", "widgets", 1),
        ("Python objects (gc)", "objects", 1),
    )
    for title, key, div in rows:
        a, b = start[key] / div, end[key] / div
        fmt = "{:.1f}" if div > 1 else "{:.0f}"
        print(f"   {title:26}{fmt.format(a):>14}{fmt.format(b):>14}{(b - a) / a * 100:>9.1f}%")
    growth = (end["rss_kib"] - start["rss_kib"]) / start["rss_kib"]
    ok = growth <= GOAL_GROWTH
    trend = ", ".join(f"{n}: {kib / 1024:.0f}" for n, kib in res["checkpoints"])
    print(f"   VmRSS MiB along the way: {trend}")
    (n0, kib0), (n1, kib1) = res["checkpoints"][0], res["checkpoints"][-1]
    if n1 > n0:
        slope = (kib1 - kib0) / (n1 - n0) * 1000 / 1024
        print(f"   VmRSS after the first checkpoint: {slope:+.2f} MiB per 1,000 interactions")
    if res["grown_types"]:
        print("   Python types that grew: " + ", ".join(f"{t} +{n}" for t, n in res["grown_types"]))
    if res["new_modules"]:
        names = res["new_modules"]
        print(
            f"   modules first imported after the warm-up ({len(names)}): "
            + ", ".join(names[:8])
            + (", ..." if len(names) > 8 else "")
        )
    if res["misses"]:
        print(f"   script steps whose button was not on show (went home instead): {res['misses']}")
    print(f"   RSS growth {growth * 100:.1f}% (goal <= {GOAL_GROWTH * 100:.0f}%): {verdict(ok)}")
    return ok


# === the parent ===========================================================================
def run_child(argv: list[str], log_path: Path) -> list[str]:
    """Run this file in child mode to the end; its stdout lines."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *argv]
    with log_path.open("w") as err:
        done = subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT, check=False
        )
    if done.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"child {' '.join(argv[:2])} failed ({done.returncode}):\n{tail}")
    return done.stdout.splitlines()


def answer(lines: list[str], tag: str) -> Any:
    for line in lines:
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1 :])
    raise RuntimeError(f"no {tag} line from the child")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--runs", type=int, default=None, help="cold starts per side (7)")
    parser.add_argument("--records", type=int, default=None, help="sync backlog (20000)")
    parser.add_argument("--phase-s", type=float, default=None, help="seconds per stall phase (20)")
    parser.add_argument("--sync-timeout", type=float, default=600.0)
    parser.add_argument(
        "--server",
        choices=("process", "thread"),
        default="process",
        help="stalls part: the server in its own process (a field kiosk) or in the kiosk's"
        " process (demo mode, sharing its interpreter lock)",
    )
    parser.add_argument("--interactions", type=int, default=None, help="memory part (10000)")
    parser.add_argument("--only", default="start,stalls,memory", help="parts to run")
    parser.add_argument("--profile-start", action="store_true", help="importtime + cProfile")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--root", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    quick = args.quick
    args.runs = args.runs or (1 if quick else 7)
    args.records = args.records or (200 if quick else 20_000)
    args.phase_s = args.phase_s or (2.0 if quick else 20.0)
    args.interactions = args.interactions or (60 if quick else 10_000)
    if args.child in ("bare", "kiosk"):
        return child_start(args.child, args.data_dir, args.cprofile)
    if args.child == "prepare":
        return child_prepare(args.root)
    if args.child == "stalls":
        return child_stalls(args)
    if args.child == "memory":
        return child_memory(args)

    parts = set(args.only.split(","))
    started = time.perf_counter()
    load = os.getloadavg()
    print(
        f"bench/ui.py{' --quick' if quick else ''}: Qt offscreen; machine: {os.cpu_count()} CPUs,"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work shares these CPUs)",
        flush=True,
    )
    verdicts: dict[str, bool] = {}
    tmp = Path(tempfile.mkdtemp(prefix="tb-bench-ui-"))
    stalls_proc: subprocess.Popen[str] | None = None
    try:
        # One demo (server database and enrolled kiosk with the demo data), copied for each
        # part before any of them runs, so every part starts from the same data.
        demo_root = tmp / "demo"
        t0 = time.perf_counter()
        run_child(["--child", "prepare", "--root", str(demo_root)], tmp / "prepare.log")
        for part in ("start", "stalls", "memory"):
            shutil.copytree(demo_root, tmp / f"demo-{part}")
        print(f"demo data prepared in {time.perf_counter() - t0:.0f} s", flush=True)
        if "start" in parts:
            res = part_start(args, tmp, tmp / "demo-start" / "kiosk")
            verdicts["start"] = report_start(res, args.runs)
            sys.stdout.flush()
        if "stalls" in parts:
            # Builds its backlog while part 3 runs (whose figures are not timings), then
            # waits for the go, given once part 3 is over.
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "stalls"]
            cmd += ["--root", str(tmp / "demo-stalls"), "--records", str(args.records)]
            cmd += ["--phase-s", str(args.phase_s), "--sync-timeout", str(args.sync_timeout)]
            cmd += ["--server", args.server]
            err = (tmp / "stalls.log").open("w")
            stalls_proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT
            )
        if "memory" in parts:
            lines = run_child(
                ["--child", "memory", "--root", str(tmp / "demo-memory")]
                + ["--interactions", str(args.interactions)]
                + (["--quick"] if quick else []),
                tmp / "memory.log",
            )
            verdicts["memory"] = report_memory(answer(lines, "RESULT"))
            sys.stdout.flush()
        if stalls_proc is not None:
            assert stalls_proc.stdin is not None and stalls_proc.stdout is not None
            lines = []
            for line in stalls_proc.stdout:
                lines.append(line)
                if line.startswith("READY "):
                    break
            stalls_proc.stdin.write("go\n")
            stalls_proc.stdin.flush()
            lines += stalls_proc.stdout.readlines()
            code = stalls_proc.wait(timeout=CHILD_TIMEOUT_S)
            if code != 0:
                tail = (tmp / "stalls.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the stalls child failed ({code}):\n{tail}")
            verdicts["stalls"] = report_stalls(answer(lines, "RESULT"))
    finally:
        if stalls_proc is not None and stalls_proc.poll() is None:
            stalls_proc.kill()
            stalls_proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(
        "\ngoals: "
        + ", ".join(f"{k} {verdict(v)}" for k, v in verdicts.items())
        + f"; load average at the end {load[0]:.2f}; total run time {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
