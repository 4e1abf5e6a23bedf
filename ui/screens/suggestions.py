"""留言建议: anyone may leave a suggestion, registered or not, without typing a word.

第1步 to whom (this station's town or street, or the district organisation department) and
what about (big topic buttons); 第2步 the words, from preset sentences that add up as they
are tapped, and a phone number for a call-back if the visitor wants one, typed on the
in-window digit keypad and shown masked afterwards (138****1234); 提交 leaves it with
``SuggestionService.leave`` (the number is stored encrypted there); 第3步 谢谢您的建议.

If the visitor was identified on this visit (card on home), the suggestion carries their
person id as its author; nobody is asked to identify for it. The choices live in a
``SuggestionDraft`` in the screens' params, so 返回 finds them as left.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import ValidationError
from kiosk.identity import mask_phone, normalize_phone
from kiosk.store.models import SuggestionTarget
from ui.keypad import Keypad
from ui.ops import user_message
from ui.screen import DoneScreen, Screen, tr
from ui.screens.today import CardPages, large_text, mark, success_line
from ui.widgets import button, card, label


def topics() -> dict[str, list[str]]:
    """Topic -> preset sentences for it. Residents never have to type."""
    return {
        tr("活动安排"): [
            tr("希望多组织一些活动"),
            tr("希望活动安排在上午"),
            tr("希望活动安排在下午"),
            tr("希望活动离家近一些"),
            tr("希望多一些适合老人的活动"),
        ],
        tr("志愿服务"): [
            tr("志愿者服务很好，谢谢"),
            tr("希望上门服务多一些"),
            tr("希望服务更准时"),
            tr("希望有人教我用手机"),
        ],
        tr("时间币"): [
            tr("希望兑换的服务多一些"),
            tr("希望兑换更方便"),
            tr("我的时间币记录有疑问"),
            tr("希望时间币能给家人用"),
        ],
        tr("长者饭堂"): [
            tr("饭菜很好吃，谢谢"),
            tr("希望饭菜软一些"),
            tr("希望饭菜清淡一些"),
            tr("希望开饭时间早一些"),
            tr("希望可以送餐上门"),
        ],
        tr("环境卫生"): [
            tr("楼道需要打扫"),
            tr("垃圾需要及时清理"),
            tr("路灯坏了需要维修"),
            tr("希望多装扶手和座椅"),
        ],
        tr("其他"): [
            tr("这台机器很好用"),
            tr("希望机器上的字再大一些"),
            tr("希望有人帮我操作机器"),
            tr("请工作人员联系我"),
        ],
    }


class PhoneKeypad(Keypad):
    """The digit keypad of ``ui.keypad``; at large text its keys sit in wide rows.

    Three columns of keys at 2x text are taller than the screen, so ``wide`` moves the
    same keys into two rows of five digits and puts 删除 beside 清空 and 确定. Only the
    places change: typing, the display and the callbacks are the keypad's own.
    """

    def __init__(self, *, wide: bool = False, **options: Any) -> None:
        super().__init__(**options)
        if wide:
            self._widen()

    def _widen(self) -> None:
        column = self.layout()
        grids = [
            item.layout()
            for item in (column.itemAt(i) for i in range(column.count()))
            if isinstance(item.layout(), QGridLayout)
        ]
        if len(grids) != 2:
            return  # the keypad changed shape; keep it as it is
        keys, actions = grids
        taken: dict[str, QWidget] = {}
        for grid in (keys, actions):
            while grid.count():
                widget = grid.takeAt(0).widget()
                if widget is not None:
                    taken[widget.accessibleName() or widget.text()] = widget  # type: ignore[attr-defined]
        for index, digit in enumerate("1234567890"):
            if digit in taken:
                keys.addWidget(taken.pop(digit), index // 5, index % 5)
        for index, widget in enumerate(taken.values()):  # 删除, 清空, 确定
            actions.addWidget(widget, 0, index)
            actions.setColumnStretch(index, 1)


@dataclass
class SuggestionDraft:
    target: str = ""  # SuggestionTarget value
    town_id: uuid.UUID | None = None
    town_name: str = ""
    town_known: bool = False  # the station's town has been looked up
    topic: str = ""
    chosen: list[str] = field(default_factory=list)
    phone: str = ""

    def text(self) -> str:
        return f"{self.topic}：{'；'.join(self.chosen)}。" if self.chosen else ""


def station_town(ctx: Any) -> tuple[uuid.UUID | None, str]:
    """The town or street this kiosk's station belongs to (runs on the db thread)."""
    ref = ctx.services.reference
    station = next((s for s in ref.stations() if s.id == ctx.station.id), None)
    if station is None:
        return None, ""
    community = next((c for c in ref.communities() if c.id == station.community_id), None)
    if community is None:
        return None, ""
    town = next((t for t in ref.towns() if t.id == community.town_id), None)
    return (town.id, town.name) if town is not None else (None, "")


class _SuggestionStep(Screen):
    def title(self) -> str:
        return tr("留言建议")

    def draft(self) -> SuggestionDraft:
        found = self.params.get("draft")
        if not isinstance(found, SuggestionDraft):
            found = SuggestionDraft()
            self.params["draft"] = found
        return found

    def choice(self, text: str, on_click: Any) -> QPushButton:
        widget = button(text, on_click, role="choice", name=text)
        widget.setCheckable(True)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return widget

    def author_line(self) -> str:
        person = self.window_.session.person
        if person is not None:
            return tr("留言人：{name}").format(name=person.name_masked)
        return tr("不用登记，谁都可以留言")


# --- step 1: to whom, about what --------------------------------------------------------------


class SuggestionScreen(_SuggestionStep):
    voice_key = "suggestion"
    steps = (1, 3)

    def build(self) -> None:
        self.draft()
        look = self.window_.look()
        large = large_text(self)
        head = QHBoxLayout()
        head.setSpacing(24)
        head.addWidget(label(tr("留言给谁？"), "title", wrap=False))
        self.town_button = self.choice(tr("本街道"), lambda: self._target(SuggestionTarget.TOWN))
        self.dept_button = self.choice(
            tr("区委组织部"), lambda: self._target(SuggestionTarget.ORG_DEPT)
        )
        head.addWidget(self.town_button, 1)
        head.addWidget(self.dept_button, 1)
        self.body.addLayout(head)
        if not large:  # at 2x the room goes to the buttons
            self.body.addWidget(label(self.author_line(), "hint"))
        self.body.addWidget(label(tr("想说哪方面的事？请点一下："), "title"))
        grid = QGridLayout()
        grid.setSpacing(24)
        columns = 3
        self.topic_buttons: dict[str, QPushButton] = {}
        for index, topic in enumerate(topics()):
            widget = button(topic, lambda t=topic: self._topic(t), role="choice", name=topic)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            widget.setMinimumHeight(round(look.target_px * 1.8))
            grid.addWidget(widget, index // columns, index % columns)
            self.topic_buttons[topic] = widget
        self.body.addLayout(grid, 1)
        self.refresh()

    def refresh(self) -> None:
        draft = self.draft()
        if draft.town_known and draft.town_id is None:
            draft.target = SuggestionTarget.ORG_DEPT
        self.town_button.setVisible(not draft.town_known or draft.town_id is not None)
        self.town_button.setEnabled(draft.town_known)
        if draft.town_name:
            self.town_button.setText(draft.town_name)
            self.town_button.setAccessibleName(draft.town_name)
        mark(self, self.town_button, draft.target == SuggestionTarget.TOWN)
        mark(self, self.dept_button, draft.target == SuggestionTarget.ORG_DEPT)

    def entered(self) -> None:
        if not self.draft().town_known:
            self.run_db(lambda: station_town(self.ctx), self._town)

    def _town(self, found: tuple[uuid.UUID | None, str]) -> None:
        draft = self.draft()
        draft.town_id, draft.town_name = found
        draft.town_known = True
        if not draft.target:
            draft.target = SuggestionTarget.TOWN if draft.town_id else SuggestionTarget.ORG_DEPT
        self.refresh()

    def _target(self, target: SuggestionTarget) -> None:
        self.draft().target = target
        self.clear_error()
        self.refresh()

    def _topic(self, topic: str) -> None:
        draft = self.draft()
        if not draft.target:
            draft.target = SuggestionTarget.ORG_DEPT if draft.town_known else ""
        if not draft.target:
            self.show_error(tr("请先选择留言给谁。"))
            return
        if draft.topic != topic:
            draft.chosen = []
        draft.topic = topic
        self.window_.go(SuggestionWriteScreen, draft=draft)


# --- step 2: the words and a phone number --------------------------------------------------


class SuggestionWriteScreen(_SuggestionStep):
    voice_key = "suggestion"
    steps = (2, 3)

    def build(self) -> None:
        """The words above, the sentences to tap, then phone and 提交 in one row.

        At 2x text the row of edit buttons and the explanations give way, so the page
        still fits: 删掉最后一句 joins the bottom row and the number shows there masked.
        """
        draft = self.draft()
        look = self.window_.look()
        self.large = large = large_text(self)
        self.busy = False

        self.writing = QWidget()
        page = QVBoxLayout(self.writing)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(16 if large else 24)
        self.text_label = label("")
        self.text_label.setAccessibleName(tr("您的留言"))
        page.addWidget(
            card(self.text_label)
            if large
            else card(label(tr("您的留言："), "hint"), self.text_label)
        )
        if not large:
            page.addWidget(label(tr("点下面的话，就加到留言里；再点一次就去掉："), "hint"))
        phrases = topics().get(draft.topic, [])
        self.phrases = CardPages(self.params, per_page=2 if large else 6, columns=2)
        self.phrase_buttons: dict[str, QPushButton] = {}
        self.phrases.set_items(phrases, self._phrase_button)
        page.addWidget(self.phrases, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        self.undo_button = button(tr("删掉最后一句"), self._undo, role="secondary")
        bottom.addWidget(self.undo_button)
        self.clear_button = button(tr("全部清空"), self._clear, role="secondary")
        self.clear_button.setVisible(not large)
        bottom.addWidget(self.clear_button)
        self.phone_label = label("", "body", wrap=False)
        bottom.addWidget(self.phone_label, 1)
        self.phone_button = button("", self._open_keypad, role="secondary")
        bottom.addWidget(self.phone_button)
        self.submit_button = button(tr("提交留言"), self._submit)
        self.submit_button.setMinimumHeight(round(look.target_px * 1.4))
        bottom.addWidget(self.submit_button)
        page.addLayout(bottom)
        self.body.addWidget(self.writing, 1)

        self.phone_panel = QWidget()
        sheet = QHBoxLayout(self.phone_panel)
        sheet.setContentsMargins(0, 0, 0, 0)
        sheet.setSpacing(48)
        side = QVBoxLayout()
        side.setSpacing(24)
        if large:
            side.addWidget(label(tr("请输入手机号码"), "title"))
            side.addWidget(label(tr("只给工作人员看"), "hint"))
        else:
            side.addWidget(label(tr("请输入您的手机号码，工作人员可能会打电话给您。"), "title"))
            side.addWidget(label(tr("号码只给工作人员看，不会公开。"), "hint"))
        side.addStretch(1)
        self.no_phone_button = button(tr("不留电话"), self._no_phone, role="nav")
        side.addWidget(self.no_phone_button)
        sheet.addLayout(side, 2 if large else 1)
        self.keypad = PhoneKeypad(
            wide=large, max_length=11, on_enter=self._phone_entered, enter_text=tr("确定")
        )
        sheet.addWidget(self.keypad, 3 if large else 1)
        self.body.addWidget(self.phone_panel, 1)
        self._show_panel()
        self.refresh()

    def _phrase_button(self, text: str) -> QWidget:
        widget = button(text, lambda: self._add(text), role="choice", name=text)
        widget.setCheckable(True)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        mark(self, widget, text in self.draft().chosen)
        self.phrase_buttons[text] = widget
        return widget

    def _show_panel(self) -> None:
        typing = bool(self.params.get("typing"))
        self.writing.setVisible(not typing)
        self.phone_panel.setVisible(typing)

    def refresh(self) -> None:
        draft = self.draft()
        self.text_label.setText(draft.text() or tr("（还没有内容，请点下面的话）"))
        for text, widget in list(self.phrase_buttons.items()):
            if shiboken6.isValid(widget):
                mark(self, widget, text in draft.chosen)
            else:  # a page turned: that button is gone
                del self.phrase_buttons[text]
        # Hidden rather than greyed when there is nothing to take away (a disabled button
        # in the secondary style would still look live).
        self.undo_button.setVisible(bool(draft.chosen))
        self.clear_button.setVisible(bool(draft.chosen) and not self.large)
        if draft.phone:
            masked = mask_phone(draft.phone)
            self.phone_label.setText(masked if self.large else tr("联系电话：{p}").format(p=masked))
            self.phone_button.setText(tr("改电话"))
        else:
            self.phone_label.setText("" if self.large else tr("联系电话：可以不留"))
            self.phone_button.setText(tr("留电话"))
        self.phone_button.setAccessibleName(self.phone_button.text())

    def _add(self, text: str) -> None:
        """A sentence joins the end of the message; tapped again, it comes out."""
        chosen = self.draft().chosen
        self.clear_error()
        if text in chosen:
            chosen.remove(text)
        else:
            chosen.append(text)
        self.refresh()

    def _undo(self) -> None:
        chosen = self.draft().chosen
        if chosen:
            chosen.pop()
        self.refresh()

    def _clear(self) -> None:
        self.draft().chosen.clear()
        self.refresh()

    # --- phone ------------------------------------------------------------------------------
    def _open_keypad(self) -> None:
        self.clear_error()
        self.params["typing"] = True
        self.keypad.clear()
        self._show_panel()
        self.ctx.speaker.say_text(tr("请输入您的手机号码"))

    def _close_keypad(self) -> None:
        self.params["typing"] = False
        self.keypad.clear()
        self._show_panel()
        self.refresh()

    def _no_phone(self) -> None:
        self.draft().phone = ""
        self.clear_error()
        self._close_keypad()

    def _phone_entered(self, value: str) -> None:
        self.clear_error()
        try:
            phone = normalize_phone(value)
        except ValidationError as exc:
            self.show_error(user_message(exc))
            return
        self.draft().phone = phone
        self._close_keypad()

    # --- submit -----------------------------------------------------------------------------
    def _submit(self) -> None:
        if self.busy:
            return
        self.clear_error()
        draft = self.draft()
        if not draft.chosen:
            self.show_error(tr("请先点一句话，加到留言里。"))
            return
        person = self.window_.session.person
        suggestions = self.ctx.services.suggestions
        text = draft.text()
        target = SuggestionTarget(draft.target)
        town_id = draft.town_id if target == SuggestionTarget.TOWN else None
        phone = draft.phone or None
        author = person.id if person is not None else None
        self.busy = True
        self.submit_button.setEnabled(False)

        def work() -> None:
            suggestions.leave(
                text=text, target=target, town_id=town_id, contact=phone, person_id=author
            )

        self.run_db(work, lambda _: self._left(draft), self._failed)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.submit_button.setEnabled(True)
        self.show_error(exc)

    def _left(self, draft: SuggestionDraft) -> None:
        self.ctx.notify_write()
        to = draft.town_name if draft.target == SuggestionTarget.TOWN else tr("区委组织部")
        self.window_.go(
            SuggestionDoneScreen,
            remember=False,
            to=to,
            topic=draft.topic,
            phone=mask_phone(draft.phone) if draft.phone else "",
        )


class SuggestionDoneScreen(DoneScreen):
    voice_key = "suggestion_done"
    steps = (3, 3)

    def title(self) -> str:
        return tr("留言已提交")

    def build(self) -> None:
        p = self.params
        self.body.addLayout(success_line(self, tr("谢谢您的建议"))[0])
        lines = [
            label(tr("留言给：{to}").format(to=p["to"])),
            label(tr("关于：{t}").format(t=p["topic"])),
        ]
        self.body.addWidget(card(*lines))
        self.body.addWidget(label(tr("工作人员会认真看您的留言。")))
        if p["phone"]:
            self.body.addWidget(
                label(tr("需要时，工作人员会打电话 {p} 联系您。").format(p=p["phone"]))
            )
        self.body.addStretch(1)

    def add_navigation(self) -> None:
        super().add_navigation()
        # The suggestion is left: 返回 must not lead back to step 2 and a second one.
        self.back_button.clicked.disconnect()
        self.back_button.clicked.connect(lambda _=False: self.window_.go_home())
