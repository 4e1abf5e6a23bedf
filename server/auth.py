"""Request signing checks and admin tokens.

The signature covers method, path with query, timestamp, nonce and body hash
(``sync.protocol.canonical_request``). Nonces are stored in the database, not in memory,
so any worker process can refuse a replay seen by another. Old nonces are pruned by a job
that any request may run when it is due, guarded by a row in ``job_run`` (see
``prune_nonces_if_due``), and by ``timebank server prune`` for a scheduler.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from server.apply import insert_for, inserted_rows
from server.models import Device, JobRun, SeenNonce, ServerMeta
from sync.protocol import MAX_SKEW_SECONDS, signature_ok

PRUNE_JOB = "prune_nonces"  # its row is made by migration 0004
PRUNE_EVERY = dt.timedelta(minutes=5)


class AuthFailure(Exception):
    def __init__(self, code: str, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.status = status


def authenticate_device(
    session: Session,
    *,
    device_id: str | None,
    timestamp: str | None,
    nonce: str | None,
    signature: str | None,
    method: str,
    path: str,
    body: bytes,
    now: dt.datetime,
) -> Device:
    if not (device_id and timestamp and nonce and signature):
        raise AuthFailure("unsigned", "request is not signed")
    if not 8 <= len(nonce) <= 64:
        raise AuthFailure("bad_nonce", "nonce must be 8 to 64 characters")
    device = session.get(Device, device_id)
    if device is None:
        raise AuthFailure("unknown_device", "device is not enrolled")
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise AuthFailure("bad_timestamp", "timestamp is not unix seconds") from exc
    if not signature.isascii() or not signature_ok(  # compare_digest refuses non-ASCII text
        base64.b64decode(device.secret), signature, method, path, timestamp, nonce, body
    ):
        raise AuthFailure("bad_signature", "signature does not match")
    if abs((now - sent).total_seconds()) > MAX_SKEW_SECONDS:
        raise AuthFailure("clock_skew", "timestamp is more than 5 minutes from server time")
    if device.revoked_at is not None:
        raise AuthFailure("revoked", "device has been revoked", status=403)
    fresh = inserted_rows(
        session.execute(
            insert_for(session, SeenNonce)
            .values(device_id=device_id, nonce=nonce, seen_at=now)
            .on_conflict_do_nothing()
        )
    )
    if not fresh:
        raise AuthFailure("replay", "nonce was already used")
    device.last_seen_at = now
    prune_nonces_if_due(session, now)
    return device


def prune_nonces(session: Session, now: dt.datetime) -> int:
    """Nonces older than twice the allowed skew can never be replayed successfully."""
    cutoff = now - dt.timedelta(seconds=2 * MAX_SKEW_SECONDS)
    result = session.execute(
        delete(SeenNonce)
        .where(SeenNonce.seen_at < cutoff)
        .execution_options(preserve_rowcount=True)
    )
    assert isinstance(result, CursorResult)
    return max(result.rowcount, 0)


def prune_nonces_if_due(session: Session, now: dt.datetime) -> bool:
    """Prune if nobody has for ``PRUNE_EVERY``, in the caller's transaction.

    On PostgreSQL the job row is taken with SKIP LOCKED: a request never waits for another
    that is pruning, and holding the row cannot close a lock cycle with the balance and
    sequence rows a push locks later. SQLite has one writer at a time anyway.
    """
    due = select(JobRun).where(JobRun.name == PRUNE_JOB, JobRun.ran_at < now - PRUNE_EVERY)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    job = session.execute(due).scalar_one_or_none()
    if job is None:
        return False
    job.ran_at = now
    prune_nonces(session, now)
    return True


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def admin_ok(session: Session, authorization: str | None) -> bool:
    if not authorization or not authorization.startswith("Bearer "):
        return False
    meta = session.get_one(ServerMeta, 1)
    return hmac.compare_digest(token_hash(authorization[7:]), meta.admin_token_hash)
