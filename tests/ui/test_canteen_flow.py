"""长者饭堂用餐登记: a queue of residents tapping cards; once a day each; unknown cards.

The screen answers each tap in place and is ready for the next person a few seconds later
(the tests shorten the seconds); it never goes home after a tap.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from devices.idcard.base import DummyIdCardReader
from devices.idcard.errors import IdCardError
from kiosk.clock import FixedClock
from kiosk.services import Services
from kiosk.store.models import BeneficiaryVisit
from tests.factories import World, id_number
from tests.ui.conftest import settle, tap_card
from tests.ui.test_today import (
    LOOKS,
    current,
    go_home,
    has_navigation,
    press,
    said,
    set_look,
    shot,
    shown,
)
from ui.app import KioskApp
from ui.screens.canteen import CanteenScreen
from ui.screens.person import PersonScreen


@pytest.fixture(autouse=True)
def quick() -> Iterator[None]:
    """A result stays 0.3 s instead of 5 (10 for problems), so the tests do not wait."""
    saved = CanteenScreen.OK_SECONDS, CanteenScreen.PROBLEM_SECONDS
    CanteenScreen.OK_SECONDS = CanteenScreen.PROBLEM_SECONDS = 0.3
    yield
    CanteenScreen.OK_SECONDS, CanteenScreen.PROBLEM_SECONDS = saved


def open_canteen(qtbot: QtBot, kiosk: KioskApp) -> CanteenScreen:
    go_home(qtbot, kiosk)
    press(qtbot, kiosk, "长者饭堂")
    screen = current(kiosk)
    assert isinstance(screen, CanteenScreen)
    return screen


def visits(svc: Services) -> list[BeneficiaryVisit]:
    with svc.store.read() as s:
        return list(s.query(BeneficiaryVisit).order_by(BeneficiaryVisit.created_at))


def step(screen: CanteenScreen) -> str:
    assert screen.step_label is not None
    return screen.step_label.text()


def test_resident_is_recorded_and_the_screen_waits_for_the_next(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    screen = open_canteen(qtbot, kiosk)
    has_navigation(screen)
    assert step(screen) == "第1步/共2步"
    assert said(kiosk)[-1] == "canteen"
    assert "请把身份证放在读卡区" in shown(kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert current(kiosk) is screen  # not the person page
    assert step(screen) == "第2步/共2步"
    text = shown(kiosk)
    assert "登记成功，祝您用餐愉快" in text and "李*" in text and "09:00" in text
    assert "李伯" not in text and world.resident_id_number not in text
    assert screen.tick.isVisible()
    assert said(kiosk)[-1] == "canteen_ok"
    (visit,) = visits(svc)
    assert visit.person_id == world.resident.id and visit.served_station_id == world.station.id
    assert visit.method == "id_card"
    qtbot.waitUntil(screen.waiting.isVisible, timeout=3000)
    assert current(kiosk) is screen and step(screen) == "第1步/共2步"
    assert "李*" not in shown(kiosk)  # nothing of the last person stays on screen


def test_second_tap_today_is_explained_and_not_stored(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, clock: FixedClock
) -> None:
    screen = open_canteen(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    clock.advance(minutes=25)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    text = shown(kiosk)
    assert "您今天已经登记过了" in text and "今天 09:00 已登记，不用再刷卡" in text
    assert screen.outcome == "already"
    assert len(visits(svc)) == 1
    clock.advance(days=1)  # a new day: recorded again
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert screen.outcome == "ok"
    assert len(visits(svc)) == 2


def test_unknown_card_says_what_to_do_next(qtbot: QtBot, kiosk: KioskApp, svc: Services) -> None:
    screen = open_canteen(qtbot, kiosk)
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    assert current(kiosk) is screen and kiosk.window.overlay is None
    text = shown(kiosk)
    assert "⚠ 没有找到您的登记信息" in text and "请找工作人员登记" in text
    assert not screen.tick.isVisible()
    assert said(kiosk)[-1] == "not_registered"
    assert visits(svc) == []
    qtbot.waitUntil(screen.waiting.isVisible, timeout=3000)


def test_a_queue_one_after_another(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    """The next card is taken while the last answer still shows; 下一位 clears at once."""
    CanteenScreen.OK_SECONDS = 30.0
    screen = open_canteen(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert "张*英" in shown(kiosk) and "李*" not in shown(kiosk)
    assert len(visits(svc)) == 2
    press(qtbot, kiosk, "下一位")
    assert screen.waiting.isVisible() and not screen.result.isVisible()
    assert current(kiosk) is screen


def test_card_read_error_is_answered_in_the_screen(qtbot: QtBot, kiosk: KioskApp) -> None:
    screen = open_canteen(qtbot, kiosk)
    reader = kiosk.manager.id_reader()
    assert isinstance(reader, DummyIdCardReader)
    reader.present_error(IdCardError())
    settle(qtbot, kiosk)
    qtbot.waitUntil(screen.result.isVisible, timeout=3000)
    assert kiosk.window.overlay is None  # an overlay would hold up the next card
    assert "没有读到身份证" in shown(kiosk)
    assert said(kiosk)[-1] == "card_error"


def test_from_the_person_page(qtbot: QtBot, kiosk: KioskApp, world: World) -> None:
    go_home(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert isinstance(current(kiosk), PersonScreen)
    press(qtbot, kiosk, "长者饭堂")
    assert isinstance(current(kiosk), CanteenScreen)


@pytest.mark.parametrize(("scale", "theme"), LOOKS)
def test_canteen_screenshots_pass_the_checks(
    qtbot: QtBot, kiosk: KioskApp, world: World, scale: float, theme: str
) -> None:
    CanteenScreen.OK_SECONDS = CanteenScreen.PROBLEM_SECONDS = 30.0
    findings: dict[str, list[str]] = {}
    set_look(kiosk, scale, theme)
    open_canteen(qtbot, kiosk)
    shot(qtbot, kiosk, "canteen", findings)
    tap_card(kiosk, "李伯", world.resident_id_number)
    shot(qtbot, kiosk, "canteen_ok", findings)
    tap_card(kiosk, "李伯", world.resident_id_number)
    shot(qtbot, kiosk, "canteen_already", findings)
    tap_card(kiosk, "赵六", id_number("19500101"))
    shot(qtbot, kiosk, "canteen_unknown", findings)
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
