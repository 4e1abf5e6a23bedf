"""ID card reader framing: byte-exact against the worked frames of device-protocols.md 1.13."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import xor

import pytest

from devices.idcard import errors as e
from devices.idcard import protocol as p
from devices.idcard.card import CardType, IdCard
from devices.idcard.simulator import IdCardSimulator, encode_text, read_base_reply


def h(text: str) -> bytes:
    return bytes.fromhex(text)


ZHANG_SAN = IdCard(
    card_type=CardType.RESIDENT,
    name="张三",
    sex="男",
    nation_code="01",
    nation="汉",
    birth_date=dt.date(1990, 3, 7),
    address="北京市东城区测试路1号",
    id_number="110101199003070011",
    issuer="北京市公安局东城分局",
    valid_from=dt.date(2020, 1, 1),
    valid_to=dt.date(2040, 1, 1),
)


# ---------------------------------------------------------------- commands (1.3, example A, C)


@pytest.mark.parametrize(
    ("op", "frame"),
    [
        (p.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
        (p.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
        (p.READ_SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
        (p.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
        (p.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
        (p.READ_BASE, "AA AA AA 96 69 00 03 30 01 32"),
        (p.READ_NEW_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
        (p.READ_MANAGEMENT, "AA AA AA 96 69 00 03 30 05 36"),
        (p.READ_BASE_FP, "AA AA AA 96 69 00 03 30 10 23"),
        ((p.SET_BAUD, 0x00), "AA AA AA 96 69 00 03 60 00 63"),
        ((p.SET_BAUD, 0x04), "AA AA AA 96 69 00 03 60 04 67"),
    ],
)
def test_command_frames_are_byte_exact(op: tuple[int, int], frame: str) -> None:
    assert p.build_command(*op) == h(frame)


def test_example_c_set_max_rf_bytes() -> None:
    assert p.build_command(*p.SET_MAX_RF, b"\x50") == h("AA AA AA 96 69 00 04 61 FF 50 CA")


# ---------------------------------------------------------------- responses (1.4, 1.5, B, E)


@pytest.mark.parametrize(
    ("sw3", "frame"),
    [
        (0x80, "AA AA AA 96 69 00 04 00 00 80 84"),
        (0x81, "AA AA AA 96 69 00 04 00 00 81 85"),
        (0x41, "AA AA AA 96 69 00 04 00 00 41 45"),
        (0x31, "AA AA AA 96 69 00 04 00 00 31 35"),
        (0x90, "AA AA AA 96 69 00 04 00 00 90 94"),
    ],
)
def test_error_only_responses_are_byte_exact(sw3: int, frame: str) -> None:
    assert p.build_response(sw3) == h(frame)
    (parsed,) = p.parse_frames(h(frame))
    assert p.parse_response(parsed) == p.Response(sw3, b"")


def test_example_b_find_success() -> None:
    frame = h("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    assert p.build_response(0x9F, bytes(4)) == frame
    (parsed,) = p.parse_frames(frame)
    assert p.check_find(p.parse_response(parsed)) is True


def test_select_success_layout() -> None:
    frame = p.build_response(0x90, bytes(8))
    assert len(frame) == 19 and frame[5:7] == h("00 0C") and frame[-1] == 0x9C
    (parsed,) = p.parse_frames(frame)
    assert p.check_select(p.parse_response(parsed)) == bytes(8)


def test_example_e_sam_id() -> None:
    frame = h("AA AA AA 96 69 00 14 00 00 90 05 00 01 00 A3 B7 32 01 40 E2 01 00 35 38 D0 8B 52")
    (parsed,) = p.parse_frames(frame)
    reply = p.expect(p.parse_response(parsed), 0x90)
    assert p.format_sam_id(reply.data) == "05.01-20101027-0000123456-2345678901"


def test_example_d_read_base_info_frame() -> None:
    frame = read_base_reply(ZHANG_SAN)
    assert len(frame) == 1295
    assert frame[:14] == h("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    text = frame[14:270]
    assert text[:4] == h("20 5F 09 4E") and text[4:30] == h("20 00") * 13
    assert text[30:32] == h("31 00")
    assert reduce(xor, frame[5:14]) == 0x98
    assert reduce(xor, text) == 0x53
    assert frame[270:1294] == bytes(1024)
    assert frame[-1] == 0xCB


def test_example_d_fingerprint_variants() -> None:
    text = encode_text(ZHANG_SAN)
    with_fp = p.build_response(0x90, h("01 00 04 00 04 00") + text + bytes(2048))
    assert len(with_fp) == 2321 and with_fp[5:7] == h("09 0A") and with_fp[-1] == 0xC1
    no_fp = p.build_response(0x90, h("01 00 04 00 00 00") + text + bytes(1024))
    assert len(no_fp) == 1297 and no_fp[5:7] == h("05 0A")
    for frame, fp in ((with_fp, True), (no_fp, True)):
        (parsed,) = p.parse_frames(frame)
        assert p.split_base_info(p.parse_response(parsed).data, fingerprint=fp) == text


def test_simulator_answers_read_with_fingerprint_as_1297_bytes() -> None:
    sim = IdCardSimulator(None, ZHANG_SAN)  # state machine only, no pty
    for op in (p.FIND_CARD, p.SELECT_CARD):
        sim.respond(p.parse_frames(p.build_command(*op))[0])
    reply = sim.respond(p.parse_frames(p.build_command(*p.READ_BASE_FP))[0])
    assert len(reply) == 1297 and reply[5:7] == h("05 0A")


# ---------------------------------------------------------------- checksum


def test_checksum_matches_naive_xor() -> None:
    for size in (0, 1, 2, 3, 7, 8, 255, 1288, 4097):
        data = bytes((i * 37 + 11) & 0xFF for i in range(size))
        assert p.checksum(data) == reduce(xor, data, 0)


# ---------------------------------------------------------------- status table (1.4)


@pytest.mark.parametrize(
    ("sw3", "error"),
    [
        (0x91, e.NoContent),
        (0x10, e.ChecksumError),
        (0x11, e.ProtocolError),
        (0x21, e.CommandRejected),
        (0x23, e.CommandRejected),
        (0x24, e.ReaderError),
        (0x31, e.AuthFailed),
        (0x32, e.AuthFailed),
        (0x33, e.AuthFailed),
        (0x37, e.AuthFailed),
        (0x3F, e.ReadFailed),
        (0x40, e.UnsupportedCard),
        (0x41, e.ReadFailed),
        (0x47, e.AuthFailed),
        (0x60, e.SamFault),
        (0x66, e.SamFault),
        (0x80, e.NoCard),
        (0x81, e.SelectFailed),
        (0x55, e.UnknownStatus),
    ],
)
def test_every_status_code_maps_to_a_typed_error(sw3: int, error: type[e.IdCardError]) -> None:
    with pytest.raises(error) as info:
        p.expect(p.Response(sw3, b""), 0x90)
    assert type(info.value) is error
    assert info.value.sw3 == sw3
    assert f"{sw3:02X}" in info.value.detail
    assert info.value.message  # Chinese text for the screen


def test_status_table_covers_the_reference_codes() -> None:
    reference = {0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37, 0x3F}
    reference |= {0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81}
    assert set(p.STATUS) == reference
    assert p.status(0x90).kind is p.StatusKind.OK and p.status(0x90).error is None
    assert p.status(0x9F).kind is p.StatusKind.FOUND
    assert p.status(0x80).kind is p.StatusKind.NO_CARD
    assert p.status(0x01).kind is p.StatusKind.UNKNOWN  # host-library codes are not wire codes


def test_retry_policy_of_status_errors() -> None:
    retried = {c for c, s in p.STATUS.items() if s.error and p.error_for(c).retryable}
    assert retried == {0x10, 0x11, 0x24, 0x31, 0x32, 0x33, 0x37, 0x3F, 0x41, 0x47, 0x81}


def test_find_reply_no_card_and_wrong_success_code() -> None:
    assert p.check_find(p.Response(0x80, b"")) is False
    with pytest.raises(e.ProtocolError):
        p.check_find(p.Response(0x90, bytes(4)))  # a stale select reply, not a find reply
    with pytest.raises(e.ProtocolError):
        p.check_find(p.Response(0x9F, bytes(3)))


# ---------------------------------------------------------------- parser


def test_parser_resynchronises_after_garbage() -> None:
    good = p.build_response(0x9F, bytes(4))
    frames = p.FrameParser().feed(b"\x00\x13\xaa\x96\xaa\xaa" + good + b"\xff" + good)
    assert [f.body for f in frames] == [good[7:-1]] * 2


def test_parser_joins_partial_frames_across_reads() -> None:
    frame = read_base_reply(ZHANG_SAN)
    parser = p.FrameParser()
    out: list[p.Frame] = []
    for i in range(len(frame)):  # one byte per read, including a split preamble
        assert parser.missing() >= 1
        out += parser.feed(frame[i : i + 1])
        if i < len(frame) - 1:
            assert out == []
    assert len(out) == 1 and out[0].valid
    assert parser.missing() == p.HEADER_SIZE


def test_parser_missing_counts_down_to_the_last_byte() -> None:
    frame = p.build_response(0x90, bytes(8))
    parser = p.FrameParser()
    parser.feed(frame[:3])
    assert parser.missing() == 4
    parser.feed(frame[3:10])
    assert parser.missing() == len(frame) - 10


def test_parser_reports_bad_checksum_and_keeps_going() -> None:
    bad = bytearray(p.build_response(0x90))
    bad[-1] ^= 0xFF
    frames = p.FrameParser().feed(bytes(bad) + p.build_response(0x80))
    assert [f.valid for f in frames] == [False, True]
    with pytest.raises(e.ChecksumError):
        p.parse_response(frames[0])


def test_parser_skips_a_header_with_an_impossible_length() -> None:
    good = p.build_response(0x80)
    frames = p.FrameParser().feed(p.PREAMBLE + b"\xff\xff" + good)
    assert len(frames) == 1 and frames[0].body == good[7:-1]


def test_parser_drops_garbage_but_keeps_a_possible_preamble_start() -> None:
    parser = p.FrameParser()
    assert parser.feed(b"\x01" * 100 + b"\xaa\xaa\xaa") == []
    assert parser.discarded == 100
    assert parser.missing() == 4


def test_parse_response_rejects_nonzero_sw1_sw2_and_short_bodies() -> None:
    with pytest.raises(e.ProtocolError):
        p.parse_response(p.parse_frames(p.build_response(0x90, sw1=1))[0])
    with pytest.raises(e.ProtocolError):
        p.parse_response(p.parse_frames(p.build_frame(b"\x00\x00"))[0])


def test_split_base_info_checks_lengths() -> None:
    text = encode_text(ZHANG_SAN)
    good = h("01 00 04 00") + text + bytes(1024)
    assert p.split_base_info(good) == text
    for bad in (good[:-1], good + b"\x00", h("00 FF 04 00") + text + bytes(1024), b"\x01"):
        with pytest.raises(e.ProtocolError):
            p.split_base_info(bad)


def test_repr_never_shows_frame_content() -> None:
    frame = p.parse_frames(read_base_reply(ZHANG_SAN))[0]
    assert "张" not in repr(frame) and "110101" not in repr(frame)
    assert "110101" not in repr(p.parse_response(frame))


def test_simulator_follows_the_checklist_of_1_14() -> None:
    sim = IdCardSimulator(None, ZHANG_SAN, placed=False)

    def ask(frame: bytes) -> int:
        (parsed,) = p.parse_frames(frame)
        return sim.respond(parsed)[9]

    corrupted = bytearray(p.build_command(*p.FIND_CARD))
    corrupted[-1] ^= 0x01
    assert ask(bytes(corrupted)) == 0x10
    assert ask(p.build_command(0x20, 0x01, b"\x00")) == 0x11
    assert ask(p.build_command(0x77, 0x01)) == 0x21
    assert ask(p.build_command(*p.FIND_CARD)) == 0x80
    sim.place()
    assert ask(p.build_command(*p.SELECT_CARD)) == 0x81  # select before find
    assert ask(p.build_command(*p.READ_BASE)) == 0x41  # read before select
    assert ask(p.build_command(*p.FIND_CARD)) == 0x9F
    assert ask(p.build_command(*p.SELECT_CARD)) == 0x90
    assert ask(p.build_command(*p.READ_BASE)) == 0x90
    assert ask(p.build_command(*p.READ_BASE)) == 0x41  # needs find + select again
    assert ask(p.build_command(*p.SAM_STATUS)) == 0x90
