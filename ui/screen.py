"""The frame every screen shares: title and step on top, content, navigation at the bottom.

Each member screen shows 第X步/共Y步 and always offers 返回 and 回到首页, and a 重听 button
that repeats its spoken prompt (ui-accessibility C9, C15). The navigation sits at the
bottom, within reach of a seated or short user. Screens are built fresh each time they are
shown and thrown away when left, so no typed text or personal data outlives its screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError
from devices.qr.tokens import Routed
from ui.context import KioskContext
from ui.i18n import tr
from ui.ops import user_message
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.window import KioskWindow


class Screen(QWidget):
    """Base of every screen. Subclasses set the class attributes and fill ``body``."""

    voice_key = ""  # prompt spoken on entry (ui/voice_prompts.py)
    steps: tuple[int, int] | None = None  # (this step, of how many)
    staff = False  # staff screens: smaller sizes, no voice, console idle lock
    home_like = False  # the idle timer leaves screens like home alone

    def __init__(self, ctx: KioskContext, window: KioskWindow, **params: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.params = params
        self.setProperty("role", "screen")
        if self.staff:
            self.setProperty("staff", "true")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = QFrame()
        self.header.setProperty("role", "header")
        head = QHBoxLayout(self.header)
        head.setContentsMargins(32, 16, 32, 16)
        self.title_label = label(self.title(), "title")
        head.addWidget(self.title_label, 1)
        self.step_label: QLabel | None = None
        if self.steps is not None:
            x, y = self.steps
            self.step_label = label(tr("第{x}步/共{y}步").format(x=x, y=y), "step", wrap=False)
            head.addWidget(self.step_label)
        outer.addWidget(self.header)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(48, 24, 48, 24)
        self.body.setSpacing(24)
        outer.addWidget(content, 1)
        self.message = label("", "error")
        self.message.hide()
        self.body.addWidget(self.message)
        self.footer = QHBoxLayout()
        self.footer.setContentsMargins(48, 8, 48, 24)
        self.footer.setSpacing(32)
        outer.addLayout(self.footer)
        self.build()
        self.add_navigation()

    # --- for subclasses ---------------------------------------------------------------
    def title(self) -> str:
        return ""

    def build(self) -> None:
        """Fill ``self.body``; runs once per showing."""

    def entered(self) -> None:
        """Called after the screen is shown: start loading data here."""

    def on_card(self, card: IdCard) -> bool:
        """A card was tapped while this screen shows; True when the screen used it."""
        return False

    def on_scan(self, routed: Routed) -> bool:
        return False

    def on_card_error(self, error: IdCardError) -> bool:
        return False

    # --- helpers ----------------------------------------------------------------------
    def add_navigation(self) -> None:
        self.back_button = button(tr("返回"), self.window_.back, role="nav")
        self.replay_button = button(tr("重听"), self.ctx.speaker.repeat, role="nav")
        self.home_button = button(tr("回到首页"), self.window_.go_home, role="nav")
        self.footer.addWidget(self.back_button)
        self.footer.addStretch(1)
        if not self.staff:
            self.footer.addWidget(self.replay_button)
        else:
            self.replay_button.hide()
        self.footer.addStretch(1)
        self.footer.addWidget(self.home_button)

    def show_error(self, exc_or_text: BaseException | str, voice: str = "") -> None:
        """An error as text with a mark, and by voice: never by colour alone (C15)."""
        text = exc_or_text if isinstance(exc_or_text, str) else user_message(exc_or_text)
        self.message.setText("⚠ " + text)
        self.message.show()
        if self.staff:
            return  # staff screens are silent: a PIN error must not be announced
        if voice:
            self.ctx.speaker.say(voice)
        else:
            self.ctx.speaker.say_text(text)

    def clear_error(self) -> None:
        self.message.hide()
        self.message.setText("")

    def run_db(self, work: Any, done: Any = None, failed: Any = None) -> None:
        """Database work for this screen; the answer is dropped if the screen is gone."""
        self.ctx.ops.db(work, done, failed or self.show_error, owner=self)

    def run_io(self, work: Any, done: Any = None, failed: Any = None) -> None:
        self.ctx.ops.io(work, done, failed or self.show_error, owner=self)


class DoneScreen(Screen):
    """A success screen: goes home by itself after a visible countdown, 留在此页 stops it.

    The screen never changes without warning (APP spec 2.3): the countdown is shown, and
    the visitor can stay as long as they like.
    """

    def add_navigation(self) -> None:
        super().add_navigation()
        self.countdown_label = label("", "hint", wrap=False)
        self.stay_button = button(tr("留在此页"), self.stay, role="nav")
        self.footer.insertWidget(2, self.countdown_label)
        self.footer.insertWidget(3, self.stay_button)
        from ui.idle import Countdown

        self.countdown = Countdown(
            self.ctx.settings.success_return_s, self._tick, self.window_.go_home
        )
        self.countdown.setParent(self)
        self.countdown.start()

    def _tick(self, left: int) -> None:
        self.countdown_label.setText(tr("{n} 秒后回到首页").format(n=left))

    def hideEvent(self, event: QHideEvent) -> None:
        # A screen that has been left is hidden at once but deleted later; its countdown
        # must not send the next visitor home from the middle of their own flow.
        self.countdown.stop()
        super().hideEvent(event)

    def stay(self) -> None:
        self.countdown.stop()
        self.countdown_label.setText("")
        self.stay_button.hide()
