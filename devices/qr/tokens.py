"""Member QR tokens, QR rendering, and routing of scanned text by prefix.

Kiosks are often offline, so a member's QR code must be checkable without the server: the
central server signs a small token with its Ed25519 key and every kiosk holds the public
keys. Nothing secret is in the token (a member UUID is an opaque id), so it is signed, not
encrypted. The key id lets the server rotate keys while cards signed by the old key stay
valid until the kiosks drop that key.

Scanned text is routed by prefix (ASCII, case-sensitive, version digit included so a format
can change without guessing):

``TBM1.<payload>.<signature>``
    member token (this module). Payload, base64url without padding: 16-byte member UUID,
    4-byte expiry (unix seconds, big-endian, unsigned), then the key id (1-16 ASCII
    characters ``[A-Za-z0-9_-]``, its length implied by the payload length). The signature
    is Ed25519 over ``b"TBM1." + payload``, so a signature made for any other message
    or prefix version never verifies here. About 125 characters: QR version 7 at level M.
``TBA1:<code>``
    activity code (sign-in sheet at a venue); the code is opaque here.
``TBN1:<ticket>``
    need ticket (a posted request for help); the ticket is opaque here.

Anything else is ``unknown``. Only ASCII is used so codes also survive keyboard-wedge
scanners, which cannot type Chinese reliably.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import os
import re
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

MEMBER_PREFIX = "TBM1."
ACTIVITY_PREFIX = "TBA1:"
NEED_PREFIX = "TBN1:"

_HEAD = struct.Struct(">16sI")  # member UUID, expiry
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE = 64
_MAX_EXPIRY = 2**32 - 1


class Clock(Protocol):
    """Anything with ``now()`` returning an aware datetime (``kiosk.clock.Clock`` fits)."""

    def now(self) -> dt.datetime: ...


class _SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class TokenError(Exception):
    """A refused token: ``message`` is shown to the member, ``reason`` goes to the log."""

    reason = "invalid"
    message = "二维码无法使用，请联系工作人员。"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.reason}: {detail}" if detail else self.reason)
        self.detail = detail


class MalformedToken(TokenError):
    reason = "malformed"
    message = "无法识别这个二维码，请出示党员时间银行的会员码。"


class UnknownKey(TokenError):
    reason = "unknown-key"
    message = "本机暂时无法核验这个二维码，请联系工作人员。"

    def __init__(self, key_id: str) -> None:
        super().__init__(f"key id {key_id!r} is not trusted by this kiosk")
        self.key_id = key_id


class BadSignature(TokenError):
    """Forged (signed by another key) or altered after signing; the two look the same."""

    reason = "bad-signature"
    message = "二维码校验未通过，可能已被改动，请重新获取。"


class ExpiredToken(TokenError):
    reason = "expired"
    message = "二维码已过期，请重新获取。"

    def __init__(self, expired_at: dt.datetime) -> None:
        super().__init__(f"expired at {expired_at.isoformat()}")
        self.expired_at = expired_at


@dataclass(frozen=True)
class MemberToken:
    member_id: uuid.UUID
    expires_at: dt.datetime  # UTC, whole seconds
    key_id: str


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict base64url: the stdlib decoder skips stray characters, which would let many
    texts stand for one token; only the canonical encoding is accepted."""
    if not _B64URL.fullmatch(text):
        raise MalformedToken("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedToken("not base64url") from exc
    if _b64encode(data) != text:
        raise MalformedToken("non-canonical base64url")
    return data


def _expiry_seconds(expires_at: dt.datetime) -> int:
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    seconds = int(expires_at.timestamp())
    if not 0 < seconds <= _MAX_EXPIRY:
        raise ValueError("expires_at does not fit the token format (1970-2106)")
    return seconds


def sign_member_token(
    private_key: Ed25519PrivateKey,
    key_id: str,
    member_id: uuid.UUID,
    expires_at: dt.datetime,
) -> str:
    """Server side: the text to put in a member's QR code. Sub-second expiry is truncated."""
    if not _KEY_ID.fullmatch(key_id):
        raise ValueError("key_id must be 1-16 characters of [A-Za-z0-9_-]")
    payload = _HEAD.pack(member_id.bytes, _expiry_seconds(expires_at)) + key_id.encode("ascii")
    signature = private_key.sign(MEMBER_PREFIX.encode("ascii") + payload)
    return f"{MEMBER_PREFIX}{_b64encode(payload)}.{_b64encode(signature)}"


def parse_member_token(text: str) -> tuple[MemberToken, bytes, bytes]:
    """Split a token into its claims, the signed message and the signature, unverified."""
    if not text.startswith(MEMBER_PREFIX):
        raise MalformedToken("missing TBM1. prefix")
    parts = text[len(MEMBER_PREFIX) :].split(".")
    if len(parts) != 2:
        raise MalformedToken("expected payload.signature")
    payload, signature = _b64decode(parts[0]), _b64decode(parts[1])
    if len(signature) != _SIGNATURE:
        raise MalformedToken(f"signature is {len(signature)} bytes, not {_SIGNATURE}")
    if len(payload) <= _HEAD.size:
        raise MalformedToken("payload too short")
    member, expiry = _HEAD.unpack_from(payload)
    key_id = payload[_HEAD.size :].decode("ascii", errors="replace")
    if not _KEY_ID.fullmatch(key_id):
        raise MalformedToken("bad key id")
    claims = MemberToken(
        member_id=uuid.UUID(bytes=member),
        expires_at=dt.datetime.fromtimestamp(expiry, dt.UTC),
        key_id=key_id,
    )
    return claims, MEMBER_PREFIX.encode("ascii") + payload, signature


class TokenVerifier:
    """Kiosk side: verify tokens offline against the trusted public keys.

    Checks run in the order malformed, unknown key, signature, expiry, so an altered token is
    never reported as merely expired and a member is only told "expired" for a genuine card.
    ``leeway`` tolerates a kiosk clock that runs a little fast.
    """

    def __init__(
        self,
        public_keys: Mapping[str, Ed25519PublicKey],
        clock: Clock | None = None,
        *,
        leeway: dt.timedelta = dt.timedelta(0),
    ) -> None:
        self.public_keys = dict(public_keys)
        self.clock: Clock = clock or _SystemClock()
        self.leeway = leeway

    def verify(self, text: str) -> MemberToken:
        claims, message, signature = parse_member_token(text.strip())
        key = self.public_keys.get(claims.key_id)
        if key is None:
            raise UnknownKey(claims.key_id)
        try:
            key.verify(signature, message)
        except InvalidSignature as exc:
            raise BadSignature(f"signature does not match key {claims.key_id!r}") from exc
        if self.clock.now() >= claims.expires_at + self.leeway:
            raise ExpiredToken(claims.expires_at)
        return claims


# --- keys ---------------------------------------------------------------------------------


def generate_keypair() -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    private = Ed25519PrivateKey.generate()
    return private, private.public_key()


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """A short stable id derived from the key, for servers that do not name keys."""
    digest = hashlib.sha256(public_key_to_text(public_key).encode("ascii")).digest()
    return "k" + _b64encode(digest[:6])


def public_key_to_text(public_key: Ed25519PublicKey) -> str:
    """The 32 raw key bytes in standard base64, for config files and the sync protocol."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("public key is not base64") from exc
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_to_text(private_key: Ed25519PrivateKey) -> str:
    """Server only; the caller stores it with 0600 permissions and never logs it."""
    raw = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(raw).decode("ascii")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("private key is not base64") from exc
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 private key is 32 bytes, got {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


# --- rendering ----------------------------------------------------------------------------


def render_qr_png(
    text: str,
    target: str | os.PathLike[str] | None = None,
    *,
    box_size: int = 8,
    border: int = 4,
) -> bytes:
    """PNG bytes of ``text`` as a QR code, also written to ``target`` if given.

    Level M (15 % recovery) survives a creased card or a faded thermal receipt while keeping
    a member token at version 7, which a cheap scanner still reads at arm's length. The
    4-module border is the quiet zone the standard requires; smaller ones fail on some readers.
    """
    import qrcode
    from qrcode.image.pil import PilImage

    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        image_factory=PilImage,
    )
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    png = buffer.getvalue()
    if target is not None:
        with open(target, "wb") as fh:
            fh.write(png)
    return png


# --- routing ------------------------------------------------------------------------------

RouteKind = Literal["member", "activity", "need", "unknown"]


@dataclass(frozen=True)
class Routed:
    kind: RouteKind
    value: str  # the whole token for "member", the part after the prefix otherwise


_ROUTES: tuple[tuple[str, RouteKind], ...] = (
    (ACTIVITY_PREFIX, "activity"),
    (NEED_PREFIX, "need"),
)


def activity_qr_text(code: str) -> str:
    return ACTIVITY_PREFIX + code


def need_qr_text(ticket: str) -> str:
    return NEED_PREFIX + ticket


def route(text: str) -> Routed:
    """Which flow a scan belongs to; a member token still has to pass ``TokenVerifier``."""
    text = text.strip()
    if text.startswith(MEMBER_PREFIX):
        return Routed("member", text)
    for prefix, kind in _ROUTES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return Routed(kind, text[len(prefix) :])
    return Routed("unknown", text)
