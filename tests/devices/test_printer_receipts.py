"""Receipts are bytes: every command and every GB18030 character is pinned here."""

from __future__ import annotations

import datetime as dt

import pytest
from escpos.constants import PAPER_FULL_CUT, PAPER_PART_CUT
from escpos.printer import Dummy

from devices.printer import receipts as r
from devices.printer.receipts import Cut, Layout, QrLevel

AT = dt.datetime(2026, 1, 2, 9, 30, 45)
QR_TEXT = "TBN1:0190f3a2-7c1e-7d2a-9b41-5e8f0c6a1d37"


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def hx(text: str) -> bytes:
    return bytes.fromhex(text)


# ---------------------------------------------------------------------------- Chinese text


def test_gb18030_matches_the_reference_example() -> None:
    # device-protocols.md 3.2: "取票成功 ￥12.50\n" -> C8 A1 C6 B1 B3 C9 B9 A6 20 A3 A4 31 32 2E 35 30
    assert r.gb18030("取票成功 ￥12.50") == hx("C8A1 C6B1 B3C9 B9A6 20 A3A4 31 32 2E 35 30")


def test_yen_sign_is_sent_as_the_full_width_form_printers_have() -> None:
    assert r.gb18030("¥5") == hx("A3A4 35")  # not the 4-byte 81 30 84 36


def test_title_bytes_are_gb18030() -> None:
    assert r.gb18030("服务需求回执") == hx("B7FE CEF1 D0E8 C7F3 BBD8 D6B4")
    assert r.gb18030("签到凭条") == hx("C7A9 B5BD C6BE CCF5")


def test_control_characters_cannot_reach_the_printer() -> None:
    # A name that carries a cut, a drawer kick and a newline prints as plain text.
    assert r.gb18030("王\x1dV\x00\x1bp\x00\n小明\u200b") == gb("王Vp小明")


def test_wrap_counts_chinese_as_two_columns() -> None:
    assert r.wrap("一二三四五", 4) == ["一二", "三四", "五"]
    assert r.wrap("ab一c", 3) == ["ab", "一c"]
    assert r.wrap("", 10) == [""]


def test_long_field_wraps_under_the_value() -> None:
    out = r.field("站点", "南沙区某某街道党群服务中心第一服务站", 20)
    lines = out.split(b"\n")[:-1]
    assert lines == [gb("站点：南沙区某某街道"), gb("      党群服务中心第"), gb("      一服务站")]
    assert all(r.display_width(line.decode("gb18030")) <= 20 for line in lines)


# ---------------------------------------------------------------------------- QR


def test_qr_matches_the_reference_worked_example() -> None:
    data = "https://kiosk.example/t?id=12345"
    assert len(data) == 32
    assert r.qr_code(data, size=6, level=QrLevel.M) == (
        hx("1D286B 0400 31 41 32 00")  # model 2
        + hx("1D286B 0300 31 43 06")  # module size 6
        + hx("1D286B 0300 31 45 31")  # error correction M
        + hx("1D286B 2300 31 50 30")  # store: 32 + 3 = 0x23
        + data.encode()
        + hx("1D286B 0300 31 51 30")  # print
    )


@pytest.mark.parametrize(
    ("size", "pl_ph"),
    [(1, "0400"), (252, "FF00"), (253, "0001"), (300, "2F01"), (2331, "1E09")],
)
def test_qr_store_length_is_little_endian_k_plus_3(size: int, pl_ph: str) -> None:
    data = b"A" * size
    out = r.qr_code(data)
    store = hx("1D286B") + hx(pl_ph) + hx("31 50 30") + data
    assert store in out
    assert out.endswith(store + hx("1D286B 0300 31 51 30"))


@pytest.mark.parametrize("size", [1, 40, 255, 300, 1000])
def test_qr_bytes_equal_python_escpos_native_qr(size: int) -> None:
    printer = Dummy()
    content = "9" * size
    printer.qr(content, ec=1, size=6, native=True)
    assert r.qr_code(content, size=6, level=QrLevel.M) == printer.output


def test_qr_rejects_what_a_printer_cannot_store() -> None:
    with pytest.raises(ValueError, match="empty"):
        r.qr_code("")
    with pytest.raises(ValueError, match="2332 bytes"):
        r.qr_code(b"x" * 2332, level=QrLevel.M)
    assert r.qr_code(b"x" * 2953, level=QrLevel.L)
    for size in (0, 17):
        with pytest.raises(ValueError):
            r.qr_code("x", size=size)


# ---------------------------------------------------------------------------- cut


def test_cut_feeds_then_cuts() -> None:
    assert r.cut(Cut.FULL, 4) == hx("1B6404 1D5600")
    assert r.cut(Cut.PARTIAL, 4) == hx("1B6404 1D5601")
    assert r.cut(Cut.NONE, 4) == hx("1B6404")
    assert r.cut(Cut.PARTIAL, 0) == hx("1D5601")
    assert (r.FULL_CUT, r.PARTIAL_CUT) == (PAPER_FULL_CUT, PAPER_PART_CUT)
    with pytest.raises(ValueError):
        r.cut(Cut.FULL, 256)


# ---------------------------------------------------------------------------- receipts

HEAD = hx("1B40 1C26 1B6101 1D2111")
RULE32 = b"-" * 32 + b"\n"


def test_need_ticket_is_byte_exact() -> None:
    out = r.need_ticket(
        masked_name="张*英",
        category="助老服务",
        wished_time="周六上午",
        station="测试服务站",
        qr_text=QR_TEXT,
        printed_at=AT,
    )
    expected = (
        HEAD
        + hx("B7FE CEF1 D0E8 C7F3 BBD8 D6B4 0A")  # 服务需求回执
        + hx("1D2100")
        + gb("党员时间银行\n")
        + hx("1B6100")
        + RULE32
        + gb("居民：张*英\n")
        + gb("服务类别：助老服务\n")
        + gb("期望时间：周六上午\n")
        + gb("服务站点：测试服务站\n")
        + gb("登记时间：2026-01-02 09:30\n")
        + RULE32
        + hx("1B6101")
        + hx("1D286B 0400 31 41 32 00 1D286B 0300 31 43 06 1D286B 0300 31 45 31")
        + hx("1D286B 2C00 31 50 30")  # 41 + 3 = 0x2C
        + QR_TEXT.encode()
        + hx("1D286B 0300 31 51 30 0A")
        + gb("凭此码查询需求进度\n")
        + hx("1B6100")
        + RULE32
        + hx("1B6101")
        + gb("请妥善保管本回执\n")
        + hx("1B6100")
        + hx("1B6404 1D5601")
    )
    assert len(QR_TEXT) == 41
    assert out == expected


def test_checkin_slip_is_byte_exact_with_minutes_and_coins() -> None:
    out = r.checkin_slip(
        masked_name="李*",
        activity="社区义诊",
        at=AT,
        station="测试服务站",
        minutes=90,
        coins="1.5",
        layout=Layout(width=48, cut=Cut.FULL, feed_lines=3),
    )
    rule48 = b"-" * 48 + b"\n"
    assert out == (
        HEAD
        + hx("C7A9 B5BD C6BE CCF5 0A")  # 签到凭条
        + hx("1D2100")
        + gb("党员时间银行\n")
        + hx("1B6100")
        + rule48
        + gb("姓名：李*\n")
        + gb("活动：社区义诊\n")
        + gb("时间：2026-01-02 09:30\n")
        + gb("站点：测试服务站\n")
        + gb("服务时长：90 分钟\n")
        + gb("时间币：1.5 枚\n")
        + rule48
        + hx("1B6101")
        + gb("感谢您的志愿服务\n")
        + hx("1B6100")
        + hx("1B6403 1D5600")
    )


def test_checkin_slip_at_check_in_leaves_out_minutes_and_coins() -> None:
    out = r.checkin_slip(masked_name="李*", activity="义诊", at=AT, station="站")
    assert gb("服务时长") not in out
    assert gb("时间币") not in out
    assert gb("姓名：李*\n") in out


def test_an_unmasked_name_is_refused() -> None:
    with pytest.raises(ValueError, match="masked"):
        r.checkin_slip(masked_name="李明", activity="义诊", at=AT, station="站")
    with pytest.raises(ValueError, match="masked"):
        r.need_ticket(
            masked_name="张三英",
            category="x",
            wished_time="x",
            station="x",
            qr_text=QR_TEXT,
            printed_at=AT,
        )
    assert gb("姓名：王\n") in r.checkin_slip(masked_name="王", activity="a", at=AT, station="s")


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError):
        r.checkin_slip(masked_name="李*", activity="a", at=AT, station="s", minutes=-1)
