"""留言建议 from home: anyone, no typing; topic, sentences, a masked phone number, thanks.

The suggestion in the store carries the chosen words, the town or the department, the
identified author when there was one, and the phone number only as ciphertext.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services import Services
from kiosk.store.models import Suggestion, SuggestionTarget
from tests.factories import World, make_staff
from tests.ui.conftest import settle, tap_card
from tests.ui.test_today import (
    LOOKS,
    current,
    find_button,
    go_home,
    has_navigation,
    press,
    said,
    set_look,
    shot,
    shown,
)
from ui.app import KioskApp
from ui.screens.home import HomeScreen
from ui.screens.person import PersonScreen
from ui.screens.suggestions import (
    SuggestionDoneScreen,
    SuggestionScreen,
    SuggestionWriteScreen,
)


def stored(svc: Services) -> list[Suggestion]:
    with svc.store.read() as s:
        return list(s.query(Suggestion).order_by(Suggestion.created_at))


def open_suggestions(qtbot: QtBot, kiosk: KioskApp) -> SuggestionScreen:
    go_home(qtbot, kiosk)
    press(qtbot, kiosk, "留言建议")
    screen = current(kiosk)
    assert isinstance(screen, SuggestionScreen)
    return screen


def type_digits(qtbot: QtBot, kiosk: KioskApp, digits: str) -> None:
    for digit in digits:
        press(qtbot, kiosk, digit)


def test_anyone_leaves_a_suggestion_with_a_phone_number(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    step1 = open_suggestions(qtbot, kiosk)
    has_navigation(step1)
    assert step1.step_label is not None and step1.step_label.text() == "第1步/共3步"
    assert said(kiosk)[-1] == "suggestion"
    assert "不用登记，谁都可以留言" in shown(kiosk)
    assert step1.town_button.text() == "南沙街" and step1.town_button.isChecked()
    assert not step1.dept_button.isChecked()
    press(qtbot, kiosk, "长者饭堂")
    step2 = current(kiosk)
    assert isinstance(step2, SuggestionWriteScreen)
    has_navigation(step2)
    assert step2.step_label is not None and step2.step_label.text() == "第2步/共3步"
    press(qtbot, kiosk, "饭菜很好吃，谢谢")
    press(qtbot, kiosk, "希望饭菜清淡一些")
    assert find_button(kiosk, "希望饭菜清淡一些").isChecked()  # ticked, not only coloured
    assert not find_button(kiosk, "希望饭菜清淡一些").icon().isNull()
    press(qtbot, kiosk, "希望饭菜清淡一些")  # tapped again: taken out
    assert not find_button(kiosk, "希望饭菜清淡一些").isChecked()
    press(qtbot, kiosk, "希望饭菜软一些")
    assert step2.text_label.text() == "长者饭堂：饭菜很好吃，谢谢；希望饭菜软一些。"
    press(qtbot, kiosk, "留电话")
    assert step2.phone_panel.isVisible() and not step2.writing.isVisible()
    type_digits(qtbot, kiosk, "13812341234")
    assert step2.keypad.display.text() == "13812341234"  # the visitor checks what they typed
    press(qtbot, kiosk, "确定")
    assert step2.writing.isVisible()
    assert "联系电话：138****1234" in shown(kiosk)
    assert "13812341234" not in shown(kiosk)
    press(qtbot, kiosk, "提交留言")
    done = current(kiosk)
    assert isinstance(done, SuggestionDoneScreen)
    has_navigation(done)
    assert done.step_label is not None and done.step_label.text() == "第3步/共3步"
    assert "谢谢您的建议" in shown(kiosk) and "138****1234" in shown(kiosk)
    assert said(kiosk)[-1] == "suggestion_done"
    (sug,) = stored(svc)
    assert sug.target == SuggestionTarget.TOWN and sug.town_id == world.town.id
    assert sug.text == "长者饭堂：饭菜很好吃，谢谢；希望饭菜软一些。"
    assert sug.person_id is None
    assert sug.contact_cipher is not None and b"13812341234" not in sug.contact_cipher
    staff = make_staff(svc.store)
    assert svc.suggestions.contact_of(suggestion_id=sug.id, staff_id=staff) == "13812341234"
    press(qtbot, kiosk, "返回")  # left already: home, not back to step 2
    assert isinstance(current(kiosk), HomeScreen)


def test_identified_visitor_is_the_author_and_the_department_is_chosen(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    go_home(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert isinstance(current(kiosk), PersonScreen)
    press(qtbot, kiosk, "留言建议")
    step1 = current(kiosk)
    assert isinstance(step1, SuggestionScreen)
    assert "留言人：张*英" in shown(kiosk)
    press(qtbot, kiosk, "区委组织部")
    assert step1.dept_button.isChecked() and not step1.town_button.isChecked()
    press(qtbot, kiosk, "时间币")
    press(qtbot, kiosk, "希望兑换的服务多一些")
    press(qtbot, kiosk, "提交留言")
    assert isinstance(current(kiosk), SuggestionDoneScreen)
    (sug,) = stored(svc)
    assert sug.target == SuggestionTarget.ORG_DEPT and sug.town_id is None
    assert sug.person_id == world.member.id
    assert sug.contact_cipher is None


def test_nothing_chosen_wrong_phone_and_undo(qtbot: QtBot, kiosk: KioskApp, svc: Services) -> None:
    open_suggestions(qtbot, kiosk)
    press(qtbot, kiosk, "环境卫生")
    step2 = current(kiosk)
    assert isinstance(step2, SuggestionWriteScreen)
    press(qtbot, kiosk, "提交留言")
    assert step2.message.text().startswith("⚠") and "请先点一句话" in step2.message.text()
    press(qtbot, kiosk, "楼道需要打扫")
    press(qtbot, kiosk, "路灯坏了需要维修")
    press(qtbot, kiosk, "删掉最后一句")
    assert step2.text_label.text() == "环境卫生：楼道需要打扫。"
    press(qtbot, kiosk, "留电话")
    type_digits(qtbot, kiosk, "12345")
    press(qtbot, kiosk, "确定")
    assert "电话号码格式不正确" in step2.message.text()
    assert step2.phone_panel.isVisible()  # still typing, nothing lost
    press(qtbot, kiosk, "不留电话")
    assert "联系电话：可以不留" in shown(kiosk)
    press(qtbot, kiosk, "返回")  # step 1 keeps the choices
    assert isinstance(current(kiosk), SuggestionScreen)
    press(qtbot, kiosk, "环境卫生")
    step2 = current(kiosk)
    assert isinstance(step2, SuggestionWriteScreen)
    assert step2.text_label.text() == "环境卫生：楼道需要打扫。"
    press(qtbot, kiosk, "提交留言")
    (sug,) = stored(svc)
    assert sug.text == "环境卫生：楼道需要打扫。" and sug.contact_cipher is None


def test_a_new_topic_starts_with_fresh_words(qtbot: QtBot, kiosk: KioskApp) -> None:
    open_suggestions(qtbot, kiosk)
    press(qtbot, kiosk, "其他")
    press(qtbot, kiosk, "这台机器很好用")
    press(qtbot, kiosk, "返回")
    press(qtbot, kiosk, "活动安排")
    step2 = current(kiosk)
    assert isinstance(step2, SuggestionWriteScreen)
    assert "还没有内容" in step2.text_label.text()
    find_button(kiosk, "希望多组织一些活动")


@pytest.mark.parametrize(("scale", "theme"), LOOKS)
def test_suggestion_screenshots_pass_the_checks(
    qtbot: QtBot, kiosk: KioskApp, world: World, scale: float, theme: str
) -> None:
    findings: dict[str, list[str]] = {}
    set_look(kiosk, scale, theme)
    open_suggestions(qtbot, kiosk)
    shot(qtbot, kiosk, "suggestion_topic", findings)
    press(qtbot, kiosk, "长者饭堂")
    shot(qtbot, kiosk, "suggestion_write", findings)
    press(qtbot, kiosk, "饭菜很好吃，谢谢")
    press(qtbot, kiosk, "希望饭菜软一些")
    shot(qtbot, kiosk, "suggestion_written", findings)
    press(qtbot, kiosk, "留电话")
    type_digits(qtbot, kiosk, "1381234")
    shot(qtbot, kiosk, "suggestion_phone", findings)
    type_digits(qtbot, kiosk, "1234")
    press(qtbot, kiosk, "确定")
    shot(qtbot, kiosk, "suggestion_phone_done", findings)
    press(qtbot, kiosk, "提交留言")
    shot(qtbot, kiosk, "suggestion_done", findings)
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
