"""The station report and its Excel and CSV exports, read back and held against StatsService.

``busy_station`` gives the kiosk of ``make_world`` two months of work: members serving at
an activity in February and in March, a resident served, needs in two categories, and a
second organisation in the town. The UI tests use it too.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.clock import CHINA, FixedClock
from kiosk.export import (
    CSV_HEADER,
    StationReport,
    csv_rows,
    export_report,
    needs_by_category,
    station_report,
)
from kiosk.services import Services
from kiosk.store.models import CheckMethod, NeedCategory, OrgType, PersonKind
from tests.factories import World, id_number

ID = CheckMethod.ID_CARD
SECOND_MEMBER = "梁志华"


def _t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CHINA)


def busy_station(svc: Services, world: World, clock: FixedClock) -> None:
    """February: two members serve 120 min. March: one serves 90 min, a resident is
    served, needs are posted (理发 in both months, 送餐 in March). Ends at 2 March 12:00."""
    org2 = svc.reference.add_organisation(
        name="南沙区民政局第一党支部", org_type=OrgType.ORGAN, town_id=world.town.id, annual_quota=3
    )
    m2 = svc.people.register(
        name=SECOND_MEMBER,
        kind=PersonKind.MEMBER,
        id_number=id_number("19790606"),
        org_id=org2.id,
        community_id=world.community.id,
    )

    def serve(title: str, start: dt.datetime, minutes: int, people: list[object]) -> None:
        clock.set(start)
        act = svc.attendance.create_activity(
            title=title,
            community_id=world.community.id,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            service_type="探访",
        )
        svc.attendance.open_checkin(activity_id=act.id)
        for pid in people:
            svc.attendance.check_in(activity_id=act.id, person_id=pid, method=ID)  # type: ignore[arg-type]
        clock.set(start + dt.timedelta(minutes=minutes))
        for pid in people:
            svc.attendance.check_out(activity_id=act.id, person_id=pid, method=ID)  # type: ignore[arg-type]

    def need(category: NeedCategory, posted: dt.datetime) -> None:
        clock.set(posted)
        svc.needs.post(
            resident_id=world.resident.id,
            category=category,
            wished_at=posted + dt.timedelta(days=1),
        )

    serve("长者探访", _t(2, 10, 9), 120, [world.member.id, m2.id])
    need(NeedCategory.HAIRCUT, _t(2, 11, 10))
    serve("敬老探访", _t(3, 2, 9), 90, [world.member.id])
    svc.attendance.record_served(person_id=world.resident.id, method=ID)
    need(NeedCategory.HAIRCUT, _t(3, 2, 10, 45))
    need(NeedCategory.MEAL, _t(3, 2, 11))
    clock.set(_t(3, 2, 12))


@pytest.fixture
def report(svc: Services, world: World, clock: FixedClock) -> StationReport:
    busy_station(svc, world, clock)
    return station_report(svc.stats, station_id=world.station.id, station_name=world.station.name)


def test_report_holds_the_stats_service_figures(
    report: StationReport, svc: Services, world: World
) -> None:
    station = world.station.id
    assert report.station == "金洲社区党群服务站" and report.year == 2026
    for figures in (report.this_month, report.last_month):
        summary = svc.stats.summary(station_id=station, month=figures.month)
        assert figures.services == summary["person_times_served"]
        assert figures.coin_minutes == summary["coins_issued_minutes"]
        assert figures.residents_served == summary["residents_served"]
    # and by hand
    assert (report.this_month.month, report.last_month.month) == ("2026-03", "2026-02")
    assert (report.this_month.services, report.last_month.services) == (1, 2)
    assert (report.this_month.coin_minutes, report.last_month.coin_minutes) == (90, 240)
    assert (report.this_month.residents_served, report.last_month.residents_served) == (1, 0)

    assert report.coins_by_month == (("2026-01", 0), ("2026-02", 240), ("2026-03", 90))
    for month, minutes in report.coins_by_month:
        assert minutes == svc.stats.summary(station_id=station, month=month)["coins_issued_minutes"]

    orgs = svc.stats.org_service(year=2026, town_id=world.town.id)
    assert [(o.name, o.annual_quota, o.services, o.coin_minutes) for o in report.organisations] == [
        (o.name, o.annual_quota, o.service_count, o.coin_minutes) for o in orgs
    ]
    assert {o.name: o.services for o in report.organisations} == {
        "南沙区税务局机关党支部": 2,
        "南沙区民政局第一党支部": 1,
    }
    needs = dict(report.needs_by_category)
    assert list(needs) == [c.value for c in NeedCategory]
    assert needs["理发"] == 2 and needs["送餐"] == 1 and sum(needs.values()) == 3


def test_needs_by_category_follows_year_and_station(
    report: StationReport, svc: Services, world: World
) -> None:
    assert sum(n for _, n in needs_by_category(svc.stats, year=2025)) == 0
    elsewhere = svc.reference.add_station(
        community_id=world.community.id, name="另一站点", kind=world.station.kind
    )
    assert sum(n for _, n in needs_by_category(svc.stats, year=2026, station_id=elsewhere.id)) == 0
    assert dict(needs_by_category(svc.stats, year=2026))["理发"] == 2


def test_excel_export_reads_back(report: StationReport, tmp_path: Path, world: World) -> None:
    path = export_report(report, tmp_path / "exports", kind="xlsx")
    assert path.parent == tmp_path / "exports" and path.name == "时间银行统计_20260302_1200.xlsx"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left
    book = load_workbook(path)
    assert book.sheetnames == ["说明", "本月与上月", "组织年度任务", "每月发放时间币", "需求分类"]
    info = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert info["站点"] == "金洲社区党群服务站" and info["导出时间"] == "2026-03-02 12:00"

    months = list(book["本月与上月"].iter_rows(values_only=True))
    assert months[0] == ("项目", "本月（2026-03）", "上月（2026-02）", "变化", "单位")
    assert months[1:] == [
        ("党员服务人次", 1, 2, -1, "人次"),
        ("发放时间币", 90, 240, -150, "分钟"),
        ("服务居民人次", 1, 0, 1, "人次"),
    ]
    orgs = list(book["组织年度任务"].iter_rows(values_only=True))[1:]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in orgs] == [
        (o.name, o.annual_quota, o.services, o.completion_pct, o.coin_minutes)
        for o in report.organisations
    ]
    coins = list(book["每月发放时间币"].iter_rows(values_only=True))[1:]
    assert coins == [("2026-01", 0, 0), ("2026-02", 240, 4), ("2026-03", 90, 1.5)]
    needs = list(book["需求分类"].iter_rows(values_only=True))[1:]
    assert needs == [tuple(pair) for pair in report.needs_by_category]
    _nothing_personal(path, world)


def test_csv_export_is_utf8_with_bom_and_reads_back(
    report: StationReport, tmp_path: Path, world: World
) -> None:
    path = export_report(report, tmp_path, kind="csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel opens the Chinese correctly
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1:] == [[str(v) for v in row] for row in csv_rows(report)]
    figures = {(r[0], r[1], r[2]): int(r[3]) for r in rows[1:] if r[0] != "报表信息"}
    assert figures["本月与上月", "党员服务人次", "2026-03"] == report.this_month.services
    assert figures["本月与上月", "发放时间币", "2026-02"] == report.last_month.coin_minutes
    assert figures["每月发放时间币", "发放时间币", "2026-02"] == 240
    assert figures["组织年度任务", "南沙区税务局机关党支部｜已完成", "2026"] == 2
    assert figures["需求分类", "理发", "2026"] == 2
    _nothing_personal(path, world)


def test_unknown_export_kind_is_refused(report: StationReport, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pdf"):
        export_report(report, tmp_path, kind="pdf")


def _nothing_personal(path: Path, world: World) -> None:
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        text = " ".join(
            str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row
        )
    else:
        text = path.read_text(encoding="utf-8-sig")
    for secret in (
        world.member_id_number,
        world.resident_id_number,
        "张晓英",
        "李伯",
        SECOND_MEMBER,
    ):
        assert secret not in text
