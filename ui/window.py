"""The one full-screen kiosk window: navigation, overlays, devices, idle reset, kiosk lock.

There is exactly one top-level window. Screens replace each other inside it and dialogs are
overlays on it (C12). Escape, Alt+F4 and close events are refused (C13); only a staff
member, after the hidden gesture and a PIN, can leave kiosk mode.

Card taps and scans arrive here first. The screen on show gets the first chance to use one
(the check-in screen wants the card); otherwise a card or member QR identifies the person
and opens the page of what they can do, from any member screen.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError
from devices.qr.framing import ScanRecord
from devices.qr.tokens import route
from kiosk.services.people import PersonView
from ui.context import KioskContext
from ui.i18n import tr
from ui.idle import Countdown, IdleWatcher, InputFilter
from ui.overlay import Overlay
from ui.screen import Screen
from ui.session import Session
from ui.theme import Look, style_sheet
from ui.tokens import THEMES, Metrics
from ui.widgets import button, label

log = logging.getLogger(__name__)


class KioskWindow(QWidget):
    def __init__(self, ctx: KioskContext, *, family: str, cap_ratio: float) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setWindowTitle("党员时间银行")
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.ctx = ctx
        self.family = family
        self.metrics = Metrics(mm_per_px=ctx.settings.mm_per_px, cap_ratio=cap_ratio)
        self.session = self._new_session()
        self.history: list[tuple[type[Screen], dict[str, Any]]] = []
        self.current: Screen | None = None
        self.overlay: Overlay | None = None
        self.staff_account: Any = None  # the signed-in StaffAccount while the console is open
        self._may_close = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.inputs = InputFilter()
        self.inputs.install(self)
        self.idle = IdleWatcher(ctx.settings.idle_s, self._idle_warning, self.inputs)
        self.staff_idle = IdleWatcher(ctx.settings.staff_idle_s, self._lock_staff, self.inputs)
        self._countdown: Countdown | None = None
        ctx.devices.card.connect(self._card)
        ctx.devices.card_error.connect(self._card_error)
        ctx.devices.scan.connect(self._scan)
        ctx.ops.on_unhandled = self._unhandled
        self.apply_look()
        self.go_home()

    # --- look -------------------------------------------------------------------------
    def look(self) -> Look:
        return Look(
            THEMES[self.session.theme], self.metrics.scaled(self.session.text_scale), self.family
        )

    def apply_look(self) -> None:
        # Qt re-polishes every widget on a new style sheet (about 0.2 s here): only when the
        # look really changed, not on every session reset.
        sheet = style_sheet(self.look())
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def set_text_scale(self, scale: float) -> None:
        self.session.text_scale = scale
        self.apply_look()
        self.rebuild()

    def set_theme(self, name: str) -> None:
        self.session.theme = name
        self.apply_look()
        self.rebuild()

    def set_language(self, language: str) -> None:
        from ui import i18n

        i18n.install(language)
        self.session.language = language
        self.rebuild()

    # --- navigation -------------------------------------------------------------------
    def go(self, screen: type[Screen], *, remember: bool = True, **params: Any) -> Screen:
        if remember and self.current is not None and not self.current.home_like:
            self.history.append((type(self.current), self.current.params))
        elif remember and self.current is not None:
            self.history = [(type(self.current), self.current.params)]
        return self._show(screen, params)

    def back(self) -> None:
        if self.history:
            screen, params = self.history.pop()
            self._show(screen, params)
        else:
            self.go_home()

    def go_home(self) -> None:
        """回到首页: the visitor is done; forget who they were."""
        from ui.screens.home import HomeScreen

        self.close_overlay()
        self.history.clear()
        self.session.person = None
        self.staff_account = None
        self.staff_idle.stop()
        self._show(HomeScreen, {})

    def rebuild(self) -> None:
        """Build the current screen again (after a change of text size, theme or language)."""
        if self.current is not None:
            self._show(type(self.current), self.current.params, speak=False)

    def _show(self, screen: type[Screen], params: dict[str, Any], *, speak: bool = True) -> Screen:
        self.ctx.speaker.stop()
        old = self.current
        widget = screen(self.ctx, self, **params)
        self._layout.addWidget(widget)
        self.current = widget
        if old is not None:
            self._layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        widget.show()
        if widget.staff:
            self.idle.stop()
            self.staff_idle.start()
        elif widget.home_like:
            self.idle.stop()
        else:
            self.idle.start()
        if speak and widget.voice_key and not widget.staff:
            self.ctx.speaker.say(widget.voice_key)
        widget.entered()
        return widget

    # --- identified person ------------------------------------------------------------
    def identified(self, person: PersonView) -> None:
        from ui.screens.person import PersonScreen

        self.session.person = person
        self.go(PersonScreen)

    # --- devices ----------------------------------------------------------------------
    def _card(self, card: IdCard) -> None:
        self.idle.kick()
        self.ctx.speaker.stop()
        if self.overlay is not None or self.current is None:
            return
        if self.current.on_card(card):
            return
        if self.current.staff:
            return
        number = card.id_number
        self.ctx.ops.db(
            lambda: self.ctx.identify.by_id_number(number),
            self.identified,
            self._identify_failed,
        )

    def _card_error(self, error: IdCardError) -> None:
        self.idle.kick()
        if self.current is not None and not self.current.on_card_error(error):
            self.notify(error.message, voice="card_error")

    def _scan(self, record: ScanRecord) -> None:
        self.idle.kick()
        self.ctx.speaker.stop()
        if self.overlay is not None or self.current is None:
            return
        routed = route(record.data)
        if self.current.on_scan(routed) or self.current.staff:
            return
        if routed.kind == "member":
            self.ctx.ops.db(
                lambda: self.ctx.identify.by_member_token(routed.value),
                self.identified,
                self._identify_failed,
            )
        elif routed.kind == "need":
            from ui.screens.needs import NeedTicketScreen

            self.go(NeedTicketScreen, ticket=routed.value)
        else:
            self.notify(tr("二维码无法识别，请再扫一次。"), voice="qr_error")

    def _identify_failed(self, exc: Exception) -> None:
        from ui.ops import user_message

        self.notify(user_message(exc), voice="not_registered" if "登记" in str(exc) else "")

    # --- overlays ---------------------------------------------------------------------
    def notify(self, text: str, *, voice: str = "", title: str = "") -> Overlay:
        """A message the visitor must read, with one 知道了 button."""
        staff = bool(self.current and self.current.staff)
        overlay = self.show_overlay(staff=staff)
        if title:
            overlay.content.addWidget(label(title, "title"))
        overlay.content.addWidget(label(text))
        overlay.buttons.addWidget(button(tr("知道了"), self.close_overlay))
        overlay.finish()
        if staff:
            return overlay
        if voice:
            self.ctx.speaker.say(voice)
        else:
            self.ctx.speaker.say_text(text)
        return overlay

    def show_overlay(self, *, staff: bool = False) -> Overlay:
        self.close_overlay()
        self.overlay = Overlay(self, staff=staff)
        self.overlay.show()
        self.overlay.raise_()
        return self.overlay

    def close_overlay(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        if self.overlay is not None:
            self.overlay.close_overlay()
            self.overlay = None

    def _unhandled(self, exc: Exception) -> None:
        from ui.ops import user_message

        self.notify(user_message(exc), voice="error_generic")

    # --- idle -------------------------------------------------------------------------
    def _idle_warning(self) -> None:
        if self.current is None or self.current.home_like or self.current.staff:
            return
        overlay = self.show_overlay()
        overlay.setObjectName("idleWarning")
        overlay.content.addWidget(label(tr("您还在使用吗？"), "title"))
        left = label("", "big")
        overlay.content.addWidget(left)
        overlay.buttons.addWidget(button(tr("继续使用"), self._keep_using))
        overlay.buttons.addWidget(button(tr("结束并返回首页"), self.reset_session, role="nav"))
        overlay.finish()
        QApplication.beep()
        self.ctx.speaker.say("idle_warning")
        self._countdown = Countdown(
            self.ctx.settings.warn_s,
            lambda n: left.setText(tr("{n} 秒后回到首页").format(n=n)),
            self.reset_session,
        )
        self._countdown.start()

    def _keep_using(self) -> None:
        self.close_overlay()
        self.idle.start()

    def reset_session(self) -> None:
        """Everything personal goes: screens rebuilt, clipboard cleared, settings default."""
        log.info("session reset")
        self.close_overlay()
        self.ctx.speaker.stop()
        QGuiApplication.clipboard().clear()
        language = self.session.language
        self.session = self._new_session()
        if language != self.session.language:
            from ui import i18n

            i18n.install(self.session.language)
        self.ctx.speaker.set_enabled(self.session.voice_on)
        self.ctx.speaker.set_language(self.session.voice_language)
        self.apply_look()
        self.go_home()

    def _new_session(self) -> Session:
        s = self.ctx.settings
        return Session(
            text_scale=s.text_scale,
            theme=s.theme,
            voice_on=s.voice_enabled,
            voice_language=s.voice_language,
            language=s.language,
        )

    # --- staff ------------------------------------------------------------------------
    def open_staff(self) -> None:
        from ui.screens.staff_login import StaffLoginScreen

        self.go(StaffLoginScreen)

    def staff_signed_in(self, account: Any) -> None:
        from ui.screens.staff_console import StaffConsoleScreen

        self.staff_account = account
        self.history.clear()
        self._show(StaffConsoleScreen, {})

    def _lock_staff(self) -> None:
        """Five idle minutes on the console: sign the staff member out and ask for the PIN."""
        if self.current is not None and self.current.staff and self.staff_account is not None:
            log.info("staff console locked after idle")
            self.staff_account = None
            self.open_staff()

    def exit_kiosk(self) -> None:
        """Only the signed-in staff console calls this."""
        if self.staff_account is None:
            return
        log.info("kiosk mode left by staff")
        self.release()
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()

    def release(self) -> None:
        """Close for good: the application is shutting down."""
        self._may_close = True
        self.close()

    # --- kiosk lock -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self.idle.detach()
            self.staff_idle.detach()
            self.inputs.remove()
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # Alt+F4 reaches a frameless window as a close request on some platforms and as a
        # shortcut override on others; both are refused the same way.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_F4 and event.modifiers() & Qt.KeyboardModifier.AltModifier:
                event.accept()
                return True
        return super().event(event)
