"""HTTP client for the sync protocol: signed requests over ``requests`` with timeouts.

Transport failures (refused, reset, timeout, 5xx, 429) raise ``Retryable``; a 4xx other
than those raises ``Refused`` with the server's stated reason. The caller decides what to
retry; this module never retries on its own, so one sync cycle has one clear outcome.
"""

from __future__ import annotations

import base64
import email.utils
import gzip
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import requests

from sync.protocol import (
    ENROLL_PATH,
    H_DEVICE,
    H_NONCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    PULL_PATH,
    PUSH_PATH,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    sign,
)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0


class SyncError(Exception):
    pass


class Retryable(SyncError):
    """The network or the server failed; the same request may succeed later."""


# What staff read when the server will not let this kiosk sync. The records stay on the
# kiosk either way; only an administrator can fix it, so each says whom to call.
_RE_ENROL = "本机记录都已保留，请联系管理员重新登记本机。"
AUTH_MESSAGES = {
    "revoked": "服务器已停用本机，暂停同步。" + _RE_ENROL,
    "unknown_device": "服务器不认识本机（登记已失效），暂停同步。" + _RE_ENROL,
    "bad_signature": "服务器不认本机的密钥，暂停同步。" + _RE_ENROL,
    "clock_skew": "本机时钟与服务器相差超过 5 分钟，服务器拒绝同步。请校准本机时间。",
}
AUTH_MESSAGE_OTHER = "服务器拒绝本机同步（{code}），暂停同步。" + _RE_ENROL


class Refused(SyncError):
    """The server refused the request; resending it unchanged will not help."""

    def __init__(self, status: int, code: str, reason: str) -> None:
        super().__init__(f"{status} {code}: {reason}")
        self.status = status
        self.code = code
        self.reason = reason

    @property
    def auth_refused(self) -> bool:
        """The server will not accept this device at all (401/403), whatever it sends."""
        return self.status in (401, 403)

    @property
    def staff_message(self) -> str:
        """Plain Chinese for the staff console when ``auth_refused``; the code is for logs."""
        return AUTH_MESSAGES.get(self.code, AUTH_MESSAGE_OTHER.format(code=self.code))


@dataclass(frozen=True)
class Credentials:
    device_id: str
    secret: bytes


class SyncClient:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None = None,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        now: Callable[[], float] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.http = session or requests.Session()
        self.timeout = timeout
        self._now = now or time.time
        self.offset = 0.0  # server time minus ours, from the last Date header

    def _request(
        self, method: str, path: str, body: bytes = b"", *, gzipped: bool = False
    ) -> bytes:
        try:
            return self._send(method, path, body, gzipped=gzipped)
        except Refused as exc:
            if exc.code != "clock_skew":
                raise
            # Our clock is off; the refusal carried the server's Date, so sign with that.
            return self._send(method, path, body, gzipped=gzipped)

    def _send(self, method: str, path: str, body: bytes, *, gzipped: bool) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        if self.credentials is not None:
            ts = str(int(self._now() + self.offset))
            nonce = base64.urlsafe_b64encode(os.urandom(18)).decode()
            headers[H_DEVICE] = self.credentials.device_id
            headers[H_TIMESTAMP] = ts
            headers[H_NONCE] = nonce
            headers[H_SIGNATURE] = sign(self.credentials.secret, method, path, ts, nonce, body)
        try:
            resp = self.http.request(
                method,
                self.base_url + path,
                data=body or None,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise Retryable(f"{type(exc).__name__}: {exc}") from exc
        self._learn_offset(resp.headers.get("Date"))
        if resp.status_code >= 500 or resp.status_code == 429:
            raise Retryable(f"server answered {resp.status_code}")
        if resp.status_code >= 400:
            try:
                problem = resp.json()
                code, reason = str(problem.get("code", "")), str(problem.get("reason", ""))
            except ValueError:
                code, reason = "http", resp.text[:200]
            raise Refused(resp.status_code, code, reason)
        return resp.content

    def _learn_offset(self, date: str | None) -> None:
        """Signatures carry a timestamp the server checks to 5 minutes; a kiosk whose clock
        is off must still sync (its records are flagged instead), so sign in server time."""
        if not date:
            return
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        self.offset = server - self._now()

    def health(self) -> None:
        """A cheap, unsigned request: does the server answer at all?"""
        self._request("GET", "/api/v1/health")

    def enroll(self, code: str, device_name: str = "") -> EnrollResponse:
        body = EnrollRequest(code=code, device_name=device_name).model_dump_json().encode()
        return EnrollResponse.model_validate_json(self._request("POST", ENROLL_PATH, body))

    def push(self, request: PushRequest) -> PushResponse:
        raw = gzip.compress(request.model_dump_json().encode(), compresslevel=5)
        return PushResponse.model_validate_json(self._request("POST", PUSH_PATH, raw, gzipped=True))

    def pull(self, cursor: int, limit: int = 500, chain: uuid.UUID | None = None) -> PullResponse:
        """``chain`` names this kiosk database, so the server can leave out its own changes."""
        path = f"{PULL_PATH}?cursor={cursor}&limit={limit}"
        if chain is not None:
            path += f"&chain={chain}"
        return PullResponse.model_validate_json(self._request("GET", path))
