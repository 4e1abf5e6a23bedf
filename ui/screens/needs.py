"""我要求助: a resident posts a need in three steps, takes a receipt, and checks on it later.

Home → 1 what help (picture tiles) → 2 which day and which half of it → 3 check, add a few
preset words if wanted, confirm → done: the ticket number in big digits, what happens next,
and a printed receipt whose QR code brings the need's status back on any kiosk.

Who is asking is settled without an extra screen. A resident who tapped the ID card on the
home screen arrives through ``PersonScreen`` already known; anyone else taps the card on
any of the three steps (the steps keep the card instead of leaving for ``PersonScreen``),
and step 3 asks for it before it posts. A card nobody registered, or no card at all, gets
one plain sentence: ask the staff (工作人员).

Ticket numbers: the need table has no number of its own, so the receipt shows
``ticket_number(need.id)`` (8 digits from the id's random low bits, see
``kiosk.services.needs``) and its QR code carries the full id (``TBN1:<uuid>``), which never
clashes. ``NeedService.find_by_ticket`` resolves either.

The choices live in a ``NeedDraft`` kept in the screens' params, so 返回 finds them as left.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from devices.idcard.card import IdCard
from devices.printer.receipts import need_ticket
from devices.qr.tokens import Routed, need_qr_text
from kiosk.clock import CHINA, local_day
from kiosk.errors import NotFound
from kiosk.services.needs import ticket_number
from kiosk.services.people import PersonView
from kiosk.store.models import NeedCategory, NeedStatus
from ui.icons import icon, icon_pixmap
from ui.screen import DoneScreen, Screen, tr
from ui.widgets import button, card, label

log = logging.getLogger(__name__)

WEEKDAYS = "一二三四五六日"
PICK_DAYS = 7  # 选日期 offers the seven days after tomorrow
SLOT_HOURS = {"am": 9, "pm": 14, "any": 9}  # the wished time stored for each half of the day
NOON = 12
PRINT_WAIT_S = 30.0  # the printer fails its own job sooner (job_timeout); this is a backstop
CHECK_ICON = "needs/check"  # chosen buttons carry a tick, not only a colour (C15)

# Category -> icon file under assets/icons. The order is the order of the tiles.
ICONS: dict[NeedCategory, str] = {
    NeedCategory.HAIRCUT: "needs/haircut",
    NeedCategory.MEAL: "needs/meal",
    NeedCategory.HEALTH: "needs/health",
    NeedCategory.CARE: "needs/care",
    NeedCategory.SHOPPING: "needs/shopping",
    NeedCategory.REPAIR: "needs/repair",
    NeedCategory.OTHER: "needs/other",
}


def category_text(category: str) -> str:
    """The tile's words for a category (the stored value is the short Chinese name)."""
    names = {
        NeedCategory.HAIRCUT: tr("理发"),
        NeedCategory.MEAL: tr("送餐"),
        NeedCategory.HEALTH: tr("健康检查"),
        NeedCategory.CARE: tr("陪护陪伴"),
        NeedCategory.SHOPPING: tr("代购"),
        NeedCategory.REPAIR: tr("维修"),
        NeedCategory.OTHER: tr("其他"),
    }
    try:
        return names[NeedCategory(category)]
    except ValueError:
        return category


def category_hint(category: NeedCategory) -> str:
    """A few words under the tile's name, so nobody has to guess what a word covers."""
    return {
        NeedCategory.HAIRCUT: tr("上门理发"),
        NeedCategory.MEAL: tr("送饭上门"),
        NeedCategory.HEALTH: tr("量血压、测血糖"),
        NeedCategory.CARE: tr("陪看病、陪聊天"),
        NeedCategory.SHOPPING: tr("买菜、买日用品"),
        NeedCategory.REPAIR: tr("水电、家电小修"),
        NeedCategory.OTHER: tr("别的事情"),
    }[category]


def phrases() -> list[str]:
    """Preset words for the description: residents never have to type."""
    return [tr("行动不便"), tr("独居老人"), tr("需要上门"), tr("越快越好")]


def part_text(part: str) -> str:
    return {"am": tr("上午"), "pm": tr("下午"), "any": tr("上午下午都可以")}[part]


def day_text(day: dt.date) -> str:
    return tr("{m}月{d}日 星期{w}").format(m=day.month, d=day.day, w=WEEKDAYS[day.weekday()])


def wished_text(day: dt.date, part: str) -> str:
    """``3月3日 星期二 上午``: the wished time as the resident chose it."""
    return f"{day_text(day)} {part_text(part)}"


def wished_at(day: dt.date, part: str, now: dt.datetime) -> dt.datetime:
    """The moment stored for the choice; today's half-day that has begun means now."""
    slot = dt.datetime(day.year, day.month, day.day, SLOT_HOURS[part], tzinfo=CHINA)
    return max(slot, now.astimezone(CHINA).replace(second=0, microsecond=0))


def describe(chosen: list[str], part: str) -> str:
    """The stored description: the chosen words, and the half-day when either will do."""
    words = list(chosen)
    if part == "any":
        words.append(part_text("any"))
    return "，".join(words)


def spaced(number: str) -> str:
    """``12345678`` -> ``1234 5678``: easier to read out and to copy down."""
    return f"{number[:4]} {number[4:]}" if len(number) == 8 else number


@dataclass
class NeedDraft:
    """What the resident chose so far; shared by the three steps through their params."""

    category: str = ""
    day: dt.date | None = None
    day_kind: str = ""  # today, tomorrow, other
    part: str = "any"
    chosen: list[str] = field(default_factory=list)


# --- pieces -----------------------------------------------------------------------------


class IconLabel(QLabel):
    """A picture that fills the room its layout gives it, redrawn sharp at each size."""

    def __init__(self, name: str, colour: str, minimum: int) -> None:
        super().__init__()
        self.icon_name = name
        self.colour = colour
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(minimum, minimum)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        side = int(min(self.width(), self.height()) * 0.92)
        if side > 0:
            dpr = self.devicePixelRatioF()
            self.setPixmap(icon_pixmap(self.icon_name, side, self.colour, dpr=dpr))
        super().resizeEvent(event)


class PictureTile(QPushButton):
    """A big tile: a picture above its name (and a short hint), the whole tile one button."""

    def __init__(
        self, icon_name: str, text: str, hint: str, colour: str, minimum: int, *, show_hint: bool
    ) -> None:
        super().__init__()
        self.setProperty("role", "choice")
        self.setAccessibleName(text)
        self.setAccessibleDescription(hint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 12)
        column.setSpacing(4)
        self.picture = IconLabel(icon_name, colour, minimum)
        column.addWidget(self.picture, 1)
        self.name_label = label(text, "title")
        self.hint_label = label(hint, "hint")
        for part in (self.name_label, self.hint_label):
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            column.addWidget(part)
        self.hint_label.setVisible(show_hint)


def icon_mark(name: str, colour: str, px: int) -> QLabel:
    """A small fixed picture beside a line of text (the tick of 求助已提交)."""
    widget = QLabel()
    widget.setPixmap(icon_pixmap(name, px, colour))
    widget.setFixedSize(px, px)
    return widget


class _NeedStep(Screen):
    """What the three steps share: the draft, ticks on choices, identifying by card."""

    def draft(self) -> NeedDraft:
        found = self.params.get("draft")
        if not isinstance(found, NeedDraft):
            found = NeedDraft()
            self.params["draft"] = found
        return found

    def title(self) -> str:
        return tr("我要求助")

    @property
    def large(self) -> bool:
        """Text at 1.5x or 2x: fewer words per screen, so nothing is cut or crowded."""
        return self.window_.session.text_scale >= 1.5

    def choice(self, text: str, on_click: Any) -> QPushButton:
        """A checkable choice; ``mark`` keeps its tick in step with the draft."""
        widget = button(text, on_click, role="choice", name=text)
        widget.setCheckable(True)
        # Never narrower than its text and tick (see ``mark``): too little room shows as a
        # layout that does not fit, which the tests catch, not as a word cut in half.
        widget.setSizePolicy(QSizePolicy.Policy.MinimumExpanding, QSizePolicy.Policy.Preferred)
        side = self.tick_px()
        widget.setIconSize(QSize(side, side))
        return widget

    def tick_px(self) -> int:
        return round(self.window_.look().body_px * 0.8)

    def mark(self, widget: QPushButton, on: bool, text: str | None = None) -> None:
        """Chosen: filled and ticked; a shape as well as a colour shows it (C15)."""
        if text is not None:
            widget.setText(text)
            widget.setAccessibleName(text)
        widget.setChecked(on)
        if on:
            colour = self.window_.look().theme.on_secondary
            widget.setIcon(icon(CHECK_ICON, self.tick_px(), colour))
        else:
            widget.setIcon(QIcon())
        # The style sheet's min-width is a fixed minimum that layouts obey instead of the
        # size hint; raise it to the text and tick so a squeeze can never cut the words.
        widget.setMinimumWidth(max(widget.sizeHint().width(), self.window_.look().target_px))

    def person(self) -> PersonView | None:
        return self.window_.session.person

    def on_card(self, card_: IdCard) -> bool:
        number = card_.id_number
        self.run_db(lambda: self.ctx.identify.by_id_number(number), self._identified, self._unknown)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False  # a need ticket opens its status page, as anywhere
        token = routed.value
        self.run_db(
            lambda: self.ctx.identify.by_member_token(token), self._identified, self._unknown
        )
        return True

    def _identified(self, person: PersonView) -> None:
        self.window_.session.person = person
        self.clear_error()
        self.person_changed()

    def _unknown(self, exc: Exception) -> None:
        self.show_error(exc, voice="not_registered" if isinstance(exc, NotFound) else "")

    def person_changed(self) -> None:
        """Show who is asking; steps override."""

    def person_line(self) -> str:
        person = self.person()
        return tr("求助人：{name}").format(name=person.name_masked) if person else ""


# --- step 1 -----------------------------------------------------------------------------


class NeedCategoryScreen(_NeedStep):
    voice_key = "need_category"
    steps = (1, 3)

    def build(self) -> None:
        self.draft()
        look = self.window_.look()
        top = QHBoxLayout()
        top.addWidget(label(tr("您需要哪种帮助？请点一下："), "body"), 1)
        self.who = label(self.person_line(), "hint", wrap=False)
        top.addWidget(self.who)
        self.body.addLayout(top)
        grid = QGridLayout()
        grid.setSpacing(24)
        self.tiles: dict[NeedCategory, PictureTile] = {}
        columns = 4
        for index, (category, icon_name) in enumerate(ICONS.items()):
            tile_ = PictureTile(
                icon_name,
                category_text(category),
                category_hint(category),
                look.theme.text,
                look.target_px,
                show_hint=not self.large,
            )
            tile_.clicked.connect(lambda _=False, c=category: self._pick(c))
            self.tiles[category] = tile_
            grid.addWidget(tile_, index // columns, index % columns)
        if not self.large:
            helper = label(tr("不知道选哪个？\n请点“其他”，或者问问工作人员。"), "hint")
            helper.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(helper, len(ICONS) // columns, len(ICONS) % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        self.body.addLayout(grid, 1)

    def person_changed(self) -> None:
        self.who.setText(self.person_line())

    def _pick(self, category: NeedCategory) -> None:
        draft = self.draft()
        draft.category = category.value
        self.window_.go(NeedTimeScreen, draft=draft)


# --- step 2 -----------------------------------------------------------------------------


class NeedTimeScreen(_NeedStep):
    """Which day (今天 / 明天 / 选其他日子) and which half of it (上午 / 下午 / 都可以).

    选其他日子 swaps the choices for a page of the next days as big buttons, in the same
    screen: no calendar pop-up, nothing to scroll, 取消 goes back to the choices.
    """

    voice_key = "need_time"
    steps = (2, 3)

    def build(self) -> None:
        draft = self.draft()
        self.today = local_day(self.ctx.now())
        tall = round(self.window_.look().target_px * 1.5)

        self.choices = QWidget()
        page = QVBoxLayout(self.choices)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(16 if self.large else 24)
        head = QHBoxLayout()
        chosen = label(tr("您选了：{c}").format(c=category_text(draft.category)), "hint")
        head.addWidget(chosen, 1)
        self.who = label(self.person_line(), "hint", wrap=False)
        head.addWidget(self.who)
        page.addLayout(head)
        chosen.setVisible(not self.large)  # at 2x text the title row and steps say enough
        self.who.setVisible(not self.large)
        page.addWidget(label(tr("哪一天？"), "title"))
        days = QHBoxLayout()
        days.setSpacing(24)
        self.today_button = self.choice(tr("今天"), lambda: self._day("today"))
        self.tomorrow_button = self.choice(tr("明天"), lambda: self._day("tomorrow"))
        self.other_button = self.choice(tr("选其他日子"), self.pick_date)
        for widget in (self.today_button, self.tomorrow_button, self.other_button):
            widget.setMinimumHeight(tall)
            days.addWidget(widget, 1)
        page.addLayout(days)
        page.addWidget(label(tr("上午还是下午？"), "title"))
        parts = QHBoxLayout()
        parts.setSpacing(24)
        self.part_buttons = {
            "am": self.choice(tr("上午"), lambda: self._part("am")),
            "pm": self.choice(tr("下午"), lambda: self._part("pm")),
            "any": self.choice(tr("都可以"), lambda: self._part("any")),
        }
        for widget in self.part_buttons.values():
            widget.setMinimumHeight(tall)
            parts.addWidget(widget, 1)
        page.addLayout(parts)
        page.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addStretch(2)
        self.next_button = button(tr("下一步"), self._next)
        self.next_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row.addWidget(self.next_button, 1)
        page.addLayout(row)
        self.body.addWidget(self.choices, 1)

        self.picker = QWidget()
        sheet = QVBoxLayout(self.picker)
        sheet.setContentsMargins(0, 0, 0, 0)
        sheet.setSpacing(24)
        sheet.addWidget(label(tr("请选择哪一天："), "title"))
        grid = QGridLayout()
        grid.setSpacing(24)
        self.date_buttons: list[QPushButton] = []
        for offset in range(2, 2 + PICK_DAYS):
            day = self.today + dt.timedelta(days=offset)
            text = tr("{m}月{d}日\n星期{w}").format(
                m=day.month, d=day.day, w=WEEKDAYS[day.weekday()]
            )
            widget = button(text, lambda d=day: self._picked(d), role="choice", name=day_text(day))
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            index = len(self.date_buttons)
            grid.addWidget(widget, index // 4, index % 4)
            self.date_buttons.append(widget)
        self.cancel_pick = button(tr("取消"), self._cancel_pick, role="nav")
        self.cancel_pick.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.cancel_pick, 1, 3)
        sheet.addLayout(grid)
        sheet.addStretch(1)
        self.body.addWidget(self.picker, 1)
        self._show_page()
        self.refresh()

    def morning_over(self) -> bool:
        return self.ctx.now().astimezone(CHINA).hour >= NOON

    def _show_page(self) -> None:
        picking = bool(self.params.get("picking"))
        # Hide before showing, so the two pages are never laid out at once.
        (self.choices if picking else self.picker).hide()
        (self.picker if picking else self.choices).show()

    def refresh(self) -> None:
        draft = self.draft()
        today, tomorrow = self.today, self.today + dt.timedelta(days=1)
        if self.large:  # three buttons in a row must fit at 2x, even on 12月31日
            today_text, tomorrow_text = tr("今天"), tr("明天")
        else:
            today_text = tr("今天（{d}）").format(d=f"{today.month}月{today.day}日")
            tomorrow_text = tr("明天（{d}）").format(d=f"{tomorrow.month}月{tomorrow.day}日")
        self.mark(self.today_button, draft.day_kind == "today", today_text)
        self.mark(self.tomorrow_button, draft.day_kind == "tomorrow", tomorrow_text)
        other = draft.day if draft.day_kind == "other" else None
        self.mark(
            self.other_button, other is not None, day_text(other) if other else tr("选其他日子")
        )
        late = draft.day_kind == "today" and self.morning_over()
        if late and draft.part == "am":
            draft.part = "any"
        self.part_buttons["am"].setEnabled(not late)
        self.mark(
            self.part_buttons["am"], draft.part == "am", tr("上午（已过）") if late else tr("上午")
        )
        self.mark(self.part_buttons["pm"], draft.part == "pm")
        self.mark(self.part_buttons["any"], draft.part == "any")

    def _day(self, kind: str) -> None:
        draft = self.draft()
        draft.day_kind = kind
        draft.day = self.today + dt.timedelta(days=0 if kind == "today" else 1)
        self.clear_error()
        self.refresh()

    def _part(self, part: str) -> None:
        self.draft().part = part
        self.clear_error()
        self.refresh()

    def pick_date(self) -> None:
        self.refresh()  # the button toggled itself; the draft decides
        self.clear_error()
        self.params["picking"] = True
        self._show_page()
        self.ctx.speaker.say_text(tr("请选择哪一天"))

    def _cancel_pick(self) -> None:
        self.params["picking"] = False
        self._show_page()

    def _picked(self, day: dt.date) -> None:
        draft = self.draft()
        draft.day, draft.day_kind = day, "other"
        self._cancel_pick()
        self.refresh()

    def _next(self) -> None:
        draft = self.draft()
        if draft.day is None:
            self.show_error(tr("请先选择哪一天。"))
            return
        self.window_.go(NeedConfirmScreen, draft=draft)

    def person_changed(self) -> None:
        self.who.setText(self.person_line())


# --- step 3 -----------------------------------------------------------------------------


class NeedConfirmScreen(_NeedStep):
    voice_key = "need_confirm"
    steps = (3, 3)

    def build(self) -> None:
        draft = self.draft()
        columns = QHBoxLayout()
        columns.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(20)
        self.what = label(tr("需要：{c}").format(c=category_text(draft.category)))
        day = draft.day or local_day(self.ctx.now())
        when = wished_text(day, draft.part)
        # At 2x the date alone fills the line; "时间：" would break 下午 in two.
        self.when = label(when if self.large else tr("时间：{t}").format(t=when))
        self.note = label("")
        self.who = label("")
        left.addWidget(card(self.what, self.when, self.note, self.who))
        self.card_prompt = label(tr("请刷身份证确认身份"), "title")
        self.no_card = label(tr("没有身份证？请找工作人员。"), "hint")
        left.addWidget(self.card_prompt)
        left.addWidget(self.no_card)
        left.addStretch(1)
        columns.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(20)
        right.addWidget(label(tr("补充说明（可以不选）："), "body"))
        grid = QGridLayout()
        grid.setSpacing(24)
        self.phrase_buttons: dict[str, QPushButton] = {}
        for index, text in enumerate(phrases()):
            widget = self.choice(text, lambda t=text: self._toggle(t))
            grid.addWidget(widget, index // 2, index % 2)
            self.phrase_buttons[text] = widget
        right.addLayout(grid)
        right.addStretch(1)
        self.confirm_button = button(tr("确认提交"), self._confirm)
        self.confirm_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.confirm_button.setMinimumHeight(round(self.window_.look().target_px * 1.5))
        right.addWidget(self.confirm_button)
        columns.addLayout(right, 1)
        self.body.addLayout(columns, 1)
        self.refresh()

    def description(self) -> str:
        draft = self.draft()
        return describe(draft.chosen, draft.part)

    def refresh(self) -> None:
        draft = self.draft()
        for text, widget in self.phrase_buttons.items():
            self.mark(widget, text in draft.chosen)
        self.note.setText(tr("补充：{t}").format(t="，".join(draft.chosen)))
        # At 2x text the ticked buttons beside the card already show the words; repeating
        # them in the card would push the card prompt off the screen.
        self.note.setVisible(bool(draft.chosen) and not self.large)
        person = self.person()
        self.who.setText(self.person_line())
        self.who.setVisible(person is not None)
        self.card_prompt.setVisible(person is None)
        self.no_card.setVisible(person is None)

    def _toggle(self, text: str) -> None:
        chosen = self.draft().chosen
        if text in chosen:
            chosen.remove(text)
        else:
            chosen.append(text)
        self.refresh()

    def person_changed(self) -> None:
        self.refresh()
        self.ctx.speaker.say_text(tr("已确认身份，请点确认提交"))

    def _confirm(self) -> None:
        self.clear_error()
        person = self.person()
        if person is None:
            self.show_error(tr("请先刷身份证确认身份，再点“确认提交”。"))
            return
        draft = self.draft()
        if draft.day is None or not draft.category:
            self.show_error(tr("请返回上一步，选好服务和时间。"))
            return
        category = NeedCategory(draft.category)
        when = wished_at(draft.day, draft.part, self.ctx.now())
        description = self.description()
        needs = self.ctx.services.needs
        self.confirm_button.setEnabled(False)

        def work() -> uuid.UUID:
            need = needs.post(
                resident_id=person.id,
                category=category,
                wished_at=when,
                description=description,
            )
            return need.id

        self.run_db(work, lambda need_id: self._posted(person, draft, need_id), self._failed)

    def _failed(self, exc: Exception) -> None:
        self.confirm_button.setEnabled(True)
        self.show_error(exc)

    def _posted(self, person: PersonView, draft: NeedDraft, need_id: uuid.UUID) -> None:
        self.ctx.notify_write()
        assert draft.day is not None
        self.window_.go(
            NeedDoneScreen,
            remember=False,
            need_id=str(need_id),
            ticket=ticket_number(need_id),
            category=draft.category,
            wished=wished_text(draft.day, draft.part),
            name=person.name_masked,
        )


# --- done -------------------------------------------------------------------------------


class NeedDoneScreen(DoneScreen):
    """求助已提交: the number, what happens next, and a printed receipt (if it can)."""

    voice_key = "need_done"
    stepless = True  # the result of step 3, not a step of its own

    def title(self) -> str:
        return tr("求助已提交")

    def build(self) -> None:
        p = self.params
        look = self.window_.look()
        columns = QHBoxLayout()
        columns.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(20)
        done = QHBoxLayout()
        done.setSpacing(16)
        title_px = round(look.body_px * 1.25)
        done.addWidget(icon_mark(CHECK_ICON, look.theme.success, title_px))
        done.addWidget(label(tr("求助已提交"), "ok"), 1)
        left.addLayout(done)
        self.number_label = label(spaced(p["ticket"]), "big", wrap=False)
        self.number_label.setAccessibleName(tr("求助号码"))
        left.addWidget(card(label(tr("您的求助号码：")), self.number_label))
        self.print_label = label(tr("正在打印小票……"))
        left.addWidget(self.print_label)
        left.addStretch(1)
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(20)
        right.addWidget(label(tr("接下来："), "title"))
        right.addWidget(label(tr("有人认领后，会打电话和您约时间。")))
        right.addWidget(label(tr("想查进度，把小票上的二维码对准扫码口。")))
        right.addStretch(1)
        columns.addLayout(right, 1)
        self.body.addLayout(columns, 1)

    def add_navigation(self) -> None:
        super().add_navigation()
        # The need is posted: 返回 must not lead back to step 3 and a second need.
        self.back_button.clicked.disconnect()
        self.back_button.clicked.connect(lambda _=False: self.window_.go_home())

    def entered(self) -> None:
        outcome = self.params.get("printed")
        if outcome is not None:
            self._show_print(outcome)  # rebuilt (text size, theme): never print twice
            return
        job = self.params.get("print_job")
        if job is not None:
            self._wait(job)
            return
        self.params["printed"] = None
        self.run_io(self._submit, self._submitted, self._print_failed)

    def receipt(self, layout: Any) -> bytes:
        p = self.params
        return need_ticket(
            masked_name=p["name"],
            category=category_text(p["category"]),
            wished_time=p["wished"],
            station=self.ctx.station.name or tr("党员时间银行"),
            qr_text=need_qr_text(p["need_id"]),
            printed_at=self.ctx.now().astimezone(CHINA),
            layout=layout,
            ticket=spaced(p["ticket"]),
        )

    def _submit(self) -> Any:
        """On the device pool: queue the receipt; None when there is no printer."""
        manager = self.ctx.manager
        printer = manager.printer() if manager is not None else None
        if printer is None:
            return None
        return printer.print_job(self.receipt(printer.layout))

    def _submitted(self, job: Any) -> None:
        if job is None:
            log.info("need receipt not printed: no printer")
            self._print_failed(None)
            return
        self.params["print_job"] = job
        self._wait(job)

    def _wait(self, job: Any) -> None:
        def wait() -> bool:
            try:
                job.result(timeout=PRINT_WAIT_S)
            except Exception as exc:  # PrinterError, or the wait ran out
                log.info("need receipt not printed: %s", exc)
                return False
            return True

        self.run_io(wait, lambda ok: self._printed() if ok else self._print_failed(None))

    def _printed(self) -> None:
        self.params["printed"] = True
        self._show_print(True)

    def _print_failed(self, _exc: Exception | None) -> None:
        self.params["printed"] = False
        self._show_print(False)
        self.ctx.speaker.say_text(tr("打印机暂时不能用，请记下您的号码"))

    def _show_print(self, ok: bool) -> None:
        if ok:
            self.print_label.setText(tr("小票已打印，请从出纸口取走。"))
            self.print_label.setProperty("role", "body")
        else:
            # The number is right above, in big digits; the sentence says what to do.
            self.print_label.setText("⚠ " + tr("打印机暂时不能用，请记下您的号码。"))
            self.print_label.setProperty("role", "error")
        self.print_label.style().unpolish(self.print_label)
        self.print_label.style().polish(self.print_label)


# --- status by QR -----------------------------------------------------------------------


def status_words(status: str) -> tuple[str, str]:
    """The status in a few plain words, and what it means for the resident."""
    s = NeedStatus
    table = {
        s.POSTED: (tr("已提交"), tr("正在等志愿者认领。有人认领后，会打电话和您约时间。")),
        s.CLAIMED: (tr("已有人认领"), tr("志愿者会打电话和您约好时间。")),
        s.IN_SERVICE: (tr("服务中"), tr("志愿者正在为您服务。")),
        s.COMPLETED: (tr("已完成"), tr("服务做完了，工作人员确认后就结束。")),
        s.CONFIRMED: (tr("已完成"), tr("服务已经完成，谢谢您。")),
        s.RATED: (tr("已完成"), tr("服务已经完成，您也评价过了，谢谢您。")),
        s.CANCELLED: (tr("已取消"), tr("这个求助已经取消。还需要帮助的话，可以再求助一次。")),
        s.EXPIRED: (tr("已过期"), tr("一直没有人认领，已经关闭。请找工作人员帮忙。")),
    }
    try:
        return table[NeedStatus(status)]
    except ValueError:
        return (tr("请问工作人员"), tr("暂时查不到进度，请找工作人员。"))


@dataclass(frozen=True)
class TicketView:
    number: str
    status: str
    category: str
    wished_at: dt.datetime
    description: str
    posted_at: dt.datetime


class NeedTicketScreen(Screen):
    """Opened by scanning a receipt's QR code (TBN1:...): where the need has got to."""

    stepless = True  # a page to look at, not a flow

    def title(self) -> str:
        return tr("求助进度")

    def build(self) -> None:
        self.loading = label(tr("正在查询……"))
        self.body.addWidget(self.loading)
        self.result = QWidget()
        self.result.hide()
        self.body.addWidget(self.result, 1)
        self.body.addStretch(1)

    def entered(self) -> None:
        ticket = str(self.params.get("ticket", ""))
        needs = self.ctx.services.needs

        def work() -> TicketView:
            need = needs.find_by_ticket(ticket)
            return TicketView(
                number=ticket_number(need.id),
                status=need.status,
                category=need.category,
                wished_at=need.wished_at,
                description=need.description,
                posted_at=need.created_at,
            )

        self.run_db(work, self._show, self._not_found)

    def _not_found(self, exc: Exception) -> None:
        self.loading.hide()
        self.show_error(exc)

    def _show(self, view: TicketView) -> None:
        self.loading.hide()
        self.view = view
        words, meaning = status_words(view.status)
        columns = QHBoxLayout(self.result)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(16)
        self.number_label = label(spaced(view.number), "big", wrap=False)
        left.addWidget(card(label(tr("求助号码")), self.number_label))
        self.status_label = label(tr("进度：{s}").format(s=words), "big")
        left.addWidget(self.status_label)
        self.meaning_label = label(meaning)
        left.addWidget(self.meaning_label)
        left.addStretch(1)
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(16)
        wished = view.wished_at.astimezone(CHINA)
        if part_text("any") in view.description:
            half = part_text("any")
        else:
            half = part_text("am") if wished.hour < NOON else part_text("pm")
        lines = [
            label(tr("需要：{c}").format(c=category_text(view.category))),
            label(tr("时间：{t}").format(t=f"{day_text(wished.date())} {half}")),
            label(tr("提交：{t}").format(t=day_text(view.posted_at.astimezone(CHINA).date()))),
        ]
        if view.description:
            lines.append(label(tr("补充说明：{t}").format(t=view.description)))
        right.addWidget(card(*lines))
        right.addStretch(1)
        columns.addLayout(right, 1)
        self.result.show()
        self.ctx.speaker.say_text(tr("您的求助{s}").format(s=words))
