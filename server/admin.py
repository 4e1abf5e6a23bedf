"""Admin and statistics endpoints: enrolment codes, revocation, replies, dispatch, figures.

All need the admin token. Statistics reuse the kiosk's ``StatsService`` over the server's
database, so the bulletin and the evaluation mean the same on every screen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kiosk.errors import ValidationError
from kiosk.store.models import Station, Suggestion, SuggestionStatus
from kiosk.store.payload import plain, record_dict
from server.apply import PendingChange
from server.changes import record_changes
from server.deps import Admin, ApiError, Db
from server.dispatch import dispatch_unclaimed
from server.models import Device
from server.setup import new_enrollment_code
from server.stats import server_stats, status_data

router = APIRouter(prefix="/api/v1", dependencies=[Admin])


class CodeRequest(BaseModel):
    station_id: uuid.UUID
    valid_days: int = Field(default=7, ge=1, le=90)


class ReplyRequest(BaseModel):
    reply: str = Field(min_length=1, max_length=500)


class DispatchRequest(BaseModel):
    older_than_hours: float = Field(default=48, ge=0, le=24 * 90)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@router.post("/admin/enroll-codes")
def enroll_code(req: CodeRequest, session: Db) -> dict[str, str]:
    with session.begin():
        try:
            code = new_enrollment_code(
                session, req.station_id, valid_for=dt.timedelta(days=req.valid_days)
            )
        except LookupError as exc:
            raise ApiError(404, "unknown_station", str(exc)) from exc
    return {"station_id": str(req.station_id), "code": code}


@router.post("/admin/devices/{device_id}/revoke")
def revoke_device(device_id: str, session: Db) -> dict[str, str]:
    with session.begin():
        device = session.get(Device, device_id, with_for_update=True)
        if device is None:
            raise ApiError(404, "unknown_device", "no such device")
        device.revoked_at = device.revoked_at or _now()
        return {"device_id": device.id, "revoked_at": device.revoked_at.isoformat()}


@router.post("/admin/suggestions/{suggestion_id}/reply")
def reply(suggestion_id: uuid.UUID, req: ReplyRequest, session: Db) -> dict[str, Any]:
    """A town or the organisation department answers; the station's kiosk shows it."""
    now = _now()
    with session.begin():
        sug = session.get(Suggestion, suggestion_id, with_for_update=True)
        if sug is None:
            raise ApiError(404, "unknown_suggestion", "no such suggestion")
        if sug.status == SuggestionStatus.REPLIED:
            raise ApiError(409, "already_replied", "suggestion already has a reply")
        sug.reply = req.reply.strip()
        sug.status = SuggestionStatus.REPLIED
        sug.replied_at = now
        session.flush()
        data = record_dict(sug)
        scope = _station_community(session, sug.station_id)
        record_changes(session, [PendingChange("suggestion", sug.id, scope, data)], now)
        return {"id": str(sug.id), "status": sug.status}


def _station_community(session: Session, station_id: uuid.UUID | None) -> uuid.UUID | None:
    if station_id is None:
        return None
    station = session.get(Station, station_id)
    return station.community_id if station else None


@router.post("/admin/dispatch")
def dispatch(req: DispatchRequest, request: Request, session: Db) -> dict[str, Any]:
    now = _now()
    orgs = server_stats(request.app.state.engine).org_service(year=now.year)
    with session.begin():
        done = dispatch_unclaimed(
            session, orgs, now=now, older_than=dt.timedelta(hours=req.older_than_hours)
        )
    return {"dispatched": [plain(asdict(d)) for d in done]}


@router.get("/stats/status")
def stats_status(request: Request) -> dict[str, Any]:
    return status_data(request.app.state.engine)


@router.get("/stats/summary")
def stats_summary(
    request: Request,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    town_id: uuid.UUID | None = None,
    community_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    try:
        return server_stats(request.app.state.engine).summary(
            month=month, year=year, town_id=town_id, community_id=community_id
        )
    except ValidationError as exc:
        raise ApiError(422, "invalid", exc.detail) from exc


@router.get("/stats/rankings/members")
def member_ranking(
    request: Request,
    year: Annotated[int, Query(ge=2000, le=2100)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    rows = server_stats(request.app.state.engine).member_service(year=year, limit=limit)
    return [plain(asdict(r)) for r in rows]


@router.get("/stats/rankings/organisations")
def org_ranking(
    request: Request, year: Annotated[int, Query(ge=2000, le=2100)]
) -> list[dict[str, Any]]:
    rows = server_stats(request.app.state.engine).org_service(year=year)
    return [
        plain(asdict(r)) | {"shortfall": r.shortfall, "completion": min(r.completion, 999.0)}
        for r in rows
    ]
