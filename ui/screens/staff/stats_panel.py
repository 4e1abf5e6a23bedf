"""统计: this station's figures with charts, and the same figures as Excel and CSV files.

One ``kiosk.export.StationReport`` is read on the database thread and both drawn and
exported, so the screen and the files always agree. Charts are QtCharts (PySide6 Addons);
QtCharts ignores style sheets, so fonts and colours are taken from the window's ``Look``
(the staff text size and the theme's high-contrast colours) rather than set by hand. Bars
are told apart by fill as well as colour (solid 已完成 against hatched 年度任务), and every
bar carries its number, so nothing depends on colour alone.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import CHINA
from kiosk.config import COIN
from kiosk.export import MonthFigures, StationReport, export_report, station_report
from kiosk.services.ledger import format_coins
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.ops import user_message
from ui.tokens import Theme
from ui.widgets import button, card, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

CHART_MIN_H = 360  # px; each chart stays readable at the staff text size
ORG_NAME_MAX = 18  # characters of an organisation's name on one line of the chart
ORG_ROW_H = 90  # px per organisation in the quota chart (two bars and their numbers)


def change_words(this: int, last: int, unit: str = "", *, coins: bool = False) -> str:
    """``比上月多 3 人次 ▲``: the difference in words, with an arrow that is not the only cue."""
    diff = this - last
    amount = format_coins(abs(diff)) if coins else str(abs(diff))
    if diff > 0:
        return tr("比上月多 {a}{u} ▲").format(a=amount, u=unit)
    if diff < 0:
        return tr("比上月少 {a}{u} ▼").format(a=amount, u=unit)
    return tr("与上月持平")


def nice_axis(largest: float) -> tuple[float, int]:
    """An axis top a little above ``largest`` on a round step, and its tick count."""
    wanted = max(largest * 1.4, 1.0)  # room above the tallest bar for its number
    step = 1.0
    while wanted / step > 5:
        for factor in (2.0, 2.5, 2.0):  # 1, 2, 5, 10, 20, 50 ...
            step *= factor
            if wanted / step <= 5:
                break
    top = math.ceil(wanted / step) * step
    return top, round(top / step) + 1


def org_label(name: str, done: int, quota: int) -> str:
    """Name, then 完成 2/12 on a second line (a bar of zero shows no number of its own).

    QtCharts fits two lines of a category label; a name too long for one line keeps its
    start and its end (the full name is in the export)."""
    if len(name) > ORG_NAME_MAX:
        name = name[: ORG_NAME_MAX // 2] + "…" + name[-(ORG_NAME_MAX // 2 - 1) :]
    ratio = tr("完成 {n}/{q}").format(n=done, q=quota)
    return html.escape(name) + "<br>" + html.escape(ratio)


def axis_label(text: str, width: int) -> str:
    """A category label for QtCharts, which renders labels as rich text and elides what does
    not fit: escaped, and broken into two lines when longer than ``width`` characters."""
    if len(text) > width:
        half = (len(text) + 1) // 2
        return html.escape(text[:half]) + "<br>" + html.escape(text[half:])
    return html.escape(text)


class StatsPanel(QWidget):
    title = N_("统计")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.setProperty("staff", "true")
        self.report: StationReport | None = None
        self._build()

    # --- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.viewport().setAutoFillBackground(False)  # the console's background shows through
        outer.addWidget(scroll)
        host = QWidget()
        scroll.setWidget(host)
        host.setAutoFillBackground(False)  # after setWidget, which turns it on
        body = QVBoxLayout(host)
        body.setContentsMargins(32, 16, 32, 16)
        body.setSpacing(12)

        self.message = label("", "error")
        self.message.hide()
        body.addWidget(self.message)

        head = QHBoxLayout()
        self.heading = label(tr("本站统计"), "title", wrap=False)
        self.updated = label("", "hint", wrap=False)
        head.addWidget(self.heading)
        head.addSpacing(24)
        head.addWidget(self.updated)
        head.addStretch(1)
        head.setSpacing(16)
        head.addWidget(button(tr("刷新"), self.refresh, role="secondary"))
        self.xlsx_button = button(tr("导出 Excel"), lambda: self.export("xlsx"))
        self.csv_button = button(tr("导出 CSV"), lambda: self.export("csv"))
        for widget in (self.xlsx_button, self.csv_button):
            widget.setEnabled(False)
            head.addWidget(widget)
        body.addLayout(head)

        export = QHBoxLayout()
        export.setSpacing(16)
        export.addWidget(label(tr("导出到："), wrap=False))
        self.folder = QLineEdit(str(self.default_folder()))
        self.folder.setAccessibleName(tr("导出文件夹"))
        export.addWidget(self.folder, 1)
        self.export_label = label("")
        self.export_label.hide()
        export.addWidget(self.export_label, 1)
        body.addLayout(export)

        tiles = QHBoxLayout()
        tiles.setSpacing(24)
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for key, name in (
            ("services", tr("本月党员服务人次")),
            ("coins", tr("本月发放时间币")),
            ("residents", tr("本月服务居民人次")),
        ):
            value, compare = label("—", "title"), label("", "hint")
            tiles.addWidget(card(label(name), value, compare, spacing=6), 1)
            self.tiles[key] = (value, compare)
        body.addLayout(tiles)

        charts = QGridLayout()
        charts.setHorizontalSpacing(24)
        charts.setVerticalSpacing(16)
        self.org_view = self._view()
        self.coins_view = self._view()
        self.needs_view = self._view()
        charts.addWidget(self.coins_view, 0, 0)
        charts.addWidget(self.needs_view, 0, 1)
        charts.addWidget(self.org_view, 1, 0, 1, 2)  # full width: organisation names are long
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)
        body.addLayout(charts, 1)

    def _view(self) -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(CHART_MIN_H)
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))  # outside the chart's corners
        view.viewport().setAutoFillBackground(False)
        return view

    def default_folder(self) -> Path:
        return self.ctx.data_dir / "exports"

    # --- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.ctx
        station = ctx.station

        def work() -> StationReport:
            return station_report(
                ctx.services.stats,
                station_id=station.id,
                station_name=station.name,
                now=ctx.now(),
            )

        self.ctx.ops.db(work, self._show, self.show_error, owner=self)

    def _show(self, report: StationReport) -> None:
        self.report = report
        self.clear_error()
        place = report.station or tr("本机")
        self.heading.setText(tr("{s} · {y}年统计").format(s=place, y=report.year))
        made = report.made_at.astimezone(CHINA).strftime("%m-%d %H:%M")
        self.updated.setText(tr("更新于 {t}").format(t=made))
        self._show_tiles(report.this_month, report.last_month)
        look = self.window_.look()
        self._charts = _Charts(look.theme, look.family, look.staff_px)
        self._set(self.org_view, self._charts.organisations(report))
        self._set(self.coins_view, self._charts.coins(report))
        self._set(self.needs_view, self._charts.needs(report))
        rows = max(1, len(report.organisations))
        self.org_view.setMinimumHeight(max(300, 170 + rows * ORG_ROW_H))
        for widget in (self.xlsx_button, self.csv_button):
            widget.setEnabled(True)

    def _show_tiles(self, this: MonthFigures, last: MonthFigures) -> None:
        value, compare = self.tiles["services"]
        value.setText(tr("{n} 人次").format(n=this.services))
        compare.setText(
            tr("上月 {n} 人次，").format(n=last.services)
            + change_words(this.services, last.services, tr(" 人次"))
        )
        value, compare = self.tiles["coins"]
        value.setText(tr("{c} 个").format(c=format_coins(this.coin_minutes)))
        compare.setText(
            tr("合 {m} 分钟；上月 {c} 个，").format(
                m=this.coin_minutes, c=format_coins(last.coin_minutes)
            )
            + change_words(this.coin_minutes, last.coin_minutes, tr(" 个"), coins=True)
        )
        value, compare = self.tiles["residents"]
        value.setText(tr("{n} 人次").format(n=this.residents_served))
        compare.setText(
            tr("上月 {n} 人次，").format(n=last.residents_served)
            + change_words(this.residents_served, last.residents_served, tr(" 人次"))
        )

    @staticmethod
    def _set(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    # --- export -----------------------------------------------------------------------
    def export(self, kind: str) -> None:
        report = self.report
        if report is None:
            return
        folder = Path(self.folder.text().strip() or self.default_folder()).expanduser()
        self.export_label.setText(tr("正在导出……"))
        self.export_label.setProperty("role", "body")
        self.export_label.show()

        def done(path: Path) -> None:
            self._export_note(tr("● 已导出：{f}").format(f=path.name), ok=True)

        def failed(exc: Exception) -> None:
            text = (
                tr("无法写入这个文件夹，请检查路径或 U 盘是否插好。")
                if isinstance(exc, OSError)
                else user_message(exc)
            )
            self._export_note(tr("⚠ 导出失败：{e}").format(e=text), ok=False)

        self.ctx.ops.io(lambda: export_report(report, folder, kind=kind), done, failed, owner=self)

    def _export_note(self, text: str, *, ok: bool) -> None:
        self.export_label.setText(text)
        self.export_label.setProperty("role", "ok" if ok else "error")
        self.export_label.style().unpolish(self.export_label)
        self.export_label.style().polish(self.export_label)
        self.export_label.show()

    # --- errors -----------------------------------------------------------------------
    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else user_message(exc)
        self.message.setText("⚠ " + text)
        self.message.show()

    def clear_error(self) -> None:
        self.message.hide()


class _Charts:
    """Builds the panel's charts in the theme's colours and the staff text size."""

    def __init__(self, theme: Theme, family: str, px: int) -> None:
        self.theme = theme
        self.family = family
        self.px = px

    def font(self, scale: float = 1.0, *, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(round(self.px * scale))
        font.setBold(bold)
        return font

    def chart(self, title: str, *, legend: bool = False) -> QChart:
        t = self.theme
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundBrush(QBrush(QColor(t.surface)))
        chart.setBackgroundPen(QPen(QColor(t.border), 2))
        chart.setBackgroundRoundness(12)
        chart.setMargins(QMargins(12, 8, 24, 8))
        chart.setTitle(title)
        chart.setTitleFont(self.font(1.1, bold=True))
        chart.setTitleBrush(QBrush(QColor(t.text)))
        chart.legend().setVisible(legend)
        if legend:
            chart.legend().setFont(self.font(0.9))
            chart.legend().setLabelColor(QColor(t.text))
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        return chart

    def axis(self, axis: QAbstractAxis, *, grid: bool) -> None:
        t = self.theme
        axis.setLabelsFont(self.font(0.9))
        axis.setLabelsColor(QColor(t.text))
        axis.setLinePenColor(QColor(t.border))
        axis.setGridLineVisible(grid)
        if grid:
            grid_colour = QColor(t.border)
            grid_colour.setAlpha(90)
            axis.setGridLineColor(grid_colour)

    def value_axis(self, largest: float, title: str = "") -> QValueAxis:
        axis = QValueAxis()
        top, ticks = nice_axis(largest)
        axis.setRange(0, top)
        axis.setTickCount(ticks)
        axis.setLabelFormat("%d")
        self.axis(axis, grid=True)
        if title:
            axis.setTitleText(title)
            axis.setTitleFont(self.font(0.9))
            axis.setTitleBrush(QBrush(QColor(self.theme.text)))
        return axis

    def bar_set(
        self, name: str, values: list[float], colour: str, *, hatched: bool = False
    ) -> QBarSet:
        bars = QBarSet(name)
        bars.append(values)
        if hatched:
            bars.setBrush(QBrush(QColor(colour), Qt.BrushStyle.BDiagPattern))
            bars.setPen(QPen(QColor(colour), 2))
        else:
            bars.setColor(QColor(colour))
            bars.setBorderColor(QColor(colour))
        bars.setLabelFont(self.font(0.85, bold=True))
        bars.setLabelColor(QColor(self.theme.text))
        return bars

    def finish(
        self, chart: QChart, series: QAbstractBarSeries, categories: list[str], values: QValueAxis
    ) -> QChart:
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(4)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(categories)
        self.axis(names, grid=False)
        horizontal = isinstance(series, QHorizontalBarSeries)
        chart.addAxis(
            names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        )
        chart.addAxis(
            values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        )
        series.attachAxis(names)
        series.attachAxis(values)
        return chart

    # --- the three charts -------------------------------------------------------------
    def organisations(self, report: StationReport) -> QChart:
        """Per organisation: services done against the annual quota, least done on top."""
        t = self.theme
        # Most of the quota done first; a horizontal chart draws its first category at the
        # bottom, so those furthest behind end up on top, where staff look first.
        orgs = list(report.organisations)
        chart = self.chart(tr("{y}年各党组织服务次数与年度任务").format(y=report.year), legend=True)
        series = QHorizontalBarSeries()
        series.setBarWidth(0.8)
        series.append(
            self.bar_set(
                tr("年度任务（次）"), [o.annual_quota for o in orgs], t.secondary, hatched=True
            )
        )
        series.append(self.bar_set(tr("已完成（次）"), [o.services for o in orgs], t.primary))
        largest = max([0, *(max(o.annual_quota, o.services) for o in orgs)])
        if not orgs:
            chart.setTitle(tr("{y}年各党组织服务次数：还没有党组织").format(y=report.year))
        names = [org_label(o.name, o.services, o.annual_quota) for o in orgs] or [" "]
        return self.finish(chart, series, names, self.value_axis(largest))

    def coins(self, report: StationReport) -> QChart:
        chart = self.chart(tr("{y}年每月发放时间币（个）").format(y=report.year))
        series = QBarSeries()
        series.setBarWidth(0.6)
        values = [minutes / COIN for _, minutes in report.coins_by_month]
        series.append(self.bar_set(tr("时间币"), values, self.theme.primary))
        # Month numbers, titled 月份: "10月" to "12月" would be elided at half width.
        months = [str(int(key[5:])) for key, _ in report.coins_by_month]
        chart = self.finish(chart, series, months, self.value_axis(max([0.0, *values])))
        axis = chart.axes(Qt.Orientation.Horizontal)[0]
        axis.setTitleText(tr("月份"))
        axis.setTitleFont(self.font(0.9))
        axis.setTitleBrush(QBrush(QColor(self.theme.text)))
        return chart

    def needs(self, report: StationReport) -> QChart:
        chart = self.chart(tr("{y}年服务需求（按类别，件）").format(y=report.year))
        series = QBarSeries()
        series.setBarWidth(0.6)
        pairs = list(report.needs_by_category)
        counts = [float(n) for _, n in pairs]
        series.append(self.bar_set(tr("需求"), counts, self.theme.secondary))
        names = [axis_label(name, 3) for name, _ in pairs]
        return self.finish(chart, series, names, self.value_axis(max([0.0, *counts])))
