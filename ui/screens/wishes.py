"""微心愿: browse the wish wall, claim one (members only), follow the ones you claimed.

Open to anyone for browsing. A wish card says what is wished, for whom (masked name, 李*),
and how far it has got, in words. Claiming needs to know who is there: a member who tapped
the card before arrives identified; anyone else taps the card or shows the member QR on
this very screen (it keeps the card instead of leaving for the person page), and the claim
they asked for goes on from there, confirmed in an in-window overlay. Residents may not
claim, which the screen says in one plain sentence.

第1步 the wall (and identification), 第2步 认领成功 with the next step: contact the resident
within the contact window. 我认领的 lists the member's own wishes and where each stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from devices.idcard.card import IdCard
from devices.qr.tokens import Routed
from kiosk.errors import NotFound
from kiosk.services.people import PersonView
from kiosk.services.wishes import ClaimedWishView, WishView
from kiosk.store.models import PersonKind, WishStatus
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

WALL, MINE = "wall", "mine"


def wall_words(status: str) -> str:
    """A public wish's state in words, with a mark (never colour alone)."""
    return {
        WishStatus.PUBLISHED: tr("○ 正在等人认领"),
        WishStatus.CLAIMED: tr("● 已有党员认领"),
        WishStatus.CONTACTED: tr("● 已联系心愿人，正在圆梦"),
    }.get(WishStatus(status), tr("请问工作人员"))


def mine_words(view: ClaimedWishView) -> str:
    """Where a wish the member claimed stands, and what to do next."""
    if view.status == WishStatus.CLAIMED:
        if view.contact_due is not None:
            return tr("已认领 · 请在{d}前联系心愿人").format(d=short_day(view.contact_due))
        return tr("已认领 · 请尽快联系心愿人")
    if view.status == WishStatus.CONTACTED:
        return tr("已联系 · 正在帮 Ta 圆梦")
    if view.status == WishStatus.FULFILLED:
        return tr("★ 已圆梦 · 谢谢您")
    return tr("请问工作人员")


@dataclass(frozen=True)
class Claimed:
    title: str
    resident: str
    contact_due: dt.datetime | None


class WishesScreen(Screen):
    voice_key = "wishes"
    steps = (1, 2)

    def title(self) -> str:
        return tr("微心愿")

    @property
    def tab(self) -> str:
        return str(self.params.get("tab", WALL))

    def person(self) -> PersonView | None:
        return self.window_.session.person

    def build(self) -> None:
        self.busy = False
        self.wishes: list[WishView] = []
        per_page, columns = by_scale(self, (4, 2), (2, 1), (1, 1))
        top = QHBoxLayout()
        top.setSpacing(24)
        self.wall_button = self._tab_button(tr("心愿墙"), WALL)
        self.mine_button = self._tab_button(tr("我认领的"), MINE)
        top.addWidget(self.wall_button)
        top.addWidget(self.mine_button)
        top.addStretch(1)
        self.who = label("", "hint", wrap=False)
        top.addWidget(self.who)
        self.body.addLayout(top)
        # Who is there: beside the tabs at 1x, on its own line when the text is larger.
        self.prompt = label(tr("请刷身份证或扫党员码，确认您的党员身份"), "title")
        self.prompt.hide()
        if large_text(self):
            self.body.addWidget(self.prompt)
        else:
            self.prompt.setWordWrap(False)
            top.addWidget(self.prompt)
        self.loading = label(tr("正在读取……"))
        self.body.addWidget(self.loading)
        self.wall = CardPages(self.params, per_page=per_page, columns=columns)
        self.mine = CardPages(self.params, per_page=per_page, columns=columns, key="mine_page")
        self.body.addWidget(self.wall, 1)
        self.body.addWidget(self.mine, 1)
        self.refresh()

    def _tab_button(self, text: str, tab: str) -> QPushButton:
        widget = button(text, lambda: self._show_tab(tab), role="choice", name=text)
        widget.setCheckable(True)
        widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        return widget

    def refresh(self) -> None:
        mark(self, self.wall_button, self.tab == WALL)
        mark(self, self.mine_button, self.tab == MINE)
        self.wall.setVisible(self.tab == WALL)
        self.mine.setVisible(self.tab == MINE)
        person = self.person()
        self.who.setText(tr("您好，{name}").format(name=person.name_masked) if person else "")
        waiting = person is None and (self.tab == MINE or "pending" in self.params)
        self.prompt.setVisible(waiting)

    def entered(self) -> None:
        self.load()

    def load(self) -> None:
        person = self.person()
        wishes = self.ctx.services.wishes
        member = person.id if person is not None and person.kind == PersonKind.MEMBER else None

        def work() -> tuple[list[WishView], list[ClaimedWishView]]:
            mine = wishes.claimed_by(member) if member is not None else []
            return wishes.public_list(), mine

        self.run_db(work, self._loaded)

    def _loaded(self, result: tuple[list[WishView], list[ClaimedWishView]]) -> None:
        self.loading.hide()
        self.wishes, mine = result
        self.wall.set_items(
            self.wishes, self._wish_card, tr("现在没有等待认领的心愿。过几天再来看看吧。")
        )
        person = self.person()
        if person is None:
            empty = ""
        elif person.kind != PersonKind.MEMBER:
            empty = tr("只有党员可以认领微心愿。")
        else:
            empty = tr("您还没有认领心愿。可以在“心愿墙”里选一个。")
        self.mine.set_items(mine, self._mine_card, empty)
        self.refresh()

    def _show_tab(self, tab: str) -> None:
        self.params["tab"] = tab
        self.clear_error()
        self.refresh()
        if tab == MINE and self.person() is None:
            self.ctx.speaker.say_text(self.prompt.text())

    # --- cards ----------------------------------------------------------------------------
    def _wish_card(self, view: WishView) -> QWidget:
        rows: list[Any] = [label(view.title, "title")]
        if view.description and not large_text(self):
            rows.append(label(view.description))
        line = QHBoxLayout()
        line.setSpacing(24)
        line.addWidget(label(tr("心愿人：{name}").format(name=view.resident_name_masked)))
        line.addWidget(label(wall_words(view.status), "hint"), 1)
        if view.status == WishStatus.PUBLISHED:
            claim = button(
                tr("我来认领"), lambda: self._claim(view), name=tr("认领：") + view.title
            )
            claim.setProperty("wish", str(view.id))
            line.addWidget(claim)
        rows.append(line)
        return framed(*rows)

    def _mine_card(self, view: ClaimedWishView) -> QWidget:
        return framed(
            label(view.title, "title"),
            label(tr("心愿人：{name}").format(name=view.resident_name_masked)),
            label(mine_words(view), "hint"),
        )

    # --- claiming -------------------------------------------------------------------------
    def _claim(self, view: WishView) -> None:
        if self.busy:
            return
        self.clear_error()
        person = self.person()
        if person is None:
            self.params["pending"] = view.id
            self.refresh()
            self.ctx.speaker.say_text(self.prompt.text())
            return
        if person.kind != PersonKind.MEMBER:
            self.params.pop("pending", None)
            self.refresh()
            more = "" if large_text(self) else tr("居民有困难，可以点“我要求助”。")
            self.show_error(tr("只有党员可以认领微心愿。") + more)
            return
        days = self.ctx.services.store.rules.wish_contact_days
        confirm(
            self,
            tr("确认认领这个心愿吗？"),
            [
                tr("心愿：{t}").format(t=view.title),
                tr("心愿人：{name}").format(name=view.resident_name_masked),
                tr("认领后，请在 {n} 天内联系心愿人。").format(n=days),
            ],
            tr("确认认领"),
            lambda: self._do_claim(view, person),
            tr("不认领了"),
        )

    def _do_claim(self, view: WishView, person: PersonView) -> None:
        self.busy = True
        self.params.pop("pending", None)
        wishes = self.ctx.services.wishes

        def work() -> Claimed:
            wish = wishes.claim(wish_id=view.id, member_id=person.id)
            return Claimed(view.title, view.resident_name_masked, wish.contact_due)

        self.run_db(work, self._claimed, self._refused)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.show_error(exc)
        self.load()

    def _claimed(self, result: Claimed) -> None:
        self.busy = False
        self.ctx.notify_write()
        self.params["tab"] = MINE  # 返回 from the next screen shows the claimed wishes
        self.window_.go(
            WishClaimedScreen,
            title_=result.title,
            resident=result.resident,
            contact_due=result.contact_due,
        )

    # --- identification on this screen ----------------------------------------------------
    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self.run_db(lambda: self.ctx.identify.by_id_number(number), self._found, self._unknown)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False
        token = routed.value
        self.run_db(lambda: self.ctx.identify.by_member_token(token), self._found, self._unknown)
        return True

    def _unknown(self, exc: Exception) -> None:
        self.show_error(exc, voice="not_registered" if isinstance(exc, NotFound) else "")

    def _found(self, person: PersonView) -> None:
        self.window_.session.person = person
        self.clear_error()
        self.refresh()
        self.load()
        pending = self.params.get("pending")
        view = next((w for w in self.wishes if w.id == pending), None)
        if view is not None:
            self._claim(view)
        else:
            self.params.pop("pending", None)
            self.refresh()


class WishClaimedScreen(DoneScreen):
    voice_key = "wish_claimed"
    steps = (2, 2)

    def title(self) -> str:
        return tr("认领成功")

    def build(self) -> None:
        p = self.params
        self.body.addLayout(success_line(self, tr("认领成功，谢谢您！"))[0])
        large = large_text(self)
        self.body.addWidget(
            card(
                label(str(p["title_"]), "title"),
                label(tr("心愿人：{name}").format(name=p["resident"])),
            )
        )
        due = p.get("contact_due")
        days = self.ctx.services.store.rules.wish_contact_days
        if isinstance(due, dt.datetime) and large:
            first = tr("下一步：请在 {d} 前联系心愿人。").format(d=short_day(due))
        elif isinstance(due, dt.datetime):
            first = tr("下一步：请在 {d} 前（{n} 天内）联系心愿人，约好怎样帮 Ta 圆梦。").format(
                d=short_day(due), n=days
            )
        else:
            first = tr("下一步：请在 {n} 天内联系心愿人，约好怎样帮 Ta 圆梦。").format(n=days)
        self.next_label = label(first, "title")
        self.body.addWidget(self.next_label)
        self.body.addWidget(
            label(
                tr("不知道怎样联系，请找工作人员。")
                if large
                else tr("不知道怎样联系？请找社区工作人员。联系以后，也请告诉工作人员。")
            )
        )
        self.body.addStretch(1)
