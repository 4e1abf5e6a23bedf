"""微心愿: verify submitted wishes, follow claims and progress.

A wish reaches the public wall only after staff verify it here (通过 publishes it with the
resident's name masked; 不通过 needs a short reason). 进行中 lists published and claimed
wishes with who holds them and by when they must make contact, so staff can chase a claim
that is about to lapse; 已完成 lists fulfilled and rejected wishes with their notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame

from kiosk.services.wishes import StaffWishView
from kiosk.store.models import WishStatus
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.screens.staff import CardList, Choices, StaffPanel, hbox, item_card, line_edit, when_words
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

W = WishStatus
PARTS: tuple[tuple[WishStatus, ...], ...] = (
    (W.SUBMITTED,),
    (W.PUBLISHED, W.CLAIMED, W.CONTACTED),
    (W.FULFILLED, W.REJECTED),
)


def wish_status_words(status: str) -> str:
    return {
        W.SUBMITTED: tr("等待审核"),
        W.PUBLISHED: tr("已发布，等待党员认领"),
        W.CLAIMED: tr("已认领，等待联系"),
        W.CONTACTED: tr("已联系，正在圆梦"),
        W.FULFILLED: tr("已圆梦"),
        W.REJECTED: tr("没有通过审核"),
    }.get(W(status), status)


class WishesPanel(StaffPanel):
    title = N_("微心愿")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        self.wishes: list[StaffWishView] = []
        super().__init__(ctx, window)

    def build(self) -> None:
        self.parts = Choices(
            [(tr("待审核"), 0), (tr("进行中"), 1), (tr("已完成"), 2)], name="wishes-part"
        )
        self.parts.set_value(0)
        self.parts.changed.connect(lambda _v: self.refresh())
        refresh = button(tr("刷新"), self.refresh, role="secondary")
        refresh.setObjectName("wishes-refresh")
        row = hbox(self.parts)
        row.addWidget(refresh)
        self.outer.addLayout(row)
        self.list = CardList(name="wishes-list")
        self.outer.addWidget(self.list, 1)

    def refresh(self) -> None:
        part = int(self.parts.value() or 0)
        wishes = self.ctx.services.wishes
        statuses = PARTS[part]
        self.run(lambda: wishes.staff_list(statuses), self._show)

    def _show(self, wishes: list[StaffWishView]) -> None:
        self.wishes = wishes
        if not wishes:
            empty = {
                0: tr("没有等待审核的心愿。"),
                1: tr("没有进行中的心愿。"),
                2: tr("还没有完成的心愿。"),
            }
            self.list.empty(empty[int(self.parts.value() or 0)])
            return
        self.list.clear()
        for index, wish in enumerate(wishes):
            self.list.add(self._card(index, wish))

    def _card(self, index: int, wish: StaffWishView) -> QFrame:
        status = W(wish.status)
        head = label(tr("{t} · 居民 {who}").format(t=wish.title, who=wish.resident_name), "title")
        rows: list[Any] = [head]
        if wish.description:
            rows.append(label(wish.description))
        facts = [tr("提交：{w}").format(w=when_words(wish.created_at))]
        if wish.round_no > 1:
            facts.append(tr("第 {n} 轮").format(n=wish.round_no))
        rows.append(label(" · ".join(facts), "hint"))
        state = "● " + wish_status_words(status)
        if wish.claimant_name:
            state += tr(" · 认领党员：{who}").format(who=wish.claimant_name)
        rows.append(label(state))
        if status == W.CLAIMED:
            due = tr("认领：{a} · 最迟 {d} 前联系居民").format(
                a=when_words(wish.claimed_at), d=when_words(wish.contact_due)
            )
            if wish.contact_due is not None and wish.contact_due < self.ctx.now():
                due = "⚠ " + due + tr("（已超过期限）")
            rows.append(label(due, "hint"))
        elif status == W.CONTACTED:
            rows.append(label(tr("已联系：{w}").format(w=when_words(wish.contacted_at)), "hint"))
        elif status == W.FULFILLED:
            rows.append(label(tr("圆梦：{w}").format(w=when_words(wish.fulfilled_at)), "hint"))
        if wish.note and status in (W.FULFILLED, W.REJECTED, W.CONTACTED, W.PUBLISHED):
            rows.append(label(tr("说明：") + wish.note, "hint"))
        if status == W.SUBMITTED:
            note = line_edit(
                tr("审核意见（不通过时必须填写）"), name=f"wish-note-{index}", max_length=300
            )
            approve = button(tr("通过，发布"), lambda: self.verify(wish, True, note.text()))
            approve.setObjectName(f"wish-approve-{index}")
            reject = button(
                tr("不通过"), lambda: self.verify(wish, False, note.text()), role="secondary"
            )
            reject.setObjectName(f"wish-reject-{index}")
            rows.append(note)
            rows.append(hbox(approve, reject))
        return item_card(*rows, name=f"wish-{index}")

    def verify(self, wish: StaffWishView, approve: bool, note: str) -> None:
        note = note.strip()
        if not approve and not note:
            self.show_error(tr("不通过时请写一句原因，方便告诉居民。"))
            return
        wishes = self.ctx.services.wishes
        staff_id = self.staff_id

        def done(_: Any) -> None:
            self.show_result((tr("已发布到心愿墙：") if approve else tr("已退回：")) + wish.title)
            self.refresh()

        self.write(
            lambda: wishes.verify(wish_id=wish.id, staff_id=staff_id, approve=approve, note=note),
            done,
        )
