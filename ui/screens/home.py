"""Home: the station, the time, the sync state, seven big tiles and the comfort switches.

Tapping an ID card or scanning a member QR here identifies the visitor (the window does
that for every screen that does not want the card itself). Five quick taps on the station
name open the staff PIN entry: a hidden gesture, so residents do not wander into it.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.clock import CHINA
from sync.background import WorkerStatus
from ui.screen import Screen, tr
from ui.tokens import TEXT_SCALES
from ui.widgets import button, label, tile

WEEKDAYS = "一二三四五六日"


def sync_text(status: WorkerStatus | None) -> str:
    """Network and sync state in a few plain words."""
    if status is None:
        return tr("正在连接服务器")
    sync = status.sync
    if status.failures or sync.last_error:
        if sync.pending:
            return tr("网络未连接 · {n} 条待上传").format(n=sync.pending)
        return tr("网络未连接")
    if sync.pending:
        return tr("网络正常 · {n} 条待上传").format(n=sync.pending)
    return tr("网络正常 · 已同步")


LARGE_TEXT = 1.5  # from this text scale the network status moves under the station name


class HomeScreen(Screen):
    voice_key = "home"
    home_like = True

    def build(self) -> None:
        self.header.hide()
        top = QHBoxLayout()
        self.station = QPushButton(self.ctx.station.name or tr("党员时间银行"))
        self.station.setProperty("role", "title-flat")
        self.station.setAccessibleName(self.ctx.station.name or tr("党员时间银行"))
        self.station.setFlat(True)
        self.station.clicked.connect(self._station_tapped)
        self._taps: list[float] = []
        top.addWidget(self.station, 1)
        self.sync_label = label(sync_text(self.ctx.sync.last), "hint", wrap=False)
        self.clock_label = label("", "title", wrap=False)
        top.addWidget(self.clock_label)
        self.body.addLayout(top)
        large = self.window_.session.text_scale >= LARGE_TEXT
        hint = tr("请点选您要办理的事情，或者刷身份证、扫党员码")
        if large:
            # Large text: the status takes the hint's line (the hint is still spoken), and
            # the tiles and two rows of settings keep the room their words need.
            self.body.addWidget(self.sync_label)
        else:
            top.insertWidget(1, self.sync_label)
            self.body.addWidget(label(hint, "hint"))
        grid = QGridLayout()
        grid.setSpacing(16 if large else 28)  # large text: the room goes to the words
        tiles = [
            (tr("签到 / 签退"), self._checkin),
            (tr("我要求助"), self._need),
            (tr("我的时间币"), self._coins),
            (tr("今日活动"), self._today),
            (tr("微心愿"), self._wishes),
            (tr("留言建议"), self._suggest),
            (tr("长者饭堂") if large else tr("长者饭堂\n用餐登记"), self._canteen),
        ]
        for index, (text, action) in enumerate(tiles):
            grid.addWidget(tile(text, action), index // 4, index % 4)
        self.body.addLayout(grid, 1)
        self.ctx.sync.status.connect(self._sync_status)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start(10_000)
        self._update_clock()

    def add_navigation(self) -> None:
        session = self.window_.session
        scale = session.text_scale
        scale_text = (
            tr("大字：标准") if scale == TEXT_SCALES[0] else tr("大字：{n}倍").format(n=scale)
        )
        # Large text: the voice settings get a row of their own above the footer, so no
        # button has to squeeze its words.
        first = self.footer
        outer = self.layout()
        if scale >= LARGE_TEXT and isinstance(outer, QVBoxLayout):
            first = QHBoxLayout()
            first.setSpacing(self.footer.spacing())
            first.setContentsMargins(self.footer.contentsMargins())
            outer.insertLayout(outer.indexOf(self.footer), first)
        first.addWidget(button(scale_text, self._bigger, role="nav", name=tr("大字")))
        voice = tr("语音：开") if session.voice_on else tr("语音：关")
        first.addWidget(button(voice, self._voice, role="nav", name=tr("语音")))
        dialect = tr("普通话") if session.voice_language == "zh" else tr("粤语")
        first.addWidget(button(dialect, self._dialect, role="nav", name=tr("语音语言")))
        first.addStretch(1)
        theme = tr("高对比") if session.theme == "standard" else tr("标准颜色")
        self.footer.addWidget(button(theme, self._theme, role="nav", name=tr("颜色")))
        language = "English" if session.language == "zh" else "中文"
        self.footer.addWidget(button(language, self._language, role="nav", name=tr("语言")))
        self.replay_button = button(tr("重听"), self.ctx.speaker.repeat, role="nav")
        self.footer.addWidget(self.replay_button)

    # --- status -----------------------------------------------------------------------
    def _update_clock(self) -> None:
        now = self.ctx.now().astimezone(CHINA)
        self.clock_label.setText(
            tr("{m}月{d}日 星期{w} {hm}").format(
                m=now.month, d=now.day, w=WEEKDAYS[now.weekday()], hm=now.strftime("%H:%M")
            )
        )

    def _sync_status(self, status: Any) -> None:
        self.sync_label.setText(sync_text(status))

    def _station_tapped(self) -> None:
        now = time.monotonic()
        window = self.ctx.settings.staff_tap_window_s
        self._taps = [t for t in self._taps if now - t <= window] + [now]
        if len(self._taps) >= self.ctx.settings.staff_taps:
            self._taps.clear()
            self.window_.open_staff()

    # --- switches ---------------------------------------------------------------------
    def _bigger(self) -> None:
        self.window_.set_text_scale(self.window_.session.next_text_scale())

    def _voice(self) -> None:
        session = self.window_.session
        session.voice_on = not session.voice_on
        self.ctx.speaker.set_enabled(session.voice_on)
        self.window_.rebuild()

    def _dialect(self) -> None:
        session = self.window_.session
        session.voice_language = "yue" if session.voice_language == "zh" else "zh"
        self.ctx.speaker.set_language(session.voice_language)
        self.window_.rebuild()
        self.ctx.speaker.say("home")

    def _theme(self) -> None:
        current = self.window_.session.theme
        self.window_.set_theme("high_contrast" if current == "standard" else "standard")

    def _language(self) -> None:
        self.window_.set_language("en" if self.window_.session.language == "zh" else "zh")

    # --- tiles ------------------------------------------------------------------------
    def _checkin(self) -> None:
        from ui.screens.checkin import CheckinScreen

        self.window_.go(CheckinScreen)

    def _need(self) -> None:
        from ui.screens.needs import NeedCategoryScreen

        self.window_.go(NeedCategoryScreen)

    def _coins(self) -> None:
        from ui.screens.coins import CoinsScreen
        from ui.screens.identify import IdentifyScreen

        self.window_.go(IdentifyScreen, then=CoinsScreen, purpose=tr("查看时间币"))

    def _today(self) -> None:
        from ui.screens.today import TodayScreen

        self.window_.go(TodayScreen)

    def _wishes(self) -> None:
        from ui.screens.wishes import WishesScreen

        self.window_.go(WishesScreen)

    def _suggest(self) -> None:
        from ui.screens.suggestions import SuggestionScreen

        self.window_.go(SuggestionScreen)

    def _canteen(self) -> None:
        from ui.screens.canteen import CanteenScreen

        self.window_.go(CanteenScreen)
