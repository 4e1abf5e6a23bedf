"""今日活动 from home: cards with time, place and state, 去签到, paging, an empty day.

This module also holds the helpers the resident-flow tests share (pressing a button by its
words, the visible text, and the screenshot walk with the elderly-adaptation checks); the
screenshots go to /tmp/shots/resident/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.services import Services
from tests.factories import World, at
from tests.ui.conftest import settle
from ui import a11y
from ui.app import KioskApp
from ui.screen import Screen
from ui.screens.checkin import CheckinScreen
from ui.screens.home import HomeScreen
from ui.screens.today import TodayScreen

SHOTS = Path("/tmp/shots/resident")
LOOKS = [(1.0, "standard"), (2.0, "standard"), (1.0, "high_contrast")]


# --- shared helpers -----------------------------------------------------------------------


def current(kiosk: KioskApp) -> Screen:
    screen = kiosk.window.current
    assert screen is not None
    return screen


def visible_buttons(kiosk: KioskApp) -> list[QPushButton]:
    """Buttons a visitor can reach: only the overlay's while one is open."""
    root = kiosk.window.overlay or kiosk.window
    return [b for b in root.findChildren(QPushButton) if b.isVisible()]


def find_button(kiosk: KioskApp, text: str) -> QPushButton:
    """The visible button whose first line of text (or accessible name) is ``text``."""
    for widget in visible_buttons(kiosk):
        if widget.text().split("\n")[0] == text or widget.accessibleName() == text:
            return widget
    shown = [b.text().replace("\n", " ") for b in visible_buttons(kiosk)]
    raise AssertionError(f"no visible button {text!r}; buttons: {shown}")


def press(qtbot: QtBot, kiosk: KioskApp, text: str) -> None:
    widget = find_button(kiosk, text)
    assert widget.isEnabled(), f"button {text!r} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    qtbot.wait(5)  # widgets added to a shown overlay appear on the next turn of the loop


def shown(kiosk: KioskApp) -> str:
    """Every visible label's text in the window (overlay included)."""
    return " ".join(w.text() for w in kiosk.window.findChildren(QLabel) if w.isVisible())


def said(kiosk: KioskApp) -> list[str]:
    return list(kiosk.context.speaker.said)  # type: ignore[attr-defined]


def has_navigation(screen: Screen) -> None:
    """返回 and 回到首页 on every step (C15), and the step or a page-without-steps mark."""
    texts = {b.text() for b in screen.findChildren(QAbstractButton) if b.isVisible()}
    assert {"返回", "回到首页"} <= texts, type(screen).__name__
    assert screen.steps is not None or getattr(screen, "stepless", False)


def shot(qtbot: QtBot, kiosk: KioskApp, name: str, findings: dict[str, list[str]]) -> None:
    """Save the window as it is now and run the adaptation checks on it."""
    settle(qtbot, kiosk)
    window = kiosk.window
    window.resize(1920, 1080)
    qtbot.wait(30)
    screen = current(kiosk)
    mm = kiosk.context.settings.mm_per_px
    overlay = window.overlay
    if overlay is None:
        problems = a11y.check_screen(window, screen, mm)
    else:  # what is under the dimmed layer is not for reading: check the overlay itself
        problems = [
            *a11y.targets(overlay, mm),
            *a11y.spacing(overlay, mm),
            *a11y.text_size(overlay, mm),
            *a11y.line_spacing(overlay),
            *a11y.rendered_contrast(overlay, overlay.grab().toImage()),
            *a11y.reflow(overlay),
            *a11y.names(overlay),
            *a11y.no_full_ids(overlay),
            *a11y.one_window(),
            *a11y.member_navigation(screen),
        ]
    if window.layout().minimumSize().height() > 1080:
        problems.append(f"does not fit 1080 px (needs {window.layout().minimumSize().height()})")
    for button in window.findChildren(QPushButton):  # text and tick together must fit
        if button.isVisible() and button.text() and not button.icon().isNull():
            lines = button.text().split("\n")
            need = max(button.fontMetrics().horizontalAdvance(x) for x in lines)
            if need + button.iconSize().width() > button.contentsRect().width():
                problems.append(f"button {button.text()!r} cut with its tick")
    if problems:
        findings[name] = problems
    SHOTS.mkdir(parents=True, exist_ok=True)
    scale = window.session.text_scale
    tag = f"{'hc' if window.session.theme == 'high_contrast' else 'std'}_{scale:.0f}x"
    window.grab().save(str(SHOTS / f"{name}_{tag}.png"))


def set_look(kiosk: KioskApp, scale: float, theme: str) -> None:
    window = kiosk.window
    window.resize(1920, 1080)
    window.set_theme(theme)
    window.set_text_scale(scale)


def go_home(qtbot: QtBot, kiosk: KioskApp) -> HomeScreen:
    kiosk.window.go_home()
    settle(qtbot, kiosk)
    home = current(kiosk)
    assert isinstance(home, HomeScreen)
    return home


# --- today's activities -------------------------------------------------------------------


def add_activity(
    svc: Services, world: World, title: str, start: dt.datetime, end: dt.datetime, *, opened: bool
) -> object:
    act = svc.attendance.create_activity(
        title=title,
        community_id=world.community.id,
        starts_at=start,
        ends_at=end,
        service_type="探访",
        place="金洲社区长者饭堂",
    )
    if opened:
        svc.attendance.open_checkin(activity_id=act.id)
    return act


@pytest.fixture
def day(svc: Services, world: World) -> dict[str, object]:
    """The clock says 2 March 09:00: one activity open, one later, one over and closed."""
    over = add_activity(svc, world, "清晨太极", at(2, 6, 30), at(2, 8, 0), opened=True)
    svc.attendance.close_checkin(activity_id=over.id)  # type: ignore[attr-defined]
    return {
        "open": add_activity(svc, world, "敬老探访", at(2, 9, 0), at(2, 11, 30), opened=True),
        "later": add_activity(svc, world, "健康讲座", at(2, 15, 0), at(2, 16, 30), opened=False),
        "over": over,
    }


def open_today(qtbot: QtBot, kiosk: KioskApp) -> TodayScreen:
    go_home(qtbot, kiosk)
    press(qtbot, kiosk, "今日活动")
    screen = current(kiosk)
    assert isinstance(screen, TodayScreen)
    return screen


def test_today_shows_cards_with_state_in_words(
    qtbot: QtBot, kiosk: KioskApp, day: dict[str, object]
) -> None:
    screen = open_today(qtbot, kiosk)
    has_navigation(screen)
    text = shown(kiosk)
    assert "3月2日 星期一" in text
    for words in ("敬老探访", "09:00–11:30", "金洲社区长者饭堂", "签到中"):
        assert words in text
    assert "健康讲座" in text and "报名中" in text
    assert "清晨太极" in text and "已结束" in text
    assert text.index("敬老探访") < text.index("健康讲座") < text.index("清晨太极")
    go = [b for b in visible_buttons(kiosk) if b.text() == "去签到"]
    assert len(go) == 1  # only the open activity offers it
    assert said(kiosk)[-1] == "today_activities"


def test_go_to_check_in_chooses_that_activity(
    qtbot: QtBot, kiosk: KioskApp, day: dict[str, object]
) -> None:
    open_today(qtbot, kiosk)
    press(qtbot, kiosk, "去签到")
    screen = current(kiosk)
    assert isinstance(screen, CheckinScreen)
    choice = screen.selected()
    assert choice is not None and choice.id == day["open"].id  # type: ignore[attr-defined]
    press(qtbot, kiosk, "返回")
    assert isinstance(current(kiosk), TodayScreen)


def test_many_activities_are_paged_not_scrolled(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World
) -> None:
    for hour in range(9, 15):
        add_activity(svc, world, f"活动{hour}点", at(2, hour), at(2, hour, 50), opened=False)
    screen = open_today(qtbot, kiosk)
    pager = screen.pages.pager
    assert pager.isVisible() and pager.where.text() == "第1页/共2页"
    assert not pager.prev_button.isVisible()
    assert "活动9点" in shown(kiosk) and "活动14点" not in shown(kiosk)
    press(qtbot, kiosk, "下一页")
    assert pager.where.text() == "第2页/共2页" and not pager.next_button.isVisible()
    assert "活动14点" in shown(kiosk) and "活动9点" not in shown(kiosk)
    kiosk.window.set_text_scale(2.0)  # rebuilt: the page is kept, fewer cards per page
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, TodayScreen)
    assert screen.pages.pager.where.text() == "第2页/共6页"


def test_a_day_without_activities_says_what_to_do(qtbot: QtBot, kiosk: KioskApp) -> None:
    open_today(qtbot, kiosk)
    assert "今天没有活动" in shown(kiosk)


@pytest.mark.parametrize(("scale", "theme"), LOOKS)
def test_today_screenshots_pass_the_checks(
    qtbot: QtBot, kiosk: KioskApp, day: dict[str, object], scale: float, theme: str
) -> None:
    findings: dict[str, list[str]] = {}
    set_look(kiosk, scale, theme)
    open_today(qtbot, kiosk)
    shot(qtbot, kiosk, "today", findings)
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
