"""设备: the card reader, the QR scanner and the receipt printer, each with a 测试 button.

Each row shows the device's state in plain words (就绪 / 未连接 / 故障 ...) and the
driver's own Chinese message, and follows ``ctx.devices.status`` live. 测试 does what a
resident would: the reader waits for a card and shows it masked (张*英, 440***********1234);
the scanner waits for any code and shows only its kind, its length and its first characters;
the printer prints the installer's sample need ticket (``devices.printer.cli.sample_jobs``)
on the I/O pool and reports how it went.
"""

from __future__ import annotations

import concurrent.futures
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from devices.base import DeviceState, DeviceStatus
from devices.idcard.card import IdCard
from devices.idcard.errors import IdCardError
from devices.manager import FAMILIES, is_dummy
from devices.qr.framing import ScanRecord
from devices.qr.tokens import route
from kiosk.errors import TimebankError
from kiosk.identity import mask_id, mask_name
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.ops import user_message
from ui.widgets import button, card, label

if TYPE_CHECKING:
    from devices.printer.printer import PrintResult
    from ui.window import KioskWindow

WAIT_MS = 60_000  # a reader or scanner test waits this long for a card or a code
PREVIEW_CHARS = 6  # of a scanned code, shown so staff can tell codes apart


def device_name(family: str) -> str:
    names = {"idcard": tr("身份证阅读器"), "qr": tr("二维码扫描器"), "printer": tr("小票打印机")}
    return names.get(family, family)


def _states() -> dict[DeviceState, tuple[str, str]]:
    """Mark and words per state; built per call so a language switch takes effect."""
    return {
        DeviceState.READY: ("●", tr("就绪")),
        DeviceState.BUSY: ("●", tr("正在工作")),
        DeviceState.CONNECTING: ("○", tr("正在连接")),
        DeviceState.DISCONNECTED: ("⚠", tr("未连接")),
        DeviceState.FAULT: ("⚠", tr("故障")),
        DeviceState.STOPPED: ("⚠", tr("未启动")),
    }


def _code_kind(kind: str) -> str:
    kinds = {
        "member": tr("党员码"),
        "activity": tr("活动签到码"),
        "need": tr("需求回执码"),
    }
    return kinds.get(kind, tr("其他二维码"))


def state_words(status: DeviceStatus) -> str:
    """``● 就绪`` or ``⚠ 未连接：身份证阅读器未连接``: mark, state, and the driver's words."""
    mark, words = _states().get(status.state, ("⚠", tr("状态不明")))
    text = f"{mark} {words}"
    message = status.message.strip().rstrip("。")
    if status.state is DeviceState.READY and "就绪" in message:
        return text  # "打印机就绪" adds nothing to 就绪; "打印纸快用完了" does
    if message:
        text += f"：{message}"
    return text


def connection_words(url: str) -> str:
    return tr("演示设备（没有接硬件）") if is_dummy(url) else tr("连接：{u}").format(u=url)


def card_words(card: IdCard) -> str:
    """What the reader test shows of a card: masked name and number, nothing else."""
    return tr("读卡成功：{n}，{i}").format(n=mask_name(card.name), i=mask_id(card.id_number))


def scan_words(record: ScanRecord) -> str:
    """What the scanner test shows of a code: its kind, length and first few characters."""
    text = record.data.strip()
    kind = _code_kind(route(text).kind)
    head = text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else "")
    return tr("扫码成功：{k}，共 {n} 个字符，开头是“{h}”").format(k=kind, n=len(text), h=head)


class NoPrinter(TimebankError):
    pass


class DevicesPanel(QWidget):
    title = N_("设备")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.setProperty("staff", "true")
        self.awaiting: str | None = None  # "idcard" or "qr" while its test waits
        self.state_labels: dict[str, QLabel] = {}
        self.url_labels: dict[str, QLabel] = {}
        self.result_labels: dict[str, QLabel] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._gave_up)
        ctx.devices.status.connect(self._on_status)
        ctx.devices.card.connect(self.on_card)
        ctx.devices.card_error.connect(self._on_card_error)
        ctx.devices.scan.connect(self._on_scan)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(20)
        outer.addWidget(
            label(
                tr("设备断开后会自动重连。测试时请按提示操作，结果显示在每台设备下方。"),
                "hint",
            )
        )
        tests = {"idcard": self.test_reader, "qr": self.test_scanner, "printer": self.test_printer}
        for family in FAMILIES:
            state = label("")
            url = label("", "hint")
            result = label("")
            result.hide()
            test = button(
                tr("测试"), tests[family], role="secondary", name=tr("测试") + device_name(family)
            )
            test.setObjectName(f"test-{family}")
            frame = card(spacing=8)
            grid = QGridLayout()
            grid.setHorizontalSpacing(24)
            grid.addWidget(label(device_name(family), "title", wrap=False), 0, 0)
            grid.addWidget(state, 0, 1)
            grid.addWidget(test, 0, 2, 2, 1)
            grid.addWidget(url, 1, 1)
            grid.addWidget(result, 2, 0, 1, 3)
            grid.setColumnStretch(1, 1)
            grid.setColumnMinimumWidth(0, 320)
            box = frame.layout()
            assert isinstance(box, QVBoxLayout)
            box.addLayout(grid)
            outer.addWidget(frame)
            self.state_labels[family] = state
            self.url_labels[family] = url
            self.result_labels[family] = result
            self.test_buttons[family] = test
        outer.addStretch(1)

    # --- state ------------------------------------------------------------------------
    def refresh(self) -> None:
        """The manager's status is a lock and a dict: cheap enough for the GUI thread."""
        manager = self.ctx.manager
        if manager is None:
            for family in FAMILIES:
                self.state_labels[family].setText(tr("⚠ 设备管理没有启动"))
            return
        for status in manager.status().values():
            self._on_status(status)

    def _on_status(self, status: Any) -> None:
        if not isinstance(status, DeviceStatus) or status.family not in self.state_labels:
            return
        widget = self.state_labels[status.family]
        widget.setText(state_words(status))
        good = status.state in (DeviceState.READY, DeviceState.BUSY)
        widget.setProperty("role", "ok" if good else "error")
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        self.url_labels[status.family].setText(connection_words(status.url))

    def _result(self, family: str, text: str, *, ok: bool | None = None) -> None:
        mark = "" if ok is None else ("● " if ok else "⚠ ")
        widget = self.result_labels[family]
        widget.setText(mark + text)
        widget.setProperty("role", "body" if ok is None else ("ok" if ok else "error"))
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.show()

    # --- reader and scanner -----------------------------------------------------------
    def _await(self, family: str, prompt: str) -> None:
        if self.awaiting is not None and self.awaiting != family:
            self._result(self.awaiting, tr("测试已取消。"))
        self.awaiting = family
        self._result(family, prompt)
        self._timer.start(WAIT_MS)

    def test_reader(self) -> None:
        self._await("idcard", tr("请放一张身份证……"))

    def test_scanner(self) -> None:
        self._await("qr", tr("请扫任意二维码……"))

    def _stop_waiting(self) -> None:
        self.awaiting = None
        self._timer.stop()

    def on_card(self, card: Any) -> bool:
        """Panel contract: the console hands cards here first; True when the test used it."""
        if self.awaiting != "idcard" or not isinstance(card, IdCard):
            return False
        self._stop_waiting()
        self._result("idcard", card_words(card), ok=True)
        return True

    def _on_card_error(self, error: Any) -> None:
        if self.awaiting != "idcard" or not isinstance(error, IdCardError):
            return
        self._stop_waiting()
        text = error.message if "失败" in error.message else tr("读卡失败：") + error.message
        self._result("idcard", text, ok=False)

    def _on_scan(self, record: Any) -> None:
        if self.awaiting != "qr" or not isinstance(record, ScanRecord):
            return
        self._stop_waiting()
        self._result("qr", scan_words(record), ok=True)

    def _gave_up(self) -> None:
        family = self.awaiting
        if family is None:
            return
        self.awaiting = None
        what = tr("身份证") if family == "idcard" else tr("二维码")
        self._result(family, tr("没有等到{w}，测试结束。").format(w=what), ok=False)

    # --- printer ----------------------------------------------------------------------
    def test_printer(self) -> None:
        self.test_buttons["printer"].setEnabled(False)
        self._result("printer", tr("正在打印测试小票……"))
        self.ctx.ops.io(self._print_sample, self._printed, self._print_failed, owner=self)

    def _print_sample(self) -> PrintResult:
        """On the I/O pool: the installer's sample need ticket, waited for up to its timeout."""
        from devices.printer.cli import sample_jobs
        from devices.printer.status import PrinterError

        printer = self.ctx.manager.printer() if self.ctx.manager is not None else None
        if printer is None:
            raise NoPrinter("没有可用的打印机，请检查设备设置。", detail="no printer device")
        future = printer.print_job(sample_jobs(printer.layout)[0])
        try:
            return future.result(timeout=printer.job_timeout + 2.0)
        except PrinterError as exc:  # a typed printer failure: its words, logged as info
            raise NoPrinter(exc.message, detail=exc.detail) from exc
        except concurrent.futures.TimeoutError:
            raise NoPrinter(
                "打印机没有响应，本次未能打印。", detail="print-test future not settled"
            ) from None

    def _printed(self, result: PrintResult) -> None:
        self.test_buttons["printer"].setEnabled(True)
        self._result(
            "printer",
            tr("测试小票已打印（{n} 字节），请查看出纸是否清楚、有没有二维码。").format(
                n=result.bytes_sent
            ),
            ok=True,
        )

    def _print_failed(self, exc: Exception) -> None:
        self.test_buttons["printer"].setEnabled(True)
        self._result("printer", tr("打印失败：{e}").format(e=user_message(exc)), ok=False)
