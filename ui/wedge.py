"""Keyboard-wedge QR scanners: their bursts become scans, a person's typing stays typing.

A scanner in USB keyboard mode types its code in a few milliseconds and presses Enter.
The application's input filter (``ui.idle.InputFilter``) hands this every key press; it
feeds every printable key and Enter to the devices package's ``WedgeClassifier`` (pure
timing rules, tested there): a burst is routed like a
serial scanner's scan through the ``DeviceBridge``; keys a person typed are replayed to the
widget that has focus, a few milliseconds late, so staff can still type with a keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from devices.qr.framing import ScanRecord
from devices.qr.wedge import Burst, Typed, WedgeClassifier
from ui.bridge import DeviceBridge

_REPLAYED = QEvent.Type(QEvent.registerEventType())


class _Replayed(QKeyEvent):
    """A key given back to the widget; the filter lets these through untouched."""


class WedgeFilter(QObject):
    def __init__(self, bridge: DeviceBridge, classifier: WedgeClassifier | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.classifier = classifier or WedgeClassifier()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._poll)
        self._last_ms = 0.0

    def key_pressed(self, watched: QObject, event: QEvent) -> bool:
        """A key press anywhere in the application; True when it was a scanner's."""
        if isinstance(event, _Replayed):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        key = self._key_text(event)
        if key is None:
            self._handle(self.classifier.flush())  # keep the order of held keys and this one
            return False
        self._last_ms = float(event.timestamp())
        self._handle(self.classifier.feed(self._last_ms, key))
        return True

    @staticmethod
    def _key_text(event: QKeyEvent) -> str | None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\r"
        text = event.text()
        if len(text) == 1 and text.isprintable() and text.isascii():
            if event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            ):
                return None
            return text
        return None

    def _handle(self, events: list[Burst | Typed]) -> None:
        for ev in events:
            if isinstance(ev, Burst):
                self.bridge.on_scan(ScanRecord(ev.text, None))
            else:
                self._replay(ev.text)
        deadline = self.classifier.deadline()
        if deadline is not None:
            self.timer.start(max(1, round(deadline - self._last_ms)))

    def _poll(self) -> None:
        deadline = self.classifier.deadline()
        if deadline is None:
            return
        self._last_ms = deadline + 1  # just past the gap: the held keys were typed
        self._handle(self.classifier.poll(self._last_ms))

    def _replay(self, text: str) -> None:
        target = QApplication.focusWidget()
        if target is None:
            return
        for char in text:
            key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    target, _Replayed(kind, key, Qt.KeyboardModifier.NoModifier, char)
                )
