"""Staff console panels 同步, 设备 and 统计, built directly on a real kiosk (temp store, Dummies).

Each panel sits in a host that carries what the console root gives it (the window's style
sheet, ``staff=true``), and a screenshot of each at 1920x1080 goes to /tmp/shots/staff_panels/
for a look by eye.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from devices.idcard.base import DummyIdCardReader
from devices.idcard.errors import ReadFailed
from devices.printer.dummy import DummyFault, DummyPrinter
from kiosk.clock import FixedClock
from kiosk.identity import mask_id
from kiosk.services import Services
from kiosk.store.models import OrgType, OutboxItem, OutboxStatus
from sync.background import SyncWorker, WorkerStatus
from sync.engine import SyncEngine, SyncStatus
from tests.factories import World, at
from tests.test_export import busy_station
from tests.test_sync_quarantine import StandInServer, make_quarantined, serve_an_activity
from tests.ui.conftest import scan, settle, tap_card
from ui.app import KioskApp
from ui.screens.staff.devices_panel import DevicesPanel
from ui.screens.staff.stats_panel import StatsPanel, nice_axis
from ui.screens.staff.sync_panel import (
    SyncPanel,
    duration_words,
    skew_words,
    sync_error_words,
    when_words,
)

SHOTS = Path("/tmp/shots/staff_panels")


def host(qtbot: QtBot, kiosk: KioskApp, panel: QWidget) -> QWidget:
    """What the console root gives a panel: the window's style sheet and staff sizes."""
    root = QWidget()
    root.setProperty("role", "screen")
    root.setProperty("staff", "true")
    root.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    root.setStyleSheet(kiosk.window.styleSheet())
    QVBoxLayout(root).addWidget(panel)
    root.resize(1920, 1080)
    qtbot.addWidget(root)
    root.show()
    qtbot.waitExposed(root)
    return root


def shoot(root: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    root.resize(1920, 1080)
    QApplication.processEvents()  # let pending layout requests run, as the event loop would
    path = SHOTS / f"{name}.png"
    assert root.grab().save(str(path))
    return path


def texts(widget: QWidget) -> str:
    QApplication.processEvents()  # children added to a shown layout are shown by a queued call
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def find_button(widget: QWidget, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert found is not None, name
    return found


def click_text(widget: QWidget, text: str) -> None:
    next(b for b in widget.findChildren(QPushButton) if b.text() == text).click()


def outbox_status(svc: Services) -> dict[int, str]:
    with svc.store.read() as s:
        return dict(s.execute(select(OutboxItem.device_seq, OutboxItem.status)).all())


# --------------------------------------------------------------------------- 同步


def test_words_for_staff() -> None:
    assert duration_words(3 * 3600 + 59) == "3 小时"
    assert duration_words(90) == "1 分钟" and duration_words(5) == "不到 1 分钟"
    assert duration_words(3 * 86400) == "3 天"
    assert skew_words(420).startswith("本机时间与服务器相差 7 分钟，请校准")
    assert skew_words(-420).startswith("本机时间与服务器相差 7 分钟")
    assert skew_words(299) == "" and skew_words(None) == ""
    now = at(2, 12, 0)
    assert when_words(at(2, 9, 5), now) == "今天 09:05"
    assert when_words(at(1, 17, 30), now) == "昨天 17:30"
    assert when_words(dt.datetime(2025, 12, 31, 8, 0, tzinfo=now.tzinfo), now).startswith("2025年")
    assert sync_error_words("Retryable: ConnectionError: refused").startswith("连不上服务器")
    assert sync_error_words("服务器已停用本机，暂停同步。") == "服务器已停用本机，暂停同步。"
    assert sync_error_words("ValueError: boom").isascii() is False
    assert sync_error_words("") == ""


def test_sync_panel_resolves_quarantined_records(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World
) -> None:
    seqs = make_quarantined(svc, world)
    assert len(seqs) == 3
    panel = SyncPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)
    panel.refresh()
    settle(qtbot, kiosk)
    shown = texts(panel)
    assert "服务器没有接受的记录（3 条）" in shown
    assert "签到签退 · 新建" in shown and "服务记录 · 新建" in shown
    assert "服务器拒收" in shown and "rejected" not in shown
    assert "● 正常，全部记录已上传" in shown
    shoot(root, "sync_quarantine")

    find_button(panel, f"retry-{seqs[0]}").click()
    settle(qtbot, kiosk)
    assert outbox_status(svc)[seqs[0]] == OutboxStatus.PENDING
    assert "服务器没有接受的记录（2 条）" in texts(panel)
    assert "已设为重新发送" in panel.result_label.text()
    assert "等待上传：2 条" in texts(panel)  # the record and the audit entry of the retry

    find_button(panel, f"dismiss-{seqs[1]}").click()
    overlay = kiosk.window.overlay
    assert overlay is not None  # confirmed in the window, never a QMessageBox
    assert outbox_status(svc)[seqs[1]] == OutboxStatus.QUARANTINED
    click_text(overlay, "标记已处理")
    settle(qtbot, kiosk)
    assert kiosk.window.overlay is None
    assert outbox_status(svc)[seqs[1]] == OutboxStatus.DISMISSED
    assert "服务器没有接受的记录（1 条）" in texts(panel)
    assert panel.findChild(QPushButton, f"dismiss-{seqs[1]}") is None

    find_button(panel, f"dismiss-{seqs[2]}").click()
    assert kiosk.window.overlay is not None
    click_text(kiosk.window.overlay, "取消")
    settle(qtbot, kiosk)
    assert outbox_status(svc)[seqs[2]] == OutboxStatus.QUARANTINED


def test_sync_panel_shows_trouble_in_plain_words(
    qtbot: QtBot, kiosk: KioskApp, clock: FixedClock
) -> None:
    panel = SyncPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)
    panel.refresh()
    settle(qtbot, kiosk)
    now = clock.now()
    kiosk.sync.on_status(
        WorkerStatus(
            sync=SyncStatus(
                pending=12,
                oldest_pending_age_s=3 * 3600 + 600,
                quarantined=0,
                last_success_at=now - dt.timedelta(hours=26),
                last_error="Retryable: ConnectionError: [Errno 111] Connection refused",
                clock_skew_s=-425.0,
            ),
            failures=40,
            next_run_in_s=900,
            alert=True,
        )
    )
    settle(qtbot, kiosk)
    shown = texts(panel)
    assert "等待上传：12 条，最早一条已等待 3 小时" in shown
    assert "上次同步成功：昨天 07:00（26 小时前）" in shown
    assert "⚠ 上次出错：连不上服务器" in shown
    assert "本机时间与服务器相差 7 分钟，请校准" in shown
    assert "已经 26 小时没有同步成功" in shown
    assert "⚠ 最近一次同步没有成功" in shown
    assert "Errno" not in shown and "Retryable" not in shown
    shoot(root, "sync_trouble")


def test_sync_now_without_enrolment_says_so(qtbot: QtBot, kiosk: KioskApp) -> None:
    panel = SyncPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)  # noqa: F841  # the host owns the panel
    panel.sync_button.click()
    assert panel.progress.maximum() == 0  # busy while it runs
    settle(qtbot, kiosk)
    assert "本机尚未注册到服务器" in panel.result_label.text()
    assert panel.progress.maximum() == 1 and panel.progress.value() == 0
    assert panel.sync_button.isEnabled()


def test_sync_now_when_the_server_cannot_be_reached(
    qtbot: QtBot, kiosk: KioskApp, data_dir: Path
) -> None:
    (data_dir / "sync.json").write_text(
        json.dumps(
            {
                "server_url": "http://127.0.0.1:9",  # discard port: nothing answers
                "device_id": "kiosk-test",
                "secret": base64.b64encode(b"s" * 32).decode(),
                "station_id": "",
            }
        )
    )
    panel = SyncPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)  # noqa: F841  # the host owns the panel
    panel.sync_button.click()
    qtbot.waitUntil(panel.sync_button.isEnabled, timeout=15000)
    settle(qtbot, kiosk)
    assert "同步失败：连不上服务器" in panel.result_label.text()
    assert "连不上服务器" in panel.error_label.text()  # the engine recorded it; shown in words


def test_sync_now_asks_the_worker_and_shows_its_result(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World
) -> None:
    server = StandInServer(clock=svc.store.clock)
    worker = SyncWorker(SyncEngine(svc.store, server))  # type: ignore[arg-type]
    kiosk.attach_sync(worker)
    worker.start()
    qtbot.waitUntil(lambda: kiosk.sync.last is not None, timeout=10000)  # the sync at start
    serve_an_activity(svc, world)
    panel = SyncPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)  # noqa: F841  # the host owns the panel
    panel.sync_button.click()
    assert panel.progress.maximum() == 0 and not panel.sync_button.isEnabled()
    qtbot.waitUntil(panel.sync_button.isEnabled, timeout=10000)
    assert panel.result_label.text().startswith("● 同步完成：上传 ")
    assert panel.progress.value() == 1
    assert server.pushed
    assert set(outbox_status(svc).values()) == {OutboxStatus.ACKED}


# --------------------------------------------------------------------------- 设备


def test_devices_panel_shows_state_and_tests_each_device(
    qtbot: QtBot, kiosk: KioskApp, world: World
) -> None:
    panel = DevicesPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)
    panel.refresh()
    for family in ("idcard", "qr", "printer"):
        assert panel.state_labels[family].text().startswith("● 就绪")
        assert panel.url_labels[family].text() == "演示设备（没有接硬件）"

    # reader: prompt, then the card masked
    find_button(panel, "test-idcard").click()
    assert panel.result_labels["idcard"].text() == "请放一张身份证……"
    tap_card(kiosk, "张晓英", world.member_id_number)
    settle(qtbot, kiosk)
    result = panel.result_labels["idcard"].text()
    assert result == f"● 读卡成功：张*英，{mask_id(world.member_id_number)}"
    assert world.member_id_number not in texts(panel) and "张晓英" not in texts(panel)
    assert panel.awaiting is None

    # a card error while waiting
    find_button(panel, "test-idcard").click()
    reader = kiosk.manager.id_reader()
    assert isinstance(reader, DummyIdCardReader)
    reader.present_error(ReadFailed())
    failed = panel.result_labels["idcard"].text()
    assert failed.startswith("⚠ 读卡失败") and failed.count("读卡失败") == 1

    # scanner: prompt, then kind, length and the first characters only
    kiosk.window.close_overlay()
    find_button(panel, "test-qr").click()
    assert panel.result_labels["qr"].text() == "请扫任意二维码……"
    code = "TBN1:0193f1c2-7a4b-7c1d-9e8f-1234567890ab"
    scan(kiosk, code)
    settle(qtbot, kiosk)
    assert panel.result_labels["qr"].text() == (
        f"● 扫码成功：需求回执码，共 {len(code)} 个字符，开头是“TBN1:0…”"
    )
    assert code not in texts(panel)

    # printer: the sample need ticket reaches the Dummy
    printer = kiosk.manager.printer()
    assert isinstance(printer, DummyPrinter)
    find_button(panel, "test-printer").click()
    settle(qtbot, kiosk)
    assert panel.result_labels["printer"].text().startswith("● 测试小票已打印")
    assert len(printer.jobs) == 1
    assert "服务需求回执".encode("gb18030") in printer.output
    kiosk.window.close_overlay()
    shoot(root, "devices_ok")

    # faults show live, and a failed test says why in words
    printer.set_fault(DummyFault.PAPER_END)
    assert panel.state_labels["printer"].text().startswith("⚠ 故障：打印机缺纸")
    find_button(panel, "test-printer").click()
    settle(qtbot, kiosk)
    assert panel.result_labels["printer"].text().startswith("⚠ 打印失败：打印机缺纸")
    assert len(printer.jobs) == 1
    reader.unplug()
    assert panel.state_labels["idcard"].text() == "⚠ 未连接：身份证阅读器未连接"
    shoot(root, "devices_faults")


def test_reader_test_gives_up_after_a_while(qtbot: QtBot, kiosk: KioskApp) -> None:
    panel = DevicesPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)  # noqa: F841  # the host owns the panel
    find_button(panel, "test-qr").click()
    panel._timer.setInterval(10)
    panel._timer.start()
    qtbot.waitUntil(lambda: panel.awaiting is None, timeout=2000)
    assert panel.result_labels["qr"].text() == "⚠ 没有等到二维码，测试结束。"


# --------------------------------------------------------------------------- 统计


def test_nice_axis_steps() -> None:
    assert nice_axis(0) == (1.0, 2)  # an empty chart still has an axis
    assert nice_axis(4) == (6.0, 4)  # room above the tallest bar for its number
    assert nice_axis(13) == (20.0, 5)
    assert nice_axis(240) == (400.0, 5)


@pytest.fixture
def stats_panel(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, clock: FixedClock
) -> tuple[StatsPanel, QWidget]:
    busy_station(svc, world, clock)
    panel = StatsPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)
    panel.refresh()
    settle(qtbot, kiosk)
    return panel, root


def test_stats_panel_shows_the_stats_service_figures(
    stats_panel: tuple[StatsPanel, QWidget], svc: Services, world: World
) -> None:
    panel, root = stats_panel
    station = world.station.id
    march = svc.stats.summary(station_id=station, month="2026-03")
    february = svc.stats.summary(station_id=station, month="2026-02")
    services, compare = panel.tiles["services"]
    assert services.text() == f"{march['person_times_served']} 人次" == "1 人次"
    assert compare.text() == f"上月 {february['person_times_served']} 人次，比上月少 1 人次 ▼"
    coins, compare = panel.tiles["coins"]
    assert coins.text() == "1.5 个" and march["coins_issued_minutes"] == 90
    assert compare.text().startswith("合 90 分钟；上月 4 个，比上月少 2.5 个 ▼")
    residents, compare = panel.tiles["residents"]
    assert residents.text() == f"{march['residents_served']} 人次" == "1 人次"
    assert compare.text().endswith("比上月多 1 人次 ▲")
    assert panel.heading.text() == "金洲社区党群服务站 · 2026年统计"

    def bars(view: object) -> dict[str, list[float]]:
        chart = view.chart()  # type: ignore[attr-defined]
        (series,) = chart.series()
        return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}

    orgs = svc.stats.org_service(year=2026, town_id=world.town.id)
    org_bars = bars(panel.org_view)
    assert org_bars["已完成（次）"] == [float(o.service_count) for o in orgs]
    assert org_bars["年度任务（次）"] == [float(o.annual_quota) for o in orgs]
    org_names = _categories(panel.org_view)
    assert org_names == [f"{o.name}完成 {o.service_count}/{o.annual_quota}" for o in orgs]
    assert _categories(panel.coins_view) == ["1", "2", "3"]
    assert bars(panel.coins_view) == {"时间币": [0.0, 4.0, 1.5]}
    needs = dict(zip(*_categories_and_values(panel.needs_view), strict=True))
    assert needs["理发"] == 2 and needs["送餐"] == 1 and sum(needs.values()) == 3
    shoot(root, "stats")
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    shoot(root, "stats_scrolled")


def _categories(view: object) -> list[str]:
    """The category axis labels as read on screen (QtCharts renders them as rich text)."""
    chart = view.chart()  # type: ignore[attr-defined]
    names = next(a for a in chart.axes() if a.type() == a.AxisType.AxisTypeBarCategory)
    return [c.replace("<br>", "") for c in names.categories()]


def _categories_and_values(view: object) -> tuple[list[str], list[float]]:
    (series,) = view.chart().series()  # type: ignore[attr-defined]
    (bars,) = series.barSets()
    return _categories(view), [bars.at(i) for i in range(bars.count())]


def test_stats_panel_exports_excel_and_csv(
    stats_panel: tuple[StatsPanel, QWidget],
    qtbot: QtBot,
    kiosk: KioskApp,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    panel, root = stats_panel
    assert Path(panel.folder.text()) == data_dir / "exports"
    panel.xlsx_button.click()
    settle(qtbot, kiosk)
    written = data_dir / "exports" / "时间银行统计_20260302_1200.xlsx"
    assert written.exists()
    assert "已导出：时间银行统计_20260302_1200.xlsx" in panel.export_label.text()
    book = load_workbook(written)
    months = list(book["本月与上月"].iter_rows(values_only=True))
    assert months[1] == ("党员服务人次", 1, 2, -1, "人次")

    panel.folder.setText(str(tmp_path / "usb"))
    panel.csv_button.click()
    settle(qtbot, kiosk)
    csv_file = tmp_path / "usb" / "时间银行统计_20260302_1200.csv"
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "已导出：时间银行统计_20260302_1200.csv" in panel.export_label.text()
    shoot(root, "stats_exported")

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    panel.folder.setText(str(blocked))
    panel.csv_button.click()
    settle(qtbot, kiosk)
    assert panel.export_label.text().startswith("⚠ 导出失败：无法写入这个文件夹")


def test_stats_panel_in_high_contrast_with_many_organisations(
    qtbot: QtBot, kiosk: KioskApp, svc: Services, world: World, clock: FixedClock
) -> None:
    busy_station(svc, world, clock)
    for n, name in enumerate(
        (
            "广州南沙经济技术开发区管理委员会机关第一党支部",
            "南沙区教育局党委",
            "南沙供电局党总支",
            "广州港南沙港务有限公司党委",
            "南沙区人民医院党委",
            "金洲社区两新组织联合党支部",
        )
    ):
        svc.reference.add_organisation(
            name=name, org_type=OrgType.OTHER, town_id=world.town.id, annual_quota=6 + n
        )
    kiosk.window.set_theme("high_contrast")
    panel = StatsPanel(kiosk.context, kiosk.window)
    root = host(qtbot, kiosk, panel)
    panel.refresh()
    settle(qtbot, kiosk)
    assert panel.org_view.chart().backgroundBrush().color().name() == "#000000"
    names = _categories(panel.org_view)
    assert len(names) == 8
    assert "广州南沙经济技术开…会机关第一党支部完成 0/6" in names  # long names keep both ends
    shoot(root, "stats_high_contrast")
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    shoot(root, "stats_high_contrast_scrolled")
