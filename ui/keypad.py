"""In-window keypads: digits for PINs and phone numbers, digits and X for ID numbers.

The system on-screen keyboard would open a second window (and Qt's virtual keyboard is
GPL and keeps a user dictionary), so the kiosk draws its own keys. A masked keypad shows
dots, never the digits, and nothing typed is ever spoken (EN 301 549 5.1.3.8).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ui.screen import tr
from ui.widgets import button, label

DIGITS = "123456789"


class Keypad(QWidget):
    """Digits (and X when ``allow_x``), 删除 and 清空, with the typed value above."""

    changed = Signal(str)

    def __init__(
        self,
        *,
        allow_x: bool = False,
        masked: bool = False,
        max_length: int = 18,
        on_enter: Callable[[str], None] | None = None,
        enter_text: str = "",
    ) -> None:
        super().__init__()
        self.value = ""
        self.masked = masked
        self.max_length = max_length
        self.on_enter = on_enter
        column = QVBoxLayout(self)
        column.setSpacing(16)
        self.display = label("", "big", wrap=False)
        self.display.setAccessibleName(tr("已输入"))
        column.addWidget(self.display)
        grid = QGridLayout()
        grid.setSpacing(16)
        keys = [*DIGITS, "X" if allow_x else "", "0", "⌫"]
        for index, key in enumerate(keys):
            if not key:
                continue
            if key == "⌫":
                widget = button(tr("删除"), self.delete, role="key", name=tr("删除"))
            else:
                widget = button(key, lambda k=key: self.press(k), role="key", name=key)
            grid.addWidget(widget, index // 3, index % 3)
        column.addLayout(grid)
        row = QGridLayout()
        row.addWidget(button(tr("清空"), self.clear, role="nav"), 0, 0)
        if on_enter is not None:
            row.addWidget(button(enter_text or tr("确定"), self.enter), 0, 1)
        column.addLayout(row)
        self._show()

    def press(self, key: str) -> None:
        if len(self.value) < self.max_length:
            self.value += key
            self._show()

    def delete(self) -> None:
        self.value = self.value[:-1]
        self._show()

    def clear(self) -> None:
        self.value = ""
        self._show()

    def enter(self) -> None:
        if self.on_enter is not None:
            self.on_enter(self.value)

    def _show(self) -> None:
        shown = "●" * len(self.value) if self.masked else self.value
        self.display.setText(shown or " ")
        self.changed.emit(self.value)
