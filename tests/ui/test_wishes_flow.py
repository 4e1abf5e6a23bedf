"""微心愿 from home: browse, identify on the screen, claim, follow; residents may not claim."""

from __future__ import annotations

import uuid

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services import Services
from kiosk.store.models import PersonKind, Wish, WishStatus
from tests.factories import World, id_number, make_staff
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
    visible_buttons,
)
from ui.app import KioskApp
from ui.screens.person import PersonScreen
from ui.screens.wishes import WishClaimedScreen, WishesScreen


@pytest.fixture
def staff(svc: Services) -> uuid.UUID:
    return make_staff(svc.store)


def publish(svc: Services, world: World, staff: uuid.UUID, title: str, text: str = "") -> Wish:
    wish = svc.wishes.submit(resident_id=world.resident.id, title=title, description=text)
    return svc.wishes.verify(wish_id=wish.id, staff_id=staff, approve=True)


@pytest.fixture
def wishes(svc: Services, world: World, staff: uuid.UUID) -> list[Wish]:
    return [
        publish(svc, world, staff, "想要一台收音机", "李伯眼睛不好，想听广播"),
        publish(svc, world, staff, "想有人陪我去医院复查"),
    ]


def load(svc: Services, wish_id: uuid.UUID) -> Wish:
    with svc.store.read() as s:
        return s.get_one(Wish, wish_id)


def open_wishes(qtbot: QtBot, kiosk: KioskApp) -> WishesScreen:
    go_home(qtbot, kiosk)
    press(qtbot, kiosk, "微心愿")
    screen = current(kiosk)
    assert isinstance(screen, WishesScreen)
    return screen


def claim_buttons(kiosk: KioskApp) -> list[str]:
    return [b.accessibleName() for b in visible_buttons(kiosk) if b.text() == "我来认领"]


def test_claim_after_tapping_the_card_on_the_wall(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, wishes: list[Wish]
) -> None:
    screen = open_wishes(qtbot, kiosk)
    has_navigation(screen)
    assert screen.step_label is not None and screen.step_label.text() == "第1步/共2步"
    assert said(kiosk)[-1] == "wishes"
    text = shown(kiosk)
    assert "想要一台收音机" in text and "心愿人：李*" in text and "正在等人认领" in text
    assert "李伯" not in text.replace("李伯眼睛", "")  # the full name only in the wish text
    assert claim_buttons(kiosk) == ["认领：想要一台收音机", "认领：想有人陪我去医院复查"]
    press(qtbot, kiosk, "认领：想要一台收音机")
    assert screen.prompt.isVisible() and kiosk.window.overlay is None
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    qtbot.wait(5)
    assert current(kiosk) is screen  # the card stayed here, no person page
    assert kiosk.window.overlay is not None
    assert "认领后，请在 7 天内联系心愿人" in shown(kiosk)
    press(qtbot, kiosk, "确认认领")
    done = current(kiosk)
    assert isinstance(done, WishClaimedScreen)
    has_navigation(done)
    assert done.step_label is not None and done.step_label.text() == "第2步/共2步"
    text = shown(kiosk)
    assert "认领成功" in text and "3月9日 前（7 天内）联系心愿人" in text
    assert said(kiosk)[-1] == "wish_claimed"
    wish = load(svc, wishes[0].id)
    assert wish.status == WishStatus.CLAIMED and wish.claimant_id == world.member.id
    press(qtbot, kiosk, "返回")  # to the member's own wishes, and how they stand
    back = current(kiosk)
    assert isinstance(back, WishesScreen) and back.tab == "mine"
    assert "已认领 · 请在3月9日前联系心愿人" in shown(kiosk)
    press(qtbot, kiosk, "心愿墙")
    assert "已有党员认领" in shown(kiosk)
    assert claim_buttons(kiosk) == ["认领：想有人陪我去医院复查"]


def test_member_from_the_person_page_is_asked_only_to_confirm(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, wishes: list[Wish]
) -> None:
    go_home(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert isinstance(current(kiosk), PersonScreen)
    press(qtbot, kiosk, "认领微心愿")
    screen = current(kiosk)
    assert isinstance(screen, WishesScreen)
    assert "您好，张*英" in shown(kiosk)
    press(qtbot, kiosk, "认领：想有人陪我去医院复查")
    assert kiosk.window.overlay is not None
    press(qtbot, kiosk, "不认领了")
    assert kiosk.window.overlay is None
    assert load(svc, wishes[1].id).status == WishStatus.PUBLISHED
    press(qtbot, kiosk, "认领：想有人陪我去医院复查")
    press(qtbot, kiosk, "确认认领")
    assert isinstance(current(kiosk), WishClaimedScreen)
    assert load(svc, wishes[1].id).claimant_id == world.member.id


def test_resident_may_not_claim(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, wishes: list[Wish]
) -> None:
    screen = open_wishes(qtbot, kiosk)
    press(qtbot, kiosk, "认领：想要一台收音机")
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    assert kiosk.window.overlay is None
    assert screen.message.text().startswith("⚠")
    assert "只有党员可以认领微心愿" in screen.message.text()
    press(qtbot, kiosk, "我认领的")
    assert "只有党员可以认领微心愿" in shown(kiosk)
    assert all(load(svc, w.id).status == WishStatus.PUBLISHED for w in wishes)


def test_someone_else_claimed_it_meanwhile(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, wishes: list[Wish]
) -> None:
    other = svc.people.register(name="刘建国", kind=PersonKind.MEMBER, org_id=world.org.id)
    screen = open_wishes(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "认领：想要一台收音机")
    svc.wishes.claim(wish_id=wishes[0].id, member_id=other.id)  # at another kiosk
    press(qtbot, kiosk, "确认认领")
    assert current(kiosk) is screen
    assert "已经有党员认领了" in screen.message.text()  # the service's own words
    assert load(svc, wishes[0].id).claimant_id == other.id
    assert "已有党员认领" in shown(kiosk)  # the wall was read again


def test_my_wishes_asks_who_first_and_unknown_card(
    qtbot: QtBot, kiosk: KioskApp, world: World, wishes: list[Wish]
) -> None:
    screen = open_wishes(qtbot, kiosk)
    press(qtbot, kiosk, "我认领的")
    assert screen.prompt.isVisible()
    tap_card(kiosk, "赵六", id_number("19500101"))
    settle(qtbot, kiosk)
    assert "请找工作人员登记" in screen.message.text()
    assert said(kiosk)[-1] == "not_registered"
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert not screen.prompt.isVisible()
    assert "您还没有认领心愿" in shown(kiosk)


def test_many_wishes_are_paged(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, staff: uuid.UUID
) -> None:
    for n in range(6):
        publish(svc, world, staff, f"心愿{n}号")
    screen = open_wishes(qtbot, kiosk)
    assert screen.wall.pager.where.text() == "第1页/共2页"
    assert "心愿0号" in shown(kiosk) and "心愿5号" not in shown(kiosk)
    press(qtbot, kiosk, "下一页")
    assert "心愿5号" in shown(kiosk) and "心愿0号" not in shown(kiosk)
    find_button(kiosk, "上一页")


@pytest.mark.parametrize(("scale", "theme"), LOOKS)
def test_wishes_screenshots_pass_the_checks(
    qtbot: QtBot,
    kiosk: KioskApp,
    world: World,
    svc: Services,
    staff: uuid.UUID,
    wishes: list[Wish],
    scale: float,
    theme: str,
) -> None:
    for n in range(3):
        publish(svc, world, staff, f"想请人帮忙修好家里的水龙头（{n}）")
    findings: dict[str, list[str]] = {}
    set_look(kiosk, scale, theme)
    open_wishes(qtbot, kiosk)
    shot(qtbot, kiosk, "wishes", findings)
    press(qtbot, kiosk, "认领：想要一台收音机")
    shot(qtbot, kiosk, "wishes_identify", findings)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    shot(qtbot, kiosk, "wishes_confirm", findings)
    press(qtbot, kiosk, "确认认领")
    shot(qtbot, kiosk, "wishes_claimed", findings)
    press(qtbot, kiosk, "返回")
    shot(qtbot, kiosk, "wishes_mine", findings)
    kiosk.window.session.person = None
    press(qtbot, kiosk, "心愿墙")
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    while not [
        b for b in visible_buttons(kiosk) if b.accessibleName() == "认领：想有人陪我去医院复查"
    ]:
        press(qtbot, kiosk, "下一页")
    press(qtbot, kiosk, "认领：想有人陪我去医院复查")
    shot(qtbot, kiosk, "wishes_resident_refused", findings)
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
