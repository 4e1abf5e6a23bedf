"""The central server's HTTP API (FastAPI).

Stateless between requests: every nonce, cursor, sequence and enrolment lives in the
database, so several worker processes can serve one PostgreSQL. Every refusal is a 4xx with
a ``Problem`` body; a malformed request never becomes a 500.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import uuid
import zlib
from typing import Annotated, Any

from anyio import CapacityLimiter
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from devices.qr.tokens import private_key_from_text, public_key_to_text
from kiosk.store.models import Station
from server.admin import router as admin_router
from server.apply import PushContext, apply_balances, apply_items, item_results
from server.auth import AuthFailure, authenticate_device
from server.changes import CursorGone, Origin, pull_changes, record_changes
from server.db import make_server_engine
from server.deps import ApiError, Db
from server.models import Device, EnrollmentCode, ServerMeta, SyncItem
from server.records import RecordRace
from sync.protocol import (
    ENROLL_PATH,
    H_DEVICE,
    H_NONCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    MAX_BATCH_BYTES,
    MAX_PULL_LIMIT,
    PULL_PATH,
    PUSH_PATH,
    EnrollRequest,
    EnrollResponse,
    ItemStatus,
    Problem,
    PullResponse,
    PushRequest,
    PushResponse,
)

log = logging.getLogger(__name__)

# Pushes handled at once by one process. More would only queue on the rows every push ends
# with (the change-log counter, the mint and pool balances) and take connections the pool
# may not have: past its timeout that was a 500. A push waiting here holds no thread and
# no connection.
PUSH_SLOTS = 8


def _problem(status: int, code: str, reason: str) -> JSONResponse:
    return JSONResponse(Problem(code=code, reason=reason).model_dump(), status_code=status)


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem},
    401: {"model": Problem},
    403: {"model": Problem},
    409: {"model": Problem},
    410: {"model": Problem},
    413: {"model": Problem},
    422: {"model": Problem},
}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def read_body(raw: bytes, encoding: str | None) -> bytes:
    """Undo gzip with a hard cap, so a small bomb cannot expand into memory."""
    if not encoding or encoding == "identity":
        if len(raw) > MAX_BATCH_BYTES:
            raise ApiError(413, "too_large", f"body larger than {MAX_BATCH_BYTES} bytes")
        return raw
    if encoding != "gzip":
        raise ApiError(400, "bad_encoding", f"content encoding {encoding!r} not supported")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(raw, MAX_BATCH_BYTES + 1)
    except zlib.error as exc:
        raise ApiError(400, "bad_gzip", "body is not valid gzip") from exc
    if len(body) > MAX_BATCH_BYTES or inflater.unconsumed_tail:
        raise ApiError(413, "too_large", f"batch larger than {MAX_BATCH_BYTES} bytes")
    return body


async def read_capped(request: Request) -> bytes:
    """Read the body but stop at the batch limit, so a huge upload is never buffered whole."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BATCH_BYTES:
        raise ApiError(413, "too_large", f"body larger than {MAX_BATCH_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BATCH_BYTES:
                raise ApiError(413, "too_large", f"body larger than {MAX_BATCH_BYTES} bytes")
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise ApiError(400, "disconnected", "client went away mid-upload") from exc
    return b"".join(chunks)


def create_app(db_url: str | None = None, *, engine: Engine | None = None) -> FastAPI:
    engine = engine or make_server_engine(db_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    app = FastAPI(
        title="党员时间银行 central server",
        version="1",
        description="Sync, enrolment and statistics for the Party Member Time Bank kiosks.",
    )
    app.state.engine = engine
    app.state.sessions = sessions
    push_slots = CapacityLimiter(PUSH_SLOTS)
    app.include_router(admin_router)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _problem(exc.status, exc.code, exc.reason)

    @app.exception_handler(AuthFailure)
    async def _auth_error(_: Request, exc: AuthFailure) -> JSONResponse:
        return _problem(exc.status, exc.code, exc.reason)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _problem(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(OperationalError)
    async def _busy(_: Request, exc: OperationalError) -> JSONResponse:
        # Deadlock, serialization failure, lock timeout, lost connection: nothing committed,
        # and the same request may succeed in a moment, so tell the kiosk to retry.
        log.warning("database busy, answering 503: %s", type(exc.orig).__name__)
        return _problem(503, "busy", "database busy; retry later")

    @app.exception_handler(PoolTimeout)
    async def _no_connection(_: Request, exc: PoolTimeout) -> JSONResponse:
        log.warning("no database connection free, answering 503")
        return _problem(503, "busy", "database busy; retry later")

    @app.exception_handler(RecordRace)
    async def _race(_: Request, exc: RecordRace) -> JSONResponse:
        # A concurrent push created a record this one was creating; nothing committed, and
        # the resend finds the record and answers duplicate or conflict.
        log.warning("concurrent create of the same record, answering 503")
        return _problem(503, "busy", "database busy; retry later")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _problem(exc.status_code, "http", str(exc.detail))

    def signed_device(request: Request, session: Session, body: bytes) -> Device:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return authenticate_device(
            session,
            device_id=request.headers.get(H_DEVICE),
            timestamp=request.headers.get(H_TIMESTAMP),
            nonce=request.headers.get(H_NONCE),
            signature=request.headers.get(H_SIGNATURE),
            method=request.method,
            path=path,
            body=body,
            now=now_utc(),
        )

    @app.get("/api/v1/health")
    def health(session: Db) -> dict[str, str]:
        meta = session.get_one(ServerMeta, 1)
        return {"status": "ok", "instance_epoch": meta.instance_epoch}

    @app.post(ENROLL_PATH, response_model=EnrollResponse, responses=PROBLEMS)
    def enroll(req: EnrollRequest, session: Db) -> EnrollResponse:
        now = now_utc()
        code_hash = hashlib.sha256(req.code.strip().upper().encode()).hexdigest()
        with session.begin():
            code = session.get(EnrollmentCode, code_hash, with_for_update=True)
            if code is None or code.used_at is not None or code.expires_at < now:
                raise ApiError(403, "bad_code", "enrolment code unknown, used or expired")
            device_id = "kiosk-" + os.urandom(6).hex()
            secret = base64.b64encode(os.urandom(32)).decode()
            session.add(
                Device(
                    id=device_id,
                    station_id=code.station_id,
                    name=req.device_name,
                    secret=secret,
                    enrolled_at=now,
                )
            )
            code.used_at = now
            code.used_by = device_id
            meta = session.get_one(ServerMeta, 1)
            public = public_key_to_text(private_key_from_text(meta.qr_private_key).public_key())
            return EnrollResponse(
                device_id=device_id,
                device_secret=secret,
                station_id=code.station_id,
                key_id=meta.key_id,
                hash_key=meta.hash_key,
                data_key=meta.data_key,
                member_qr_keys={meta.qr_key_id: public},
                instance_epoch=meta.instance_epoch,
            )

    @app.post(
        PUSH_PATH,
        response_model=PushResponse,
        responses=PROBLEMS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": PushRequest.model_json_schema()}},
            }
        },
    )
    async def push(request: Request, session: Db) -> Response:
        raw = await read_capped(request)
        async with push_slots:
            answer = await run_in_threadpool(do_push, request, session, raw)
        # Written by pydantic directly: FastAPI's own path (dump, validate again, encode in
        # Python) cost more per batch than the server's whole change log.
        return Response(answer.model_dump_json(), media_type="application/json")

    def do_push(request: Request, session: Session, raw: bytes) -> PushResponse:
        now = now_utc()
        with session.begin():
            device = signed_device(request, session, raw)
            body = read_body(raw, request.headers.get("content-encoding"))
            try:
                req = PushRequest.model_validate_json(body)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first.get("loc", ()))
                raise ApiError(422, "invalid", f"{where}: {first.get('msg')}") from exc
            station = session.get_one(Station, device.station_id)
            ctx = PushContext(
                session=session,
                device_id=device.id,
                station_id=station.id,
                community_id=station.community_id,
                now=now,
            )
            answers = apply_items(ctx, sorted(req.items, key=lambda i: i.device_seq))
            apply_balances(ctx)
            chain = req.items[0].chain_id if req.items else None
            origin = Origin(device.id, chain) if chain else None
            seqs = record_changes(session, ctx.changes, now, origin)
            accepted = (ItemStatus.APPLIED, ItemStatus.DUPLICATE)
            acked, top = session.execute(
                select(func.count(), func.coalesce(func.max(SyncItem.device_seq), 0)).where(
                    SyncItem.device_id == device.id,
                    SyncItem.status.in_(accepted),
                    *([SyncItem.chain_id == chain] if chain else []),
                )
            ).one()
            meta = session.get_one(ServerMeta, 1)
            return PushResponse(
                results=item_results(answers, ctx.changes, seqs),
                instance_epoch=meta.instance_epoch,
                acked_count=int(acked),
                max_device_seq=int(top),
                server_time=now,
            )

    @app.get(PULL_PATH, response_model=PullResponse, responses=PROBLEMS)
    def pull(
        request: Request,
        session: Db,
        cursor: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500,
        chain: Annotated[uuid.UUID | None, Query()] = None,
    ) -> PullResponse:
        now = now_utc()
        with session.begin():
            device = signed_device(request, session, b"")
            station = session.get_one(Station, device.station_id)
            try:
                # The kiosk's own changes are not sent back to it (it has them already).
                puller = Origin(device.id, chain) if chain else None
                changes, next_cursor, has_more = pull_changes(
                    session, station.community_id, cursor, limit, puller
                )
            except CursorGone as exc:
                raise ApiError(410, "cursor_gone", "cursor too old: resync reference data") from exc
            meta = session.get_one(ServerMeta, 1)
            return PullResponse(
                changes=changes,
                next_cursor=next_cursor,
                has_more=has_more,
                instance_epoch=meta.instance_epoch,
                server_time=now,
            )

    return app
