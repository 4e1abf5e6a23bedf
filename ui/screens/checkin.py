"""签到/签退 at today's activities: pick the activity, tap the card, see the result, undo.

Two screens from home to done (C15): step 1 lists today's activities and waits for an ID
card or member QR; step 2 shows the masked name, the time and, on check-out, the minutes
served and coins earned, with 撤销 for a tap by mistake. A second tap by someone already
checked in is answered in plain words with the next step (签退), not an error.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton

from devices.idcard.card import IdCard
from devices.qr.tokens import Routed
from kiosk.clock import CHINA, local_day, local_hhmm
from kiosk.services.ledger import format_coins
from kiosk.services.people import PersonView
from kiosk.store.models import ActivityStatus, CheckMethod
from ui.screen import DoneScreen, Screen, tr
from ui.widgets import button, card, label


@dataclass(frozen=True)
class ActivityChoice:
    id: uuid.UUID
    title: str
    place: str
    hours: str
    open_now: bool


def todays_activities(ctx: Any) -> list[ActivityChoice]:
    """Today's activities that are not closed, earliest first (runs on the db thread)."""
    now = ctx.now()
    early = dt.timedelta(minutes=ctx.services.store.rules.checkin_early_minutes)
    out = []
    for act in ctx.services.attendance.activities_on(local_day(now)):
        if act.status == ActivityStatus.CLOSED:
            continue
        open_now = act.status == ActivityStatus.OPEN or (
            act.starts_at - early <= now <= act.ends_at
        )
        hours = f"{local_hhmm(act.starts_at)}–{local_hhmm(act.ends_at)}"
        out.append(ActivityChoice(act.id, act.title, act.place, hours, open_now))
    return sorted(out, key=lambda a: (not a.open_now, a.hours))


class CheckinScreen(Screen):
    voice_key = "checkin"
    steps = (1, 2)

    def title(self) -> str:
        return tr("签到 / 签退")

    def build(self) -> None:
        modes = QHBoxLayout()
        self.mode_group = QButtonGroup(self)
        self.in_button = self._mode_button(tr("我要签到"), "in")
        self.out_button = self._mode_button(tr("我要签退"), "out")
        modes.addWidget(self.in_button)
        modes.addWidget(self.out_button)
        modes.addStretch(1)
        self.body.addLayout(modes)
        (self.out_button if self.params.get("mode") == "out" else self.in_button).setChecked(True)
        self.body.addWidget(label(tr("请选择活动，然后刷身份证或扫党员码："), "hint"))
        self.list_box = QHBoxLayout()
        self.list_box.setSpacing(24)
        self.body.addLayout(self.list_box)
        self.activity_group = QButtonGroup(self)
        self.empty = label(tr("正在读取今天的活动……"))
        self.body.addWidget(self.empty)
        self.body.addStretch(1)
        self.choices: list[ActivityChoice] = []

    def _mode_button(self, text: str, mode: str) -> QPushButton:
        widget = button(text, role="choice")
        widget.setCheckable(True)
        widget.setProperty("mode", mode)
        self.mode_group.addButton(widget)
        return widget

    def entered(self) -> None:
        self.run_db(lambda: todays_activities(self.ctx), self._show_activities)

    def _show_activities(self, choices: list[ActivityChoice]) -> None:
        self.choices = [c for c in choices if c.open_now]
        if not self.choices:
            self.empty.setText(tr("现在没有可以签到的活动。请看“今日活动”，或者问问工作人员。"))
            return
        self.empty.hide()
        wanted = self.params.get("activity_id")
        for index, choice in enumerate(self.choices[:3]):
            text = f"{choice.title}\n{choice.hours}  {choice.place}".strip()
            widget = button(text, role="choice", name=choice.title)
            widget.setCheckable(True)
            widget.setProperty("activity", str(choice.id))
            self.activity_group.addButton(widget, index)
            self.list_box.addWidget(widget, 1)
            if choice.id == wanted or index == 0:
                widget.setChecked(True)

    def selected(self) -> ActivityChoice | None:
        index = self.activity_group.checkedId()
        return self.choices[index] if 0 <= index < len(self.choices) else None

    @property
    def mode(self) -> str:
        return "out" if self.out_button.isChecked() else "in"

    # --- identification ---------------------------------------------------------------
    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self._identify(lambda: self.ctx.identify.by_id_number(number), CheckMethod.ID_CARD)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False
        token = routed.value
        self._identify(lambda: self.ctx.identify.by_member_token(token), CheckMethod.QR)
        return True

    def _identify(self, find: Any, method: CheckMethod) -> None:
        self.clear_error()
        choice = self.selected()
        if choice is None:
            self.show_error(tr("请先选择一个活动。"))
            return
        mode = self.mode
        svc = self.ctx.services.attendance

        def work() -> tuple[PersonView, Any]:
            person: PersonView = find()
            if mode == "in":
                return person, svc.check_in(
                    activity_id=choice.id, person_id=person.id, method=method
                )
            return person, svc.check_out(activity_id=choice.id, person_id=person.id, method=method)

        self.run_db(work, lambda result: self._done(choice, mode, method, *result))

    def _done(
        self,
        choice: ActivityChoice,
        mode: str,
        method: CheckMethod,
        person: PersonView,
        result: Any,
    ) -> None:
        self.window_.session.person = person
        if mode == "in" and result.already:
            self.show_error(
                result.message + tr("如果要离开，请点“我要签退”再刷一次。"), "already_in"
            )
            self.out_button.setChecked(True)
            return
        self.ctx.notify_write()
        self.window_.go(
            CheckinDoneScreen,
            remember=False,
            mode=mode,
            activity=choice.title,
            name=person.name_masked,
            at=(result.attendance.at if mode == "in" else result.record.created_at),
            minutes=0 if mode == "in" else result.record.minutes,
            coins=0 if mode == "in" else result.coins_minutes,
            message=result.message,
            event_id=result.attendance.id if mode == "in" else result.record.id,
            activity_id=choice.id,
            person_id=person.id,
            method=method,
        )


class CheckinDoneScreen(DoneScreen):
    steps = (2, 2)

    @property
    def voice_key(self) -> str:  # type: ignore[override]
        return "checkin_ok" if self.params["mode"] == "in" else "checkout_ok"

    def title(self) -> str:
        return tr("签到成功") if self.params["mode"] == "in" else tr("签退成功")

    def build(self) -> None:
        p = self.params
        when: dt.datetime = p["at"]
        lines = [
            label(self.title(), "ok"),
            label(tr("姓名：{name}").format(name=p["name"])),
            label(tr("活动：{title}").format(title=p["activity"])),
            label(tr("时间：{hm}").format(hm=when.astimezone(CHINA).strftime("%H:%M"))),
        ]
        if p["mode"] == "out":
            lines.append(label(tr("本次服务：{m} 分钟").format(m=p["minutes"])))
            lines.append(label(tr("获得时间币：{c} 个").format(c=format_coins(p["coins"]))))
        self.body.addWidget(card(*lines))
        row = QHBoxLayout()
        undo_text = tr("点错了，撤销签到") if p["mode"] == "in" else tr("点错了，我还在服务")
        self.undo_button = button(undo_text, self._undo, role="secondary")
        row.addWidget(self.undo_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)

    def _undo(self) -> None:
        self.countdown.stop()
        svc = self.ctx.services.attendance
        p = self.params
        if p["mode"] == "in":
            self.run_db(lambda: svc.undo_check_in(attendance_id=p["event_id"]), self._undone)
            return
        # A check-out by mistake: the time served so far is kept and service goes on from
        # now, which adds up to the same minutes as if the check-out had never happened.
        self.run_db(
            lambda: svc.check_in(
                activity_id=p["activity_id"], person_id=p["person_id"], method=p["method"]
            ),
            self._resumed,
        )

    def _undone(self, _result: object) -> None:
        self.ctx.notify_write()
        self.window_.go_home()
        self.window_.notify(tr("已撤销这次签到，不计服务时间。"))

    def _resumed(self, _result: object) -> None:
        self.ctx.notify_write()
        self.window_.go_home()
        self.window_.notify(tr("好的，已为您重新签到，服务时间接着算。"))
