"""需求: record a need for a resident, and the board of needs under way.

Left, 登记需求: the resident (ID card tap, or a name search), what help, which day and which
half of it, a few words; ``NeedService.post`` with the staff id. Right, the board: needs
waiting for a claimant, claimed, in service, done and waiting for confirmation, confirmed
and waiting for a rating. Each card offers the steps its status allows:

- 指派认领: a member or volunteer (card tap or name search) or an organisation claims it;
- 开始服务 / 退回 (the claimant cannot come) / 取消 (with a reason);
- 完成服务 with the minutes served; 确认完成 (mints the coins); 评价 with 1-5 stars.

Steps that need something more (who, minutes, a reason, stars) open the action box above
the board, where card taps go while it asks for a claimant. A refusal from the service is
shown in its own plain words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from kiosk.clock import CHINA, local_day
from kiosk.services.needs import ticket_number
from kiosk.services.people import PersonView
from kiosk.store.models import Need, NeedCategory, NeedStatus, PersonKind
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.screens.needs import category_text
from ui.screens.staff import (
    CardList,
    Choices,
    PersonPicker,
    StaffPanel,
    day_words,
    form_grid,
    hbox,
    item_card,
    line_edit,
    parse_day,
    parse_int,
    section,
)
from ui.widgets import button, clear_layout, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

S = NeedStatus
BOARD = (S.POSTED, S.CLAIMED, S.IN_SERVICE, S.COMPLETED, S.CONFIRMED)
HOURS = {"am": 9, "pm": 14}  # the wished time stored for each half of the day


def status_words(status: str) -> str:
    return {
        S.POSTED: tr("等待认领"),
        S.CLAIMED: tr("已认领，等待开始服务"),
        S.IN_SERVICE: tr("正在服务"),
        S.COMPLETED: tr("服务已完成，等待确认"),
        S.CONFIRMED: tr("已确认，等待居民评价"),
        S.RATED: tr("已评价"),
        S.CANCELLED: tr("已取消"),
        S.EXPIRED: tr("已过期"),
    }.get(S(status), status)


def cancel_reasons() -> list[str]:
    return [tr("居民不需要了"), tr("重复登记"), tr("联系不上居民")]


@dataclass(frozen=True)
class BoardRow:
    need: Need
    resident: str
    claimant: str


@dataclass
class Action:
    """What the action box is asking for, about which need."""

    kind: str  # claim, complete, cancel, rate
    row: BoardRow


class NeedsPanel(StaffPanel):
    title = N_("需求")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        self.action: Action | None = None
        self.rows: list[BoardRow] = []
        super().__init__(ctx, window)

    # --- layout -----------------------------------------------------------------------
    def build(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addWidget(self._post_form(), 5)
        board = QWidget()
        column = QVBoxLayout(board)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        refresh = button(tr("刷新"), self.refresh, role="secondary")
        refresh.setObjectName("needs-refresh")
        self.board_title = label(tr("需求列表"), "title", wrap=False)
        top = QHBoxLayout()
        top.addWidget(self.board_title, 1)
        top.addWidget(refresh)
        column.addLayout(top)
        self.action_box = QFrame()
        self.action_box.setProperty("role", "card")
        self.action_box.setObjectName("needs-action")
        self.action_column = QVBoxLayout(self.action_box)
        self.action_column.setContentsMargins(20, 16, 20, 16)
        self.action_column.setSpacing(12)
        self.action_box.hide()
        column.addWidget(self.action_box)
        self.board = CardList(name="needs-board")
        column.addWidget(self.board, 1)
        row.addWidget(board, 6)
        self.outer.addLayout(row, 1)

    def _post_form(self) -> QFrame:
        self.resident = PersonPicker(
            self, tr("请居民刷身份证，或输入姓名查找："), name="needs-resident"
        )
        self.category = Choices(
            [(category_text(c), c) for c in NeedCategory], columns=4, name="needs-category"
        )
        tomorrow = local_day(self.ctx.now()) + dt.timedelta(days=1)
        self.day_field = line_edit(tr("年-月-日"), name="needs-day", max_length=10)
        self.day_field.setText(tomorrow.isoformat())
        self.part = Choices([(tr("上午"), "am"), (tr("下午"), "pm")], name="needs-part")
        self.part.set_value("am")
        self.description = line_edit(
            tr("例如：行动不便，需要上门"), name="needs-text", max_length=200
        )
        post = button(tr("登记需求"), self.post)
        post.setObjectName("needs-post")
        grid = form_grid(
            [
                (tr("需要什么"), self.category),
                (tr("哪一天"), self.day_field),
                (tr("什么时候"), self.part),
                (tr("说明"), self.description),
            ]
        )
        return section(tr("为居民登记需求"), self.resident, grid, hbox(post))

    # --- the board --------------------------------------------------------------------
    def refresh(self) -> None:
        people = self.ctx.services.people
        reference = self.ctx.services.reference

        def load() -> list[BoardRow]:
            needs = people.need_board(BOARD)
            names = people.names(
                [n.resident_id for n in needs] + [n.claimant_person_id for n in needs]
            )
            orgs = {o.id: o.name for o in reference.organisations()} if needs else {}
            order = {status: i for i, status in enumerate(BOARD)}
            rows = [
                BoardRow(
                    need,
                    names.get(need.resident_id, "—"),
                    names.get(need.claimant_person_id, "")
                    if need.claimant_person_id
                    else orgs.get(need.claimant_org_id, "")
                    if need.claimant_org_id
                    else "",
                )
                for need in needs
            ]
            rows.sort(key=lambda r: (order.get(S(r.need.status), 9), r.need.wished_at))
            return rows

        self.run(load, self._show_board)

    def _show_board(self, rows: list[BoardRow]) -> None:
        self.rows = rows
        self.board_title.setText(tr("需求列表（{n} 条进行中）").format(n=len(rows)))
        if not rows:
            self.board.empty(tr("现在没有进行中的需求。"))
            return
        self.board.clear()
        for row in rows:
            self.board.add(self._need_card(row))

    def _need_card(self, row: BoardRow) -> QFrame:
        need = row.need
        status = S(need.status)
        head = label(
            tr("{what} · 居民 {who}").format(what=category_text(need.category), who=row.resident),
            "title",
        )
        wished = need.wished_at.astimezone(CHINA)
        part = tr("上午") if wished.hour < 12 else tr("下午")
        facts = label(
            tr("希望 {day} {part} · 求助号 {ticket}").format(
                day=day_words(wished.date()), part=part, ticket=ticket_number(need.id)
            ),
            "hint",
        )
        state = status_words(status)
        if row.claimant:
            state += tr(" · 认领：{who}").format(who=row.claimant)
        if status in (S.COMPLETED, S.CONFIRMED) and need.service_minutes:
            state += tr(" · 服务 {n} 分钟").format(n=need.service_minutes)
        rows: list[QWidget | QHBoxLayout] = [head, facts, label("● " + state)]
        if need.description:
            rows.append(label(tr("说明：") + need.description, "hint"))
        ticket = ticket_number(need.id)
        actions: list[tuple[str, Any, str]] = []
        if status == S.POSTED:
            actions = [
                (tr("指派认领"), lambda: self.ask(Action("claim", row)), "claim"),
                (tr("取消"), lambda: self.ask(Action("cancel", row)), "cancel"),
            ]
        elif status == S.CLAIMED:
            actions = [
                (tr("开始服务"), lambda: self.step("start", row), "start"),
                (tr("退回待认领"), lambda: self.step("release", row), "release"),
                (tr("取消"), lambda: self.ask(Action("cancel", row)), "cancel"),
            ]
        elif status == S.IN_SERVICE:
            actions = [(tr("完成服务"), lambda: self.ask(Action("complete", row)), "complete")]
        elif status == S.COMPLETED:
            actions = [(tr("确认完成"), lambda: self.step("confirm", row), "confirm")]
        elif status == S.CONFIRMED:
            actions = [(tr("评价"), lambda: self.ask(Action("rate", row)), "rate")]
        buttons = []
        for index, (text, act, key) in enumerate(actions):
            widget = button(text, act, role="primary" if index == 0 else "secondary")
            widget.setObjectName(f"need-{key}-{ticket}")
            buttons.append(widget)
        rows.append(hbox(*buttons))
        return item_card(*rows, name=f"need-{ticket}")

    # --- steps without questions ------------------------------------------------------
    def step(self, op: str, row: BoardRow) -> None:
        needs = self.ctx.services.needs
        need_id = row.need.id
        staff_id = self.staff_id
        work: Any = {
            "start": lambda: needs.start(need_id=need_id),
            "release": lambda: needs.release(need_id=need_id, staff_id=staff_id),
            "confirm": lambda: needs.confirm(need_id=need_id, staff_id=staff_id),
        }[op]
        done_text = {
            "start": tr("已开始服务：{what}"),
            "release": tr("已退回，重新等待认领：{what}"),
            "confirm": tr("已确认完成，时间币已发放：{what}"),
        }[op]
        what = self._what(row)
        self.close_action()
        self.write(work, lambda _n: self._done(done_text.format(what=what)))

    def _done(self, text: str) -> None:
        self.close_action()
        self.show_result(text)
        self.refresh()

    def _what(self, row: BoardRow) -> str:
        return f"{category_text(row.need.category)} · {row.resident}"

    # --- the action box ---------------------------------------------------------------
    def ask(self, action: Action) -> None:
        self.clear_messages()
        self.action = action
        clear_layout(self.action_column)
        what = self._what(action.row)
        titles = {
            "claim": tr("指派认领：{what}"),
            "complete": tr("完成服务：{what}"),
            "cancel": tr("取消需求：{what}"),
            "rate": tr("评价服务：{what}"),
        }
        self.action_column.addWidget(label(titles[action.kind].format(what=what), "title"))
        cancel = button(tr("放弃"), self.close_action, role="secondary")
        cancel.setObjectName("action-close")
        getattr(self, f"_ask_{action.kind}")(cancel)
        self.action_box.show()

    def _ask_claim(self, cancel: QWidget) -> None:
        self.claimant = PersonPicker(
            self,
            tr("请党员或志愿者刷身份证，或输入姓名查找；也可以指派给党组织。"),
            kinds=(PersonKind.MEMBER, PersonKind.VOLUNTEER),
            name="needs-claimant",
        )
        self.claim_org = Choices(columns=2, name="needs-claim-org", allow_none=True)
        self.claimant.chosen.connect(self._claimant_chosen)
        self.claim_org.changed.connect(self._org_chosen)
        self.action_column.addWidget(self.claimant)
        self.action_column.addWidget(label(tr("或指派给党组织："), "hint"))
        self.action_column.addWidget(self.claim_org)
        go = button(tr("确定认领"), self._claim)
        go.setObjectName("action-claim")
        self.action_column.addLayout(hbox(go, cancel))
        reference = self.ctx.services.reference
        self.run(
            lambda: [(o.name, o.id) for o in reference.organisations()],
            self.claim_org.set_options,
        )

    def _claimant_chosen(self, view: Any) -> None:
        if view is not None:
            self.claim_org.set_value(None)

    def _org_chosen(self, org_id: Any) -> None:
        if org_id is not None and self.claimant.person is not None:
            self.claimant.person = None
            self.claimant.chosen_label.hide()

    def _claim(self) -> None:
        action = self.action
        if action is None:
            return
        person = self.claimant.person
        org_id = self.claim_org.value()
        if person is None and org_id is None:
            self.show_error(tr("请先刷认领人的身份证、查找姓名，或选择党组织。"))
            return
        needs = self.ctx.services.needs
        need_id = action.row.need.id
        person_id = person.id if person is not None else None
        who = (
            person.name_masked
            if person is not None
            else self.claim_org.texts[self.claim_org.values.index(org_id)]
        )
        what = self._what(action.row)
        self.write(
            lambda: needs.claim(
                need_id=need_id, person_id=person_id, org_id=None if person_id else org_id
            ),
            lambda _n: self._done(tr("{who} 已认领：{what}").format(who=who, what=what)),
        )

    def _ask_complete(self, cancel: QWidget) -> None:
        self.minutes = line_edit(tr("分钟"), name="action-minutes", max_length=4)
        self.minutes.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,4}"), self.minutes)
        )
        go = button(tr("完成服务"), self._complete)
        go.setObjectName("action-complete")
        self.action_column.addLayout(
            hbox(label(tr("实际服务时长（分钟）："), wrap=False), self.minutes)
        )
        self.action_column.addLayout(hbox(go, cancel))

    def _complete(self) -> None:
        action = self.action
        minutes = parse_int(self.minutes.text())
        if action is None:
            return
        if minutes is None:
            self.show_error(tr("请填写服务时长（分钟）。"))
            return
        needs = self.ctx.services.needs
        need_id = action.row.need.id
        what = self._what(action.row)
        self.write(
            lambda: needs.complete(need_id=need_id, service_minutes=minutes),
            lambda _n: self._done(
                tr("已完成服务 {n} 分钟，请确认：{what}").format(n=minutes, what=what)
            ),
        )

    def _ask_cancel(self, cancel: QWidget) -> None:
        self.reason = line_edit(tr("取消原因"), name="action-reason", max_length=200)
        presets = Choices(
            [(text, text) for text in cancel_reasons()], columns=3, name="action-preset"
        )
        presets.changed.connect(lambda text: self.reason.setText(text or self.reason.text()))
        go = button(tr("确定取消需求"), self._cancel)
        go.setObjectName("action-cancel")
        self.action_column.addWidget(presets)
        self.action_column.addWidget(self.reason)
        self.action_column.addLayout(hbox(go, cancel))

    def _cancel(self) -> None:
        action = self.action
        if action is None:
            return
        reason = self.reason.text().strip()
        if not reason:
            self.show_error(tr("请填写取消原因。"))
            return
        needs = self.ctx.services.needs
        need_id = action.row.need.id
        staff_id = self.staff_id
        what = self._what(action.row)
        self.write(
            lambda: needs.cancel(need_id=need_id, reason=reason, staff_id=staff_id),
            lambda _n: self._done(tr("已取消：{what}").format(what=what)),
        )

    def _ask_rate(self, cancel: QWidget) -> None:
        self.action_column.addWidget(label(tr("请居民为这次服务打分，5 星最好："), "hint"))
        self.comment = line_edit(tr("居民的话（可以不填）"), name="action-comment", max_length=200)
        stars = []
        for n in range(1, 6):
            widget = button("★" * n, partial(self._rate, n), role="choice", name=f"{n}星")
            widget.setObjectName(f"action-stars-{n}")
            stars.append(widget)
        self.action_column.addLayout(hbox(*stars))
        self.action_column.addWidget(self.comment)
        self.action_column.addLayout(hbox(cancel))

    def _rate(self, stars: int) -> None:
        action = self.action
        if action is None:
            return
        needs = self.ctx.services.needs
        need_id = action.row.need.id
        comment = self.comment.text().strip()
        what = self._what(action.row)
        self.write(
            lambda: needs.rate(need_id=need_id, stars=stars, comment=comment),
            lambda _n: self._done(tr("已评价 {n} 星：{what}").format(n=stars, what=what)),
        )

    def close_action(self) -> None:
        self.action = None
        self.action_box.hide()
        clear_layout(self.action_column)

    # --- posting ----------------------------------------------------------------------
    def post(self) -> None:
        resident = self.resident.person
        category = self.category.value()
        day = parse_day(self.day_field.text())
        part = self.part.value() or "am"
        if resident is None:
            self.show_error(tr("请先刷居民的身份证，或查找并选择居民。"))
            return
        if category is None:
            self.show_error(tr("请选择需要什么帮助。"))
            return
        if day is None:
            self.show_error(tr("日期不正确，请按 2026-03-02 这样填写。"))
            return
        wished = dt.datetime(day.year, day.month, day.day, HOURS[part], tzinfo=CHINA)
        needs = self.ctx.services.needs
        text = self.description.text().strip()
        staff_id = self.staff_id
        resident_id: uuid.UUID = resident.id
        who = resident.name_masked

        def done(need: Need) -> None:
            self.resident.clear()
            self.description.clear()
            self.category.set_value(None)
            self.show_result(
                tr("已为 {who} 登记需求，求助号 {ticket}。").format(
                    who=who, ticket=ticket_number(need.id)
                )
            )
            self.refresh()

        self.write(
            lambda: needs.post(
                resident_id=resident_id,
                category=category,
                wished_at=wished,
                description=text,
                staff_id=staff_id,
            ),
            done,
        )

    # --- cards ------------------------------------------------------------------------
    def on_card(self, card: IdCard) -> bool:
        """While the action box asks for a claimant the card is the claimant's; otherwise
        it chooses the resident for a new need."""
        if self.action is not None and self.action.kind == "claim":
            return self.claimant.use_card(card)
        return self.resident.use_card(card)

    def resident_chosen(self) -> PersonView | None:
        return self.resident.person
