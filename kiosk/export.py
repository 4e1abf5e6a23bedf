"""The station's statistics as one plain report, and that report as Excel and CSV files.

The staff console's 统计 panel draws ``StationReport`` and exports the very same object,
so what staff see and what they hand on can never disagree. Every figure comes from
``StatsService`` except the needs per category, which it does not offer; that one count is
made here with the service's own period and place rules (``period``, ``Scope``).

Nothing personal is exported: organisations by name, counts and coins, no member names, ID
numbers or phone numbers.

CSV is UTF-8 with a byte order mark, because Excel on Windows reads a CSV without one in
the local ANSI code page and shows the Chinese as mojibake. Files are written to a
temporary name and renamed, so a pulled USB stick never leaves a half file that looks whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from kiosk.clock import CHINA
from kiosk.config import COIN
from kiosk.services.stats import Scope, StatsService, period
from kiosk.store.models import Community, Need, NeedCategory, Station

CSV_HEADER = ("分类", "项目", "期间", "数值", "单位")
MONTH_ITEMS = (  # (summary key, label, unit)
    ("person_times_served", "党员服务人次", "人次"),
    ("coins_issued_minutes", "发放时间币", "分钟"),
    ("residents_served", "服务居民人次", "人次"),
)


@dataclass(frozen=True)
class MonthFigures:
    month: str  # 2026-03
    services: int  # 党员服务人次 (summary's person_times_served)
    coin_minutes: int  # 发放时间币, in minutes (summary's coins_issued_minutes)
    residents_served: int  # 服务居民人次 (summary's residents_served)

    def value(self, key: str) -> int:
        return {
            "person_times_served": self.services,
            "coins_issued_minutes": self.coin_minutes,
            "residents_served": self.residents_served,
        }[key]


@dataclass(frozen=True)
class OrgFigures:
    name: str
    org_type: str
    annual_quota: int
    services: int
    coin_minutes: int

    @property
    def completion_pct(self) -> int | None:
        """Share of the annual quota done, in whole per cent; None without a quota."""
        if not self.annual_quota:
            return None
        return round(100 * self.services / self.annual_quota)


@dataclass(frozen=True)
class StationReport:
    station: str  # the station's name; "" when the kiosk has none yet
    year: int
    made_at: dt.datetime
    this_month: MonthFigures
    last_month: MonthFigures
    coins_by_month: tuple[tuple[str, int], ...]  # (2026-01, minutes) up to this month
    organisations: tuple[OrgFigures, ...]  # the town's, most of quota done first
    needs_by_category: tuple[tuple[str, int], ...]  # every category, this year


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def coins(minutes: int) -> float:
    """Minutes as time coins (one decimal is all a chart or a sheet needs)."""
    return round(minutes / COIN, 2)


# ----------------------------------------------------------------------------- gathering


def station_report(
    stats: StatsService,
    *,
    station_id: uuid.UUID | None,
    station_name: str = "",
    now: dt.datetime | None = None,
) -> StationReport:
    """This station's figures: this month against last, the year by month, the town's
    organisations against their quota, and this year's needs by category.

    Without a station (a kiosk not yet placed) the figures are for everything it holds.
    """
    made_at = now or stats.store.clock.now()
    today = made_at.astimezone(CHINA).date()
    year = today.year

    def month(day: dt.date) -> MonthFigures:
        key = month_key(day)
        s = stats.summary(station_id=station_id, month=key)
        return MonthFigures(
            key, s["person_times_served"], s["coins_issued_minutes"], s["residents_served"]
        )

    this_month = month(today)
    last_month = month(previous_month(today))
    by_month = [
        (key, stats.summary(station_id=station_id, month=key)["coins_issued_minutes"])
        for key in (f"{year:04d}-{m:02d}" for m in range(1, today.month + 1))
    ]
    orgs = stats.org_service(year=year, town_id=_town_of(stats, station_id))
    return StationReport(
        station=station_name,
        year=year,
        made_at=made_at,
        this_month=this_month,
        last_month=last_month,
        coins_by_month=tuple(by_month),
        organisations=tuple(
            OrgFigures(o.name, o.org_type, o.annual_quota, o.service_count, o.coin_minutes)
            for o in orgs
        ),
        needs_by_category=tuple(needs_by_category(stats, year=year, station_id=station_id)),
    )


def needs_by_category(
    stats: StatsService, *, year: int, station_id: uuid.UUID | None = None
) -> list[tuple[str, int]]:
    """Needs posted in ``year`` per category, every category listed (zero included)."""
    where = [
        *period(year=year).times(Need.created_at),
        *Scope(station_id=station_id).place(Need.community_id, Need.station_id),
    ]
    query = select(Need.category, func.count()).where(*where).group_by(Need.category)
    with stats.store.read() as s:
        counted = {str(category): int(n) for category, n in s.execute(query)}
    out = [(c.value, counted.pop(c.value, 0)) for c in NeedCategory]
    out.extend(sorted(counted.items()))  # a category this kiosk's code does not know yet
    return out


def _town_of(stats: StatsService, station_id: uuid.UUID | None) -> uuid.UUID | None:
    if station_id is None:
        return None
    query = (
        select(Community.town_id)
        .join(Station, Station.community_id == Community.id)
        .where(Station.id == station_id)
    )
    with stats.store.read() as s:
        return s.execute(query).scalar_one_or_none()


# ----------------------------------------------------------------------------- files


def file_stem(report: StationReport) -> str:
    return "时间银行统计_" + report.made_at.astimezone(CHINA).strftime("%Y%m%d_%H%M")


def csv_rows(report: StationReport) -> list[tuple[str, str, str, int | str, str]]:
    """One figure per row (分类, 项目, 期间, 数值, 单位): easy to filter and pivot in Excel."""
    made = report.made_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    rows: list[tuple[str, str, str, int | str, str]] = [
        ("报表信息", "站点", "", report.station, ""),
        ("报表信息", "导出时间", "", made, ""),
    ]
    for key, label, unit in MONTH_ITEMS:
        for figures in (report.this_month, report.last_month):
            rows.append(("本月与上月", label, figures.month, figures.value(key), unit))
    for org in report.organisations:
        year = str(report.year)
        rows.append(("组织年度任务", f"{org.name}｜年度任务", year, org.annual_quota, "次"))
        rows.append(("组织年度任务", f"{org.name}｜已完成", year, org.services, "次"))
        rows.append(("组织年度任务", f"{org.name}｜时间币", year, org.coin_minutes, "分钟"))
    for key, minutes in report.coins_by_month:
        rows.append(("每月发放时间币", "发放时间币", key, minutes, "分钟"))
    for category, n in report.needs_by_category:
        rows.append(("需求分类", category, str(report.year), n, "件"))
    return rows


def write_csv(report: StationReport, path: Path) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(CSV_HEADER)
            out.writerows(csv_rows(report))

    return _atomic(path, write)


def write_xlsx(report: StationReport, path: Path) -> Path:
    from openpyxl import Workbook  # no stubs installed
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        ws = book.create_sheet(title)
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(list(row))
        for index, name in enumerate(header):
            column = ws.cell(row=1, column=index + 1).column_letter
            ws.column_dimensions[column].width = max(12, 2 * len(name) + 4)
        ws.freeze_panes = "A2"

    info = book.active
    assert info is not None
    info.title = "说明"
    made = report.made_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    for row in (("站点", report.station), ("年度", report.year), ("导出时间", made)):
        info.append(list(row))
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 36

    this, last = report.this_month, report.last_month
    sheet(
        "本月与上月",
        ("项目", f"本月（{this.month}）", f"上月（{last.month}）", "变化", "单位"),
        (
            (label, this.value(key), last.value(key), this.value(key) - last.value(key), unit)
            for key, label, unit in MONTH_ITEMS
        ),
    )
    sheet(
        "组织年度任务",
        ("组织", "类型", "年度任务（次）", "已完成（次）", "完成率（%）", "时间币（分钟）"),
        (
            (o.name, o.org_type, o.annual_quota, o.services, o.completion_pct, o.coin_minutes)
            for o in report.organisations
        ),
    )
    book["组织年度任务"].column_dimensions["A"].width = 36
    sheet(
        "每月发放时间币",
        ("月份", "时间币（分钟）", "时间币（个）"),
        ((key, minutes, coins(minutes)) for key, minutes in report.coins_by_month),
    )
    sheet("需求分类", ("类别", f"{report.year}年需求（件）"), report.needs_by_category)
    return _atomic(path, book.save)


def export_report(report: StationReport, folder: Path, *, kind: str) -> Path:
    """Write ``kind`` (``xlsx`` or ``csv``) into ``folder`` (made if missing); the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_stem(report)}.{kind}"
    if kind == "xlsx":
        return write_xlsx(report, path)
    if kind == "csv":
        return write_csv(report, path)
    raise ValueError(f"unknown export kind {kind!r}")


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
