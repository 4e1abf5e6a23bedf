"""我的时间币: the balance in big digits, recent records in plain words, 兑换服务 and 捐赠.

Reached after ``IdentifyScreen`` (step 1 of 2, so the balance is step 2 of 2) or from the
person page, with ``session.person`` set. Coins are shown as coins (1 个 = 60 minutes, as
``format_coins`` writes them); the ledger counts minutes.

Spending and donating are each a short task of their own, counted afresh: choose (step 1
of 2), confirm in an in-window overlay, done (step 2 of 2, which also shows what is left).
The ledger enforces every rule (balance, who may receive a donation); its plain sentence is
shown when it refuses. The screen never offers more than the balance.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from devices.qr.tokens import Routed
from kiosk.clock import UTC
from kiosk.config import COIN
from kiosk.errors import NotFound
from kiosk.services.ledger import HistoryLine, format_coins
from kiosk.services.people import PersonView
from kiosk.store.models import PersonKind, TxKind
from ui.screen import DoneScreen, Screen, tr
from ui.screens.today import (
    CardPages,
    by_scale,
    confirm,
    framed,
    large_text,
    mark,
    short_day,
    success_line,
)
from ui.widgets import button, card, label

HISTORY_LIMIT = 40
PRESETS = (1, 2, 5)  # donation amounts offered as one tap, in coins


def coins_text(minutes: int) -> str:
    """``2 个时间币`` / ``2.5 个时间币``."""
    return tr("{n} 个时间币").format(n=format_coins(minutes))


def _after(memo: str, prefix: str) -> str:
    return memo[len(prefix) :].strip() if memo.startswith(prefix) else memo


def history_words(line: HistoryLine) -> str:
    """One record in plain words: ``3月2日 参加 敬老探访，获得 2 个时间币``."""
    when = dt.datetime.fromisoformat(line.at)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    day = short_day(when)
    n = format_coins(abs(line.amount))
    memo = line.memo
    gained = line.amount > 0
    if line.kind == TxKind.EARN:
        if memo.startswith("志愿服务（审核）："):
            what = tr("参加 {t}（工作人员确认），获得 {n} 个时间币")
            text = what.format(t=_after(memo, "志愿服务（审核）："), n=n)
        elif memo.startswith("需求服务："):
            text = tr("上门帮助居民（{t}），获得 {n} 个时间币").format(
                t=_after(memo, "需求服务："), n=n
            )
        else:
            text = tr("参加 {t}，获得 {n} 个时间币").format(t=_after(memo, "志愿服务："), n=n)
    elif line.kind == TxKind.SPEND:
        text = tr("兑换 {t}，用去 {n} 个时间币").format(t=_after(memo, "兑换："), n=n)
    elif line.kind == TxKind.DONATE:
        if gained:
            text = tr("收到爱心捐赠 {n} 个时间币").format(n=n)
        elif memo.startswith("爱心捐赠给"):
            text = tr("捐给 {who}，捐出 {n} 个时间币").format(who=_after(memo, "爱心捐赠给"), n=n)
        else:
            text = tr("捐给公益池，捐出 {n} 个时间币").format(n=n)
    elif line.kind == TxKind.GRANT:
        text = tr("公益池发给您 {n} 个时间币").format(n=n)
    elif line.kind == TxKind.TRANSFER:
        if gained:
            text = tr("收到转赠 {n} 个时间币").format(n=n)
        else:
            text = tr("转给 {who} {n} 个时间币").format(who=_after(memo, "转赠给"), n=n)
    elif line.kind == TxKind.REVERSAL:
        text = (
            tr("更正一笔记录，加回 {n} 个时间币")
            if gained
            else tr("更正一笔记录，扣回 {n} 个时间币")
        ).format(n=n)
    else:
        text = (tr("获得 {n} 个时间币") if gained else tr("用去 {n} 个时间币")).format(n=n)
    return f"{day}  {text}"


@dataclass(frozen=True)
class Wallet:
    balance: int  # minutes
    history: list[HistoryLine]


@dataclass(frozen=True)
class Offer:
    """One line of the price list, read on the db thread."""

    id: uuid.UUID
    name: str
    price: int  # minutes


class OfferButton(QPushButton):
    """One service of the price list: its name large, the price, and what is missing.

    The whole card is one button; the lines are labels inside it, so the name can be
    bigger than the price. 还差 carries a mark as well as words, never colour alone.
    """

    def __init__(self, offer: Offer, balance: int) -> None:
        super().__init__()
        self.setProperty("role", "choice")
        self.setProperty("offer", str(offer.id))
        self.setAccessibleName(offer.name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(8)
        self.name_label = label(offer.name, "title")
        self.price_label = label(coins_text(offer.price))
        short = offer.price - balance
        self.short_label = label(
            "⚠ " + tr("还差 {n} 个").format(n=format_coins(short)) if short > 0 else "", "error"
        )
        self.short_label.setVisible(short > 0)
        self.setAccessibleDescription(self.price_label.text() + " " + self.short_label.text())
        for part in (self.name_label, self.price_label, self.short_label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            column.addWidget(part)
        column.addStretch(1)


class _CoinStep(Screen):
    """What the coin screens share: the identified person and a balance read."""

    def person(self) -> PersonView | None:
        return self.window_.session.person

    def tall(self, widget: QPushButton, factor: float = 1.5) -> QPushButton:
        widget.setMinimumHeight(round(self.window_.look().target_px * factor))
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return widget


# --- the balance ------------------------------------------------------------------------


class CoinsScreen(_CoinStep):
    voice_key = "coins"
    steps = (2, 2)

    def title(self) -> str:
        return tr("我的时间币")

    def build(self) -> None:
        person = self.person()
        if person is None:
            self.body.addStretch(1)
            self.body.addWidget(label(tr("请把身份证放在读卡区"), "big"))
            self.body.addWidget(label(tr("或者把党员码对准扫码口"), "big"))
            self.body.addStretch(2)
            return
        large = large_text(self)
        columns = QHBoxLayout()
        columns.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(24)
        self.balance_label = label("…", "big", wrap=False)
        self.balance_label.setAccessibleName(tr("时间币余额"))
        lines = [label(tr("{name}，您现有：").format(name=person.name_masked)), self.balance_label]
        if not large:
            lines.append(label(tr("1 个时间币 = 服务 1 小时"), "hint"))
        left.addWidget(card(*lines))
        self.spend_button = self.tall(button(tr("兑换服务"), self._spend))
        self.donate_button = self.tall(button(tr("捐赠"), self._donate, role="secondary"))
        actions = QHBoxLayout() if not large else QVBoxLayout()
        actions.setSpacing(24)
        actions.addWidget(self.spend_button)
        actions.addWidget(self.donate_button)
        left.addLayout(actions)
        left.addStretch(1)
        columns.addLayout(left, 4 if large else 2)
        right = QVBoxLayout()
        right.setSpacing(16)
        right.addWidget(label(tr("最近记录"), "title"))
        self.pages = CardPages(self.params, per_page=by_scale(self, 5, 2, 1), compact=large)
        right.addWidget(self.pages, 1)
        columns.addLayout(right, 5 if large else 3)
        self.body.addLayout(columns, 1)

    def entered(self) -> None:
        person = self.person()
        if person is None:
            return
        ledger = self.ctx.services.ledger
        pid = person.id
        self.run_db(
            lambda: Wallet(ledger.balance(pid), ledger.history(pid, HISTORY_LIMIT)), self._loaded
        )

    @property
    def person_kind(self) -> str:
        person = self.person()
        return person.kind if person is not None else ""

    def _loaded(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.balance_label.setText(tr("{n} 个").format(n=format_coins(wallet.balance)))
        self.pages.set_items(
            wallet.history,
            lambda line: framed(label(history_words(line))),
            tr("还没有时间币记录。参加志愿服务，就能获得时间币。")
            if self.person_kind == PersonKind.MEMBER
            else tr("还没有时间币记录。"),
        )

    def _spend(self) -> None:
        self.window_.go(CoinsSpendScreen)

    def _donate(self) -> None:
        self.window_.go(CoinsDonateScreen)

    # A card tapped here shows that person's coins (this is the screen for it).
    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self.run_db(lambda: self.ctx.identify.by_id_number(number), self._identified)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False
        token = routed.value
        self.run_db(lambda: self.ctx.identify.by_member_token(token), self._identified)
        return True

    def _identified(self, person: PersonView) -> None:
        self.window_.session.person = person
        self.params.pop("page", None)
        self.window_.go(CoinsScreen, remember=False)


# --- 兑换服务 ---------------------------------------------------------------------------


class CoinsSpendScreen(_CoinStep):
    voice_key = "coins_spend"
    steps = (1, 2)

    def title(self) -> str:
        return tr("兑换服务")

    def build(self) -> None:
        self.busy = False
        self.balance = 0
        self.offers: list[Offer] = []
        self.have = label(tr("正在读取……"))
        self.body.addWidget(self.have)
        per_page, columns = by_scale(self, (6, 3), (4, 2), (2, 2))
        self.pages = CardPages(self.params, per_page=per_page, columns=columns)
        self.body.addWidget(self.pages, 1)

    def entered(self) -> None:
        person = self.person()
        if person is None:
            self.window_.go_home()
            return
        ledger, reference = self.ctx.services.ledger, self.ctx.services.reference
        pid = person.id

        def work() -> tuple[int, list[Offer]]:
            items = reference.price_list()
            return ledger.balance(pid), [Offer(i.id, i.name, i.price_minutes) for i in items]

        self.run_db(work, self._loaded)

    def _loaded(self, result: tuple[int, list[Offer]]) -> None:
        self.balance, self.offers = result
        self.have.setText(
            tr("您现有 {n} 个时间币。请点选要兑换的服务：").format(n=format_coins(self.balance))
        )
        self.pages.set_items(
            self.offers, self._offer_button, tr("现在没有可以兑换的服务，请问问工作人员。")
        )

    def _offer_button(self, offer: Offer) -> QWidget:
        widget = OfferButton(offer, self.balance)
        widget.clicked.connect(lambda _=False: self._pick(offer))
        widget.setMinimumHeight(round(self.window_.look().target_px * 2))
        return widget

    def _pick(self, offer: Offer) -> None:
        if self.busy:
            return
        self.clear_error()
        short = offer.price - self.balance
        if short > 0:
            self.show_error(
                tr(
                    "您的时间币不够兑换“{name}”，还差 {n} 个。可以先参加志愿服务获得时间币。"
                ).format(name=offer.name, n=format_coins(short))
            )
            return
        confirm(
            self,
            tr("确认兑换“{name}”吗？").format(name=offer.name),
            [
                tr("用去：{c}").format(c=coins_text(offer.price)),
                tr("兑换后还剩：{c}").format(c=coins_text(self.balance - offer.price)),
            ],
            tr("确认兑换"),
            lambda: self._spend(offer),
        )

    def _spend(self, offer: Offer) -> None:
        person = self.person()
        if person is None:
            return
        self.busy = True
        ledger = self.ctx.services.ledger
        pid = person.id

        def work() -> int:
            ledger.spend(person_id=pid, price_item_id=offer.id)
            return ledger.balance(pid)

        self.run_db(work, lambda left: self._spent(offer, left), self._refused)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.show_error(exc)
        self.entered()  # the balance may have changed meanwhile

    def _spent(self, offer: Offer, left: int) -> None:
        self.ctx.notify_write()
        self.window_.go(
            CoinsDoneScreen,
            remember=False,
            kind="spend",
            what=offer.name,
            amount=offer.price,
            left=left,
        )


# --- 捐赠 -------------------------------------------------------------------------------


class CoinsDonateScreen(_CoinStep):
    """捐给谁 (公益池, or a resident in hardship by tapping their card) and 捐多少."""

    voice_key = "coins_donate"
    steps = (1, 2)

    def title(self) -> str:
        return tr("捐赠时间币")

    def build(self) -> None:
        """Rows: 捐给谁, who (at 1x), 捐多少, what is possible beside 确认捐赠.

        At 2x text the rows stay rows (title and buttons side by side) and the words get
        shorter, so the screen still fits without scrolling.
        """
        self.busy = False
        self.balance = 0
        self.loaded = False
        self.large = large_text(self)
        look = self.window_.look()
        side = round(look.target_px * 1.5)

        targets = QHBoxLayout()
        targets.setSpacing(24)
        targets.addWidget(label(tr("捐给谁？"), "title", wrap=False))
        self.pool_button = self._choice("", self._to_pool)
        self.pool_button.setAccessibleName(tr("公益池"))
        self.resident_button = self._choice("", self._to_resident)
        self.resident_button.setAccessibleName(tr("困难居民"))
        for widget in (self.pool_button, self.resident_button):
            widget.setMinimumHeight(side)
            targets.addWidget(widget, 1)
        self.body.addLayout(targets)
        self.recipient_label = label("", "hint")
        self.body.addWidget(self.recipient_label)
        self.recipient_label.setVisible(not self.large)

        amount = QHBoxLayout()
        amount.setSpacing(24)
        amount.addWidget(label(tr("捐多少？"), "title", wrap=False))
        self.minus_button = button("－", lambda: self._step(-1), role="key", name=tr("少一个"))
        self.plus_button = button("＋", lambda: self._step(1), role="key", name=tr("多一个"))
        for widget in (self.minus_button, self.plus_button):
            widget.setMinimumSize(side, side)
        self.amount_label = label("", "big", wrap=False)
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount_label.setAccessibleName(tr("捐赠数量"))
        amount.addWidget(self.minus_button)
        amount.addWidget(self.amount_label)
        amount.addWidget(self.plus_button)
        amount.addSpacing(48)
        self.preset_buttons: dict[int, QPushButton] = {}
        for n in PRESETS:
            widget = self._choice(tr("{n} 个").format(n=n), lambda n=n: self._set(n))
            widget.setMinimumSize(side, side)
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            self.preset_buttons[n] = widget
            amount.addWidget(widget)
        amount.addStretch(1)
        self.body.addLayout(amount)
        self.body.addStretch(1)

        row = QHBoxLayout()
        row.setSpacing(24)
        self.have = label(tr("正在读取……"), "hint")
        row.addWidget(self.have, 1)
        self.go_button = button(tr("确认捐赠"), self._ask)
        self.go_button.setMinimumHeight(side)
        self.go_button.setMinimumWidth(round(look.target_px * 5))
        row.addWidget(self.go_button)
        self.body.addLayout(row)
        self.refresh()

    def _choice(self, text: str, on_click: Any) -> QPushButton:
        widget = button(text, on_click, role="choice", name=text.split("\n", maxsplit=1)[0])
        widget.setCheckable(True)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return widget

    # --- state in params ----------------------------------------------------------------
    @property
    def target(self) -> str:
        return str(self.params.get("target", "pool"))

    @property
    def amount(self) -> int:
        return int(self.params.get("amount", 1))

    @property
    def most(self) -> int:
        """Whole coins the person can give: never more than the balance."""
        return self.balance // COIN

    def recipient(self) -> PersonView | None:
        found = self.params.get("recipient")
        return found if isinstance(found, PersonView) else None

    def refresh(self) -> None:
        loaded = self.loaded
        most = self.most if loaded else max(PRESETS)
        amount = min(max(self.amount, 1), max(most, 1))
        self.params["amount"] = amount
        mark(self, self.pool_button, self.target == "pool")
        mark(self, self.resident_button, self.target == "resident")
        self.amount_label.setText(tr("{n} 个").format(n=amount))
        self.minus_button.setEnabled(amount > 1)
        self.plus_button.setEnabled(amount < most)
        for n, widget in self.preset_buttons.items():
            mark(self, widget, n == amount)
            widget.setVisible(n <= most or not loaded)  # never offer more than the balance
        who = self.recipient()
        self.pool_button.setText(tr("公益池") if self.large else tr("公益池\n帮助有困难的居民"))
        if who is not None:
            resident = tr("困难居民：{name}").format(name=who.name_masked)
        elif self.large:
            resident = tr("困难居民（请刷卡）")
        else:
            resident = tr("困难居民\n请刷受助人的身份证")
        self.resident_button.setText(resident)
        if self.target == "resident":
            self.recipient_label.setText(
                tr("受助人：{name}").format(name=who.name_masked)
                if who is not None
                else tr("请把受助居民的身份证放在读卡区。")
            )
        else:
            self.recipient_label.setText(tr("捐到公益池，由社区统一帮助有困难的居民。"))
        self.go_button.setEnabled(loaded and most >= 1)

    def entered(self) -> None:
        person = self.person()
        if person is None:
            self.window_.go_home()
            return
        ledger = self.ctx.services.ledger
        pid = person.id
        self.run_db(lambda: ledger.balance(pid), self._loaded)

    def _loaded(self, balance: int) -> None:
        self.balance = balance
        self.loaded = True
        if self.most < 1:
            self.have.setText(
                tr("您现有 {n} 个时间币，不到 1 个，暂时不能捐赠。").format(n=format_coins(balance))
            )
        elif self.large:
            self.have.setText(tr("最多可以捐 {m} 个").format(m=self.most))
        else:
            self.have.setText(
                tr("您现有 {n} 个时间币，最多可以捐 {m} 个。").format(
                    n=format_coins(balance), m=self.most
                )
            )
        self.refresh()

    def _to_pool(self) -> None:
        self.params["target"] = "pool"
        self.clear_error()
        self.refresh()

    def _to_resident(self) -> None:
        self.params["target"] = "resident"
        self.clear_error()
        self.refresh()
        if self.recipient() is None:
            self.ctx.speaker.say_text(tr("请把受助居民的身份证放在读卡区"))

    def _step(self, delta: int) -> None:
        self._set(self.amount + delta)

    def _set(self, n: int) -> None:
        self.params["amount"] = n
        self.clear_error()
        self.refresh()

    # --- the recipient's card ------------------------------------------------------------
    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self.run_db(
            lambda: self.ctx.identify.by_id_number(number), self._recipient, self._no_recipient
        )
        return True

    def _recipient(self, who: PersonView) -> None:
        self.params["target"] = "resident"
        self.clear_error()
        me = self.person()
        if me is not None and who.id == me.id:
            self.params.pop("recipient", None)
            self.refresh()
            self.show_error(tr("这是您自己的身份证。请刷受助居民的身份证，或者捐到公益池。"))
            return
        self.params["recipient"] = who
        self.refresh()
        if not who.hardship:
            self.show_error(
                tr("{name} 没有登记为困难群众，不能直接捐给 Ta。可以捐到公益池。").format(
                    name=who.name_masked
                )
            )

    def _no_recipient(self, exc: Exception) -> None:
        self.params.pop("recipient", None)
        self.refresh()
        if isinstance(exc, NotFound):
            self.show_error(tr("没有找到这位居民的登记信息。可以捐到公益池，或者请工作人员帮忙。"))
        else:
            self.show_error(exc)

    # --- giving ---------------------------------------------------------------------------
    def _ask(self) -> None:
        if self.busy:
            return
        self.clear_error()
        who = self.recipient()
        if self.target == "resident" and who is None:
            self.show_error(tr("请先刷受助居民的身份证，或者选“公益池”。"))
            return
        amount = self.amount
        if amount > self.most:
            self.show_error(tr("您的时间币不够。"))
            return
        to = who.name_masked if self.target == "resident" and who else tr("公益池")
        confirm(
            self,
            tr("确认捐赠吗？"),
            [
                tr("捐给：{to}").format(to=to),
                tr("数量：{c}").format(c=coins_text(amount * COIN)),
                tr("捐赠后还剩：{c}").format(c=coins_text(self.balance - amount * COIN)),
            ],
            tr("确认捐赠"),
            lambda: self._give(amount, who if self.target == "resident" else None),
        )

    def _give(self, amount: int, who: PersonView | None) -> None:
        person = self.person()
        if person is None:
            return
        self.busy = True
        ledger = self.ctx.services.ledger
        pid = person.id
        to_id = who.id if who is not None else None

        def work() -> int:
            ledger.donate(minutes=amount * COIN, from_person=pid, to_resident=to_id)
            return ledger.balance(pid)

        to = who.name_masked if who is not None else tr("公益池")
        self.run_db(work, lambda left: self._given(to, amount, left), self._refused)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.show_error(exc)

    def _given(self, to: str, amount: int, left: int) -> None:
        self.ctx.notify_write()
        self.window_.go(
            CoinsDoneScreen,
            remember=False,
            kind="donate",
            what=to,
            amount=amount * COIN,
            left=left,
        )


# --- done -------------------------------------------------------------------------------


class CoinsDoneScreen(DoneScreen):
    steps = (2, 2)

    def title(self) -> str:
        return tr("兑换成功") if self.params["kind"] == "spend" else tr("捐赠成功")

    def build(self) -> None:
        p = self.params
        self.body.addLayout(success_line(self, self.title())[0])
        if p["kind"] == "spend":
            lines = [
                label(tr("兑换：{what}").format(what=p["what"])),
                label(tr("用去：{c}").format(c=coins_text(p["amount"]))),
            ]
            after = (
                tr("工作人员会和您约时间。")
                if large_text(self)
                else tr("工作人员会和您约时间，为您安排这项服务。有问题请找工作人员。")
            )
        else:
            lines = [
                label(tr("捐给：{what}").format(what=p["what"])),
                label(tr("数量：{c}").format(c=coins_text(p["amount"]))),
            ]
            after = tr("谢谢您的爱心！")
        self.left_label = label(tr("还剩：{c}").format(c=coins_text(p["left"])))
        lines.append(self.left_label)
        self.body.addWidget(card(*lines))
        self.body.addWidget(label(after))
        self.body.addStretch(1)

    def entered(self) -> None:
        if not self.params.get("spoken"):
            self.params["spoken"] = True
            self.ctx.speaker.say_text(self.title())
