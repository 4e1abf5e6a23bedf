"""The screenshot tour: every screen of the kiosk, driven like a visitor would, saved as PNG.

Each scene starts from home and reaches its screen through the real window, devices and
services of the demo, so the pictures show what a resident would see, with real data.
The same scenes feed the accessibility checks (``ui.a11y``) in the tests, so every screen
in the tour is also checked at both text sizes and in both themes.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.demo import STAFF_LOGINS
from ui.app import KioskApp
from ui.demo import Demo
from ui.demo_keys import show_member_qr, tap
from ui.screens.staff_console import PANELS, StaffConsoleScreen
from ui.tokens import SCREEN_H, SCREEN_W

log = logging.getLogger(__name__)

MEMBER = "王䶮"
RESIDENT = "陈伯"
STAFF_NAME, _, STAFF_PIN = STAFF_LOGINS[0]  # the demo station master


def settle(kiosk: KioskApp, timeout: float = 10.0) -> None:
    """Let queued work call back and the screen repaint."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app is not None:
            app.processEvents()
        if kiosk.ops.idle:
            break
        time.sleep(0.005)
    for _ in range(5):
        if app is not None:
            app.processEvents()
            # Screens that were left are deleted: outside ``exec()`` nothing else does it.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.002)


def click(kiosk: KioskApp, text: str, timeout: float = 10.0) -> None:
    """Press the visible button labelled ``text`` (its first line, or the start of it).

    Waits for it: a card or scan arrives from a device thread and its screen is built a
    moment later, so "not there yet" is not "not there".
    """
    deadline = time.monotonic() + timeout
    while True:
        buttons = [
            b for b in kiosk.window.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()
        ]
        exact = [b for b in buttons if text in (b.text().split("\n")[0], b.accessibleName())]
        found = exact or [b for b in buttons if b.text().startswith(text)]
        if found:
            break
        if time.monotonic() > deadline:
            window = kiosk.window
            raise LookupError(
                f"no visible button {text!r} on {type(window.current).__name__}"
                + (f" under overlay {window.overlay.objectName()!r}" if window.overlay else "")
            )
        settle(kiosk)
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


def _from_home(text: str) -> Callable[[KioskApp, Demo], None]:
    def reach(kiosk: KioskApp, demo: Demo) -> None:
        click(kiosk, text)

    return reach


def _member(text: str) -> Callable[[KioskApp, Demo], None]:
    def reach(kiosk: KioskApp, demo: Demo) -> None:
        _person(kiosk, demo)
        click(kiosk, text)

    return reach


def _staff_panel(index: int) -> Callable[[KioskApp, Demo], None]:
    """Sign in with the demo station master's PIN on the keypad, then open a section."""

    def reach(kiosk: KioskApp, demo: Demo) -> None:
        _staff_login(kiosk, demo)
        click(kiosk, STAFF_NAME)
        for digit in STAFF_PIN:
            click(kiosk, digit)
        click(kiosk, "登录")
        console = kiosk.window.current
        if not isinstance(console, StaffConsoleScreen):
            raise LookupError("the staff PIN did not open the console")
        section = console.findChild(QAbstractButton, f"section-{PANELS[index].__name__}")
        if section is None:
            raise LookupError(f"no section button for {PANELS[index].__name__}")
        section.click()
        settle(kiosk)

    return reach


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
    Scene("coins", _member("我的时间币")),
    Scene("wishes", _member("认领微心愿")),
    Scene("today", _from_home("今日活动")),
    Scene("suggestions", _from_home("留言建议")),
    Scene("canteen", _from_home("长者饭堂")),
    Scene("staff_login", _staff_login),
    *(
        Scene("staff_" + panel.__name__.removesuffix("Panel").lower(), _staff_panel(i))
        for i, panel in enumerate(PANELS)
    ),
]


# (file name suffix, text scale, theme); the first look shows every scene.
Look = tuple[str, float, str]
LOOKS: tuple[Look, ...] = (
    ("", 1.0, "standard"),
    ("_2x", 2.0, "standard"),
    ("_hc", 1.0, "high_contrast"),
)
ALL_LOOKS: tuple[Look, ...] = (*LOOKS, ("_2x_hc", 2.0, "high_contrast"))


def run_tour(
    kiosk: KioskApp,
    demo: Demo,
    out: Path | None,
    *,
    looks: tuple[Look, ...] = LOOKS,
    every_scene_in_every_look: bool = False,
    check: Callable[[str, KioskApp], None] | None = None,
) -> list[Path]:
    """Every scene at 1920x1080 in the first look, then a few in each other look.

    ``check`` is called on every scene reached (the accessibility test passes one);
    ``out`` None takes no pictures. A scene that cannot be reached is logged and skipped
    (the tests reach every one of them).
    """
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    window.resize(SCREEN_W, SCREEN_H)
    saved: list[Path] = []
    settings = kiosk.context.settings
    for index, (suffix, scale, theme) in enumerate(looks):
        scenes = SCENES if index == 0 or every_scene_in_every_look else SCENES[:4]
        # Each scene starts from a fresh session in this look, as at a station configured
        # to start in it (changing the look restyles every widget: once per look, not per
        # scene).
        kiosk.context.settings = dataclasses.replace(settings, text_scale=scale, theme=theme)
        for scene in scenes:
            _home(kiosk, demo)
            try:
                scene.reach(kiosk, demo)
            except Exception:
                log.exception("scene %s failed", scene.name)
                continue
            if check is not None:
                check(scene.name + suffix, kiosk)
            if out is not None:
                path = out / f"{len(saved) + 1:02d}_{scene.name}{suffix}.png"
                window.grab().save(str(path))
                saved.append(path)
    kiosk.context.settings = settings
    _home(kiosk, demo)
    return saved
