"""活动: create activities, open and close check-in, check people in and out, review service.

Three parts, chosen with the buttons on top:

- 活动与签到: the activities of the past week and the coming month, each with 开始签到 or
  结束签到, and 补签 beside them: a person (ID card tap or name search) checked in or out
  by staff (method STAFF, the staff id recorded and audited). Closing check-in checks out
  everyone who forgot, at the activity's end, for review.
- 新建活动: title, place, day and times, capacity, coin rate, service type, community.
- 待审核: service held back for staff: minutes beyond the daily automatic limit, and
  forgotten check-outs the kiosk closed; each is approved with the minutes to credit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from kiosk.clock import CHINA, local_day, local_hhmm
from kiosk.store.models import Activity, ActivityStatus, CheckMethod, ServiceRecord, ServiceStatus
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.screens.staff import (
    CardList,
    Choices,
    PersonPicker,
    StaffPanel,
    confirm,
    day_words,
    form_grid,
    hbox,
    item_card,
    line_edit,
    parse_day,
    parse_int,
    parse_time,
    section,
)
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

PAST_DAYS = 7  # the list shows activities from a week ago ...
AHEAD_DAYS = 30  # ... to a month ahead


def service_types() -> list[str]:
    return [tr("志愿服务"), tr("探访"), tr("清洁家园"), tr("义诊"), tr("文体活动"), tr("政策宣讲")]


def activity_status_words(status: str) -> str:
    return {
        ActivityStatus.PLANNED: tr("未开始签到"),
        ActivityStatus.OPEN: tr("签到中"),
        ActivityStatus.CLOSED: tr("已结束"),
    }.get(ActivityStatus(status), status)


def activity_time_words(act: Activity) -> str:
    start = act.starts_at.astimezone(CHINA)
    return f"{day_words(start.date())} {local_hhmm(act.starts_at)}–{local_hhmm(act.ends_at)}"


@dataclass(frozen=True)
class Review:
    record: ServiceRecord
    person: str
    activity: str


@dataclass(frozen=True)
class FormPlaces:
    communities: list[tuple[str, uuid.UUID]]
    home_community: uuid.UUID | None


def int_field(placeholder: str, name: str, digits: int = 4) -> Any:
    field = line_edit(placeholder, name=name, max_length=digits)
    field.setValidator(
        QRegularExpressionValidator(QRegularExpression(f"[0-9]{{0,{digits}}}"), field)
    )
    return field


class ActivitiesPanel(StaffPanel):
    title = N_("活动")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        self.activities: list[Activity] = []
        self.chosen: Activity | None = None
        self.reviews: list[Review] = []
        super().__init__(ctx, window)

    # --- layout -----------------------------------------------------------------------
    def build(self) -> None:
        self.parts = Choices(
            [(tr("活动与签到"), 0), (tr("新建活动"), 1), (tr("待审核"), 2)],
            name="activities-part",
        )
        self.parts.set_value(0)
        self.parts.changed.connect(self._part_changed)
        self.outer.addLayout(hbox(self.parts))
        self.stack = QStackedWidget()
        self.stack.addWidget(self._list_part())
        self.stack.addWidget(self._create_part())
        self.stack.addWidget(self._review_part())
        self.outer.addWidget(self.stack, 1)

    def _list_part(self) -> QWidget:
        part = QWidget()
        row = QHBoxLayout(part)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20)
        self.list = CardList(name="activities-list")
        row.addWidget(self.list, 6)
        self.chosen_label = label(tr("请先在左边选择活动（点「补签」）。"), "hint")
        self.chosen_label.setObjectName("checkin-activity")
        self.person = PersonPicker(
            self, tr("请参加者刷身份证，或输入姓名查找："), name="checkin-person"
        )
        check_in = button(tr("签到"), lambda: self.check("in"))
        check_in.setObjectName("checkin-in")
        check_out = button(tr("签退"), lambda: self.check("out"))
        check_out.setObjectName("checkin-out")
        self.check_result = label("", "body")
        self.check_result.setObjectName("checkin-result")
        box = section(
            tr("工作人员补签"),
            self.chosen_label,
            self.person,
            hbox(check_in, check_out),
            self.check_result,
        )
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(box)
        column.addStretch(1)
        row.addWidget(side, 5)
        return part

    def _create_part(self) -> QWidget:
        today = local_day(self.ctx.now())
        self.f_title = line_edit(tr("例如：清洁家园志愿服务"), name="act-title", max_length=80)
        self.f_place = line_edit(tr("例如：金洲社区党群服务站"), name="act-place", max_length=80)
        self.f_day = line_edit(tr("年-月-日"), name="act-day", max_length=10)
        self.f_day.setText(today.isoformat())
        self.f_start = line_edit("09:00", name="act-start", max_length=5)
        self.f_start.setText("09:00")
        self.f_end = line_edit("11:00", name="act-end", max_length=5)
        self.f_end.setText("11:00")
        self.f_capacity = int_field(tr("0 表示不限"), "act-capacity")
        self.f_capacity.setText("0")
        self.f_rate = int_field(tr("每服务 1 小时记多少分钟"), "act-rate", 3)
        self.f_rate.setText("60")
        self.f_type = Choices([(t, t) for t in service_types()], columns=6, name="act-type")
        self.f_type.set_value(service_types()[0])
        self.f_community = Choices(columns=3, name="act-community")
        times = QHBoxLayout()
        times.setSpacing(12)
        times.addWidget(self.f_day, 2)
        times.addWidget(label(tr("从"), wrap=False))
        times.addWidget(self.f_start, 1)
        times.addWidget(label(tr("到"), wrap=False))
        times.addWidget(self.f_end, 1)
        numbers = QHBoxLayout()
        numbers.setSpacing(12)
        numbers.addWidget(self.f_capacity, 1)
        numbers.addWidget(label(tr("时间币标准"), wrap=False))
        numbers.addWidget(self.f_rate, 1)
        numbers.addWidget(label(tr("分钟/小时"), wrap=False))
        create = button(tr("创建活动"), self.create_activity)
        create.setObjectName("act-create")
        grid = form_grid(
            [
                (tr("活动名称"), self.f_title),
                (tr("地点"), self.f_place),
                (tr("时间"), times),
                (tr("人数上限"), numbers),
                (tr("服务类型"), self.f_type),
                (tr("所在社区"), self.f_community),
            ]
        )
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(section(tr("新建活动"), grid, hbox(create)))
        column.addStretch(1)
        return part

    def _review_part(self) -> QWidget:
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        limit = self.ctx.services.store.rules.auto_credit_minutes_per_day // 60
        column.addWidget(
            label(
                tr(
                    "每人每天自动计入 {h} 小时，超出的部分和忘记签退的记录要在这里确认。"
                    "填写要计入的分钟数（不计入就填 0），再点「确认」。"
                ).format(h=limit),
                "hint",
            )
        )
        self.review_list = CardList(name="review-list")
        column.addWidget(self.review_list, 1)
        return part

    def _part_changed(self, index: Any) -> None:
        self.stack.setCurrentIndex(int(index or 0))
        self.clear_messages()
        if index == 1:
            self._load_places()

    # --- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        self._load_activities()
        self._load_reviews()
        if self.stack.currentIndex() == 1:
            self._load_places()

    def _load_activities(self) -> None:
        attendance = self.ctx.services.attendance
        today = local_day(self.ctx.now())

        def load() -> list[Activity]:
            found: dict[uuid.UUID, Activity] = {}
            for offset in range(-PAST_DAYS, AHEAD_DAYS + 1):
                for act in attendance.activities_on(today + dt.timedelta(days=offset)):
                    found[act.id] = act
            return sorted(found.values(), key=lambda a: (a.starts_at, a.id))

        self.run(load, self._show_activities)

    def _show_activities(self, activities: list[Activity]) -> None:
        self.activities = activities
        if self.chosen is not None:
            self.chosen = next((a for a in activities if a.id == self.chosen.id), None)
        if self.chosen is None:
            self.chosen = next((a for a in activities if a.status == ActivityStatus.OPEN), None)
        self._show_chosen()
        if not activities:
            self.list.empty(tr("最近没有活动。请点上面的「新建活动」。"))
            return
        self.list.clear()
        for index, act in enumerate(activities):
            self.list.add(self._activity_card(index, act))

    def _activity_card(self, index: int, act: Activity) -> QFrame:
        status = ActivityStatus(act.status)
        head = label(act.title, "title")
        facts = label(
            " · ".join(
                p
                for p in (
                    activity_time_words(act),
                    act.place,
                    act.service_type,
                    tr("限 {n} 人").format(n=act.capacity) if act.capacity else tr("不限人数"),
                )
                if p
            ),
            "hint",
        )
        state = label("● " + activity_status_words(status))
        buttons = []
        if status == ActivityStatus.PLANNED:
            widget = button(tr("开始签到"), partial(self.open_checkin, act))
            widget.setObjectName(f"act-open-{index}")
            buttons.append(widget)
        if status != ActivityStatus.CLOSED:
            widget = button(tr("结束签到"), partial(self.ask_close, act), role="secondary")
            widget.setObjectName(f"act-close-{index}")
            buttons.append(widget)
            widget = button(tr("补签"), partial(self.choose, act), role="secondary")
            widget.setObjectName(f"act-choose-{index}")
            buttons.append(widget)
        if self.chosen is not None and act.id == self.chosen.id:
            state.setText(state.text() + tr(" · ✓ 正在补签这个活动"))
        return item_card(head, facts, state, hbox(*buttons), name=f"activity-{index}")

    def _load_reviews(self) -> None:
        attendance = self.ctx.services.attendance
        people = self.ctx.services.people

        def load() -> list[Review]:
            records = attendance.pending_reviews()
            names = people.names(r.person_id for r in records)
            titles: dict[uuid.UUID, str] = {}
            for day in {r.service_day for r in records}:
                titles.update({a.id: a.title for a in attendance.activities_on(day)})
            return [
                Review(r, names.get(r.person_id, "—"), titles.get(r.activity_id, "—"))
                for r in records
            ]

        self.run(load, self._show_reviews)

    def _show_reviews(self, reviews: list[Review]) -> None:
        self.reviews = reviews
        self.parts.texts[2] = (
            tr("待审核（{n}）").format(n=len(reviews)) if reviews else tr("待审核")
        )
        self.parts.set_value(self.parts.value())
        if not reviews:
            self.review_list.empty(tr("没有要审核的服务记录。"))
            return
        self.review_list.clear()
        for index, review in enumerate(reviews):
            self.review_list.add(self._review_card(index, review))

    def _review_card(self, index: int, review: Review) -> QFrame:
        rec = review.record
        day = rec.service_day
        head = label(
            tr("{who} · {what} · {day}").format(
                who=review.person, what=review.activity, day=day_words(day)
            ),
            "title",
        )
        if rec.status == ServiceStatus.REVIEW:
            why = tr("忘记签退：活动结束时由自助机自动签退，时长需要确认。")
        else:
            why = tr("超过每天自动计入的时长，超出部分需要确认。")
        facts = label(
            tr("共 {m} 分钟，已计入 {c} 分钟，待确认 {p} 分钟。").format(
                m=rec.minutes, c=rec.credited_minutes, p=rec.pending_minutes
            )
        )
        minutes = int_field(tr("分钟"), f"review-minutes-{index}")
        minutes.setText(str(rec.pending_minutes))
        approve = button(tr("确认"), lambda: self.approve(review, minutes.text()))
        approve.setObjectName(f"review-approve-{index}")
        row = hbox(label(tr("计入分钟："), wrap=False), minutes, approve)
        return item_card(head, label("⚠ " + why, "hint"), facts, row, name=f"review-{index}")

    def _load_places(self) -> None:
        reference = self.ctx.services.reference
        station_id = self.ctx.station.id

        def load() -> FormPlaces:
            home = next((s.community_id for s in reference.stations() if s.id == station_id), None)
            return FormPlaces([(c.name, c.id) for c in reference.communities()], home)

        def show(places: FormPlaces) -> None:
            chosen = self.f_community.value() or places.home_community
            self.f_community.set_options(places.communities, chosen)

        self.run(load, show)

    # --- activities -------------------------------------------------------------------
    def create_activity(self) -> None:
        title = self.f_title.text().strip()
        day = parse_day(self.f_day.text())
        start = parse_time(self.f_start.text())
        end = parse_time(self.f_end.text())
        capacity = parse_int(self.f_capacity.text() or "0")
        rate = parse_int(self.f_rate.text())
        kind = self.f_type.value()
        community_id = self.f_community.value()
        if not title:
            self.show_error(tr("请填写活动名称。"))
            return
        if day is None:
            self.show_error(tr("日期不正确，请按 2026-03-02 这样填写。"))
            return
        if start is None or end is None:
            self.show_error(tr("时间不正确，请按 09:00 这样填写。"))
            return
        if capacity is None or rate is None:
            self.show_error(tr("人数上限和时间币标准请填数字。"))
            return
        if community_id is None:
            self.show_error(tr("请选择所在社区。"))
            return
        starts = dt.datetime.combine(day, start, tzinfo=CHINA)
        ends = dt.datetime.combine(day, end, tzinfo=CHINA)
        attendance = self.ctx.services.attendance
        place = self.f_place.text().strip()
        staff_id = self.staff_id

        def done(act: Activity) -> None:
            self.f_title.clear()
            self.f_place.clear()
            self.chosen = act
            self.parts.choose(0)
            self.show_result(tr("已创建活动：{t}。到时间后请点「开始签到」。").format(t=act.title))
            self._load_activities()

        self.write(
            lambda: attendance.create_activity(
                title=title,
                community_id=community_id,
                starts_at=starts,
                ends_at=ends,
                service_type=kind or service_types()[0],
                place=place,
                capacity=capacity,
                coin_rate=rate,
                staff_id=staff_id,
            ),
            done,
        )

    def open_checkin(self, act: Activity) -> None:
        attendance = self.ctx.services.attendance
        staff_id = self.staff_id

        def done(_: Any) -> None:
            self.chosen = act
            self.show_result(tr("「{t}」已开始签到。").format(t=act.title))
            self._load_activities()

        self.write(lambda: attendance.open_checkin(activity_id=act.id, staff_id=staff_id), done)

    def ask_close(self, act: Activity) -> None:
        confirm(
            self.window_,
            tr("结束签到"),
            tr(
                "结束「{t}」的签到后就不能再签到了；还没签退的人会按活动结束时间签退，"
                "时长要在「待审核」里确认。"
            ).format(t=act.title),
            tr("结束签到"),
            lambda: self.close_checkin(act),
        )

    def close_checkin(self, act: Activity) -> None:
        attendance = self.ctx.services.attendance
        staff_id = self.staff_id

        def done(flagged: list[ServiceRecord]) -> None:
            text = tr("「{t}」已结束签到。").format(t=act.title)
            if flagged:
                text += tr("{n} 人忘记签退，已按活动结束时间签退，请到「待审核」确认时长。").format(
                    n=len(flagged)
                )
            self.show_result(text)
            self._load_activities()
            self._load_reviews()

        self.write(lambda: attendance.close_checkin(activity_id=act.id, staff_id=staff_id), done)

    # --- staff check-in ---------------------------------------------------------------
    def choose(self, act: Activity) -> None:
        self.chosen = act
        self._show_activities(self.activities)

    def _show_chosen(self) -> None:
        act = self.chosen
        if act is None:
            self.chosen_label.setText(tr("请先在左边选择活动（点「补签」）。"))
        else:
            self.chosen_label.setText(
                tr("活动：{t}（{w}）").format(t=act.title, w=activity_time_words(act))
            )

    def check(self, direction: str) -> None:
        act = self.chosen
        person = self.person.person
        if act is None:
            self.show_error(tr("请先在左边选择活动（点「补签」）。"))
            return
        if person is None:
            self.show_error(tr("请先刷身份证，或查找并选择参加者。"))
            return
        attendance = self.ctx.services.attendance
        staff_id = self.staff_id
        kwargs = {
            "activity_id": act.id,
            "person_id": person.id,
            "method": CheckMethod.STAFF,
            "staff_id": staff_id,
        }
        work: Any = attendance.check_in if direction == "in" else attendance.check_out
        who = person.name_masked

        def done(result: Any) -> None:
            self.check_result.setText(f"✓ {who}：{result.message}")
            self.person.clear()
            self._load_reviews()

        def failed(exc: Exception) -> None:
            self.check_result.setText("")
            self.show_error(exc)

        self.check_result.setText("")
        self.write(lambda: work(**kwargs), done, failed)

    def on_card(self, card: IdCard) -> bool:
        if self.stack.currentIndex() != 0:
            self.parts.choose(0)
        return self.person.use_card(card)

    # --- reviews ----------------------------------------------------------------------
    def approve(self, review: Review, text: str) -> None:
        minutes = parse_int(text)
        if minutes is None:
            self.show_error(tr("请填写要计入的分钟数，不计入就填 0。"))
            return
        attendance = self.ctx.services.attendance
        staff_id = self.staff_id
        record_id = review.record.id

        def done(_: Any) -> None:
            self.show_result(
                tr("已确认 {who} 计入 {m} 分钟。").format(who=review.person, m=minutes)
            )
            self._load_reviews()

        self.write(
            lambda: attendance.approve_service(
                record_id=record_id, staff_id=staff_id, minutes=minutes
            ),
            done,
        )
