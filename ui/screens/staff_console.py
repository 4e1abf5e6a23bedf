"""The staff console: a column of big section buttons on the left, the chosen panel beside it.

Reached only through the hidden gesture on the home screen and the staff PIN. The header
names who is signed in and offers 锁定 (back to the home screen, signed out) and 退出自助机
(leave kiosk mode, after a confirmation overlay). The window locks the console after five
idle minutes and asks for the PIN again.

Panels follow one contract (see ``ui/screens/staff/__init__.py``): ``Panel(ctx, window)``, a
Chinese ``title``, ``refresh()`` when shown and an optional ``on_card(card)``. A panel is
built the first time it is chosen; card taps go to the panel on show. The chosen panel is
kept in ``params``, so a rebuild (language, text size) comes back to it.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from devices.idcard.card import IdCard
from ui.i18n import tr, translated
from ui.ops import user_message
from ui.screen import Screen
from ui.screens.staff import TICK, confirm
from ui.screens.staff.activities_panel import ActivitiesPanel
from ui.screens.staff.devices_panel import DevicesPanel
from ui.screens.staff.needs_panel import NeedsPanel
from ui.screens.staff.stats_panel import StatsPanel
from ui.screens.staff.suggestions_panel import SuggestionsPanel
from ui.screens.staff.sync_panel import SyncPanel
from ui.screens.staff.walkin_panel import WalkinPanel
from ui.screens.staff.wishes_panel import WishesPanel
from ui.widgets import button, label

log = logging.getLogger(__name__)

PANELS: tuple[type[QWidget], ...] = (
    WalkinPanel,
    NeedsPanel,
    ActivitiesPanel,
    WishesPanel,
    SuggestionsPanel,
    StatsPanel,
    SyncPanel,
    DevicesPanel,
)
SECTION_MM = 13.0  # section buttons: well over the 7 mm staff minimum, easy to hit
SIDE_MM = 48.0  # width of the column of section buttons
HEADER_GAP_MM = 4.0  # 锁定 and 退出自助机 apart: a slip must not reach the other (C2 >= 2 mm)


class StaffConsoleScreen(Screen):
    staff = True

    def title(self) -> str:
        return tr("工作人员后台")

    def build(self) -> None:
        account = self.window_.staff_account
        head = self.header.layout()
        assert isinstance(head, QHBoxLayout)
        name = account.name if account is not None else ""
        self.staff_label = label(tr("当前工作人员：{name}").format(name=name), wrap=False)
        self.staff_label.setObjectName("staffName")
        head.addWidget(self.staff_label)
        head.addSpacing(24)
        self.lock_button = button(tr("锁定"), self.window_.go_home, role="secondary")
        self.lock_button.setObjectName("lock")
        self.exit_button = button(tr("退出自助机"), self.ask_exit, role="secondary")
        self.exit_button.setObjectName("exitKiosk")
        head.addWidget(self.lock_button)
        head.addSpacing(self.window_.metrics.px(HEADER_GAP_MM))
        head.addWidget(self.exit_button)

        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        side = QFrame()
        side.setProperty("role", "card")
        side.setObjectName("sections")
        column = QVBoxLayout(side)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(10)
        self.group = QButtonGroup(self)
        self.section_buttons: list[QPushButton] = []
        height = self.window_.metrics.px(SECTION_MM)
        for index, panel in enumerate(PANELS):
            text = translated(getattr(panel, "title", "") or panel.__name__)
            widget = button(text, partial(self._section, index), role="choice", name=text)
            widget.setObjectName(f"section-{panel.__name__}")
            widget.setCheckable(True)
            widget.setMinimumHeight(height)
            self.group.addButton(widget, index)
            self.section_buttons.append(widget)
            column.addWidget(widget)
        column.addStretch(1)
        side.setFixedWidth(
            self.window_.metrics.px(SIDE_MM * max(1.0, self.window_.session.text_scale))
        )
        row.addWidget(side)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.body.addLayout(row, 1)
        self.panels: dict[int, QWidget] = {}
        self.scrolls: dict[int, QScrollArea] = {}

    def _section(self, index: int) -> None:
        self.show_panel(index)

    def add_navigation(self) -> None:
        """No footer: 锁定 and 退出自助机 sit in the header, the sections on the left."""

    def entered(self) -> None:
        self.show_panel(int(self.params.get("panel", 0)))

    # --- panels -----------------------------------------------------------------------
    def show_panel(self, index: int) -> QWidget:
        index = index if 0 <= index < len(PANELS) else 0
        self.params["panel"] = index
        panel = self.panels.get(index)
        if panel is None:
            panel = self._make(index)
            self.panels[index] = panel
            # A long form (walk-in registration lists every community) scrolls inside the
            # panel instead of growing the window past the screen.
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            # The console's own background shows through (the viewport would paint the
            # platform's grey under the high-contrast theme's yellow text).
            scroll.setObjectName("panelScroll")
            scroll.setStyleSheet("#panelScroll { background: transparent; }")
            scroll.viewport().setAutoFillBackground(False)
            scroll.setWidget(panel)
            panel.setAutoFillBackground(False)  # setWidget turns it on
            self.scrolls[index] = scroll
            self.stack.addWidget(scroll)
        self.stack.setCurrentWidget(self.scrolls[index])
        for i, widget in enumerate(self.section_buttons):
            widget.setChecked(i == index)
            text = translated(getattr(PANELS[i], "title", "") or PANELS[i].__name__)
            widget.setText(TICK + text if i == index else text)
        refresh = getattr(panel, "refresh", None)
        if callable(refresh):
            try:
                refresh()
            except Exception as exc:  # a broken panel must not take the console down
                log.exception("staff panel %s failed to refresh", PANELS[index].__name__)
                self.show_error(user_message(exc))
        return panel

    def _make(self, index: int) -> QWidget:
        cls: Any = PANELS[index]
        try:
            return cls(self.ctx, self.window_)  # type: ignore[no-any-return]
        except Exception as exc:
            log.exception("staff panel %s could not be built", cls.__name__)
            holder = QWidget()
            holder.setProperty("staff", "true")
            QVBoxLayout(holder).addWidget(
                label("⚠ " + tr("这个页面打不开：") + user_message(exc), "error")
            )
            return holder

    def show_error(self, exc_or_text: BaseException | str, voice: str = "") -> None:
        """As on every screen, but silent: staff screens have no voice."""
        text = exc_or_text if isinstance(exc_or_text, str) else user_message(exc_or_text)
        self.message.setText("⚠ " + text)
        self.message.show()

    def current_panel(self) -> QWidget | None:
        scroll = self.stack.currentWidget()
        return scroll.widget() if isinstance(scroll, QScrollArea) else None

    def on_card(self, card: IdCard) -> bool:
        """Card taps go to the panel on show (the window never identifies on staff screens)."""
        handler = getattr(self.current_panel(), "on_card", None)
        if not callable(handler):
            return False
        return bool(handler(card))

    def hideEvent(self, event: QHideEvent) -> None:
        """Left (locked, or idle-locked): an overlay opened here goes too, so no PIN prompt
        or exit question is left standing over the sign-in screen."""
        if self.window_.current is not self:
            self.window_.close_overlay()
        super().hideEvent(event)

    # --- leaving ----------------------------------------------------------------------
    def ask_exit(self) -> None:
        confirm(
            self.window_,
            tr("退出自助机"),
            tr("退出后这台机器回到系统桌面，居民就不能使用了。确定要退出吗？"),
            tr("确定退出"),
            self.window_.exit_kiosk,
        )
