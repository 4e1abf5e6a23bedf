"""我的时间币 from home: the balance and records, 兑换服务, 捐赠, and the ledger's refusals.

The member earns her coins the real way in the setup (check-in at 09:00, check-out at
11:30: 2.5 coins), the price list has a cheap and a dear service, and every test checks the
ledger in the store after the screens are done.
"""

from __future__ import annotations

import uuid

import pytest
from pytestqt.qtbot import QtBot

from kiosk.clock import FixedClock
from kiosk.config import COIN
from kiosk.services import Services
from kiosk.services.ledger import HistoryLine
from kiosk.store.models import CheckMethod, LedgerTx, TxKind
from tests.factories import World, at, id_number, make_staff
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
from ui.screens.coins import (
    CoinsDonateScreen,
    CoinsDoneScreen,
    CoinsScreen,
    CoinsSpendScreen,
    OfferButton,
    history_words,
)
from ui.screens.identify import IdentifyScreen
from ui.screens.person import PersonScreen


@pytest.fixture
def earned(svc: Services, world: World, clock: FixedClock) -> None:
    """2.5 coins from a morning of 敬老探访, and a price list of two services."""
    act = svc.attendance.create_activity(
        title="敬老探访",
        community_id=world.community.id,
        starts_at=at(2, 9, 0),
        ends_at=at(2, 11, 30),
        service_type="探访",
        place="金洲社区长者饭堂",
    )
    svc.attendance.open_checkin(activity_id=act.id)
    svc.attendance.check_in(activity_id=act.id, person_id=world.member.id, method=CheckMethod.QR)
    clock.advance(minutes=150)
    svc.attendance.check_out(activity_id=act.id, person_id=world.member.id, method=CheckMethod.QR)
    svc.reference.add_price_item(name="理发", price_minutes=COIN)
    svc.reference.add_price_item(name="上门助浴", price_minutes=3 * COIN)
    assert svc.ledger.balance(world.member.id) == 150


def open_coins(qtbot: QtBot, kiosk: KioskApp, world: World) -> CoinsScreen:
    """Home → 我的时间币 → tap the card (step 1 of 2) → the balance (step 2 of 2)."""
    go_home(qtbot, kiosk)
    press(qtbot, kiosk, "我的时间币")
    identify = current(kiosk)
    assert isinstance(identify, IdentifyScreen)
    has_navigation(identify)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    screen = current(kiosk)
    assert isinstance(screen, CoinsScreen)
    return screen


def txs(svc: Services, kind: TxKind) -> list[LedgerTx]:
    with svc.store.read() as s:
        return list(s.query(LedgerTx).filter(LedgerTx.kind == kind))


@pytest.mark.usefixtures("earned")
def test_balance_and_records_in_plain_words(qtbot: QtBot, kiosk: KioskApp, world: World) -> None:
    screen = open_coins(qtbot, kiosk, world)
    has_navigation(screen)
    assert screen.step_label is not None and screen.step_label.text() == "第2步/共2步"
    assert screen.balance_label.text() == "2.5 个"
    text = shown(kiosk)
    assert "张*英" in text and "张晓英" not in text
    assert "3月2日  参加 敬老探访，获得 2.5 个时间币" in text
    assert world.member_id_number not in text
    assert said(kiosk)[-1] == "coins"


def test_history_words_for_every_kind() -> None:
    def line(kind: TxKind, memo: str, amount: int) -> HistoryLine:
        return HistoryLine(uuid.uuid4(), "2026-03-02T01:00:00+00:00", kind, memo, amount)

    assert history_words(line(TxKind.EARN, "志愿服务：敬老探访", 120)) == (
        "3月2日  参加 敬老探访，获得 2 个时间币"
    )
    assert history_words(line(TxKind.SPEND, "兑换：理发", -60)) == (
        "3月2日  兑换 理发，用去 1 个时间币"
    )
    assert "捐给公益池" in history_words(line(TxKind.DONATE, "捐赠到公益池", -60))
    assert "捐给 李*" in history_words(line(TxKind.DONATE, "爱心捐赠给 李*", -60))
    assert "收到爱心捐赠 1 个" in history_words(line(TxKind.DONATE, "爱心捐赠给 李*", 60))
    assert "公益池发给您 0.5 个" in history_words(line(TxKind.GRANT, "公益池发放给 李*", 30))
    assert "上门帮助居民（理发）" in history_words(line(TxKind.EARN, "需求服务：理发", 60))
    assert "扣回 1 个" in history_words(line(TxKind.REVERSAL, "冲正：志愿服务：X", -60))
    # Midnight in Guangzhou is the day before in UTC: the day shown is the local one.
    late = HistoryLine(uuid.uuid4(), "2026-03-02T16:30:00+00:00", TxKind.EARN, "志愿服务：X", 60)
    assert history_words(late).startswith("3月3日")


@pytest.mark.usefixtures("earned")
def test_spend_from_the_price_list(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "兑换服务")
    spend = current(kiosk)
    assert isinstance(spend, CoinsSpendScreen)
    has_navigation(spend)
    assert spend.step_label is not None and spend.step_label.text() == "第1步/共2步"
    assert said(kiosk)[-1] == "coins_spend"
    assert "您现有 2.5 个时间币" in shown(kiosk)
    offer = find_button(kiosk, "理发")
    assert isinstance(offer, OfferButton) and offer.price_label.text() == "1 个时间币"
    assert not offer.short_label.isVisible()
    press(qtbot, kiosk, "理发")
    assert kiosk.window.overlay is not None  # confirm in the window, no dialog
    assert "兑换后还剩：1.5 个时间币" in shown(kiosk)
    press(qtbot, kiosk, "确认兑换")
    done = current(kiosk)
    assert isinstance(done, CoinsDoneScreen)
    has_navigation(done)
    assert "兑换成功" in shown(kiosk) and "还剩：1.5 个时间币" in shown(kiosk)
    assert svc.ledger.balance(world.member.id) == 90
    (tx,) = txs(svc, TxKind.SPEND)
    assert tx.memo == "兑换：理发"
    press(qtbot, kiosk, "返回")  # back to the balance, not to a second purchase
    again = current(kiosk)
    assert isinstance(again, CoinsScreen)
    assert again.balance_label.text() == "1.5 个"
    assert "兑换 理发，用去 1 个时间币" in shown(kiosk)


@pytest.mark.usefixtures("earned")
def test_a_service_dearer_than_the_balance_is_explained(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "兑换服务")
    dear = find_button(kiosk, "上门助浴")
    assert isinstance(dear, OfferButton) and dear.short_label.text() == "⚠ 还差 0.5 个"
    press(qtbot, kiosk, "上门助浴")
    screen = current(kiosk)
    assert kiosk.window.overlay is None
    assert screen.message.isVisible() and screen.message.text().startswith("⚠")
    assert "不够兑换“上门助浴”，还差 0.5 个" in screen.message.text()
    assert txs(svc, TxKind.SPEND) == []


@pytest.mark.usefixtures("earned")
def test_the_ledger_refuses_when_the_coins_went_meanwhile(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "兑换服务")
    press(qtbot, kiosk, "理发")
    svc.ledger.donate(minutes=150, from_person=world.member.id)  # spent on another kiosk
    press(qtbot, kiosk, "确认兑换")
    screen = current(kiosk)
    assert isinstance(screen, CoinsSpendScreen)
    assert "余额不足" in screen.message.text()  # the ledger's own plain words
    assert txs(svc, TxKind.SPEND) == []
    assert "您现有 0 个时间币" in shown(kiosk)  # read again after the refusal


@pytest.mark.usefixtures("earned")
def test_donate_to_the_pool_never_more_than_the_balance(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "捐赠")
    donate = current(kiosk)
    assert isinstance(donate, CoinsDonateScreen)
    has_navigation(donate)
    assert said(kiosk)[-1] == "coins_donate"
    assert donate.pool_button.isChecked()
    assert donate.amount_label.text() == "1 个"
    assert not donate.preset_buttons[5].isVisible()  # 5 > 2.5: not offered
    press(qtbot, kiosk, "多一个")
    assert donate.amount_label.text() == "2 个"
    assert not donate.plus_button.isEnabled()  # at most 2 whole coins
    press(qtbot, kiosk, "少一个")
    press(qtbot, kiosk, "2 个")
    assert donate.amount_label.text() == "2 个"
    press(qtbot, kiosk, "确认捐赠")
    assert "捐给：公益池" in shown(kiosk) and "捐赠后还剩：0.5 个时间币" in shown(kiosk)
    find_button(kiosk, "再想想")
    overlay = kiosk.window.overlay
    assert overlay is not None
    press(qtbot, kiosk, "确认捐赠")  # the overlay's button, on top
    done = current(kiosk)
    assert isinstance(done, CoinsDoneScreen)
    assert "捐赠成功" in shown(kiosk)
    assert svc.ledger.balance(world.member.id) == 30
    assert svc.ledger.pool_balance() == 120


@pytest.mark.usefixtures("earned")
def test_donate_to_a_resident_in_hardship_by_their_card(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    svc.people.set_hardship(
        person_id=world.resident.id,
        hardship=True,
        staff_id=make_staff(svc.store),
    )
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "捐赠")
    press(qtbot, kiosk, "困难居民")
    assert "请把受助居民的身份证放在读卡区" in shown(kiosk)
    tap_card(kiosk, "李伯", world.resident_id_number)
    settle(qtbot, kiosk)
    donate = current(kiosk)
    assert isinstance(donate, CoinsDonateScreen)  # the card did not open the person page
    assert "受助人：李*" in shown(kiosk)
    press(qtbot, kiosk, "确认捐赠")
    press(qtbot, kiosk, "确认捐赠")
    assert isinstance(current(kiosk), CoinsDoneScreen)
    assert svc.ledger.balance(world.resident.id) == 60
    assert svc.ledger.balance(world.member.id) == 90


@pytest.mark.usefixtures("earned")
def test_donate_refusals_in_plain_words(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    open_coins(qtbot, kiosk, world)
    press(qtbot, kiosk, "捐赠")
    donate = current(kiosk)
    press(qtbot, kiosk, "困难居民")
    press(qtbot, kiosk, "确认捐赠")  # no card yet
    assert "请先刷受助居民的身份证" in donate.message.text()
    tap_card(kiosk, "张晓英", world.member_id_number)  # her own card
    settle(qtbot, kiosk)
    assert "这是您自己的身份证" in donate.message.text()
    tap_card(kiosk, "赵六", id_number("19500101"))  # nobody registered
    settle(qtbot, kiosk)
    assert "没有找到这位居民的登记信息" in donate.message.text()
    tap_card(kiosk, "李伯", world.resident_id_number)  # registered, not in hardship
    settle(qtbot, kiosk)
    assert "没有登记为困难群众" in donate.message.text()
    press(qtbot, kiosk, "确认捐赠")
    press(qtbot, kiosk, "确认捐赠")  # the ledger decides, and says why
    assert current(kiosk) is donate
    assert "只能捐赠给登记为困难群众的居民" in donate.message.text()
    assert txs(svc, TxKind.DONATE) == []
    assert svc.ledger.balance(world.member.id) == 150


def test_no_coins_means_nothing_to_give(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services
) -> None:
    screen = open_coins(qtbot, kiosk, world)
    assert screen.balance_label.text() == "0 个"
    assert "还没有时间币记录" in shown(kiosk)
    press(qtbot, kiosk, "捐赠")
    donate = current(kiosk)
    assert isinstance(donate, CoinsDonateScreen)
    assert "不到 1 个，暂时不能捐赠" in shown(kiosk)
    assert not donate.go_button.isEnabled()
    press(qtbot, kiosk, "返回")
    press(qtbot, kiosk, "兑换服务")
    assert "现在没有可以兑换的服务" in shown(kiosk)


@pytest.mark.usefixtures("earned")
def test_from_the_person_page(qtbot: QtBot, kiosk: KioskApp, world: World) -> None:
    go_home(qtbot, kiosk)
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    assert isinstance(current(kiosk), PersonScreen)
    press(qtbot, kiosk, "我的时间币")
    screen = current(kiosk)
    assert isinstance(screen, CoinsScreen)
    assert screen.balance_label.text() == "2.5 个"
    press(qtbot, kiosk, "回到首页")
    assert kiosk.window.session.person is None


@pytest.mark.usefixtures("earned")
@pytest.mark.parametrize(("scale", "theme"), LOOKS)
def test_coins_screenshots_pass_the_checks(
    qtbot: QtBot, kiosk: KioskApp, world: World, svc: Services, scale: float, theme: str
) -> None:
    staff = make_staff(svc.store)
    for _ in range(3):  # enough records for a second page, and the same balance
        svc.ledger.donate(minutes=30, from_person=world.member.id)
        svc.ledger.grant(staff_id=staff, to_person=world.member.id, minutes=30, reason="测试")
    findings: dict[str, list[str]] = {}
    set_look(kiosk, scale, theme)
    open_coins(qtbot, kiosk, world)
    shot(qtbot, kiosk, "coins", findings)
    press(qtbot, kiosk, "兑换服务")
    shot(qtbot, kiosk, "coins_spend", findings)
    press(qtbot, kiosk, "上门助浴")
    shot(qtbot, kiosk, "coins_spend_short", findings)
    press(qtbot, kiosk, "理发")
    shot(qtbot, kiosk, "coins_spend_confirm", findings)
    press(qtbot, kiosk, "确认兑换")
    shot(qtbot, kiosk, "coins_spend_done", findings)
    press(qtbot, kiosk, "返回")
    press(qtbot, kiosk, "捐赠")
    press(qtbot, kiosk, "困难居民")
    tap_card(kiosk, "李伯", world.resident_id_number)
    shot(qtbot, kiosk, "coins_donate", findings)
    press(qtbot, kiosk, "公益池")
    press(qtbot, kiosk, "确认捐赠")
    shot(qtbot, kiosk, "coins_donate_confirm", findings)
    press(qtbot, kiosk, "确认捐赠")
    shot(qtbot, kiosk, "coins_donate_done", findings)
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
