"""The staff console on a real kiosk: sign-in, lock, exit, and each panel's main action.

The kiosk runs against a temp store with Dummy devices (``kiosk`` fixture). Every panel is
photographed at 1920x1080 into /tmp/shots/staff/ to be looked at by eye.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kiosk.clock import FixedClock
from kiosk.identity import mask_id
from kiosk.services import Services
from kiosk.store.models import (
    Activity,
    ActivityStatus,
    Attendance,
    AuditEntry,
    Need,
    NeedCategory,
    NeedStatus,
    Person,
    PersonKind,
    ServiceApproval,
    StaffAccount,
    SuggestionTarget,
    Wish,
    WishStatus,
)
from tests.factories import World, at, id_number
from tests.ui.conftest import settle, tap_card
from ui.app import KioskApp
from ui.context import UiSettings
from ui.screens.home import HomeScreen
from ui.screens.staff import walkin_panel
from ui.screens.staff.activities_panel import ActivitiesPanel
from ui.screens.staff.needs_panel import NeedsPanel
from ui.screens.staff.suggestions_panel import SuggestionsPanel
from ui.screens.staff.walkin_panel import WalkinPanel
from ui.screens.staff.wishes_panel import WishesPanel
from ui.screens.staff_console import PANELS, SECTION_MM, StaffConsoleScreen
from ui.screens.staff_login import StaffLoginScreen
from ui.tokens import STAFF_TARGET_MM

SHOTS = Path("/tmp/shots/staff")
PIN = "2468"


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def staff(svc: Services) -> StaffAccount:
    return svc.staff.create(name="王站长", login="wang", pin=PIN)


def visible_text(widget: QWidget) -> str:
    QApplication.processEvents()
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    parts += [w.text() for w in widget.findChildren(QPushButton) if w.isVisibleTo(widget)]
    parts += [w.text() for w in widget.findChildren(QLineEdit) if w.isVisibleTo(widget)]
    return "\n".join(parts)


def find(widget: QWidget, kind: type[Any], name: str) -> Any:
    QApplication.processEvents()
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(widget: QWidget, name: str) -> None:
    target = find(widget, QPushButton, name)
    assert target.isEnabled(), name
    target.click()


def click_text(widget: QWidget, text: str) -> None:
    QApplication.processEvents()
    next(b for b in widget.findChildren(QPushButton) if b.text() == text).click()


def shoot(kiosk: KioskApp, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    window.resize(1920, 1080)
    QApplication.processEvents()
    path = SHOTS / f"{name}.png"
    assert window.grab().save(str(path))
    return path


def keypad_pin(widget: QWidget, pin: str, enter: str) -> None:
    """Type a PIN on the in-window keypad under ``widget`` and press its enter key."""
    for digit in pin:
        next(b for b in widget.findChildren(QPushButton) if b.accessibleName() == digit).click()
    click_text(widget, enter)


def open_login(qtbot: QtBot, kiosk: KioskApp) -> StaffLoginScreen:
    home = kiosk.window.current
    assert isinstance(home, HomeScreen)
    for _ in range(kiosk.context.settings.staff_taps):
        home.station.click()
    screen = kiosk.window.current
    assert isinstance(screen, StaffLoginScreen)
    settle(qtbot, kiosk)
    return screen


def sign_in(qtbot: QtBot, kiosk: KioskApp) -> StaffConsoleScreen:
    screen = open_login(qtbot, kiosk)
    keypad_pin(screen, PIN, "登录")
    settle(qtbot, kiosk)
    console = kiosk.window.current
    assert isinstance(console, StaffConsoleScreen)
    settle(qtbot, kiosk)
    return console


def panel_of(qtbot: QtBot, kiosk: KioskApp, console: StaffConsoleScreen, cls: type[Any]) -> Any:
    click(console, f"section-{cls.__name__}")
    settle(qtbot, kiosk)
    panel = console.current_panel()
    assert isinstance(panel, cls)
    return panel


def count(svc: Services, model: Any, *where: Any) -> int:
    with svc.store.read() as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def audits(svc: Services, action: str) -> list[AuditEntry]:
    with svc.store.read() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.action == action))
        return list(rows.scalars())


# --------------------------------------------------------------------------- sign-in


def test_hidden_gesture_and_pin_open_the_console(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, staff: StaffAccount
) -> None:
    home = kiosk.window.current
    assert isinstance(home, HomeScreen)
    for _ in range(kiosk.context.settings.staff_taps - 1):
        home.station.click()
    assert kiosk.window.current is home  # four taps are not the gesture
    login = open_login(qtbot, kiosk)
    assert "王站长" in visible_text(login)
    shoot(kiosk, "00_login")
    keypad_pin(login, PIN, "登录")
    settle(qtbot, kiosk)
    console = kiosk.window.current
    assert isinstance(console, StaffConsoleScreen)
    assert kiosk.window.staff_account.id == staff.id
    assert "王站长" in find(console, QLabel, "staffName").text()
    assert [b.text() for b in console.section_buttons][:5] == [
        "✓ 登记",
        "需求",
        "活动",
        "微心愿",
        "留言",
    ]
    assert len(console.section_buttons) == len(PANELS) == 8
    assert audits(svc, "staff.login")[0].staff_id == staff.id
    # Staff targets: at least 7 mm on every button of the console.
    metrics = kiosk.window.metrics
    settle(qtbot, kiosk)
    for widget in console.findChildren(QPushButton):
        if widget.isVisibleTo(console):
            assert metrics.mm(widget.height()) >= STAFF_TARGET_MM - 0.25, widget.text()
    for widget in console.section_buttons:  # big section buttons
        assert metrics.mm(widget.height()) >= SECTION_MM - 0.25, widget.text()
    assert kiosk.context.speaker.said[-1] == "home"  # type: ignore[attr-defined]  # no voice


def test_wrong_pin_is_told_and_five_lock_the_account(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, staff: StaffAccount
) -> None:
    login = open_login(qtbot, kiosk)
    keypad_pin(login, "1111", "登录")
    settle(qtbot, kiosk)
    assert "密码不正确，还可以再试 4 次" in login.message.text()
    for _ in range(4):
        keypad_pin(login, "1111", "登录")
        settle(qtbot, kiosk)
    assert "密码错误次数过多" in login.message.text()
    keypad_pin(login, PIN, "登录")  # even the right PIN waits for the lock to end
    settle(qtbot, kiosk)
    assert isinstance(kiosk.window.current, StaffLoginScreen)
    assert "密码错误次数过多" in login.message.text()
    assert kiosk.window.staff_account is None
    assert audits(svc, "staff.locked")


@pytest.mark.parametrize("ui_settings", [UiSettings(staff_idle_s=1)])
def test_idle_console_locks_and_asks_for_the_pin(
    qtbot: QtBot, kiosk: KioskApp, staff: StaffAccount
) -> None:
    console = sign_in(qtbot, kiosk)
    click(console, "exitKiosk")  # a question left open is taken away with the console
    qtbot.waitUntil(lambda: isinstance(kiosk.window.current, StaffLoginScreen), timeout=5000)
    assert kiosk.window.staff_account is None
    assert kiosk.window.overlay is None
    settle(qtbot, kiosk)
    keypad_pin(kiosk.window.current, PIN, "登录")
    settle(qtbot, kiosk)
    assert isinstance(kiosk.window.current, StaffConsoleScreen)


def test_lock_goes_home_signed_out(qtbot: QtBot, kiosk: KioskApp, staff: StaffAccount) -> None:
    console = sign_in(qtbot, kiosk)
    click(console, "lock")
    assert isinstance(kiosk.window.current, HomeScreen)
    assert kiosk.window.staff_account is None


def test_exit_needs_confirmation_and_a_signed_in_staff_member(
    qtbot: QtBot, kiosk: KioskApp, staff: StaffAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QCoreApplication, "quit", lambda *a: quits.append(True))
    window = kiosk.window
    window.exit_kiosk()  # nobody signed in: nothing happens
    assert window.isVisible() and not quits
    console = sign_in(qtbot, kiosk)
    click(console, "exitKiosk")
    assert window.overlay is not None and window.overlay.objectName() == "staffConfirm"
    assert window.isVisible()
    shoot(kiosk, "90_exit_confirm")
    click(window.overlay, "confirm-no")
    assert window.overlay is None and window.isVisible() and not quits
    click(console, "exitKiosk")
    click(window.overlay, "confirm-yes")
    assert not window.isVisible()
    assert quits == [True]


def test_escape_does_not_close_the_console(
    qtbot: QtBot, kiosk: KioskApp, staff: StaffAccount
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = console.current_panel()
    assert isinstance(panel, WalkinPanel)
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Escape)
    panel.name_field.setFocus()
    qtbot.keyClick(panel.name_field, Qt.Key.Key_Escape)
    assert kiosk.window.isVisible()
    assert kiosk.window.current is console


# --------------------------------------------------------------------------- 登记


def test_walkin_is_prefilled_from_the_card_and_registered(
    qtbot: QtBot,
    kiosk: KioskApp,
    svc: Services,
    staff: StaffAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = console.current_panel()
    assert isinstance(panel, WalkinPanel)
    number = id_number("19520611")
    tap_card(kiosk, "赵六", number)
    settle(qtbot, kiosk)
    assert kiosk.window.current is console  # the card went to the panel, not to PersonScreen
    assert panel.name_field.text() == "赵六"
    assert mask_id(number, staff=True) == find(panel, QLabel, "walkin-id").text()
    assert "1952年6月11日出生" in find(panel, QLabel, "walkin-facts").text()
    assert number not in visible_text(kiosk.window)
    assert "还没有登记" in find(panel, QLabel, "walkin-who").text()
    panel.kinds.choose(PersonKind.VOLUNTEER)
    panel.phone.setText("13812345678")
    click(panel, "walkin-hardship")
    shoot(kiosk, "10_walkin_card")
    click(panel, "walkin-register")
    settle(qtbot, kiosk)
    person = svc.people.find_by_id_number(number)
    assert person is not None
    assert (person.name, person.kind, person.hardship) == ("赵六", PersonKind.VOLUNTEER, True)
    assert person.community_id is not None  # the station's community, chosen by default
    assert [a.staff_id for a in audits(svc, "person.register")] == [staff.id]
    assert "已登记：赵六" in panel.result_label.text()
    assert number not in visible_text(kiosk.window)
    shoot(kiosk, "11_walkin_registered")

    # The full number only after the PIN again, audited, and hidden after REVEAL_S.
    monkeypatch.setattr(walkin_panel, "REVEAL_S", 0.5)
    click(panel, "walkin-reveal")
    overlay = kiosk.window.overlay
    assert overlay is not None and overlay.objectName() == "reauth"
    keypad_pin(overlay, "9999", "确定")
    settle(qtbot, kiosk)
    assert "密码不正确" in visible_text(overlay)
    assert not audits(svc, "person.reveal_id")
    shoot(kiosk, "12_walkin_reauth")
    keypad_pin(overlay, PIN, "确定")
    settle(qtbot, kiosk)
    assert kiosk.window.overlay is None
    shown = find(panel, QLabel, "walkin-shown-id")
    assert shown.text() == number and shown.isVisible()
    assert [a.staff_id for a in audits(svc, "person.reveal_id")] == [staff.id]
    shoot(kiosk, "12_walkin_revealed")
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=3000)
    assert number not in visible_text(kiosk.window)


def test_a_registered_card_shows_who_instead_of_registering_twice(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = console.current_panel()
    assert isinstance(panel, WalkinPanel)
    people = count(svc, Person)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    who = find(panel, QLabel, "walkin-who").text()
    assert "已经登记过了" in who and "张晓英 · 党员" in who
    assert mask_id(world.member_id_number, staff=True) in who
    assert world.member_id_number not in visible_text(kiosk.window)
    assert panel.name_field.text() == "" and panel._card is None  # the card is forgotten
    click(panel, "walkin-set-hardship")
    settle(qtbot, kiosk)
    assert svc.people.get(world.member.id).hardship is True
    assert count(svc, Person) == people
    shoot(kiosk, "13_walkin_known")


def test_a_member_needs_an_organisation(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = console.current_panel()
    assert isinstance(panel, WalkinPanel)
    panel.name_field.setText("陈红")
    panel.kinds.choose(PersonKind.MEMBER)
    assert panel.org_row.isVisible()
    click(panel, "walkin-register")
    assert "党员需要选择所在党组织" in panel.error_label.text()
    panel.orgs.choose(world.org.id)
    shoot(kiosk, "14_walkin_member")
    click(panel, "walkin-register")
    settle(qtbot, kiosk)
    found = svc.people.search("陈红")
    assert [(v.kind, v.org_id) for v in found] == [(PersonKind.MEMBER, world.org.id)]


# --------------------------------------------------------------------------- 需求


def test_needs_are_recorded_and_taken_through_their_steps(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, NeedsPanel)
    click(panel, "needs-post")
    assert "请先刷居民的身份证" in panel.error_label.text()
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert panel.resident.person is not None and panel.resident.person.id == world.resident.id
    panel.category.choose(NeedCategory.HAIRCUT)
    panel.description.setText("行动不便")
    click(panel, "needs-post")
    settle(qtbot, kiosk)
    [need] = svc.needs.open_needs()
    assert (need.resident_id, need.posted_by_staff_id) == (world.resident.id, staff.id)
    assert need.category == NeedCategory.HAIRCUT
    assert "求助号" in panel.result_label.text()
    from kiosk.services.needs import ticket_number

    ticket = ticket_number(need.id)
    assert "理发 · 居民 李伯" in visible_text(panel)

    def status() -> str:
        with svc.store.read() as s:
            return str(s.get_one(Need, need.id).status)

    # A resident cannot claim: the refusal is shown in the service's words.
    click(panel, f"need-claim-{ticket}")
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    click(panel, "action-claim")
    settle(qtbot, kiosk)
    assert "只有党员和志愿者可以认领需求" in panel.error_label.text()
    assert status() == NeedStatus.POSTED
    # The member taps the card: claimed for her.
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert "张晓英" in find(panel, QLabel, "needs-claimant-chosen").text()
    shoot(kiosk, "20_needs_claim")
    click(panel, "action-claim")
    settle(qtbot, kiosk)
    assert status() == NeedStatus.CLAIMED
    assert "认领：张晓英" in visible_text(panel)
    click(panel, f"need-start-{ticket}")
    settle(qtbot, kiosk)
    assert status() == NeedStatus.IN_SERVICE
    click(panel, f"need-complete-{ticket}")
    click(panel, "action-complete")
    assert "请填写服务时长" in panel.error_label.text()
    find(panel, QLineEdit, "action-minutes").setText("90")
    click(panel, "action-complete")
    settle(qtbot, kiosk)
    assert status() == NeedStatus.COMPLETED
    click(panel, f"need-confirm-{ticket}")
    settle(qtbot, kiosk)
    assert status() == NeedStatus.CONFIRMED
    assert svc.ledger.balance(world.member.id) > 0
    click(panel, f"need-rate-{ticket}")
    shoot(kiosk, "21_needs_rate")
    click(panel, "action-stars-5")
    settle(qtbot, kiosk)
    assert status() == NeedStatus.RATED
    assert "已评价 5 星" in panel.result_label.text()


def test_a_need_is_assigned_by_name_and_cancelled_with_a_reason(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    need = svc.needs.post(
        resident_id=world.resident.id, category=NeedCategory.MEAL, wished_at=at(3, 9)
    )
    from kiosk.services.needs import ticket_number

    ticket = ticket_number(need.id)
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, NeedsPanel)
    click(panel, f"need-claim-{ticket}")
    find(panel, QLineEdit, "needs-claimant-query").setText("晓英")
    click(panel, "needs-claimant-find")
    settle(qtbot, kiosk)
    click(panel, "needs-claimant-result-0")
    click(panel, "action-claim")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        assert s.get_one(Need, need.id).claimant_person_id == world.member.id
    click(panel, f"need-release-{ticket}")
    settle(qtbot, kiosk)
    click(panel, f"need-cancel-{ticket}")
    click(panel, "action-cancel")
    assert "请填写取消原因" in panel.error_label.text()
    click(panel, "action-preset-0")
    click(panel, "action-cancel")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        cancelled = s.get_one(Need, need.id)
    assert (cancelled.status, cancelled.closed_reason) == (NeedStatus.CANCELLED, "居民不需要了")
    assert [a.staff_id for a in audits(svc, "need.cancel")] == [staff.id]
    assert "现在没有进行中的需求" in visible_text(panel)


# --------------------------------------------------------------------------- 活动


def test_activities_are_created_opened_and_checked_by_staff(
    qtbot: QtBot,
    kiosk: KioskApp,
    svc: Services,
    world: World,
    staff: StaffAccount,
    clock: FixedClock,
) -> None:
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, ActivitiesPanel)
    panel.parts.choose(1)
    settle(qtbot, kiosk)
    panel.f_title.setText("清洁家园志愿服务")
    panel.f_place.setText("金洲社区广场")
    panel.f_start.setText("09:00")
    panel.f_end.setText("10:00")
    shoot(kiosk, "31_activities_new")
    click(panel, "act-create")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        [act] = s.execute(select(Activity)).scalars().all()
    assert (act.title, act.place, act.community_id) == (
        "清洁家园志愿服务",
        "金洲社区广场",
        world.community.id,
    )
    assert act.starts_at == at(2, 9) and act.ends_at == at(2, 10)
    assert panel.stack.currentIndex() == 0
    click(panel, "act-open-0")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        assert s.get_one(Activity, act.id).status == ActivityStatus.OPEN
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    click(panel, "checkin-in")
    settle(qtbot, kiosk)
    assert "签到成功" in find(panel, QLabel, "checkin-result").text()
    with svc.store.read() as s:
        [event] = s.execute(select(Attendance)).scalars().all()
    assert (event.method, event.operator_id) == ("staff", staff.id)
    shoot(kiosk, "30_activities_list")
    # She forgets to check out; closing check-in sends her service to review.
    clock.advance(hours=2)
    click(panel, "act-close-0")
    click(kiosk.window.overlay, "confirm-yes")
    settle(qtbot, kiosk)
    assert "1 人忘记签退" in panel.result_label.text()
    assert panel.parts.texts[2] == "待审核（1）"
    panel.parts.choose(2)
    shoot(kiosk, "32_activities_review")
    minutes = find(panel, QLineEdit, "review-minutes-0")
    assert minutes.text() == "60"
    minutes.setText("45")
    click(panel, "review-approve-0")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        [approval] = s.execute(select(ServiceApproval)).scalars().all()
    assert (approval.approved_minutes, approval.staff_id) == (45, staff.id)
    assert svc.attendance.pending_reviews() == []
    assert "没有要审核的服务记录" in visible_text(panel)


def test_staff_check_out_and_service_beyond_the_daily_limit(
    qtbot: QtBot,
    kiosk: KioskApp,
    svc: Services,
    world: World,
    staff: StaffAccount,
    clock: FixedClock,
) -> None:
    act = svc.attendance.create_activity(
        title="探访长者",
        community_id=world.community.id,
        starts_at=at(2, 8),
        ends_at=at(2, 20),
        service_type="探访",
    )
    svc.attendance.open_checkin(activity_id=act.id)
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, ActivitiesPanel)
    assert "探访长者" in find(panel, QLabel, "checkin-activity").text()  # the open one
    find(panel, QLineEdit, "checkin-person-query").setText("张晓英")
    click(panel, "checkin-person-find")
    settle(qtbot, kiosk)
    click(panel, "checkin-person-result-0")
    click(panel, "checkin-out")
    settle(qtbot, kiosk)
    assert "还没有签到" in panel.error_label.text()
    click(panel, "checkin-in")
    settle(qtbot, kiosk)
    clock.advance(hours=9)  # 09:00 to 18:00: an hour beyond the 8 counted automatically
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    click(panel, "checkin-out")
    settle(qtbot, kiosk)
    assert "签退成功，本次服务 540 分钟" in find(panel, QLabel, "checkin-result").text()
    assert count(svc, Attendance, Attendance.operator_id == staff.id) == 2
    assert panel.parts.texts[2] == "待审核（1）"
    panel.parts.choose(2)
    text = visible_text(panel)
    assert "超过每天自动计入的时长" in text and "待确认 60 分钟" in text
    click(panel, "review-approve-0")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        [approval] = s.execute(select(ServiceApproval)).scalars().all()
    assert approval.approved_minutes == 60


# --------------------------------------------------------------------------- 微心愿 and 留言


def test_wishes_are_verified_and_followed(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    wish = svc.wishes.submit(resident_id=world.resident.id, title="想要一台收音机")
    other = svc.wishes.submit(resident_id=world.resident.id, title="想学用智能手机")
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, WishesPanel)
    text = visible_text(panel)
    assert "想要一台收音机 · 居民 李伯" in text and "想学用智能手机" in text
    shoot(kiosk, "40_wishes_submitted")
    click(panel, "wish-reject-1")
    assert "不通过时请写一句原因" in panel.error_label.text()
    click(panel, "wish-approve-0")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        published = s.get_one(Wish, wish.id)
    assert (published.status, published.verified_by) == (WishStatus.PUBLISHED, staff.id)
    find(panel, QLineEdit, "wish-note-0").setText("请到服务站当面了解")
    click(panel, "wish-reject-0")
    settle(qtbot, kiosk)
    with svc.store.read() as s:
        assert s.get_one(Wish, other.id).status == WishStatus.REJECTED
    svc.wishes.claim(wish_id=wish.id, member_id=world.member.id)
    panel.parts.choose(1)
    settle(qtbot, kiosk)
    text = visible_text(panel)
    assert "已认领，等待联系" in text and "认领党员：张晓英" in text
    shoot(kiosk, "41_wishes_progress")


def test_suggestions_show_replies_and_reveal_a_contact_audited(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    svc.suggestions.leave(
        text="希望服务站周末也开门。", target=SuggestionTarget.ORG_DEPT, contact="13812345678"
    )
    answered = svc.suggestions.leave(
        text="饭堂的菜可以清淡一点。", target=SuggestionTarget.TOWN, town_id=world.town.id
    )
    svc.suggestions.record_reply(suggestion_id=answered.id, reply="已转告饭堂，谢谢。")
    console = sign_in(qtbot, kiosk)
    panel = panel_of(qtbot, kiosk, console, SuggestionsPanel)
    text = visible_text(panel)
    assert "希望服务站周末也开门" in text and "给区委组织部" in text
    assert "饭堂" not in text  # replied ones are under 已回复
    assert "13812345678" not in visible_text(kiosk.window)
    click(panel, "suggestion-reveal-0")
    settle(qtbot, kiosk)
    assert find(panel, QLabel, "suggestion-contact-0").text() == "联系电话：13812345678"
    assert [a.staff_id for a in audits(svc, "suggestion.reveal_contact")] == [staff.id]
    shoot(kiosk, "50_suggestions")
    panel.parts.choose("all")
    settle(qtbot, kiosk)
    text = visible_text(panel)
    assert "已回复" in text and "已转告饭堂，谢谢。" in text and "给南沙街" in text
    shoot(kiosk, "51_suggestions_all")


# --------------------------------------------------------------------------- every panel


def test_every_panel_opens_and_is_photographed(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, staff: StaffAccount
) -> None:
    svc.needs.post(resident_id=world.resident.id, category=NeedCategory.REPAIR, wished_at=at(3, 14))
    svc.wishes.submit(resident_id=world.resident.id, title="想要一副老花镜")
    console = sign_in(qtbot, kiosk)
    for index, cls in enumerate(PANELS):
        panel = panel_of(qtbot, kiosk, console, cls)
        assert panel.isVisible()
        assert console.section_buttons[index].text().startswith("✓ ")
        if cls in (WalkinPanel, NeedsPanel, ActivitiesPanel, WishesPanel, SuggestionsPanel):
            controls = [*panel.findChildren(QPushButton), *panel.findChildren(QLineEdit)]
            for widget in controls:
                if widget.isVisibleTo(panel):
                    height = kiosk.window.metrics.mm(widget.height())
                    assert height >= STAFF_TARGET_MM - 0.25, (cls.__name__, widget.objectName())
        shoot(kiosk, f"panel_{index}_{cls.__name__}")
    # A card on a panel that has no use for it is ignored, never identifies anyone.
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert kiosk.window.current is console
    # A rebuild (language, text size) comes back to the same panel.
    kiosk.window.rebuild()
    settle(qtbot, kiosk)
    rebuilt = kiosk.window.current
    assert isinstance(rebuilt, StaffConsoleScreen)
    assert type(rebuilt.current_panel()) is PANELS[-1]
