"""Serial scanner framing: terminators, idle flush, AIM ids, encodings, limits, garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.qr.framing import (
    MAX_RECORD,
    RecordFramer,
    RecordRejected,
    RejectReason,
    ScanRecord,
    decode_record,
    split_aim,
)

CHINESE = "南沙区时间银行"


def rejects() -> tuple[RecordFramer, list[RecordRejected]]:
    seen: list[RecordRejected] = []
    return RecordFramer(on_reject=seen.append), seen


@pytest.mark.parametrize("terminator", [b"\r", b"\n", b"\r\n"])
def test_each_terminator_ends_a_record(terminator: bytes) -> None:
    framer = RecordFramer(idle_gap=None)
    stream = b"ABC" + terminator + b"DEF" + terminator
    assert framer.feed(stream, 0.0) == [ScanRecord("ABC"), ScanRecord("DEF")]
    assert framer.pending == 0


def test_partial_record_waits_for_its_terminator() -> None:
    framer = RecordFramer(idle_gap=None)
    assert framer.feed(b"TBA1:", 0.0) == []
    assert framer.feed(b"42", 0.01) == []
    assert framer.feed(b"\r", 0.02) == [ScanRecord("TBA1:42")]


def test_crlf_split_across_reads_is_one_terminator() -> None:
    framer = RecordFramer(idle_gap=None)
    assert framer.feed(b"ABC\r", 0.0) == [ScanRecord("ABC")]
    assert framer.feed(b"\nDEF\r", 0.01) == [ScanRecord("DEF")]
    assert framer.feed(b"\n", 0.02) == []
    assert framer.pending == 0


def test_cr_then_lf_split_yields_no_empty_record_even_when_rejects_are_counted() -> None:
    framer, seen = rejects()
    out = []
    for byte in b"A\r\nB\r\nC\r\n":
        out += framer.feed(bytes([byte]), 0.0)
    assert out == [ScanRecord("A"), ScanRecord("B"), ScanRecord("C")]
    assert seen == []


def test_lone_lf_after_a_cr_in_the_same_chunk_still_counts_once() -> None:
    framer = RecordFramer(idle_gap=None)
    assert framer.feed(b"A\rB\nC\r\nD\n\r", 0.0) == [ScanRecord(x) for x in "ABCD"]


def test_blank_lines_are_skipped_silently() -> None:
    framer, seen = rejects()
    assert framer.feed(b"\r\r\n\n\rX\r", 0.0) == [ScanRecord("X")]
    assert seen == []


def test_idle_gap_ends_a_record_without_terminator() -> None:
    framer = RecordFramer(idle_gap=0.1)
    assert framer.feed(b"TBN1:7", 10.0) == []
    assert framer.flush_idle(10.05) == []
    assert framer.idle_deadline() == pytest.approx(10.1)
    assert framer.flush_idle(10.1) == [ScanRecord("TBN1:7")]
    assert framer.flush_idle(20.0) == []
    assert framer.idle_deadline() is None


def test_bytes_after_an_idle_gap_start_a_new_record() -> None:
    framer = RecordFramer(idle_gap=0.1)
    assert framer.feed(b"first", 1.0) == []
    assert framer.feed(b"second", 1.5) == [ScanRecord("first")]
    assert framer.flush_idle(2.0) == [ScanRecord("second")]


def test_slow_trickle_within_the_gap_stays_one_record() -> None:
    framer = RecordFramer(idle_gap=0.1)
    out = []
    for i, byte in enumerate(b"TBA1:slow"):
        out += framer.feed(bytes([byte]), i * 0.05)
    assert out == []
    assert framer.flush_idle(100.0) == [ScanRecord("TBA1:slow")]


def test_idle_flush_off_keeps_waiting_for_a_terminator() -> None:
    framer = RecordFramer(idle_gap=None)
    framer.feed(b"abc", 0.0)
    assert framer.flush_idle(1e9) == []
    assert framer.feed(b"\n", 1e9) == [ScanRecord("abc")]


@pytest.mark.parametrize(
    ("aim", "name"),
    [
        ("]Q1", "qr"),
        ("]Q2", "qr-eci"),
        ("]Q3", "qr-gs1"),
        ("]C0", "code128"),
        ("]E0", "ean13"),
        ("]E4", "ean8"),
        ("]d2", "gs1-datamatrix"),
        ("]A0", "code39"),
        ("]L2", "pdf417"),
        ("]X9", "]X9"),  # well-formed but not in the table: kept raw
    ],
)
def test_aim_prefix_is_stripped_and_named(aim: str, name: str) -> None:
    framer = RecordFramer()
    assert framer.feed(f"{aim}TBA1:42\r".encode(), 0.0) == [ScanRecord("TBA1:42", name)]


@pytest.mark.parametrize("text", ["]", "]Q", "]1A", "]]Q1", "x]Q1", "] Q1"])
def test_text_that_is_not_an_aim_id_passes_through(text: str) -> None:
    assert split_aim(text) == (text, None)


def test_aim_id_alone_is_rejected_as_empty() -> None:
    framer, seen = rejects()
    assert framer.feed(b"]Q1\r", 0.0) == []
    assert [r.reason for r in seen] == [RejectReason.EMPTY]


def test_utf8_chinese() -> None:
    framer = RecordFramer()
    assert framer.feed(CHINESE.encode() + b"\r", 0.0) == [ScanRecord(CHINESE)]


def test_gb18030_fallback() -> None:
    raw = CHINESE.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    framer = RecordFramer()
    assert framer.feed(b"]Q1" + raw + b"\r\n", 0.0) == [ScanRecord(CHINESE, "qr")]


def test_gs1_separators_and_tab_are_data() -> None:
    assert decode_record(b"]d2010123\x1d10ABC\tx") == ScanRecord(
        "010123\x1d10ABC\tx", "gs1-datamatrix"
    )


def test_record_of_exactly_the_limit_is_accepted() -> None:
    framer, seen = rejects()
    body = b"A" * MAX_RECORD
    assert framer.feed(body[:1000], 0.0) == []
    assert framer.feed(body[1000:] + b"\r", 0.01) == [ScanRecord("A" * MAX_RECORD)]
    assert seen == []


def test_over_long_record_is_rejected_and_the_stream_resyncs() -> None:
    framer, seen = rejects()
    out = framer.feed(b"B" * 3000, 0.0)
    out += framer.feed(b"B" * 3000, 0.01)  # crosses the limit here
    assert framer.pending == 0  # nothing kept: memory stays bounded
    out += framer.feed(b"B" * 3000 + b"\rnext\r", 0.02)
    assert out == [ScanRecord("next")]
    assert [r.reason for r in seen] == [RejectReason.TOO_LONG]
    assert framer.rejected == 1


def test_over_long_record_without_terminator_ends_at_idle() -> None:
    framer, seen = rejects()
    framer.feed(b"C" * (MAX_RECORD + 1), 0.0)
    assert framer.flush_idle(1.0) == []
    assert framer.feed(b"ok\r", 1.1) == [ScanRecord("ok")]
    assert [r.reason for r in seen] == [RejectReason.TOO_LONG]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x00\x01\x02\x03", RejectReason.BINARY),
        (b"TBA1:\x0012", RejectReason.BINARY),
        (b"\x1b[2J", RejectReason.BINARY),
        (b"\xff\xfe\xfd", RejectReason.UNDECODABLE),
        (b"\x80\x80\x80", RejectReason.UNDECODABLE),
        (b"ab\x7f", RejectReason.BINARY),
    ],
)
def test_binary_garbage_is_rejected_with_a_reason(
    raw: bytes, reason: RejectReason, caplog: pytest.LogCaptureFixture
) -> None:
    framer, seen = rejects()
    assert framer.feed(raw + b"\r" + b"good\r", 0.0) == [ScanRecord("good")]
    assert [r.reason for r in seen] == [reason]
    assert "QR record rejected" in caplog.text
    assert reason.value in caplog.text


def test_gb18030_that_lands_in_private_use_space_is_rejected() -> None:
    raw = "\ue000\ue001".encode("gb18030")
    with pytest.raises(RecordRejected) as info:
        decode_record(raw)
    assert info.value.reason is RejectReason.BINARY


def test_reset_forgets_a_partial_record() -> None:
    framer = RecordFramer(idle_gap=None)
    framer.feed(b"half", 0.0)
    framer.reset()
    assert framer.feed(b"whole\r", 1.0) == [ScanRecord("whole")]


# --- fuzz ---------------------------------------------------------------------------------

chunks = st.lists(
    st.tuples(
        st.one_of(
            st.binary(max_size=600),
            st.sampled_from([b"\r", b"\n", b"\r\n", b"]Q1", CHINESE.encode("gb18030")]),
        ),
        st.floats(min_value=0, max_value=0.3, allow_nan=False),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(chunks=chunks, max_record=st.integers(min_value=1, max_value=700))
def test_fuzz_framer_never_raises_and_stays_bounded(
    chunks: list[tuple[bytes, float]], max_record: int
) -> None:
    framer, _ = rejects()
    framer.max_record = max_record
    now = 0.0
    for data, step in chunks:
        now += step
        for record in framer.feed(data, now):
            assert record.data
            assert len(record.data) <= max_record
            assert "\r" not in record.data and "\n" not in record.data
        assert framer.pending <= max_record
        framer.flush_idle(now + 0.05)
    framer.flush_idle(now + 10)
    assert framer.pending == 0


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
            min_size=1,
            max_size=50,
        ),
        max_size=10,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=10),
    terminator=st.sampled_from([b"\r", b"\n", b"\r\n"]),
)
def test_fuzz_any_chunking_gives_the_same_records(
    texts: list[str], cuts: list[int], terminator: bytes
) -> None:
    texts = [t for t in texts if split_aim(t)[0]]
    stream = b"".join(t.encode() + terminator for t in texts)
    framer = RecordFramer(idle_gap=None)
    out: list[ScanRecord] = []
    last = 0
    for cut in [*sorted({min(c, len(stream)) for c in cuts}), len(stream)]:
        out += framer.feed(stream[last:cut], 0.0)
        last = cut
    assert [r.data for r in out] == [split_aim(t)[0] for t in texts]


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_fuzz_decode_raises_only_typed_errors(raw: bytes) -> None:
    try:
        record = decode_record(raw)
    except RecordRejected as exc:
        assert isinstance(exc.reason, RejectReason)
    else:
        assert record.data
