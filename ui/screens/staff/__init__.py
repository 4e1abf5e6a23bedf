"""Panels of the staff console (ui/screens/staff_console.py): one module per panel.

The panel contract: a ``QWidget`` subclass built as ``Panel(ctx, window)``, with a Chinese
``title`` class attribute, a ``refresh()`` the console calls each time the panel is shown,
and an optional ``on_card(card) -> bool`` that gets ID card taps while the panel shows.

This module also holds the pieces the console's own panels share: ``StaffPanel`` (the
error and result lines, database work through ``ctx.ops``), ``Choices`` (a row of choice
buttons, the chosen one ticked), ``PersonPicker`` (who: an ID card tap or a name search),
``CardList`` (a scrolling column of cards), the in-window overlays ``confirm`` and
``reauthenticate`` (the PIN again before anything sensitive), and the words for times and
kinds. Staff screens have no voice, so these overlays never speak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from devices.idcard.card import IdCard
from kiosk.clock import CHINA
from kiosk.services.people import PersonView
from kiosk.store.models import PersonKind
from ui.context import KioskContext
from ui.i18n import tr
from ui.keypad import Keypad
from ui.ops import user_message
from ui.overlay import Overlay
from ui.widgets import button, clear_layout, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

T = TypeVar("T")
TICK = "✓ "  # a chosen choice is ticked, not only coloured (C15)
WEEKDAYS = "一二三四五六日"


# --------------------------------------------------------------------------- words


def kind_words(kind: str) -> str:
    return {
        PersonKind.MEMBER: tr("党员"),
        PersonKind.RESIDENT: tr("群众"),
        PersonKind.VOLUNTEER: tr("志愿者"),
    }.get(PersonKind(kind), kind)


def person_words(view: PersonView) -> str:
    """``张晓英 · 党员 · 440115********1234``: enough to tell two namesakes apart."""
    number = view.id_masked or tr("未登记身份证")
    return f"{view.name_masked} · {kind_words(view.kind)} · {number}"


def when_words(moment: dt.datetime | None) -> str:
    """``3月2日 09:00`` in China time; ``—`` for nothing."""
    if moment is None:
        return "—"
    local = moment.astimezone(CHINA)
    return tr("{m}月{d}日 {t}").format(m=local.month, d=local.day, t=local.strftime("%H:%M"))


def day_words(day: dt.date) -> str:
    return tr("{m}月{d}日 星期{w}").format(m=day.month, d=day.day, w=WEEKDAYS[day.weekday()])


def parse_day(text: str) -> dt.date | None:
    """``2026-03-02``, ``2026/3/2`` or ``3-2`` (this year); None when it is no date."""
    parts = text.strip().replace("/", "-").replace(".", "-").split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 2:
            return dt.date(dt.date.today().year, numbers[0], numbers[1])
        if len(numbers) == 3:
            return dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None
    return None


def parse_time(text: str) -> dt.time | None:
    """``09:00``, ``9:00``, ``9点`` or ``9``; None when it is no time of day."""
    raw = text.strip().replace("：", ":").replace("点", ":").rstrip(":")
    parts = raw.split(":")
    try:
        numbers = [int(p) for p in parts if p != ""]
        if len(numbers) == 1:
            return dt.time(numbers[0], 0)
        if len(numbers) == 2:
            return dt.time(numbers[0], numbers[1])
    except ValueError:
        return None
    return None


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def restyle(widget: QWidget, role: str) -> None:
    """Change a widget's role and let the style sheet size and colour it again."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def line_edit(placeholder: str = "", *, name: str = "", max_length: int = 0) -> QLineEdit:
    """A text field for staff (who may use a physical keyboard and the system IME)."""
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(name or placeholder)
    if name:
        field.setObjectName(name)
    if max_length:
        field.setMaxLength(max_length)
    return field


def hbox(*widgets: QWidget, stretch: bool = True, spacing: int = 12) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.addStretch(1)
    return row


# --------------------------------------------------------------------------- panel base


class StaffPanel(QWidget):
    """Base of the console's own panels: a column with an error line and a result line."""

    title = ""

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.setProperty("staff", "true")
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(24, 16, 24, 16)
        self.outer.setSpacing(14)
        self.error_label = label("", "error")
        self.error_label.setObjectName("panelError")
        self.error_label.hide()
        self.result_label = label("", "ok")
        self.result_label.setObjectName("panelResult")
        self.result_label.hide()
        self.build()
        self.outer.addWidget(self.error_label)
        self.outer.addWidget(self.result_label)

    # --- for subclasses ---------------------------------------------------------------
    def build(self) -> None:
        """Fill ``self.outer``."""

    def refresh(self) -> None:
        """Called by the console each time the panel is shown: load what it lists."""

    def on_card(self, card: IdCard) -> bool:
        return False

    # --- helpers ----------------------------------------------------------------------
    @property
    def staff_id(self) -> Any:
        account = self.window_.staff_account
        return account.id if account is not None else None

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Read on the database thread; the answer is dropped if the panel is gone."""
        self.ctx.ops.db(work, done, failed or self.show_error, owner=self)

    def write(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """A change: as ``run``, and sync is told there is something new to send."""
        self.clear_messages()

        def written(value: T) -> None:
            self.ctx.notify_write()
            if done is not None:
                done(value)

        self.ctx.ops.db(work, written, failed or self.show_error, owner=self)

    def show_error(self, exc_or_text: BaseException | str) -> None:
        text = exc_or_text if isinstance(exc_or_text, str) else user_message(exc_or_text)
        self.result_label.hide()
        self.error_label.setText("⚠ " + text)
        self.error_label.show()

    def show_result(self, text: str) -> None:
        self.error_label.hide()
        self.result_label.setText("✓ " + text)
        self.result_label.show()

    def clear_messages(self) -> None:
        self.error_label.hide()
        self.result_label.hide()


# --------------------------------------------------------------------------- widgets


class Choices(QWidget):
    """Checkable choice buttons in a grid; the chosen one is ticked as well as filled."""

    changed = Signal(object)

    def __init__(
        self,
        options: Sequence[tuple[str, Any]] = (),
        *,
        columns: int = 6,
        name: str = "",
        allow_none: bool = False,
    ) -> None:
        super().__init__()
        self.columns = max(1, columns)
        self.name = name
        self.allow_none = allow_none
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(not allow_none)
        self.buttons: list[QPushButton] = []
        self.values: list[Any] = []
        self.texts: list[str] = []
        self.set_options(options)

    def set_options(self, options: Sequence[tuple[str, Any]], value: Any = None) -> None:
        for widget in self.buttons:
            self.group.removeButton(widget)
            widget.deleteLater()
        self.buttons, self.values, self.texts = [], [], []
        for index, (text, option) in enumerate(options):
            widget = button(text, role="choice", name=f"{self.name}{text}")
            widget.setCheckable(True)
            if self.name:
                widget.setObjectName(f"{self.name}-{index}")
            widget.clicked.connect(lambda _checked=False, i=index: self._clicked(i))
            self.group.addButton(widget, index)
            self.grid.addWidget(widget, index // self.columns, index % self.columns)
            self.buttons.append(widget)
            self.values.append(option)
            self.texts.append(text)
        self.set_value(value)

    def _clicked(self, index: int) -> None:
        if self.allow_none:
            for i, widget in enumerate(self.buttons):
                if i != index:
                    widget.setChecked(False)
        self._mark()
        self.changed.emit(self.value())

    def _mark(self) -> None:
        for widget, text in zip(self.buttons, self.texts, strict=True):
            widget.setText(TICK + text if widget.isChecked() else text)

    def value(self) -> Any:
        for widget, option in zip(self.buttons, self.values, strict=True):
            if widget.isChecked():
                return option
        return None

    def set_value(self, value: Any) -> None:
        exclusive = self.group.exclusive()
        self.group.setExclusive(False)
        for widget, option in zip(self.buttons, self.values, strict=True):
            widget.setChecked(value is not None and option == value)
        self.group.setExclusive(exclusive)
        self._mark()

    def choose(self, value: Any) -> None:
        """Choose as a tap would (tests and programmatic defaults)."""
        self.set_value(value)
        self.changed.emit(self.value())


class CardList(QScrollArea):
    """A scrolling column of cards; the scroll bar is a 7 mm touch target."""

    def __init__(self, *, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setProperty("role", "screen")
        inner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(0, 0, 8, 0)
        self.column.setSpacing(12)
        self.column.addStretch(1)
        self.setWidget(inner)

    def clear(self) -> None:
        clear_layout(self.column)
        self.column.addStretch(1)

    def add(self, widget: QWidget) -> None:
        self.column.insertWidget(self.column.count() - 1, widget)

    def empty(self, text: str) -> None:
        self.clear()
        self.add(label(text, "hint"))


def item_card(*rows: QWidget | QHBoxLayout, name: str = "") -> QFrame:
    """One item of a list: a framed column of labels and button rows."""
    frame = QFrame()
    frame.setProperty("role", "card")
    if name:
        frame.setObjectName(name)
    column = QVBoxLayout(frame)
    column.setContentsMargins(20, 14, 20, 14)
    column.setSpacing(8)
    for row in rows:
        if isinstance(row, QWidget):
            column.addWidget(row)
        else:
            column.addLayout(row)
    return frame


def section(title: str, *rows: QWidget | QHBoxLayout | QGridLayout) -> QFrame:
    """A titled card holding a form or a group of controls."""
    frame = QFrame()
    frame.setProperty("role", "card")
    column = QVBoxLayout(frame)
    column.setContentsMargins(20, 16, 20, 16)
    column.setSpacing(12)
    if title:
        column.addWidget(label(title, "title"))
    for row in rows:
        if isinstance(row, QWidget):
            column.addWidget(row)
        else:
            column.addLayout(row)
    column.addStretch(1)  # a card taller than its content keeps the content at the top
    return frame


def form_grid(rows: Iterable[tuple[str, QWidget | QHBoxLayout]]) -> QGridLayout:
    """Label on the left, control on the right."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(12)
    for index, (caption, control) in enumerate(rows):
        grid.addWidget(
            label(caption, wrap=False),
            index,
            0,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        )
        if isinstance(control, QWidget):
            grid.addWidget(control, index, 1)
        else:
            grid.addLayout(control, index, 1)
    grid.setColumnStretch(1, 1)
    return grid


class PersonPicker(QWidget):
    """Who: an ID card tap (the panel hands it over) or a name search, matches as buttons."""

    chosen = Signal(object)  # PersonView, or None when cleared

    RESULTS = 8

    def __init__(
        self,
        panel: StaffPanel,
        prompt: str,
        *,
        kinds: Sequence[PersonKind] | None = None,
        name: str = "picker",
    ) -> None:
        super().__init__()
        self.panel = panel
        self.kinds = kinds
        self.person: PersonView | None = None
        self.setObjectName(name)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(label(prompt, "hint"))
        self.query = line_edit(tr("输入姓名查找"), name=f"{name}-query", max_length=40)
        self.query.returnPressed.connect(self.search)
        find = button(tr("查找"), self.search, role="secondary", name=tr("查找"))
        find.setObjectName(f"{name}-find")
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.query, 1)
        row.addWidget(find)
        column.addLayout(row)
        self.results = QGridLayout()
        self.results.setSpacing(8)
        column.addLayout(self.results)
        self.chosen_label = label("", "body")
        self.chosen_label.setObjectName(f"{name}-chosen")
        self.chosen_label.hide()
        column.addWidget(self.chosen_label)

    def search(self) -> None:
        text = self.query.text().strip()
        kinds = self.kinds
        people = self.panel.ctx.services.people
        self.panel.clear_messages()
        self.panel.run(
            lambda: people.search(text, kinds=kinds, limit=self.RESULTS), self._show_results
        )

    def _show_results(self, views: list[PersonView]) -> None:
        clear_layout(self.results)  # type: ignore[arg-type]
        if not views:
            self.results.addWidget(label(tr("没有找到这个名字。"), "hint"), 0, 0)
            return
        for index, view in enumerate(views):
            widget = button(person_words(view), partial(self.choose, view), role="choice")
            widget.setObjectName(f"{self.objectName()}-result-{index}")
            self.results.addWidget(widget, index // 2, index % 2)

    def use_card(self, card: IdCard) -> bool:
        """A tapped card chooses its registered holder; True (the card was for this)."""
        number = card.id_number
        people = self.panel.ctx.services.people

        def find() -> PersonView | None:
            person = people.find_by_id_number(number)
            return None if person is None else people.view(person.id, staff=True)

        self.panel.clear_messages()
        self.panel.run(find, self._card_found)
        return True

    def _card_found(self, view: PersonView | None) -> None:
        if view is None:
            self.panel.show_error(tr("这张身份证还没有登记，请先在「登记」页登记。"))
            return
        self.choose(view)

    def choose(self, view: PersonView) -> None:
        self.person = view
        clear_layout(self.results)  # type: ignore[arg-type]
        self.chosen_label.setText(tr("已选：") + person_words(view))
        self.chosen_label.show()
        self.chosen.emit(view)

    def clear(self) -> None:
        self.person = None
        self.query.clear()
        clear_layout(self.results)  # type: ignore[arg-type]
        self.chosen_label.hide()
        self.chosen.emit(None)


# --------------------------------------------------------------------------- overlays


def staff_overlay(window: KioskWindow, title: str, text: str = "") -> Overlay:
    """An in-window overlay at staff sizes, never spoken (staff screens have no voice)."""
    overlay = window.show_overlay(staff=True)
    overlay.content.addWidget(label(title, "title"))
    if text:
        overlay.content.addWidget(label(text))
    return overlay


def confirm(
    window: KioskWindow,
    title: str,
    text: str,
    yes: str,
    on_yes: Callable[[], None],
    *,
    no: str = "",
) -> Overlay:
    """Ask before something that cannot be taken back; 取消 is the first button."""
    overlay = staff_overlay(window, title, text)
    overlay.setObjectName("staffConfirm")
    cancel = button(no or tr("取消"), window.close_overlay, role="secondary")
    cancel.setObjectName("confirm-no")

    def accept() -> None:
        window.close_overlay()
        on_yes()

    go = button(yes, accept)
    go.setObjectName("confirm-yes")
    overlay.buttons.addWidget(cancel)
    overlay.buttons.addWidget(go)
    overlay.finish()
    return overlay


def reauthenticate(
    panel: StaffPanel,
    purpose: str,
    work: Callable[[], T],
    done: Callable[[T], None],
) -> Overlay | None:
    """The signed-in staff member types the PIN again; then ``work`` runs (audited there).

    A wrong PIN counts towards the lock like any sign-in; the overlay says so in plain
    words and stays open for another try.
    """
    window = panel.window_
    account = window.staff_account
    if account is None:
        return None
    login = account.login
    staff = panel.ctx.services.staff
    overlay = staff_overlay(window, tr("请再次输入密码"), purpose)
    overlay.setObjectName("reauth")
    error = label("", "error")
    error.hide()
    overlay.content.addWidget(error)

    def failed(exc: Exception) -> None:
        error.setText("⚠ " + user_message(exc))
        error.show()

    def succeeded(value: T) -> None:
        window.close_overlay()
        done(value)

    def entered(pin: str) -> None:
        keypad.clear()
        error.hide()

        def checked() -> T:
            staff.authenticate(login=login, pin=pin)
            return work()

        panel.ctx.ops.db(checked, succeeded, failed, owner=overlay)

    keypad = Keypad(masked=True, max_length=8, on_enter=entered, enter_text=tr("确定"))
    keypad.setObjectName("reauthKeypad")
    overlay.content.addWidget(keypad)
    cancel = button(tr("取消"), window.close_overlay, role="secondary")
    cancel.setObjectName("reauth-cancel")
    overlay.buttons.addWidget(cancel)
    overlay.finish()
    return overlay


def hold_text(widget: QLabel, shown: str, hidden: str, seconds: float) -> None:
    """Show ``shown`` for ``seconds``, then put ``hidden`` back, or hide the label when
    ``hidden`` is empty (a timer owned by the label, so it dies with it)."""
    old = widget.findChild(QTimer, "holdTimer")
    if old is not None:
        old.stop()
        old.deleteLater()
    widget.setText(shown)
    timer = QTimer(widget)
    timer.setObjectName("holdTimer")
    timer.setSingleShot(True)

    def hide_again() -> None:
        widget.setText(hidden)
        widget.setVisible(bool(hidden))

    timer.timeout.connect(hide_again)
    timer.start(max(1, round(seconds * 1000)))
