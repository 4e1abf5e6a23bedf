"""同步: how far this kiosk is behind the server, what went wrong, and what staff can do.

Everything here is in plain words for station staff: how many records wait and for how long,
when sync last worked, why it failed, a clock that is off, a long outage, and the records
the server refused (quarantine) with 重新发送 and 标记已处理 for each. 立即同步 asks the
background worker for a cycle now; a kiosk running without a worker (service mode) runs
one cycle itself, if it is enrolled.

Status comes from the worker through ``ctx.sync.status`` and, on showing, from the store
(``sync.engine.read_status``). Database work runs on the database thread, the network
cycle on the I/O pool; nothing here waits on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import CHINA
from sync.background import WorkerStatus
from sync.engine import SyncStatus, read_status
from sync.protocol import MAX_SKEW_SECONDS
from sync.quarantine import QuarantinedItem, QuarantineService
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.ops import user_message
from ui.widgets import button, card, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

log = logging.getLogger(__name__)

SHOWN_ITEMS = 50  # quarantined records listed at once; the rest are counted
RESULT_WAIT_MS = 120_000  # how long 立即同步 waits for the worker's answer


# --------------------------------------------------------------------------- plain words


def duration_words(seconds: float) -> str:
    """``3 小时``: the largest whole unit, for ages and differences."""
    s = max(0, int(seconds))
    if s < 60:
        return tr("不到 1 分钟")
    if s < 2 * 3600:
        return tr("{n} 分钟").format(n=s // 60)
    if s < 2 * 86400:
        return tr("{n} 小时").format(n=s // 3600)
    return tr("{n} 天").format(n=s // 86400)


def when_words(moment: dt.datetime, now: dt.datetime) -> str:
    """``今天 09:00``, ``昨天 17:30``, ``3月2日 09:00``, ``2025年3月2日 09:00``."""
    local, today = moment.astimezone(CHINA), now.astimezone(CHINA).date()
    hhmm = local.strftime("%H:%M")
    if local.date() == today:
        return tr("今天 {t}").format(t=hhmm)
    if local.date() == today - dt.timedelta(days=1):
        return tr("昨天 {t}").format(t=hhmm)
    if local.year == today.year:
        return tr("{m}月{d}日 {t}").format(m=local.month, d=local.day, t=hhmm)
    return tr("{y}年{m}月{d}日 {t}").format(y=local.year, m=local.month, d=local.day, t=hhmm)


def sync_error_words(error: str) -> str:
    """The engine's last error (English for logs, or already Chinese) in plain Chinese."""
    error = error.strip()
    if not error:
        return ""
    if not error.isascii():  # the engine stores the server's refusal of the device in Chinese
        return error
    kind = error.split(":", 1)[0].strip()
    if kind in {"Retryable", "ConnectionError", "OSError", "TimeoutError", "Timeout"}:
        return tr("连不上服务器，稍后会自动重试。请检查网络。")
    if kind == "ServerRestored":
        return tr("服务器刚从备份恢复，下次同步会把记录重新上传。")
    if kind == "Refused":
        return tr("服务器拒绝了这次同步，稍后会自动重试；一直如此请联系管理员。")
    return tr("同步没有完成，稍后会自动重试。")


def skew_words(skew_s: float | None) -> str:
    """The clock warning, or "" when the clock is within the server's tolerance."""
    if skew_s is None or abs(skew_s) <= MAX_SKEW_SECONDS:
        return ""
    return tr("本机时间与服务器相差 {d}，请校准本机时间。").format(d=duration_words(abs(skew_s)))


def _top_aligned(frame: QFrame) -> None:
    """Extra height goes below a card's lines, not between them."""
    column = frame.layout()
    if isinstance(column, QVBoxLayout):
        column.addStretch(1)


class NotEnrolled(Exception):
    """No ``sync.json`` in the data directory: this kiosk was never enrolled."""


class SyncPanel(QWidget):
    title = N_("同步")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.setProperty("staff", "true")
        self.quarantine = QuarantineService(ctx.services.store)
        self.status: SyncStatus | None = None
        self.worker_status: WorkerStatus | None = ctx.sync.last
        self.items: list[QuarantinedItem] = []
        self.quarantined = 0
        self.waiting = False  # 立即同步 asked the worker and waits for its next report
        self._build()
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.timeout.connect(self._no_answer)
        ctx.sync.status.connect(self._on_worker_status)

    # --- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(20)
        self.message = label("", "error")
        self.message.hide()
        outer.addWidget(self.message)

        top = QHBoxLayout()
        top.setSpacing(24)
        self.state_label = label("", "body")
        self.pending_label = label("")
        self.success_label = label("")
        self.error_label = label("", "error")
        self.clock_label = label("", "error")
        self.alert_label = label("", "error")
        status_card = card(
            label(tr("同步状态"), "title"),
            self.state_label,
            self.alert_label,
            self.clock_label,
            self.error_label,
            self.pending_label,
            self.success_label,
            spacing=12,
        )
        _top_aligned(status_card)
        top.addWidget(status_card, 3)

        self.sync_button = button(tr("立即同步"), self.sync_now, role="primary")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.hide()  # until the first 立即同步
        self.result_label = label("")
        hint = label(tr("平时自动同步：有新记录后很快上传，空闲时每隔几分钟一次。"), "hint")
        action_card = card(
            label(tr("手动同步"), "title"),
            self.sync_button,
            self.progress,
            self.result_label,
            hint,
            spacing=12,
        )
        _top_aligned(action_card)
        top.addWidget(action_card, 2)
        outer.addLayout(top)

        self.quarantine_title = label(tr("服务器没有接受的记录"), "title")
        explain = label(
            tr("重新发送：下次同步时再发一次。标记已处理：记录留在本机，不再发送，也不再显示。"),
            "hint",
        )
        self.rows_host = QWidget()
        self.rows = QGridLayout(self.rows_host)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setHorizontalSpacing(24)
        self.rows.setVerticalSpacing(12)
        self.rows.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)  # the card's surface shows through
        scroll.setWidget(self.rows_host)
        self.rows_host.setAutoFillBackground(False)  # after setWidget, which turns it on
        self.more_label = label("", "hint")
        self.done_label = label("", "body")
        self.done_label.hide()
        q_card = card(self.quarantine_title, explain, self.done_label, scroll, self.more_label)
        q_card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        outer.addWidget(q_card, 1)

    # --- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the status and the quarantine list from the store."""
        store, quarantine = self.ctx.services.store, self.quarantine

        def work() -> tuple[SyncStatus, list[QuarantinedItem], int]:
            return read_status(store), quarantine.items(SHOWN_ITEMS), quarantine.count()

        self.ctx.ops.db(work, self._loaded, self.show_error, owner=self)

    def _loaded(self, loaded: tuple[SyncStatus, list[QuarantinedItem], int]) -> None:
        status, items, count = loaded
        self.status = status
        self.items = items
        self.quarantined = count
        self._show_status()
        self._show_items()

    def _on_worker_status(self, status: Any) -> None:
        if not isinstance(status, WorkerStatus):
            return
        self.worker_status = status
        self.status = status.sync
        self._show_status()
        if self.waiting:
            self._finish_worker_cycle(status)
        if status.sync.quarantined != self.quarantined:
            self.refresh()

    # --- status -----------------------------------------------------------------------
    def _show_status(self) -> None:
        status, worker = self.status, self.worker_status
        if status is None:
            return
        now = self.ctx.now()
        failing = bool(worker and worker.failures) or bool(status.last_error)
        if worker is not None and worker.auth_refused:
            self.state_label.setText(tr("⚠ 服务器不接受本机，同步已暂停"))
        elif failing:
            self.state_label.setText(tr("⚠ 最近一次同步没有成功"))
        elif status.pending:
            self.state_label.setText(tr("● 正常，有记录等待上传"))
        else:
            self.state_label.setText(tr("● 正常，全部记录已上传"))
        self.state_label.setProperty("role", "error" if failing else "ok")
        self._restyle(self.state_label)

        if status.pending:
            text = tr("等待上传：{n} 条").format(n=status.pending)
            if status.oldest_pending_age_s is not None:
                text += tr("，最早一条已等待 {d}").format(
                    d=duration_words(status.oldest_pending_age_s)
                )
            self.pending_label.setText(text)
        else:
            self.pending_label.setText(tr("等待上传：没有"))

        if status.last_success_at is not None:
            ago = duration_words((now - status.last_success_at).total_seconds())
            self.success_label.setText(
                tr("上次同步成功：{w}（{d}前）").format(
                    w=when_words(status.last_success_at, now), d=ago
                )
            )
        else:
            self.success_label.setText(tr("上次同步成功：还没有成功同步过"))

        error = sync_error_words(status.last_error)
        self._line(self.error_label, tr("⚠ 上次出错：{e}").format(e=error) if error else "")
        skew = skew_words(status.clock_skew_s)
        self._line(self.clock_label, "⚠ " + skew if skew else "")
        alert = ""
        if worker is not None and worker.alert:
            alert = tr("⚠ 已经很久没有同步成功，请检查网络，或联系管理员。")
            if status.last_success_at is not None:
                since = duration_words((now - status.last_success_at).total_seconds())
                alert = tr("⚠ 已经 {d}没有同步成功，请检查网络，或联系管理员。").format(d=since)
        self._line(self.alert_label, alert)

    @staticmethod
    def _line(widget: QLabel, text: str) -> None:
        widget.setText(text)
        widget.setVisible(bool(text))

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # --- quarantine -------------------------------------------------------------------
    def _show_items(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.quarantine_title.setText(
            tr("服务器没有接受的记录（{n} 条）").format(n=self.quarantined)
        )
        self.done_label.setVisible(not self.items)
        self.done_label.setText(tr("● 没有需要处理的记录。"))
        now = self.ctx.now()
        for row, item in enumerate(self.items):
            what = label(item.what, wrap=False)
            when = label(when_words(item.created_at, now), wrap=False)
            why = label(item.reason, "hint")
            retry = button(
                tr("重新发送"),
                lambda seq=item.device_seq: self.retry(seq),
                role="secondary",
                name=tr("重新发送 第{n}条").format(n=row + 1),
            )
            dismiss = button(
                tr("标记已处理"),
                lambda seq=item.device_seq: self.ask_dismiss(seq),
                role="nav",
                name=tr("标记已处理 第{n}条").format(n=row + 1),
            )
            retry.setObjectName(f"retry-{item.device_seq}")
            dismiss.setObjectName(f"dismiss-{item.device_seq}")
            for column, widget in enumerate((what, when, why, retry, dismiss)):
                self.rows.addWidget(widget, row, column)
        self.rows.setRowStretch(len(self.items), 1)
        hidden = self.quarantined - len(self.items)
        self._line(
            self.more_label,
            tr("还有 {n} 条未显示，处理完上面的记录后会显示。").format(n=hidden)
            if hidden > 0
            else "",
        )

    def _staff_id(self) -> Any:
        return getattr(self.window_.staff_account, "id", None)

    def retry(self, device_seq: int) -> None:
        staff = self._staff_id()
        self.clear_error()
        self.ctx.ops.db(
            lambda: self.quarantine.retry(device_seq, staff_id=staff),
            lambda _: self._resolved(tr("已设为重新发送，下次同步时会再发一次。"), write=True),
            self.show_error,
            owner=self,
        )

    def ask_dismiss(self, device_seq: int) -> None:
        """标记已处理 cannot be undone here, so it is confirmed first, in the window."""
        overlay = self.window_.show_overlay(staff=True)
        overlay.content.addWidget(label(tr("标记为已处理？"), "title"))
        overlay.content.addWidget(
            label(tr("这条记录会留在本机，但不再发送到服务器，也不再显示在这里。"))
        )
        overlay.buttons.addWidget(
            button(tr("标记已处理"), lambda: self._confirm_dismiss(device_seq), name="confirm")
        )
        overlay.buttons.addWidget(button(tr("取消"), self.window_.close_overlay, role="nav"))
        overlay.finish()

    def _confirm_dismiss(self, device_seq: int) -> None:
        self.window_.close_overlay()
        staff = self._staff_id()
        self.clear_error()
        self.ctx.ops.db(
            lambda: self.quarantine.dismiss(device_seq, staff_id=staff),
            lambda _: self._resolved(tr("已标记为已处理。"), write=True),
            self.show_error,
            owner=self,
        )

    def _resolved(self, text: str, *, write: bool) -> None:
        self.result_label.setText("● " + text)
        if write:
            self.ctx.notify_write()  # the audit entry (and a retried item) should go soon
        self.refresh()

    # --- sync now ---------------------------------------------------------------------
    def sync_now(self) -> None:
        self.clear_error()
        self._busy(tr("正在同步……"))
        worker = self.ctx.worker
        if worker is not None:
            self.waiting = True
            self._wait_timer.start(RESULT_WAIT_MS)
            worker.sync_now()
            return
        self.ctx.ops.io(self._one_cycle, self._cycle_done, self._cycle_failed, owner=self)

    def _one_cycle(self) -> SyncStatus:
        """No background worker (service mode): one engine cycle on the I/O pool."""
        from sync.client import SyncClient
        from sync.engine import SyncEngine
        from sync.enrolment import load_enrolment

        folder = self.ctx.data_dir
        enrolment = load_enrolment(folder)
        if enrolment is None:
            raise NotEnrolled("kiosk not enrolled")
        client = SyncClient(enrolment.server_url, enrolment.credentials())
        engine = SyncEngine(self.ctx.services.store, client, lock_path=folder / "sync.lock")
        return engine.run_once()

    def _busy(self, text: str) -> None:
        self.sync_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy: no percentage to show
        self.progress.show()
        self.result_label.setText(text)

    def _finished(self, ok: bool, text: str) -> None:
        self.waiting = False
        self._wait_timer.stop()
        self.sync_button.setEnabled(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if ok else 0)
        self.progress.setFormat(tr("完成") if ok else tr("未完成"))
        self.result_label.setText(("● " if ok else "⚠ ") + text)

    def _finish_worker_cycle(self, status: WorkerStatus) -> None:
        if status.failures == 0:
            self._finished(True, self._done_words(status.sync))
        else:
            error = sync_error_words(status.sync.last_error) or tr("同步没有完成。")
            self._finished(False, tr("同步失败：{e}").format(e=error))

    def _cycle_done(self, status: SyncStatus) -> None:
        self._finished(True, self._done_words(status))
        self.refresh()

    def _cycle_failed(self, exc: Exception) -> None:
        from sync.client import Refused
        from sync.engine import SyncBusy

        if isinstance(exc, NotEnrolled):
            text = tr("本机尚未注册到服务器，不能同步。请联系管理员登记本机。")
        elif isinstance(exc, SyncBusy):
            text = tr("已经在同步了，请稍候再看结果。")
        elif isinstance(exc, Refused) and exc.auth_refused:
            text = exc.staff_message
        elif isinstance(exc, OSError):
            text = sync_error_words("OSError")
        else:
            text = sync_error_words(f"{type(exc).__name__}: {exc}")
        self._finished(False, tr("同步失败：{e}").format(e=text))
        self.refresh()

    def _no_answer(self) -> None:
        if self.waiting:
            self._finished(False, tr("暂时没有同步结果，同步会在后台继续，请稍后再看。"))

    @staticmethod
    def _done_words(status: SyncStatus) -> str:
        return tr("同步完成：上传 {p} 条，下载 {q} 条。").format(p=status.pushed, q=status.pulled)

    # --- errors -----------------------------------------------------------------------
    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else user_message(exc)
        self.message.setText("⚠ " + text)
        self.message.show()

    def clear_error(self) -> None:
        self.message.hide()
        self.message.setText("")
