"""Idle timeout: warn, count down, then clear everything personal and go home.

Any touch, click or key anywhere in the window restarts the timer (a filter on the window's
``QWindow``, so no screen can forget to). After ``idle_s`` the window shows an in-window
warning with a spoken prompt, a beep and a visible countdown of ``warn_s`` seconds;
继续使用 extends by a full period, as often as the user likes (WCAG 2.2.1 wants at least 10).
On expiry the window resets the session. The staff console has its own, longer timer that
locks it instead (ui-accessibility, "Timeout and session-reset design").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class InputFilter(QObject):
    """Input activity and key presses, seen once each where the platform delivers them.

    Input reaches a top-level widget through its ``QWindow`` first, which then hands it
    to the widget under the finger or with the focus; overlays and the staff console live
    inside the one kiosk window, so a filter on that ``QWindow`` sees every touch, click and
    key. An application-wide filter would also see every paint, layout and timer event of
    every widget (hundreds per screen change), and each Python filter call costs the GUI
    thread a turn at the interpreter lock, a wait of up to the switch interval while the
    sync thread is busy: measured by ``bench/ui.py`` as the largest part of GUI stalls
    during a sync. The idle watchers and the keyboard-wedge scanner share this one filter.
    """

    def __init__(self) -> None:
        super().__init__()
        self.watchers: list[IdleWatcher] = []
        self.on_key: Callable[[QObject, QEvent], bool] | None = None
        self._target: QWindow | None = None

    def install(self, window: QWidget) -> None:
        if window.windowHandle() is None:
            window.winId()  # creates the QWindow
        target = window.windowHandle()
        if target is not None and target is not self._target:
            self.remove()
            target.installEventFilter(self)
            self._target = target

    def remove(self) -> None:
        if self._target is not None:
            self._target.removeEventFilter(self)
            self._target = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in ACTIVITY_EVENTS:
            return False
        for watcher in self.watchers:
            watcher.activity()
        if kind == QEvent.Type.KeyPress and self.on_key is not None:
            return self.on_key(watched, event)
        return False


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``seconds`` without input; ``kick`` restarts the wait."""

    def __init__(self, seconds: float, on_idle: Callable[[], None], inputs: InputFilter) -> None:
        super().__init__()
        self.on_idle = on_idle
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.set_seconds(seconds)
        self.active = False
        self.inputs = inputs
        inputs.watchers.append(self)

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

    def activity(self) -> None:
        """Input somewhere in the application (see ``InputFilter``)."""
        if self.active:
            self.timer.start()

    def _fire(self) -> None:
        if self.active:
            self.active = False
            self.on_idle()

    def detach(self) -> None:
        if self in self.inputs.watchers:
            self.inputs.watchers.remove(self)
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
