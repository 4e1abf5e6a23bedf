"""The kiosk window: one window, kiosk lock, idle warning and reset, identification."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.factories import World, id_number
from tests.ui.conftest import settle, tap_card
from ui.app import KioskApp
from ui.context import UiSettings
from ui.screens.checkin import CheckinScreen
from ui.screens.home import HomeScreen
from ui.screens.person import PersonScreen


def visible_windows() -> list[object]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_starts_on_home_with_one_window(kiosk: KioskApp) -> None:
    assert isinstance(kiosk.window.current, HomeScreen)
    assert visible_windows() == [kiosk.window]
    assert kiosk.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert kiosk.context.speaker.said[-1] == "home"  # type: ignore[attr-defined]


def test_escape_alt_f4_and_close_do_not_leave_kiosk_mode(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    event = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(window, event)
    assert event.isAccepted()
    close = QCloseEvent()
    QApplication.sendEvent(window, close)
    assert not close.isAccepted()
    window.close()
    assert window.isVisible()
    assert visible_windows() == [window]


def test_card_on_home_identifies_and_offers_what_fits(
    qtbot: QtBot, kiosk: KioskApp, world: World
) -> None:
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    screen = kiosk.window.current
    assert isinstance(screen, PersonScreen)
    assert "张*英" in screen.title_label.text()
    texts = [b.text() for b in screen.findChildren(type(screen.home_button))]
    assert any("签到" in t for t in texts)
    assert world.member_id_number not in " ".join(texts)


def test_unknown_card_says_to_see_staff(qtbot: QtBot, kiosk: KioskApp) -> None:
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    assert kiosk.window.overlay is not None
    assert isinstance(kiosk.window.current, HomeScreen)
    said = kiosk.context.speaker.said  # type: ignore[attr-defined]
    assert said[-1] == "not_registered"


@pytest.fixture
def ui_settings() -> UiSettings:
    # The warning must outlive a loaded machine's scheduling delays between the overlay
    # appearing and the test's click; the test only waits, it never measures.
    return UiSettings(idle_s=0.3, warn_s=4, success_return_s=60)


def test_idle_warning_extends_and_then_resets(qtbot: QtBot, kiosk: KioskApp) -> None:
    window = kiosk.window
    window.set_text_scale(2.0)
    window.go(CheckinScreen)
    for _ in range(12):  # WCAG 2.2.1: at least ten extensions
        qtbot.waitUntil(lambda: window.overlay is not None, timeout=20000)
        assert window.overlay.objectName() == "idleWarning"
        keep = [b for b in window.overlay.findChildren(type(window.current.home_button))]
        next(b for b in keep if b.text() == "继续使用").click()
        assert window.overlay is None
        assert isinstance(window.current, CheckinScreen)
    QGuiApplication.clipboard().setText("张晓英 440115")
    edit = QLineEdit(window.current)
    edit.setText("personal")
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=30000)
    assert window.session.text_scale == 1.0
    assert window.session.person is None
    assert QGuiApplication.clipboard().text() == ""
    # The old screen is hidden at once and deleted when control returns to the event loop.
    qtbot.waitUntil(lambda: not any(e.text() for e in window.findChildren(QLineEdit)))


def test_home_does_not_time_out(qtbot: QtBot, kiosk: KioskApp) -> None:
    qtbot.wait(800)
    assert kiosk.window.overlay is None
    assert isinstance(kiosk.window.current, HomeScreen)


def test_a_touch_delivered_to_the_window_restarts_the_idle_wait(
    qtbot: QtBot, kiosk: KioskApp
) -> None:
    window = kiosk.window
    window.go(CheckinScreen)
    assert window.idle.active
    window.idle.timer.stop()  # as if the wait had run nearly out
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(
        handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5)
    )
    assert window.idle.timer.isActive()  # the wait starts over
