"""``timebank kiosk``: start the touchscreen kiosk (or its demo, or the screenshot tour).

Only argparse is imported at load time; Qt comes in inside the handler, so the rest of the
``timebank`` command stays free of it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    kiosk = sub.add_parser("kiosk", help="start the touchscreen kiosk")
    kiosk.add_argument("--data-dir", type=Path, default=None, help="the kiosk's data directory")
    kiosk.add_argument(
        "--demo",
        action="store_true",
        help="embedded server, simulated devices and Nansha demo data",
    )
    kiosk.add_argument(
        "--demo-dir", type=Path, default=None, help="where demo data lives (default: a temp dir)"
    )
    kiosk.add_argument(
        "--screenshot-tour",
        type=Path,
        default=None,
        metavar="DIR",
        help="walk every screen, save a 1920x1080 PNG of each into DIR, then exit",
    )
    kiosk.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    kiosk.set_defaults(handler=cmd_kiosk)


def _headless() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def cmd_kiosk(args: argparse.Namespace) -> int:
    if args.demo and args.screenshot_tour is None and _headless():
        args.screenshot_tour = Path("demo-screens")
        print(
            "no display found: running the demo offscreen and saving the screenshot tour "
            f"to {args.screenshot_tour.resolve()}",
            file=sys.stderr,
        )
    if args.screenshot_tour is not None and _headless():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.demo:
        return _run_demo(args)
    if args.screenshot_tour is not None:
        print("FAULT: --screenshot-tour needs --demo", file=sys.stderr)
        return 2
    return _run_station(args)


def _run_station(args: argparse.Namespace) -> int:
    from kiosk.config import default_data_dir
    from kiosk.store.opening import open_store
    from sync.background import SyncWorker
    from sync.client import SyncClient
    from sync.engine import SyncEngine
    from sync.enrolment import load_enrolment
    from ui.app import KioskApp, KioskParts, application

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    qt = application()
    store = open_store(data_dir)
    try:
        kiosk = KioskApp(KioskParts(store=store, data_dir=data_dir))
        enrolment = load_enrolment(data_dir)
        if enrolment is not None:
            client = SyncClient(enrolment.server_url, enrolment.credentials())
            engine = SyncEngine(store, client, lock_path=data_dir / "sync.lock")
            kiosk.attach_sync(SyncWorker(engine, client))
        kiosk.start(fullscreen=not args.windowed)
        code = qt.exec()
        kiosk.stop()
    finally:
        store.close()
    return int(code)


def _run_demo(args: argparse.Namespace) -> int:
    import tempfile

    from sync.background import SyncWorker
    from ui.app import KioskApp, KioskParts, application
    from ui.demo import demo
    from ui.demo_keys import install_demo_keys
    from ui.speaker import SilentSpeaker

    qt = application()
    with tempfile.TemporaryDirectory(prefix="timebank-demo-") as tmp:
        root = Path(args.demo_dir) if args.demo_dir else Path(tmp)
        print(f"demo data in {root}", file=sys.stderr)
        with demo(root) as d:
            touring = args.screenshot_tour is not None
            speaker = SilentSpeaker() if touring else None
            kiosk = KioskApp(KioskParts(store=d.store, data_dir=d.data_dir, speaker=speaker))
            kiosk.attach_sync(SyncWorker(d.engine, d.engine.client))
            install_demo_keys(kiosk, d)
            if touring:
                from ui.tour import run_tour

                kiosk.start(fullscreen=False)
                saved = run_tour(kiosk, d, Path(args.screenshot_tour))
                kiosk.stop()
                print(f"{len(saved)} screenshots in {args.screenshot_tour}")
                return 0
            kiosk.start(fullscreen=not args.windowed)
            code = qt.exec()
            kiosk.stop()
    return int(code)
