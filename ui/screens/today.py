"""今日活动: today's activities as large cards, with 去签到 on the ones open for check-in.

A page to look at, not a flow (so no 第X步): each card says when and where in plain words
and whether the activity is 报名中 (not started yet), 签到中 (check-in open) or 已结束, always
in words and never by colour alone. 去签到 opens the check-in screen with that activity
already chosen. Long lists are paged with big 上一页/下一页 buttons, never scrolled or swiped.

The pieces the resident screens share (``CardPages``, ``Pager``, ``confirm``) live here too.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import CHINA, local_day, local_hhmm
from kiosk.store.models import ActivityStatus
from ui.icons import icon, icon_pixmap
from ui.overlay import Overlay
from ui.screen import Screen, tr
from ui.widgets import button, label

WEEKDAYS = "一二三四五六日"
CHECK_ICON = "needs/check"  # chosen buttons carry a tick, not only a colour (C15)

# --- shared pieces ------------------------------------------------------------------------


def large_text(screen: Screen) -> bool:
    """Text at 1.5x or 2x: fewer items per page, so nothing is cut or crowded."""
    return screen.window_.session.text_scale >= 1.5


def mark(screen: Screen, widget: QPushButton, on: bool) -> None:
    """A chosen choice button: filled and ticked, so a shape shows it as well as a colour."""
    widget.setChecked(on)
    if on:
        look = screen.window_.look()
        widget.setIcon(icon(CHECK_ICON, look.body_px, look.theme.on_secondary))
        widget.setIconSize(QSize(look.body_px, look.body_px))
    else:
        widget.setIcon(QIcon())


def success_line(screen: Screen, text: str) -> tuple[QHBoxLayout, QLabel, QLabel]:
    """A tick (a shape, not only the green) and the success words in the ``ok`` style."""
    look = screen.window_.look()
    px = round(look.body_px * 1.25)
    tick = QLabel()
    tick.setPixmap(icon_pixmap(CHECK_ICON, px, look.theme.success))
    tick.setFixedSize(px, px)
    words = label(text, "ok")
    row = QHBoxLayout()
    row.setSpacing(16)
    row.addWidget(tick)
    row.addWidget(words, 1)
    return row, tick, words


def by_scale(screen: Screen, normal: Any, bigger: Any, biggest: Any) -> Any:
    """What fits at text scale 1.0, 1.5 and 2.0 (page sizes, columns)."""
    scale = screen.window_.session.text_scale
    return normal if scale < 1.5 else bigger if scale < 2 else biggest


def day_words(day: dt.date) -> str:
    return tr("{m}月{d}日 星期{w}").format(m=day.month, d=day.day, w=WEEKDAYS[day.weekday()])


def short_day(when: dt.datetime) -> str:
    local = when.astimezone(CHINA)
    return tr("{m}月{d}日").format(m=local.month, d=local.day)


class Pager(QWidget):
    """上一页 · 第2页/共3页 · 下一页: big buttons in place of scrolling (no swipes)."""

    def __init__(self, on_page: Callable[[int], None], *, compact: bool = False) -> None:
        super().__init__()
        self.page = 0
        self.pages = 1
        self.compact = compact  # a narrow column at large text: shorter words
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(32)
        # Not the look of 返回/回到首页 below them: these turn pages, they do not leave.
        prev_text, next_text = (
            (tr("上一页"), tr("下一页")) if compact else (tr("◀ 上一页"), tr("下一页 ▶"))
        )
        self.prev_button = button(
            prev_text, lambda: on_page(self.page - 1), role="choice", name=tr("上一页")
        )
        self.next_button = button(
            next_text, lambda: on_page(self.page + 1), role="choice", name=tr("下一页")
        )
        for widget in (self.prev_button, self.next_button):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the page number stays put
            widget.setSizePolicy(policy)
        self.where = label("", "hint", wrap=False)
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.prev_button)
        row.addStretch(1)
        row.addWidget(self.where)
        row.addStretch(1)
        row.addWidget(self.next_button)

    def show_page(self, page: int, pages: int) -> None:
        self.page, self.pages = page, pages
        where = tr("{p}/{n}页") if self.compact else tr("第{p}页/共{n}页")
        self.where.setText(where.format(p=page + 1, n=pages))
        self.where.setAccessibleName(tr("第{p}页/共{n}页").format(p=page + 1, n=pages))
        # Hidden, not greyed out, at the ends: a dead button only puzzles (and the nav
        # style would make a disabled one look live).
        self.prev_button.setVisible(page > 0)
        self.next_button.setVisible(page < pages - 1)
        self.setVisible(pages > 1)


class CardPages(QWidget):
    """A grid of cards, one page at a time; the page number lives in the screen's params.

    ``per_page`` and ``columns`` come from the screen (fewer at the larger text sizes), and
    ``make`` builds the widget for one item. An empty list shows ``empty_text`` instead.
    """

    def __init__(
        self,
        params: dict[str, Any],
        *,
        per_page: int,
        columns: int = 1,
        key: str = "page",
        on_turn: Callable[[int], None] | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__()
        self.params = params
        self.key = key
        self.per_page = max(1, per_page)
        self.columns = max(1, columns)
        self.on_turn = on_turn
        self.items: Sequence[Any] = []
        self.make: Callable[[Any], QWidget] = lambda _item: QWidget()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(24)
        self.empty = label("", "body")
        self.column.addWidget(self.empty)
        self.empty.hide()
        self.host = QWidget()
        self.column.addWidget(self.host, 1)
        self.pager = Pager(self.turn, compact=compact)
        self.pager.hide()
        self.column.addWidget(self.pager)

    @property
    def page(self) -> int:
        return int(self.params.get(self.key, 0))

    def set_items(
        self, items: Sequence[Any], make: Callable[[Any], QWidget], empty_text: str = ""
    ) -> None:
        self.items = list(items)
        self.make = make
        self.empty.setText(empty_text)
        self.fill()

    def pages(self) -> int:
        return max(1, math.ceil(len(self.items) / self.per_page))

    def fill(self) -> None:
        pages = self.pages()
        page = min(max(self.page, 0), pages - 1)
        self.params[self.key] = page
        old = self.host
        self.host = QWidget()
        grid = QGridLayout(self.host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(24)
        shown = self.items[page * self.per_page : (page + 1) * self.per_page]
        for index, item in enumerate(shown):
            grid.addWidget(self.make(item), index // self.columns, index % self.columns)
        rows = math.ceil(self.per_page / self.columns)
        grid.setRowStretch(rows, 1)  # cards keep their size at the top of the page
        for column in range(self.columns):
            grid.setColumnStretch(column, 1)
        self.column.replaceWidget(old, self.host)
        self.host.setVisible(old.isVisibleTo(self))
        old.hide()
        old.deleteLater()
        self.empty.setVisible(not self.items and bool(self.empty.text()))
        self.pager.show_page(page, pages)

    def turn(self, page: int) -> None:
        self.params[self.key] = page
        self.fill()
        if self.on_turn is not None:
            self.on_turn(self.page)


def framed(*rows: QWidget | QHBoxLayout | QVBoxLayout, spacing: int = 12) -> QFrame:
    """A card whose rows may be widgets or layouts (a line of text beside a button)."""
    frame = QFrame()
    frame.setProperty("role", "card")
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    column = QVBoxLayout(frame)
    column.setContentsMargins(24, 20, 24, 20)
    column.setSpacing(spacing)
    for row in rows:
        if isinstance(row, QWidget):
            column.addWidget(row)
        else:
            column.addLayout(row)
    return frame


def confirm(
    screen: Screen,
    title: str,
    lines: Sequence[str],
    yes_text: str,
    on_yes: Callable[[], None],
    no_text: str = "",
) -> Overlay:
    """An in-window question (never a dialog window): 再想想 on the left, the action right."""
    window = screen.window_
    overlay = window.show_overlay()
    overlay.setObjectName("confirm")
    overlay.content.addWidget(label(title, "title"))
    for line in lines:
        overlay.content.addWidget(label(line))

    def yes() -> None:
        window.close_overlay()
        on_yes()

    overlay.no_button = button(no_text or tr("再想想"), window.close_overlay, role="nav")  # type: ignore[attr-defined]
    overlay.yes_button = button(yes_text, yes)  # type: ignore[attr-defined]
    overlay.buttons.addWidget(overlay.no_button)  # type: ignore[attr-defined]
    overlay.buttons.addWidget(overlay.yes_button)  # type: ignore[attr-defined]
    overlay.finish()
    screen.ctx.speaker.say_text(title)
    return overlay


# --- today's activities ---------------------------------------------------------------

OPEN, PLANNED, ENDED = "open", "planned", "ended"


@dataclass(frozen=True)
class TodayActivity:
    id: uuid.UUID
    title: str
    place: str
    hours: str
    state: str  # OPEN, PLANNED or ENDED
    starts: dt.datetime


def todays_activities(ctx: Any) -> list[TodayActivity]:
    """Every activity of today with its state for a visitor (runs on the db thread)."""
    now = ctx.now()
    early = dt.timedelta(minutes=ctx.services.store.rules.checkin_early_minutes)
    out = []
    for act in ctx.services.attendance.activities_on(local_day(now)):
        if act.status == ActivityStatus.CLOSED or now > act.ends_at:
            state = ENDED
        elif act.status == ActivityStatus.OPEN or act.starts_at - early <= now:
            state = OPEN
        else:
            state = PLANNED
        hours = f"{local_hhmm(act.starts_at)}–{local_hhmm(act.ends_at)}"
        out.append(TodayActivity(act.id, act.title, act.place, hours, state, act.starts_at))
    order = {OPEN: 0, PLANNED: 1, ENDED: 2}
    return sorted(out, key=lambda a: (order[a.state], a.starts))


def state_words(state: str) -> str:
    """The state in words with a mark, so it never rests on colour alone."""
    return {
        OPEN: tr("● 签到中"),
        PLANNED: tr("○ 报名中，还没开始"),
        ENDED: tr("■ 已结束"),
    }[state]


class TodayScreen(Screen):
    voice_key = "today_activities"
    stepless = True  # a page to look at; 去签到 starts the check-in flow

    def title(self) -> str:
        return tr("今日活动")

    def build(self) -> None:
        today = local_day(self.ctx.now())
        if self.window_.session.text_scale < 2:  # at 2x the title says enough
            self.body.addWidget(label(day_words(today), "hint", wrap=False))
        self.loading = label(tr("正在读取今天的活动……"))
        self.body.addWidget(self.loading)
        per_page, columns = by_scale(self, (4, 2), (2, 1), (1, 1))
        self.pages = CardPages(self.params, per_page=per_page, columns=columns)
        self.body.addWidget(self.pages, 1)

    def entered(self) -> None:
        self.run_db(lambda: todays_activities(self.ctx), self._loaded)

    def _loaded(self, items: list[TodayActivity]) -> None:
        self.loading.hide()
        self.items = items
        self.pages.set_items(
            items,
            self._card,
            tr("今天没有活动。可以看看明天的安排，或者问问工作人员。"),
        )

    def _card(self, item: TodayActivity) -> QWidget:
        title = label(item.title, "title")
        when = label(tr("时间：{h}").format(h=item.hours))
        where = label(tr("地点：{p}").format(p=item.place or tr("请问工作人员")))
        state = label(state_words(item.state), "ok" if item.state == OPEN else "hint")
        state.setProperty("state", item.state)
        if item.state != OPEN:
            return framed(title, when, where, state)
        go = button(tr("去签到"), lambda: self._check_in(item), name=tr("去签到：") + item.title)
        go.setProperty("activity", str(item.id))
        row = QHBoxLayout()
        row.addWidget(state, 1)
        row.addWidget(go)
        return framed(title, when, where, row)

    def _check_in(self, item: TodayActivity) -> None:
        from ui.screens.checkin import CheckinScreen

        self.window_.go(CheckinScreen, activity_id=item.id)
