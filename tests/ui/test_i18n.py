"""The English screen language: a complete, compiled catalogue, and a home screen without
Chinese left on it; and the Chinese one: no English words, Qt's own texts in Chinese (C14).

Screenshots of home and two screens in English at 1920x1080 go to /tmp/shots/en/ for a
look by eye (English is longer than Chinese: clipped words show there first).
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import settle
from ui import a11y, i18n
from ui.app import KioskApp
from ui.screen import Screen
from ui.screens.home import HomeScreen
from ui.screens.needs import NeedCategoryScreen
from ui.screens.today import TodayScreen
from ui.tokens import SCREEN_H, SCREEN_W

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "i18n.py"
TS = ROOT / "assets" / "i18n" / "timebank_en.ts"
SHOTS = Path("/tmp/shots/en")

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")
PLACEHOLDER = re.compile(r"\{(\w*)\}")
HOME_TILES_EN = {
    "Check in / out",
    "Ask for help",
    "My time coins",
    "Today's activities",
    "Wishes",
}
HOME_TILES_ZH = {"签到 / 签退", "我要求助", "我的时间币", "今日活动", "微心愿"}


@pytest.fixture
def english(kiosk: KioskApp) -> Iterator[KioskApp]:
    """The kiosk at the screen size of the field, switched to English; Chinese again after."""
    kiosk.window.resize(SCREEN_W, SCREEN_H)
    kiosk.window.set_language("en")
    try:
        yield kiosk
    finally:
        kiosk.window.set_language("zh")  # the translator is the application's, not the kiosk's


def shown_texts(root: QWidget, skip: set[QWidget]) -> list[str]:
    """Every visible button and label text under ``root``, but for the widgets in ``skip``."""
    widgets: list[QAbstractButton | QLabel] = [
        *root.findChildren(QAbstractButton),
        *root.findChildren(QLabel),
    ]
    return [
        w.text()
        for w in widgets
        if w not in skip and w.isVisibleTo(root) and w.isVisible() and w.text().strip()
    ]


def tile_texts(screen: QWidget) -> set[str]:
    return {
        b.text()
        for b in screen.findChildren(QAbstractButton)
        if b.property("role") == "tile" and b.isVisible()
    }


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_is_complete_and_compiled() -> None:
    """Every tr() text has an English translation and the .qm matches the .ts."""
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def test_translations_keep_their_placeholders() -> None:
    """A translation may drop a placeholder (the weekday {w} has no English), never invent
    one: the code formats with the source's keywords, and an unknown one would raise. No
    Chinese is left in it, and no lone "&" (a QPushButton turns it into a shortcut mark)."""
    bad = []
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        keys = PLACEHOLDER.findall(source)
        try:
            translation.format(**{k: "x" for k in keys})
        except (KeyError, IndexError, ValueError) as exc:
            bad.append(f"{source!r} -> {translation!r}: {exc!r}")
        if set(PLACEHOLDER.findall(translation)) - set(keys):
            bad.append(f"{source!r} -> {translation!r}: a placeholder the source lacks")
        if CJK.search(translation):
            bad.append(f"{source!r} -> {translation!r}: Chinese left in the translation")
        if "&" in translation.replace("&&", ""):
            bad.append(f"{source!r} -> {translation!r}: a button would take & as a shortcut")
    assert not bad, "\n".join(bad)


def test_weekday_formats_drop_the_chinese_weekday(english: KioskApp) -> None:
    """The code supplies the weekday as a Chinese character; the English drops it, and
    str.format ignores the unused keyword."""
    text = i18n.tr("{m}月{d}日 星期{w} {hm}").format(m=3, d=2, w="一", hm="09:00")
    assert text == "3/2 09:00"


# --- the screens --------------------------------------------------------------------------


def test_home_in_english_has_no_chinese_but_the_station_name(
    qtbot: QtBot, english: KioskApp
) -> None:
    window = english.window
    settle(qtbot, english)
    home = window.current
    assert isinstance(home, HomeScreen)
    assert HOME_TILES_EN <= tile_texts(home)
    texts = {b.text() for b in home.findChildren(QAbstractButton) if b.isVisible()}
    assert {"Repeat", "中文"} <= texts  # 中文 is the switch back, in its own language
    language_switch = {b for b in home.findChildren(QAbstractButton) if b.text() == "中文"}
    left = [t for t in shown_texts(home, {home.station, *language_switch}) if CJK.search(t)]
    assert not left, f"Chinese left on the English home: {left}"
    assert not a11y.reflow(window), "English text cut on home"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "home.png"))

    window.set_language("zh")
    home = window.current
    assert isinstance(home, HomeScreen)
    assert HOME_TILES_ZH <= tile_texts(home)
    assert not HOME_TILES_EN & tile_texts(home)


@pytest.mark.parametrize("screen", [NeedCategoryScreen, TodayScreen])
def test_screens_in_english_fit(qtbot: QtBot, english: KioskApp, screen: type[Screen]) -> None:
    window = english.window
    window.go(screen)
    settle(qtbot, english)
    current = window.current
    assert isinstance(current, screen)
    nav = {b.text() for b in current.findChildren(QAbstractButton) if b.isVisible()}
    assert {"Back", "Repeat", "Home"} <= nav
    assert not a11y.reflow(window), f"English text cut on {screen.__name__}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / f"{screen.__name__}.png"))


def test_home_in_chinese_shows_no_english(qtbot: QtBot, kiosk: KioskApp) -> None:
    settle(qtbot, kiosk)
    assert isinstance(kiosk.window.current, HomeScreen)
    assert a11y.chinese_only(kiosk.window) == []


def test_qt_own_chinese_catalogue_loads(kiosk: KioskApp) -> None:
    assert i18n.install("zh") is True
