"""Small building blocks with the kiosk's roles already set.

Every label and button is made here so each carries a ``role`` the style sheet sizes, an
accessible name, and word wrap where text may grow at the 2x text size.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def label(text: str = "", role: str = "body", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def button(
    text: str,
    on_click: Callable[[], None] | None = None,
    *,
    role: str = "primary",
    name: str = "",
) -> QPushButton:
    widget = QPushButton(text)
    widget.setProperty("role", role)
    widget.setAccessibleName(name or text.replace("\n", " "))
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if on_click is not None:
        widget.clicked.connect(lambda _checked=False: on_click())
    return widget


def tile(text: str, on_click: Callable[[], None], *, name: str = "") -> QPushButton:
    """A home-screen tile: grows to fill its grid cell."""
    widget = button(text, on_click, role="tile", name=name)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return widget


def card(*children: QWidget, spacing: int = 16) -> QFrame:
    """A framed surface holding a column of widgets."""
    frame = QFrame()
    frame.setProperty("role", "card")
    column = QVBoxLayout(frame)
    column.setContentsMargins(24, 20, 24, 20)
    column.setSpacing(spacing)
    for child in children:
        column.addWidget(child)
    return frame


def clear_layout(layout: QVBoxLayout) -> None:
    """Remove and delete every item, so rebuilt content leaves nothing behind."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())  # type: ignore[arg-type]
