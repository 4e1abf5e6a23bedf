"""长者饭堂用餐登记: residents tap their ID card and are recorded as served, one after another.

At lunch time there is a queue of elderly residents, so the screen never goes home after a
tap: it shows the answer (第2步/共2步) for a few seconds, with a 下一位 button, and comes back
to waiting (第1步/共2步) by itself. Cards are taken here, never handed to the person page,
and read errors are answered in the screen, not in an overlay (an overlay would hold up
the next card). Each answer is in words and by voice:

- recorded: 登记成功，祝您用餐愉快, the masked name and the time;
- already recorded today: the time of the first record, nothing new is stored;
- not registered: what to do next (ask the staff to register, then tap again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError
from devices.qr.tokens import Routed
from kiosk.clock import CHINA
from kiosk.errors import NotFound
from kiosk.services.people import PersonView
from kiosk.store.models import CheckMethod
from ui.ops import user_message
from ui.screen import Screen, tr
from ui.screens.today import success_line
from ui.widgets import button, card, label

OK, ALREADY, UNKNOWN, PROBLEM = "ok", "already", "unknown", "problem"


@dataclass(frozen=True)
class Served:
    outcome: str  # OK, ALREADY or UNKNOWN
    name: str = ""  # masked
    at: dt.datetime | None = None  # when the (first) record of today was made


class CanteenScreen(Screen):
    voice_key = "canteen"
    steps = (1, 2)
    OK_SECONDS = 5.0  # the answer stays this long, then the screen waits for the next person
    PROBLEM_SECONDS = 10.0  # more to read when something needs doing

    def title(self) -> str:
        return tr("长者饭堂用餐登记")

    def build(self) -> None:
        self.outcome = ""
        self.waiting = QWidget()
        column = QVBoxLayout(self.waiting)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(24)
        column.addStretch(1)
        for text in (tr("请把身份证放在读卡区"), tr("登记后就可以用餐")):
            line = label(text, "big")
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(line)
        hint = label(tr("没有带身份证？请找工作人员帮忙。"), "hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(hint)
        column.addStretch(2)
        self.body.addWidget(self.waiting, 1)

        self.result = QWidget()
        column = QVBoxLayout(self.result)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(24)
        head, self.tick, self.headline = success_line(self, "")
        self.name_label = label("", "big", wrap=False)
        self.time_label = label("")
        self.detail_label = label("")
        panel = card(self.name_label, self.time_label, self.detail_label)
        panel.layout().insertLayout(0, head)  # type: ignore[union-attr]
        column.addWidget(panel)
        column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(32)
        self.next_label = label(tr("马上可以请下一位刷卡"), "hint")
        row.addWidget(self.next_label, 1)
        self.next_button = button(tr("下一位"), self.ready)
        self.next_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.next_button.setMinimumHeight(round(self.window_.look().target_px * 1.5))
        row.addWidget(self.next_button)
        column.addLayout(row)
        self.body.addWidget(self.result, 1)
        self.result.hide()

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.ready)

    # --- states ---------------------------------------------------------------------------
    def _set_step(self, x: int) -> None:
        if self.step_label is not None:
            self.step_label.setText(tr("第{x}步/共{y}步").format(x=x, y=2))

    def ready(self) -> None:
        """Back to waiting for the next card; nothing of the last person stays on screen."""
        self.timer.stop()
        self.outcome = ""
        for widget in (self.headline, self.name_label, self.time_label, self.detail_label):
            widget.setText("")
        self.result.hide()
        self.waiting.show()
        self.clear_error()
        self._set_step(1)

    def _answer(self, outcome: str, headline: str, name: str, when: str, detail: str) -> None:
        self.outcome = outcome
        good = outcome in (OK, ALREADY)
        self.tick.setVisible(good)  # a problem carries ⚠ in its words instead
        self.headline.setText(headline)
        self.headline.setProperty("role", "ok" if good else "error")
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        for widget, text in (
            (self.name_label, name),
            (self.time_label, when),
            (self.detail_label, detail),
        ):
            widget.setText(text)
            widget.setVisible(bool(text))
        self.waiting.hide()
        self.result.show()
        self._set_step(2)
        seconds = self.OK_SECONDS if outcome in (OK, ALREADY) else self.PROBLEM_SECONDS
        self.timer.start(round(seconds * 1000))

    # --- cards ----------------------------------------------------------------------------
    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self._record(lambda: self.ctx.identify.by_id_number(number), CheckMethod.ID_CARD)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False
        token = routed.value
        self._record(lambda: self.ctx.identify.by_member_token(token), CheckMethod.QR)
        return True

    def on_card_error(self, error: IdCardError) -> bool:
        self._answer(PROBLEM, "⚠ " + tr("没有读到身份证"), "", "", error.message)
        self.ctx.speaker.say("card_error")
        return True

    def _record(self, find: Callable[[], PersonView], method: CheckMethod) -> None:
        attendance = self.ctx.services.attendance

        def work() -> Served:
            try:
                person = find()
            except NotFound:
                return Served(UNKNOWN)
            visit, already = attendance.record_served(person_id=person.id, method=method)
            return Served(ALREADY if already else OK, person.name_masked, visit.created_at)

        self.run_db(work, self._served, self._failed)

    def _served(self, served: Served) -> None:
        if served.outcome == UNKNOWN:
            self._answer(
                UNKNOWN,
                "⚠ " + tr("没有找到您的登记信息"),
                "",
                "",
                tr("请找工作人员登记。登记好以后，再刷一次身份证就可以了。"),
            )
            self.ctx.speaker.say("not_registered")
            return
        at = served.at.astimezone(CHINA).strftime("%H:%M") if served.at else ""
        if served.outcome == OK:
            self.ctx.notify_write()
            self._answer(
                OK,
                tr("登记成功，祝您用餐愉快"),
                served.name,
                tr("登记时间：{t}").format(t=at),
                "",
            )
            self.ctx.speaker.say("canteen_ok")
            return
        self._answer(
            ALREADY,
            tr("您今天已经登记过了"),
            served.name,
            tr("今天 {t} 已登记，不用再刷卡。").format(t=at),
            tr("祝您用餐愉快！"),
        )
        self.ctx.speaker.say_text(tr("您今天已经登记过了，不用再刷卡，祝您用餐愉快"))

    def _failed(self, exc: Exception) -> None:
        self._answer(PROBLEM, "⚠ " + tr("没有登记上"), "", "", user_message(exc))
        self.ctx.speaker.say_text(user_message(exc))
