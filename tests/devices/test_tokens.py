"""Member QR tokens: signing, offline verification, refusals, rendering, routing."""

from __future__ import annotations

import base64
import datetime as dt
import io
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.qr.tokens import (
    MEMBER_PREFIX,
    BadSignature,
    ExpiredToken,
    MalformedToken,
    MemberToken,
    Routed,
    TokenError,
    TokenVerifier,
    UnknownKey,
    activity_qr_text,
    generate_keypair,
    key_id_for,
    need_qr_text,
    private_key_from_text,
    private_key_to_text,
    public_key_from_text,
    public_key_to_text,
    render_qr_png,
    route,
    sign_member_token,
)
from kiosk.clock import FixedClock

NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
EXPIRES = NOW + dt.timedelta(days=30)
MEMBER = uuid.UUID("0192f3a4-5b6c-7d8e-9f01-23456789abcd")
PRIVATE, PUBLIC = generate_keypair()
OTHER_PRIVATE, OTHER_PUBLIC = generate_keypair()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def verifier(clock: FixedClock) -> TokenVerifier:
    return TokenVerifier({"k1": PUBLIC}, clock)


@pytest.fixture
def token() -> str:
    return sign_member_token(PRIVATE, "k1", MEMBER, EXPIRES)


def resign_parts(token: str) -> tuple[bytes, bytes]:
    payload, signature = token[len(MEMBER_PREFIX) :].split(".")
    return (
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)),
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
    )


def encode(payload: bytes, signature: bytes) -> str:
    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    return f"{MEMBER_PREFIX}{b64(payload)}.{b64(signature)}"


def test_round_trip(verifier: TokenVerifier, token: str) -> None:
    assert token.startswith("TBM1.")
    assert token.isascii() and len(token) < 140
    assert verifier.verify(token) == MemberToken(MEMBER, EXPIRES, "k1")


def test_surrounding_whitespace_from_a_scanner_is_tolerated(
    verifier: TokenVerifier, token: str
) -> None:
    assert verifier.verify(f" {token}\r\n").member_id == MEMBER


def test_forged_with_another_key_is_refused(verifier: TokenVerifier) -> None:
    forged = sign_member_token(OTHER_PRIVATE, "k1", MEMBER, EXPIRES)
    with pytest.raises(BadSignature) as info:
        verifier.verify(forged)
    assert info.value.reason == "bad-signature"
    assert "篡改" in info.value.message or "改动" in info.value.message


@pytest.mark.parametrize("index", [0, 5, 15, 16, 19])  # member UUID bytes and expiry bytes
def test_altered_payload_byte_is_refused(verifier: TokenVerifier, token: str, index: int) -> None:
    payload, signature = resign_parts(token)
    altered = bytearray(payload)
    altered[index] ^= 0x01
    with pytest.raises(BadSignature):
        verifier.verify(encode(bytes(altered), signature))


def test_altered_signature_byte_is_refused(verifier: TokenVerifier, token: str) -> None:
    payload, signature = resign_parts(token)
    altered = bytearray(signature)
    altered[10] ^= 0x80
    with pytest.raises(BadSignature):
        verifier.verify(encode(payload, bytes(altered)))


def test_any_single_character_change_is_refused(verifier: TokenVerifier, token: str) -> None:
    body = len(MEMBER_PREFIX)
    for i in range(body, len(token)):
        if token[i] == ".":
            continue
        changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        with pytest.raises(TokenError):
            verifier.verify(changed)


def test_expired_is_refused_with_a_plain_chinese_message(
    verifier: TokenVerifier, clock: FixedClock, token: str
) -> None:
    clock.set(EXPIRES - dt.timedelta(seconds=1))
    assert verifier.verify(token).member_id == MEMBER
    clock.set(EXPIRES)
    with pytest.raises(ExpiredToken) as info:
        verifier.verify(token)
    assert info.value.reason == "expired"
    assert info.value.message == "二维码已过期，请重新获取。"
    assert info.value.expired_at == EXPIRES


def test_leeway_tolerates_a_fast_kiosk_clock(clock: FixedClock, token: str) -> None:
    clock.set(EXPIRES + dt.timedelta(minutes=2))
    lenient = TokenVerifier({"k1": PUBLIC}, clock, leeway=dt.timedelta(minutes=5))
    assert lenient.verify(token).member_id == MEMBER


def test_expired_and_altered_reports_the_alteration(
    verifier: TokenVerifier, clock: FixedClock, token: str
) -> None:
    clock.set(EXPIRES + dt.timedelta(days=1))
    payload, signature = resign_parts(token)
    altered = bytes([payload[0] ^ 1]) + payload[1:]
    with pytest.raises(BadSignature):
        verifier.verify(encode(altered, signature))


def test_unknown_key_id_is_refused(verifier: TokenVerifier, clock: FixedClock) -> None:
    other = sign_member_token(OTHER_PRIVATE, "k2", MEMBER, EXPIRES)
    with pytest.raises(UnknownKey) as info:
        verifier.verify(other)
    assert info.value.key_id == "k2"
    assert info.value.reason == "unknown-key"
    both = TokenVerifier({"k1": PUBLIC, "k2": OTHER_PUBLIC}, clock)
    assert both.verify(other).key_id == "k2"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "TBM1.",
        "TBM1.abc",
        "TBM1.abc.def.ghi",
        "TBM1.!!!!.AAAA",
        "TBM2.AAAA.AAAA",
        "tbm1.AAAA.AAAA",
        "TBM1.AAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA",
    ],
)
def test_malformed_is_refused(verifier: TokenVerifier, text: str) -> None:
    with pytest.raises(MalformedToken) as info:
        verifier.verify(text)
    assert info.value.reason == "malformed"
    assert info.value.message


def test_malformed_parts_inside_a_well_formed_envelope(verifier: TokenVerifier, token: str) -> None:
    payload, signature = resign_parts(token)
    cases = [
        encode(payload, signature[:-1]),  # short signature
        encode(payload[:20], signature),  # no key id
        encode(payload[:20] + b"k 1", signature),  # key id with a space
        encode(payload[:20] + "秘".encode(), signature),  # key id not ASCII
        token + "=",  # padding is not part of the format
    ]
    for text in cases:
        with pytest.raises(MalformedToken):
            verifier.verify(text)


def test_non_canonical_base64_is_malformed(verifier: TokenVerifier, token: str) -> None:
    # The last character of a 64-byte signature carries 4 unused bits; setting one still
    # decodes to the same bytes with a lenient decoder, so it must be refused here.
    last = token[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = alphabet[alphabet.index(last) | 1]
    assert twin != last
    with pytest.raises(MalformedToken):
        verifier.verify(token[:-1] + twin)


def test_signing_refuses_bad_inputs() -> None:
    with pytest.raises(ValueError):
        sign_member_token(PRIVATE, "", MEMBER, EXPIRES)
    with pytest.raises(ValueError):
        sign_member_token(PRIVATE, "k" * 17, MEMBER, EXPIRES)
    with pytest.raises(ValueError):
        sign_member_token(PRIVATE, "k1", MEMBER, dt.datetime(2030, 1, 1))  # naive
    with pytest.raises(ValueError):
        sign_member_token(PRIVATE, "k1", MEMBER, dt.datetime(2107, 1, 1, tzinfo=dt.UTC))


def test_error_messages_are_chinese_and_reasons_english() -> None:
    for cls in (MalformedToken, BadSignature):
        err = cls("x")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message)
        assert err.reason.isascii()
        assert err.reason in str(err)


@settings(max_examples=50, deadline=None)
@given(
    member=st.uuids(),
    seconds=st.integers(min_value=1, max_value=2**32 - 1),
    key_id=st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True),
)
def test_fuzz_round_trip_for_any_claims(member: uuid.UUID, seconds: int, key_id: str) -> None:
    expires = dt.datetime.fromtimestamp(seconds, dt.UTC)
    token = sign_member_token(PRIVATE, key_id, member, expires)
    clock = FixedClock(dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    assert TokenVerifier({key_id: PUBLIC}, clock).verify(token) == MemberToken(
        member, expires, key_id
    )


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_fuzz_verify_raises_only_token_errors(text: str) -> None:
    verifier = TokenVerifier({"k1": PUBLIC})
    with pytest.raises(TokenError):
        verifier.verify(MEMBER_PREFIX + text)


# --- keys ---------------------------------------------------------------------------------


def test_public_key_text_round_trip(token: str) -> None:
    text = public_key_to_text(PUBLIC)
    assert len(base64.b64decode(text)) == 32
    loaded = public_key_from_text(text)
    assert TokenVerifier({"k1": loaded}, FixedClock(NOW)).verify(token).member_id == MEMBER
    for bad in ("not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(ValueError):
            public_key_from_text(bad)


def test_private_key_text_round_trip() -> None:
    loaded = private_key_from_text(private_key_to_text(PRIVATE))
    token = sign_member_token(loaded, "k1", MEMBER, EXPIRES)
    assert TokenVerifier({"k1": PUBLIC}, FixedClock(NOW)).verify(token).member_id == MEMBER


def test_key_id_for_is_stable_short_and_usable() -> None:
    kid = key_id_for(PUBLIC)
    assert kid == key_id_for(public_key_from_text(public_key_to_text(PUBLIC)))
    assert kid != key_id_for(OTHER_PUBLIC)
    sign_member_token(PRIVATE, kid, MEMBER, EXPIRES)  # fits the key-id rules


# --- rendering ----------------------------------------------------------------------------


def test_render_png_to_bytes_and_file(token: str, tmp_path: Path) -> None:
    target = tmp_path / "card.png"
    png = render_qr_png(token, target, box_size=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert target.read_bytes() == png
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        width, height = image.size
        assert width == height
        # version 7 is 45 modules, plus a 4-module quiet zone each side
        assert width % 4 == 0 and 45 * 4 <= width <= 61 * 4
        corner = image.convert("L").getpixel((0, 0))
        finder = image.convert("L").getpixel((4 * 4 + 1, 4 * 4 + 1))
        assert corner == 255 and finder == 0  # white quiet zone, dark finder pattern


def test_box_size_scales_the_image(token: str) -> None:
    with (
        Image.open(io.BytesIO(render_qr_png(token, box_size=2))) as small,
        Image.open(io.BytesIO(render_qr_png(token, box_size=6))) as large,
    ):
        assert large.size[0] == small.size[0] * 3


# --- routing ------------------------------------------------------------------------------


def test_routing_by_prefix(token: str) -> None:
    assert route(token) == Routed("member", token)
    assert route(token + "\r\n") == Routed("member", token)
    assert route(activity_qr_text("A-2025-0042")) == Routed("activity", "A-2025-0042")
    assert route(need_qr_text("N123")) == Routed("need", "N123")
    assert route("TBA1:") == Routed("unknown", "TBA1:")
    assert route("https://example.org/x") == Routed("unknown", "https://example.org/x")
    assert route("tba1:abc").kind == "unknown"  # prefixes are case-sensitive
    assert route("TBN2:x").kind == "unknown"
