"""Idle timeout: warn, count down, then clear everything personal and go home.

Any touch, click or key anywhere in the application restarts the timer (an application-wide
event filter, so no screen can forget to). After ``idle_s`` the window shows an in-window
warning with a spoken prompt, a beep and a visible countdown of ``warn_s`` seconds;
继续使用 extends by a full period, as often as the user likes (WCAG 2.2.1 wants at least 10).
On expiry the window resets the session. The staff console has its own, longer timer that
locks it instead (ui-accessibility, "Timeout and session-reset design").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``seconds`` without input; ``kick`` restarts the wait."""

    def __init__(self, seconds: float, on_idle: Callable[[], None]) -> None:
        super().__init__()
        self.on_idle = on_idle
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.set_seconds(seconds)
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_seconds(self, seconds: float) -> None:
        self.timer.setInterval(max(1, round(seconds * 1000)))

    def start(self) -> None:
        self.active = True
        self.timer.start()

    def stop(self) -> None:
        self.active = False
        self.timer.stop()

    def kick(self) -> None:
        if self.active:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.active and event.type() in ACTIVITY_EVENTS:
            self.timer.start()
        return False

    def _fire(self) -> None:
        if self.active:
            self.active = False
            self.on_idle()

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.stop()


class Countdown(QObject):
    """Ticks once a second from ``seconds`` down to zero, then calls ``on_expired``."""

    def __init__(
        self,
        seconds: float,
        on_tick: Callable[[int], None],
        on_expired: Callable[[], None],
    ) -> None:
        super().__init__()
        self.left = max(1, round(seconds))
        self.on_tick = on_tick
        self.on_expired = on_expired
        # Short periods (tests) tick faster so the countdown still ends on time.
        self.timer = QTimer(self)
        self.timer.setInterval(1000 if seconds >= 5 else max(1, round(seconds * 1000 / self.left)))
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.on_tick(self.left)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.timer.stop()
            self.on_expired()
        else:
            self.on_tick(self.left)
