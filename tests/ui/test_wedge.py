"""A keyboard-wedge scanner's burst becomes a scan; a person's typing reaches the field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.app import KioskApp


def _key(widget: QLineEdit, char: str, t_ms: int) -> None:
    key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
    event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
    event.setTimestamp(t_ms)
    # Keys arrive as the platform delivers them: to the window, which hands them on to
    # the widget with the focus.
    window = widget.window().windowHandle()
    assert window is not None
    QApplication.sendEvent(window, event)


def test_burst_is_a_scan_and_slow_keys_are_typing(qtbot: QtBot, kiosk: KioskApp) -> None:
    field = QLineEdit(kiosk.window.current)
    field.show()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    scans: list[str] = []
    kiosk.devices.scan.connect(lambda record: scans.append(record.data))
    for i, char in enumerate("ABCDEF123\r"):
        _key(field, char, 1000 + 8 * i)  # 8 ms apart: a scanner
    qtbot.waitUntil(lambda: scans == ["ABCDEF123"])
    assert field.text() == ""
    for i, char in enumerate("138"):
        _key(field, char, 5000 + 200 * i)  # 200 ms apart: a person
    qtbot.waitUntil(lambda: field.text() == "138", timeout=2000)
    assert scans == ["ABCDEF123"]
