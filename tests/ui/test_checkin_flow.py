"""签到/签退 from home: card and member QR, already checked in, not registered, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.clock import FixedClock
from kiosk.services import Services
from kiosk.store.models import Attendance, ServiceRecord
from tests.factories import World, at, id_number
from tests.ui.conftest import settle, tap_card
from ui.app import KioskApp
from ui.screens.checkin import CheckinDoneScreen, CheckinScreen
from ui.screens.home import HomeScreen


@pytest.fixture
def activity(svc: Services, world: World) -> object:
    act = svc.attendance.create_activity(
        title="敬老探访",
        community_id=world.community.id,
        starts_at=at(2, 9, 0),
        ends_at=at(2, 11, 30),
        service_type="探访",
        place="金洲社区长者饭堂",
    )
    svc.attendance.open_checkin(activity_id=act.id)
    return act


def open_checkin_screen(qtbot: QtBot, kiosk: KioskApp) -> CheckinScreen:
    kiosk.window.go_home()
    home = kiosk.window.current
    assert isinstance(home, HomeScreen)
    tile = next(b for b in home.findChildren(QPushButton) if b.text() == "签到 / 签退")
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)
    screen = kiosk.window.current
    assert isinstance(screen, CheckinScreen)
    return screen


def attendance_rows(svc: Services) -> list[Attendance]:
    with svc.store.read() as s:
        return list(s.query(Attendance).order_by(Attendance.at))


@pytest.mark.usefixtures("activity")
def test_check_in_then_out_by_card(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, clock: FixedClock
) -> None:
    screen = open_checkin_screen(qtbot, kiosk)
    assert screen.step_label is not None and screen.step_label.text() == "第1步/共2步"
    assert screen.selected() is not None
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    done = kiosk.window.current
    assert isinstance(done, CheckinDoneScreen)
    shown = " ".join(w.text() for w in done.findChildren(type(done.title_label)))
    assert "张*英" in shown and "09:00" in shown and "敬老探访" in shown
    assert world.member_id_number not in shown
    assert [r.direction for r in attendance_rows(svc)] == ["in"]

    clock.advance(minutes=150)
    screen = open_checkin_screen(qtbot, kiosk)
    screen.out_button.click()
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    done = kiosk.window.current
    assert isinstance(done, CheckinDoneScreen)
    shown = " ".join(w.text() for w in done.findChildren(type(done.title_label)))
    assert "150 分钟" in shown and "2.5 个" in shown
    assert kiosk.context.speaker.said[-1] == "checkout_ok"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("activity")
def test_second_tap_explains_and_offers_check_out(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_checkin_screen(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    screen = open_checkin_screen(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert kiosk.window.current is screen
    assert screen.message.isVisible()
    assert "已于 09:00 签到" in screen.message.text() and "签退" in screen.message.text()
    assert screen.out_button.isChecked()
    assert len(attendance_rows(svc)) == 1


@pytest.mark.usefixtures("activity")
def test_unregistered_card_gets_plain_next_step(
    qtbot: QtBot, kiosk: KioskApp, svc: Services
) -> None:
    screen = open_checkin_screen(qtbot, kiosk)
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    assert kiosk.window.current is screen
    assert "工作人员登记" in screen.message.text()
    assert screen.message.text().startswith("⚠")  # a mark, not colour alone
    assert attendance_rows(svc) == []


@pytest.mark.usefixtures("activity")
def test_undo_check_in(qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services) -> None:
    open_checkin_screen(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    done = kiosk.window.current
    assert isinstance(done, CheckinDoneScreen)
    done.undo_button.click()
    settle(qtbot, kiosk)
    assert isinstance(kiosk.window.current, HomeScreen)
    rows = attendance_rows(svc)
    assert [r.direction for r in rows] == ["in", "out"]
    assert rows[1].method == "undo" and rows[1].at == rows[0].at
    with svc.store.read() as s:
        assert s.query(ServiceRecord).count() == 0  # nothing served, nothing earned


def test_no_activity_today_says_what_to_do(qtbot: QtBot, kiosk: KioskApp) -> None:
    screen = open_checkin_screen(qtbot, kiosk)
    assert "没有可以签到的活动" in screen.empty.text()


def test_checked_out_by_mistake_resumes_service(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, clock: FixedClock, activity: object
) -> None:
    act_id = activity.id  # type: ignore[attr-defined]
    svc.attendance.check_in(activity_id=act_id, person_id=world.member.id, method="id_card")
    clock.advance(minutes=60)
    screen = open_checkin_screen(qtbot, kiosk)
    screen.out_button.click()
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    done = kiosk.window.current
    assert isinstance(done, CheckinDoneScreen)
    assert svc.ledger.balance(world.member.id) == 60
    assert "还在服务" in done.undo_button.text()
    done.undo_button.click()
    settle(qtbot, kiosk)
    # Checked in again from now: the hour served is kept, the rest will count as well.
    again = svc.attendance.check_in(activity_id=act_id, person_id=world.member.id, method="qr")
    assert again.already
    assert svc.ledger.balance(world.member.id) == 60
