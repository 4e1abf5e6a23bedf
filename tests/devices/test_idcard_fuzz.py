"""Property tests: whatever arrives on the line, the codec raises only typed errors and ends.

Random bytes, truncations, bit flips and arbitrary read boundaries. A single flipped bit is
always caught by the XOR checksum, so it may never produce a card other than the original.
"""

from __future__ import annotations

from functools import reduce
from operator import xor
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.idcard import protocol as p
from devices.idcard.card import IdCard, decode_text, load_card
from devices.idcard.errors import CardDataError, ChecksumError, IdCardError
from devices.idcard.simulator import encode_text, read_base_reply

CARDS = Path(__file__).resolve().parents[2] / "devices" / "idcard" / "cards"
CARD = load_card(CARDS / "resident_wang_yan.json")
READ = read_base_reply(CARD)
STREAM = (
    p.build_response(0x80) + b"\x00\xaa" + p.build_response(0x9F, bytes(4)) + READ + b"\x96\x69"
)
FUZZ = settings(max_examples=200, deadline=None)


def decode_stream(chunks: list[bytes]) -> list[IdCard | IdCardError]:
    """What the driver would make of these reads; any non-typed exception fails the test."""
    parser = p.FrameParser()
    out: list[IdCard | IdCardError] = []
    for chunk in chunks:
        for frame in parser.feed(chunk):
            try:
                reply = p.expect(p.parse_response(frame), 0x90)
                out.append(decode_text(p.split_base_info(reply.data)))
            except IdCardError as exc:
                out.append(exc)
        assert 1 <= parser.missing() <= p.HEADER_SIZE + p.MAX_LENGTH
    return out


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    decode_stream([data])


@FUZZ
@given(st.lists(st.binary(max_size=64), max_size=40))
def test_random_bytes_around_a_valid_frame(parts: list[bytes]) -> None:
    middle = len(parts) // 2
    cards = [
        r for r in decode_stream([*parts[:middle], READ, *parts[middle:]]) if isinstance(r, IdCard)
    ]
    assert all(card == CARD for card in cards)


@FUZZ
@given(st.integers(0, len(READ) - 1))
def test_truncated_frame_yields_nothing_until_completed(cut: int) -> None:
    parser = p.FrameParser()
    assert parser.feed(READ[:cut]) == []
    frames = parser.feed(READ[cut:])
    assert len(frames) == 1 and frames[0].valid


@FUZZ
@given(st.integers(0, len(READ) * 8 - 1))
def test_single_bit_flip_never_yields_a_different_card(bit: int) -> None:
    data = bytearray(READ)
    data[bit // 8] ^= 1 << (bit % 8)
    results = decode_stream([bytes(data)])
    assert all(r == CARD for r in results if isinstance(r, IdCard))
    if bit // 8 >= 5 + 2:  # past preamble and length: the frame is still cut, the XOR fails
        assert any(isinstance(r, ChecksumError) for r in results)


@FUZZ
@given(st.lists(st.integers(0, len(READ) * 8 - 1), min_size=2, max_size=8))
def test_many_bit_flips_raise_only_typed_errors(bits: list[int]) -> None:
    data = bytearray(READ)
    for bit in bits:
        data[bit // 8] ^= 1 << (bit % 8)
    decode_stream([bytes(data)])


@FUZZ
@given(st.lists(st.integers(1, 300), min_size=1, max_size=60))
def test_read_boundaries_do_not_change_the_frames(sizes: list[int]) -> None:
    chunks, pos = [], 0
    for size in sizes:
        chunks.append(STREAM[pos : pos + size])
        pos += size
    chunks.append(STREAM[pos:])
    whole = p.FrameParser().feed(STREAM)
    parser = p.FrameParser()
    assert [f for c in chunks for f in parser.feed(c)] == whole
    assert len(whole) == 3 and all(f.valid for f in whole)


@FUZZ
@given(st.binary(min_size=256, max_size=256))
def test_random_text_blocks_are_card_data_errors(block: bytes) -> None:
    try:
        decode_text(block)
    except CardDataError:
        pass


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), min_size=1, max_size=6))
def test_mutated_text_blocks_decode_or_raise_card_data_errors(edits: list[tuple[int, int]]) -> None:
    block = bytearray(encode_text(CARD))
    for pos, value in edits:
        block[pos] = value
    try:
        decode_text(bytes(block))
    except CardDataError:
        pass


@FUZZ
@given(st.binary(max_size=3000))
def test_checksum_is_xor_of_all_bytes(data: bytes) -> None:
    assert p.checksum(data) == reduce(xor, data, 0)
