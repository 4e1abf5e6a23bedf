"""Dialogs as overlays inside the one kiosk window, never separate windows.

A separate top-level window can fall behind the full-screen kiosk, escape kiosk mode or be
closed by the window manager; the elderly-adaptation rules also forbid pop-ups (C12). An
overlay dims the screen and shows a framed panel; its buttons sit at the bottom centre,
where the rules allow a close control.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui.widgets import button, label


class Overlay(QWidget):
    """A dimmed layer over the whole window with one panel in the middle."""

    def __init__(self, host: QWidget, *, staff: bool = False) -> None:
        super().__init__(host)
        self.setProperty("role", "overlay")
        if staff:
            self.setProperty("staff", "true")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.panel = QFrame(self)
        self.panel.setProperty("role", "dialog")
        self.content = QVBoxLayout(self.panel)
        self.content.setContentsMargins(48, 40, 48, 40)
        self.content.setSpacing(28)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(32)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.panel, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        host.installEventFilter(self)
        self.setGeometry(host.rect())

    def finish(self) -> None:
        """Add the button row last, centred at the bottom of the panel."""
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(self.buttons)
        row.addStretch(1)
        self.content.addLayout(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def close_overlay(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


def message_overlay(
    host: QWidget,
    text: str,
    actions: Sequence[tuple[str, Callable[[], None]]],
    *,
    title: str = "",
    staff: bool = False,
) -> Overlay:
    """A message with one or more answers; each answer closes the overlay first."""
    overlay = Overlay(host, staff=staff)
    if title:
        overlay.content.addWidget(label(title, "title"))
    overlay.content.addWidget(label(text))
    for caption, action in actions:

        def answer(act: Callable[[], None] = action) -> None:
            overlay.close_overlay()
            act()

        overlay.buttons.addWidget(button(caption, answer))
    overlay.finish()
    overlay.show()
    overlay.raise_()
    return overlay
