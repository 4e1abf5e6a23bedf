"""我要求助 from home: three steps, a card tap, the ticket printed, its QR scanned back.

Runs against the real store and services, the Dummy card reader, scanner and printer, and
the recording speaker. The screenshot test also walks every screen at text scale 1.0 and
2.0 in both themes, runs the elderly-adaptation checks (ui/a11y.py) on each, and saves the
pictures in /tmp/shots/needs/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from devices.printer.dummy import DummyFault, DummyPrinter
from devices.qr.tokens import need_qr_text
from kiosk.clock import CHINA, FixedClock
from kiosk.errors import NotFound, ValidationError
from kiosk.services import Services
from kiosk.services.needs import TICKET_DIGITS, ticket_number
from kiosk.store.models import Need, NeedCategory, NeedStatus
from tests.factories import World, id_number
from tests.ui.conftest import scan, settle, tap_card
from ui import a11y
from ui.app import KioskApp
from ui.icons import icon_image, icon_path
from ui.screen import Screen
from ui.screens.home import HomeScreen
from ui.screens.needs import (
    ICONS,
    NeedCategoryScreen,
    NeedConfirmScreen,
    NeedDoneScreen,
    NeedTicketScreen,
    NeedTimeScreen,
    spaced,
)
from ui.screens.person import PersonScreen

SHOTS = Path("/tmp/shots/needs")


# --- helpers ------------------------------------------------------------------------------


def current(kiosk: KioskApp) -> Screen:
    screen = kiosk.window.current
    assert screen is not None
    return screen


def tile_named(screen: Screen, text: str) -> QPushButton:
    for widget in screen.findChildren(QPushButton):
        if widget.text() == text and widget.isVisible():
            return widget
    raise AssertionError(f"no button {text!r} on {type(screen).__name__}")


def texts(screen: Screen) -> str:
    return " ".join(w.text() for w in screen.findChildren(QLabel) if w.isVisible())


def needs_in_db(svc: Services) -> list[Need]:
    with svc.store.read() as s:
        return list(s.query(Need).order_by(Need.created_at))


def printer(kiosk: KioskApp) -> DummyPrinter:
    device = kiosk.manager.printer()
    assert isinstance(device, DummyPrinter)
    return device


def said(kiosk: KioskApp) -> list[str]:
    return list(kiosk.context.speaker.said)  # type: ignore[attr-defined]


def click(qtbot: QtBot, kiosk: KioskApp, widget: QAbstractButton) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    settle(qtbot, kiosk)


def start_from_home(qtbot: QtBot, kiosk: KioskApp) -> NeedCategoryScreen:
    home = current(kiosk)
    assert isinstance(home, HomeScreen)
    click(qtbot, kiosk, tile_named(home, "我要求助"))
    screen = current(kiosk)
    assert isinstance(screen, NeedCategoryScreen)
    return screen


def to_confirm(
    qtbot: QtBot, kiosk: KioskApp, category: NeedCategory = NeedCategory.MEAL
) -> NeedConfirmScreen:
    """Home → 送餐 → 明天 下午 → step 3."""
    step1 = start_from_home(qtbot, kiosk)
    click(qtbot, kiosk, step1.tiles[category])
    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    click(qtbot, kiosk, step2.tomorrow_button)
    click(qtbot, kiosk, step2.part_buttons["pm"])
    click(qtbot, kiosk, step2.next_button)
    step3 = current(kiosk)
    assert isinstance(step3, NeedConfirmScreen)
    return step3


def step_text(screen: Screen) -> str:
    assert screen.step_label is not None
    return screen.step_label.text()


# --- the flow -----------------------------------------------------------------------------


def test_whole_flow_from_home_identified_by_card_and_printed(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    step1 = start_from_home(qtbot, kiosk)
    assert step_text(step1) == "第1步/共3步"
    assert set(step1.tiles) == set(NeedCategory)  # every category the service knows
    for tile in step1.tiles.values():
        picture = tile.picture.pixmap()
        assert not picture.isNull() and picture.width() >= kiosk.window.look().target_px * 0.9
    click(qtbot, kiosk, step1.tiles[NeedCategory.MEAL])

    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    assert step_text(step2) == "第2步/共3步"
    click(qtbot, kiosk, step2.next_button)  # no day yet: told plainly, stays
    assert current(kiosk) is step2 and "哪一天" in step2.message.text()
    click(qtbot, kiosk, step2.tomorrow_button)
    click(qtbot, kiosk, step2.part_buttons["pm"])
    assert step2.tomorrow_button.isChecked() and step2.part_buttons["pm"].isChecked()
    assert not step2.part_buttons["any"].isChecked()
    assert not step2.tomorrow_button.icon().isNull()  # a tick, not colour alone
    click(qtbot, kiosk, step2.next_button)

    step3 = current(kiosk)
    assert isinstance(step3, NeedConfirmScreen)
    assert step_text(step3) == "第3步/共3步"
    shown = texts(step3)
    assert "送餐" in shown and "3月3日 星期二 下午" in shown
    assert step3.card_prompt.isVisible() and "工作人员" in step3.no_card.text()
    click(qtbot, kiosk, step3.phrase_buttons["行动不便"])
    click(qtbot, kiosk, step3.phrase_buttons["需要上门"])
    click(qtbot, kiosk, step3.phrase_buttons["越快越好"])
    click(qtbot, kiosk, step3.phrase_buttons["越快越好"])  # a second tap takes it back
    assert "补充：行动不便，需要上门" in texts(step3)

    click(qtbot, kiosk, step3.confirm_button)  # not identified yet: asks for the card
    assert current(kiosk) is step3
    assert step3.message.text().startswith("⚠") and "身份证" in step3.message.text()
    assert needs_in_db(svc) == []

    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert current(kiosk) is step3  # the card stays in the flow
    assert "求助人：李*" in texts(step3) and not step3.card_prompt.isVisible()
    assert world.resident_id_number not in texts(step3)
    click(qtbot, kiosk, step3.confirm_button)
    settle(qtbot, kiosk)

    done = current(kiosk)
    assert isinstance(done, NeedDoneScreen)
    [need] = needs_in_db(svc)
    assert need.resident_id == world.resident.id
    assert need.category == NeedCategory.MEAL
    assert need.description == "行动不便，需要上门"
    assert need.wished_at == dt.datetime(2026, 3, 3, 14, 0, tzinfo=CHINA)
    assert need.status == NeedStatus.POSTED
    number = ticket_number(need.id)
    assert len(number) == TICKET_DIGITS and number.isdigit()
    assert done.number_label.text() == spaced(number)
    shown = texts(done)
    assert "求助已提交" in shown and "打电话" in shown and "小票已打印" in shown

    out = printer(kiosk).output
    assert need_qr_text(str(need.id)).encode("ascii") in out
    assert spaced(number).encode("gb18030") in out
    assert "求助号码".encode("gb18030") in out and "送餐".encode("gb18030") in out
    assert "李*".encode("gb18030") in out and "李伯".encode("gb18030") not in out
    assert [k for k in said(kiosk) if k.startswith("need_")] == [
        "need_category",
        "need_time",
        "need_confirm",
        "need_done",
    ]
    assert len([w for w in QApplication.topLevelWidgets() if w.isVisible()]) == 1


def test_card_tapped_on_home_first_needs_no_second_tap(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    person = current(kiosk)
    assert isinstance(person, PersonScreen)
    click(qtbot, kiosk, tile_named(person, "我要求助"))
    step1 = current(kiosk)
    assert isinstance(step1, NeedCategoryScreen) and "李*" in step1.who.text()
    click(qtbot, kiosk, step1.tiles[NeedCategory.REPAIR])
    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    click(qtbot, kiosk, step2.today_button)
    click(qtbot, kiosk, step2.next_button)  # 都可以 is chosen from the start
    step3 = current(kiosk)
    assert isinstance(step3, NeedConfirmScreen)
    assert not step3.card_prompt.isVisible() and "求助人：李*" in texts(step3)
    click(qtbot, kiosk, step3.confirm_button)
    assert isinstance(current(kiosk), NeedDoneScreen)
    [need] = needs_in_db(svc)
    assert need.category == NeedCategory.REPAIR
    assert need.description == "上午下午都可以"
    assert need.wished_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=CHINA)  # the clock: 09:00


def test_card_on_step_one_identifies_without_leaving_the_flow(
    qtbot: QtBot, kiosk: KioskApp, world: World
) -> None:
    step1 = start_from_home(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert current(kiosk) is step1
    assert step1.who.text() == "求助人：李*"
    assert kiosk.window.session.person is not None


def test_unregistered_card_is_told_to_ask_staff(
    qtbot: QtBot, kiosk: KioskApp, svc: Services
) -> None:
    step3 = to_confirm(qtbot, kiosk)
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    assert current(kiosk) is step3
    assert step3.message.isVisible() and step3.message.text().startswith("⚠")
    assert "工作人员" in step3.message.text()
    assert said(kiosk)[-1] == "not_registered"
    assert kiosk.window.session.person is None
    click(qtbot, kiosk, step3.confirm_button)
    assert needs_in_db(svc) == []


@pytest.mark.parametrize("fault", [DummyFault.PAPER_END, DummyFault.UNPLUGGED, None])
def test_printer_trouble_keeps_the_need_and_says_to_note_the_number(
    qtbot: QtBot,
    kiosk: KioskApp,
    world: World,
    svc: Services,
    monkeypatch: pytest.MonkeyPatch,
    fault: DummyFault | None,
) -> None:
    if fault is None:  # no printer at all on this kiosk
        monkeypatch.setattr(kiosk.manager, "printer", lambda: None)
    else:
        printer(kiosk).set_fault(fault)
    step3 = to_confirm(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    click(qtbot, kiosk, step3.confirm_button)
    settle(qtbot, kiosk)
    done = current(kiosk)
    assert isinstance(done, NeedDoneScreen)
    [need] = needs_in_db(svc)
    assert done.number_label.text() == spaced(ticket_number(need.id))
    assert done.print_label.text() == "⚠ 打印机暂时不能用，请记下您的号码。"
    assert said(kiosk)[-1] == "打印机暂时不能用，请记下您的号码"
    if fault is not None:
        assert printer(kiosk).output == b""


def test_rebuilding_the_done_screen_does_not_print_twice(
    qtbot: QtBot, kiosk: KioskApp, world: World
) -> None:
    step3 = to_confirm(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    click(qtbot, kiosk, step3.confirm_button)
    settle(qtbot, kiosk)
    assert len(printer(kiosk).jobs) == 1
    kiosk.window.set_theme("high_contrast")
    settle(qtbot, kiosk)
    done = current(kiosk)
    assert isinstance(done, NeedDoneScreen) and "小票已打印" in done.print_label.text()
    assert len(printer(kiosk).jobs) == 1


# --- navigation ---------------------------------------------------------------------------


def test_back_and_home_on_every_step(qtbot: QtBot, kiosk: KioskApp, world: World) -> None:
    step3 = to_confirm(qtbot, kiosk)
    assert step3.back_button.isVisible() and step3.home_button.isVisible()
    click(qtbot, kiosk, step3.phrase_buttons["独居老人"])
    click(qtbot, kiosk, step3.back_button)
    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    assert step2.back_button.isVisible() and step2.home_button.isVisible()
    assert step2.tomorrow_button.isChecked() and step2.part_buttons["pm"].isChecked()
    click(qtbot, kiosk, step2.next_button)
    again = current(kiosk)
    assert isinstance(again, NeedConfirmScreen)
    assert again.phrase_buttons["独居老人"].isChecked()  # the draft came back with 返回
    click(qtbot, kiosk, again.back_button)
    click(qtbot, kiosk, current(kiosk).back_button)
    step1 = current(kiosk)
    assert isinstance(step1, NeedCategoryScreen)
    assert step1.back_button.isVisible() and step1.home_button.isVisible()
    click(qtbot, kiosk, step1.back_button)
    assert isinstance(current(kiosk), HomeScreen)

    for depth in range(3):  # 回到首页 from each step forgets the visitor
        tap_card(kiosk, "李伯", world.resident_id_number)
        settle(qtbot, kiosk)
        click(qtbot, kiosk, tile_named(current(kiosk), "我要求助"))
        if depth >= 1:
            step1 = current(kiosk)
            assert isinstance(step1, NeedCategoryScreen)
            click(qtbot, kiosk, step1.tiles[NeedCategory.HAIRCUT])
        if depth >= 2:
            screen = current(kiosk)
            assert isinstance(screen, NeedTimeScreen)
            click(qtbot, kiosk, screen.today_button)
            click(qtbot, kiosk, screen.next_button)
        screen = current(kiosk)
        assert isinstance(screen, (NeedCategoryScreen, NeedTimeScreen, NeedConfirmScreen))
        assert screen.steps == (depth + 1, 3)
        click(qtbot, kiosk, screen.home_button)
        assert isinstance(current(kiosk), HomeScreen)
        assert kiosk.window.session.person is None


def test_back_on_the_done_screen_goes_home_not_to_a_second_need(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    step3 = to_confirm(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    click(qtbot, kiosk, step3.confirm_button)
    done = current(kiosk)
    assert isinstance(done, NeedDoneScreen)
    assert done.home_button.isVisible() and done.stay_button.isVisible()
    click(qtbot, kiosk, done.back_button)
    assert isinstance(current(kiosk), HomeScreen)
    assert len(needs_in_db(svc)) == 1


def test_other_day_is_picked_in_the_window_and_afternoon_only_after_noon(
    qtbot: QtBot, kiosk: KioskApp, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 3, 2, 15, 0, tzinfo=CHINA))
    step1 = start_from_home(qtbot, kiosk)
    click(qtbot, kiosk, step1.tiles[NeedCategory.HEALTH])
    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    click(qtbot, kiosk, step2.today_button)
    assert not step2.part_buttons["am"].isEnabled()
    assert step2.part_buttons["am"].text() == "上午（已过）"

    click(qtbot, kiosk, step2.other_button)
    assert step2.picker.isVisible() and not step2.choices.isVisible()
    assert len(step2.date_buttons) == 7
    assert step2.date_buttons[0].text() == "3月4日\n星期三"
    assert len([w for w in QApplication.topLevelWidgets() if w.isVisible()]) == 1
    click(qtbot, kiosk, step2.cancel_pick)
    assert step2.choices.isVisible() and step2.today_button.isChecked()
    click(qtbot, kiosk, step2.other_button)
    click(qtbot, kiosk, step2.date_buttons[3])  # 3月7日 星期六
    assert step2.choices.isVisible()
    assert step2.other_button.isChecked() and step2.other_button.text() == "3月7日 星期六"
    assert not step2.today_button.isChecked() and step2.part_buttons["am"].isEnabled()
    click(qtbot, kiosk, step2.part_buttons["am"])
    click(qtbot, kiosk, step2.next_button)
    step3 = current(kiosk)
    assert isinstance(step3, NeedConfirmScreen)
    assert "3月7日 星期六 上午" in texts(step3)


# --- the ticket, scanned back -----------------------------------------------------------


def test_scanning_the_receipt_shows_the_status(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    need = svc.needs.post(
        resident_id=world.resident.id,
        category=NeedCategory.SHOPPING,
        wished_at=dt.datetime(2026, 3, 4, 9, 0, tzinfo=CHINA),
        description="行动不便",
    )
    scan(kiosk, need_qr_text(str(need.id)))
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, NeedTicketScreen)
    assert screen.number_label.text() == spaced(ticket_number(need.id))
    assert screen.status_label.text() == "进度：已提交"
    assert "代购" in texts(screen) and "3月4日 星期三 上午" in texts(screen)
    assert screen.back_button.isVisible() and screen.home_button.isVisible()
    assert said(kiosk)[-1] == "您的求助已提交"

    svc.needs.claim(need_id=need.id, person_id=world.member.id)
    click(qtbot, kiosk, screen.home_button)
    scan(kiosk, need_qr_text(str(need.id)))
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, NeedTicketScreen)
    assert screen.status_label.text() == "进度：已有人认领"

    svc.needs.start(need_id=need.id)
    svc.needs.complete(need_id=need.id, service_minutes=60)
    svc.needs.confirm(need_id=need.id)
    kiosk.window.rebuild()
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, NeedTicketScreen)
    assert screen.status_label.text() == "进度：已完成"


def test_scanning_a_ticket_nobody_knows_says_to_ask_staff(
    qtbot: QtBot, kiosk: KioskApp, world: World
) -> None:
    scan(kiosk, need_qr_text(str(uuid.uuid4())))
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, NeedTicketScreen)
    assert screen.message.text().startswith("⚠") and "工作人员" in screen.message.text()


def test_the_flow_printed_ticket_scans_back(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    step3 = to_confirm(qtbot, kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    click(qtbot, kiosk, step3.confirm_button)
    [need] = needs_in_db(svc)
    click(qtbot, kiosk, current(kiosk).home_button)
    scan(kiosk, need_qr_text(str(need.id)))
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, NeedTicketScreen) and screen.status_label.text() == "进度：已提交"
    assert "明天" not in texts(screen) and "3月3日 星期二 下午" in texts(screen)


# --- the lookup behind it -----------------------------------------------------------------


def _need_with_id(svc: Services, world: World, need_id: uuid.UUID) -> Need:
    with svc.store.write() as uow:
        need = Need(
            id=need_id,
            resident_id=world.resident.id,
            category=NeedCategory.OTHER,
            description="",
            wished_at=dt.datetime(2026, 3, 3, 9, 0, tzinfo=CHINA),
            community_id=world.community.id,
            status=NeedStatus.POSTED,
            version=1,
        )
        uow.add(need)
        return need


def test_find_by_ticket_resolves_the_id_and_the_number(svc: Services, world: World) -> None:
    need = svc.needs.post(
        resident_id=world.resident.id,
        category=NeedCategory.HAIRCUT,
        wished_at=dt.datetime(2026, 3, 3, 9, 0, tzinfo=CHINA),
    )
    number = ticket_number(need.id)
    assert number == f"{need.id.int & 0xFFFFFF:08d}"
    assert svc.needs.find_by_ticket(str(need.id)).id == need.id
    assert svc.needs.find_by_ticket(need.id.hex).id == need.id
    assert svc.needs.find_by_ticket(number).id == need.id
    assert svc.needs.find_by_ticket(spaced(number)).id == need.id
    with pytest.raises(ValidationError):
        svc.needs.find_by_ticket("12ab")
    with pytest.raises(NotFound):
        svc.needs.find_by_ticket("99999999")  # above 0xFFFFFF: never issued
    with pytest.raises(NotFound):
        svc.needs.find_by_ticket(str(uuid.uuid4()))


def test_find_by_ticket_refuses_a_number_two_needs_share(svc: Services, world: World) -> None:
    first = _need_with_id(svc, world, uuid.UUID("01900000-0000-7000-8000-000000abcdef"))
    second = _need_with_id(svc, world, uuid.UUID("01900000-0001-7000-8000-000001abcdef"))
    assert ticket_number(first.id) == ticket_number(second.id) == f"{0xABCDEF:08d}"
    with pytest.raises(ValidationError, match="二维码"):
        svc.needs.find_by_ticket(ticket_number(first.id))
    assert svc.needs.find_by_ticket(str(second.id)).id == second.id  # the QR still works


# --- icons --------------------------------------------------------------------------------


def test_every_category_icon_renders_in_the_theme_colour(qtbot: QtBot) -> None:
    for name in [*ICONS.values(), "needs/check"]:
        image = icon_image(name, 96, "#FFFF00")
        inked = [
            image.pixelColor(x, y)
            for x in range(0, 96, 3)
            for y in range(0, 96, 3)
            if image.pixelColor(x, y).alpha() == 255
        ]
        assert len(inked) > 40, name  # a real drawing, not an empty frame
        assert all(c.name() == "#ffff00" for c in inked), name
    with pytest.raises(FileNotFoundError):
        icon_path("needs/nothing")
    with pytest.raises(ValueError):
        icon_path("../fonts/README")


# --- screenshots and the adaptation checks ------------------------------------------------


def _shot(qtbot: QtBot, kiosk: KioskApp, name: str, findings: dict[str, list[str]]) -> None:
    settle(qtbot, kiosk)
    window = kiosk.window
    window.resize(1920, 1080)
    qtbot.wait(20)
    screen = current(kiosk)
    problems = a11y.check_screen(window, screen, kiosk.context.settings.mm_per_px)
    least = window.layout().minimumSize()
    if (window.width(), window.height()) != (1920, 1080) or least.height() > 1080:
        problems.append(f"does not fit 1920x1080: needs {least.width()}x{least.height()}")
    for button in screen.findChildren(QPushButton):  # text, tick and padding must fit
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            problems.append(f"button {button.text()!r} is narrower than its text and tick")
    if problems:
        findings[name] = problems
    window.grab().save(str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("theme", ["standard", "high_contrast"])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_screenshots_fit_and_pass_the_checks(
    qtbot: QtBot,
    kiosk: KioskApp,
    world: World,
    clock: FixedClock,
    theme: str,
    scale: float,
) -> None:
    """Every screen of the flow at 1920x1080; a December date for the widest day labels."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    clock.set(dt.datetime(2026, 12, 22, 9, 0, tzinfo=CHINA))
    window = kiosk.window
    window.resize(1920, 1080)
    window.set_theme(theme)
    window.set_text_scale(scale)
    tag = f"{'hc' if theme == 'high_contrast' else 'std'}_{scale:.0f}x"
    findings: dict[str, list[str]] = {}

    step1 = start_from_home(qtbot, kiosk)
    _shot(qtbot, kiosk, f"1_category_{tag}", findings)
    click(qtbot, kiosk, step1.tiles[NeedCategory.HEALTH])
    step2 = current(kiosk)
    assert isinstance(step2, NeedTimeScreen)
    click(qtbot, kiosk, step2.today_button)
    _shot(qtbot, kiosk, f"2_time_{tag}", findings)
    click(qtbot, kiosk, step2.other_button)
    _shot(qtbot, kiosk, f"2b_pick_day_{tag}", findings)
    click(qtbot, kiosk, step2.date_buttons[6])  # 12月30日 星期三
    click(qtbot, kiosk, step2.part_buttons["pm"])
    _shot(qtbot, kiosk, f"2c_time_chosen_{tag}", findings)
    click(qtbot, kiosk, step2.next_button)
    step3 = current(kiosk)
    assert isinstance(step3, NeedConfirmScreen)
    _shot(qtbot, kiosk, f"3_confirm_{tag}", findings)
    for text in ("行动不便", "独居老人", "需要上门", "越快越好"):
        click(qtbot, kiosk, step3.phrase_buttons[text])
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    _shot(qtbot, kiosk, f"3b_confirm_not_registered_{tag}", findings)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    _shot(qtbot, kiosk, f"3c_confirm_identified_{tag}", findings)
    if scale == 2.0:
        printer(kiosk).set_fault(DummyFault.PAPER_END)
    click(qtbot, kiosk, step3.confirm_button)
    done = current(kiosk)
    assert isinstance(done, NeedDoneScreen)
    done.stay()  # a fixed footer for the picture
    _shot(qtbot, kiosk, f"4_done{'_no_printer' if scale == 2.0 else ''}_{tag}", findings)
    need_id = done.params["need_id"]
    click(qtbot, kiosk, done.home_button)
    scan(kiosk, need_qr_text(need_id))
    settle(qtbot, kiosk)
    assert isinstance(current(kiosk), NeedTicketScreen)
    _shot(qtbot, kiosk, f"5_ticket_{tag}", findings)
    assert findings == {}
