"""The screenshot tour: every screen of the kiosk, driven like a visitor would, saved as PNG.

Each scene starts from home and reaches its screen through the real window, devices and
services of the demo, so the pictures show what a resident would see, with real data.
The same scenes feed the accessibility checks (``ui.a11y``) in the tests, so every screen
in the tour is also checked at both text sizes and in both themes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QApplication

from ui.app import KioskApp
from ui.demo import Demo
from ui.demo_keys import show_member_qr, tap
from ui.tokens import SCREEN_H, SCREEN_W

log = logging.getLogger(__name__)

MEMBER = "王䶮"
RESIDENT = "陈伯"


def settle(kiosk: KioskApp, timeout: float = 10.0) -> None:
    """Let queued work call back and the screen repaint."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app is not None:
            app.processEvents()
        if kiosk.ops.idle:
            break
        time.sleep(0.01)
    for _ in range(5):
        if app is not None:
            app.processEvents()
        time.sleep(0.01)


def click(kiosk: KioskApp, text: str) -> None:
    """Press the visible button labelled ``text`` (its first line, or the start of it)."""
    buttons = [
        b for b in kiosk.window.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()
    ]
    exact = [b for b in buttons if text in (b.text().split("\n")[0], b.accessibleName())]
    found = exact or [b for b in buttons if b.text().startswith(text)]
    if not found:
        raise LookupError(f"no visible button {text!r}")
    found[0].click()
    settle(kiosk)


@dataclass(frozen=True)
class Scene:
    name: str
    reach: Callable[[KioskApp, Demo], None]


def _home(kiosk: KioskApp, demo: Demo) -> None:
    kiosk.window.reset_session()
    settle(kiosk)


def _person(kiosk: KioskApp, demo: Demo) -> None:
    tap(kiosk, demo, MEMBER)
    settle(kiosk)


def _checkin(kiosk: KioskApp, demo: Demo) -> None:
    click(kiosk, "签到 / 签退")


def _checkin_done(kiosk: KioskApp, demo: Demo) -> None:
    click(kiosk, "签到 / 签退")
    show_member_qr(kiosk, demo, "李晓红")
    settle(kiosk)


def _already_in(kiosk: KioskApp, demo: Demo) -> None:
    click(kiosk, "签到 / 签退")
    show_member_qr(kiosk, demo, "李晓红")
    settle(kiosk)


def _unknown_card(kiosk: KioskApp, demo: Demo) -> None:
    from devices.idcard.base import DummyIdCardReader
    from devices.idcard.card import resident_card
    from kiosk.identity import check_digit

    reader = kiosk.manager.id_reader()
    assert isinstance(reader, DummyIdCardReader)
    first17 = "11010119500101001"
    reader.present(resident_card("赵六", first17 + check_digit(first17)))
    settle(kiosk)


def _idle(kiosk: KioskApp, demo: Demo) -> None:
    click(kiosk, "今日活动")
    kiosk.window._idle_warning()
    settle(kiosk)


def _need_category(kiosk: KioskApp, demo: Demo) -> None:
    tap(kiosk, demo, RESIDENT)
    settle(kiosk)
    click(kiosk, "我要求助")


def _need_time(kiosk: KioskApp, demo: Demo) -> None:
    _need_category(kiosk, demo)
    click(kiosk, "理发")


def _need_confirm(kiosk: KioskApp, demo: Demo) -> None:
    _need_time(kiosk, demo)
    click(kiosk, "明天")
    click(kiosk, "下一步")


def _need_done(kiosk: KioskApp, demo: Demo) -> None:
    _need_confirm(kiosk, demo)
    click(kiosk, "行动不便")
    click(kiosk, "确认提交")


def _need_ticket(kiosk: KioskApp, demo: Demo) -> None:
    from devices.qr.scanner import DummyQrScanner
    from devices.qr.tokens import need_qr_text

    _need_done(kiosk, demo)
    need_id = kiosk.window.current.params["need_id"] if kiosk.window.current else None
    kiosk.window.go_home()
    scanner = kiosk.manager.scanner()
    assert isinstance(scanner, DummyQrScanner)
    scanner.scan(need_qr_text(str(need_id)))
    settle(kiosk)


def _staff_login(kiosk: KioskApp, demo: Demo) -> None:
    kiosk.window.open_staff()
    settle(kiosk)


def _stay(kiosk: KioskApp, demo: Demo) -> None:
    settle(kiosk)


SCENES: list[Scene] = [
    Scene("home", _stay),
    Scene("person_member", _person),
    Scene("checkin", _checkin),
    Scene("checkin_done", _checkin_done),
    Scene("checkin_already", _already_in),
    Scene("unknown_card", _unknown_card),
    Scene("idle_warning", _idle),
    Scene("need_category", _need_category),
    Scene("need_time", _need_time),
    Scene("need_confirm", _need_confirm),
    Scene("need_done", _need_done),
    Scene("need_ticket", _need_ticket),
    Scene("staff_login", _staff_login),
]


def run_tour(kiosk: KioskApp, demo: Demo, out: Path) -> list[Path]:
    """Every scene at 1920x1080 in the standard look, then a few at 2x and high contrast."""
    out.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    window.resize(SCREEN_W, SCREEN_H)
    saved: list[Path] = []
    looks = [("", 1.0, "standard"), ("_2x", 2.0, "standard"), ("_hc", 1.0, "high_contrast")]
    for suffix, scale, theme in looks:
        for scene in SCENES if not suffix else SCENES[:4]:
            _home(kiosk, demo)
            window.set_text_scale(scale)
            window.set_theme(theme)
            try:
                scene.reach(kiosk, demo)
            except Exception:
                log.exception("scene %s failed", scene.name)
                continue
            path = out / f"{len(saved) + 1:02d}_{scene.name}{suffix}.png"
            window.grab().save(str(path))
            saved.append(path)
    _home(kiosk, demo)
    return saved
