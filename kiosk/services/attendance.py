"""Activities and attendance: check-in/out rules, credited service, residents served.

Attendance is an append-only log of events; the rules (no double check-in, at most N pairs
a day, no check-out without check-in, a daily automatic limit, forgotten check-outs closed
at the activity's end for review) are decided from that log inside the write transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import select

from kiosk.clock import local_day, local_hhmm
from kiosk.errors import InvalidTransition, NotFound, RuleViolation, ValidationError
from kiosk.ids import uuid7
from kiosk.services.ledger import Ledger, award_minutes
from kiosk.store.models import (
    Activity,
    ActivityStatus,
    Attendance,
    BeneficiaryVisit,
    CheckMethod,
    Community,
    Organisation,
    Person,
    ServiceApproval,
    ServiceRecord,
    ServiceStatus,
    Station,
)
from kiosk.store.repositories import AttendanceRepo
from kiosk.store.uow import Store, UnitOfWork


@dataclass(frozen=True)
class CheckInResult:
    """``stored``: the event, or its row as written; ``attendance`` makes the object on
    first use (most callers only show the message, and a mapped object costs as much to
    build as the statement that wrote it)."""

    stored: Attendance | dict[str, Any] = field(repr=False)
    already: bool  # the person was already checked in; nothing new was recorded
    message: str

    @cached_property
    def attendance(self) -> Attendance:
        stored = self.stored
        return stored if isinstance(stored, Attendance) else Attendance(**stored)


@dataclass(frozen=True)
class CheckOutResult:
    stored: dict[str, Any] = field(repr=False)  # the service record's row as written
    coins_minutes: int  # coins minted now, in minutes
    message: str

    @cached_property
    def record(self) -> ServiceRecord:
        return ServiceRecord(**self.stored)


def _open_check_in(
    uow: UnitOfWork, activity_id: uuid.UUID, person_id: uuid.UUID
) -> Attendance | None:
    """The person's latest event for this activity, if it is a check-in (an open pair)."""
    last = AttendanceRepo(uow.session).last_event(activity_id, person_id)
    return last if last is not None and last.direction == "in" else None


class AttendanceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- activities -------------------------------------------------------------------
    def create_activity(
        self,
        *,
        title: str,
        community_id: uuid.UUID,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        service_type: str,
        organiser_org_id: uuid.UUID | None = None,
        place: str = "",
        capacity: int = 0,
        coin_rate: int = 60,
        staff_id: uuid.UUID | None = None,
    ) -> Activity:
        title = title.strip()
        if not title or len(title) > 80:
            raise ValidationError("请填写活动名称。", detail="activity title empty or too long")
        if ends_at <= starts_at:
            raise ValidationError(
                "结束时间要晚于开始时间。", detail="activity ends before it starts"
            )
        if ends_at - starts_at > dt.timedelta(days=366):
            raise ValidationError("活动时间不能超过一年。", detail="activity longer than a year")
        if capacity < 0 or not 0 < coin_rate <= 600:
            raise ValidationError("人数或时间币标准不正确。", detail="bad capacity or coin rate")
        if not service_type.strip():
            raise ValidationError("请选择服务类型。", detail="no service type")
        with self.store.write() as uow:
            if uow.session.get(Community, community_id) is None:
                raise NotFound("没有找到这个社区。", detail=f"community {community_id}")
            if organiser_org_id and uow.session.get(Organisation, organiser_org_id) is None:
                raise NotFound("没有找到这个党组织。", detail=f"organisation {organiser_org_id}")
            act = Activity(
                title=title,
                community_id=community_id,
                starts_at=starts_at,
                ends_at=ends_at,
                service_type=service_type.strip(),
                organiser_org_id=organiser_org_id,
                place=place.strip(),
                capacity=capacity,
                coin_rate=coin_rate,
                status=ActivityStatus.PLANNED,
            )
            uow.add(act)
            uow.emit_record("activity", "create", act)
            if staff_id:
                uow.audit(staff_id, "activity.create", "activity", act.id)
            return act

    def open_checkin(self, *, activity_id: uuid.UUID, staff_id: uuid.UUID | None = None) -> None:
        with self.store.write() as uow:
            act = _activity(uow, activity_id)
            if act.status != ActivityStatus.PLANNED:
                raise InvalidTransition(
                    "这个活动已经开始签到或已结束。", detail=f"status {act.status}"
                )
            act.status = ActivityStatus.OPEN
            uow.emit("activity", "open", act.id, {"id": act.id, "status": act.status})
            if staff_id:
                uow.audit(staff_id, "activity.open", "activity", act.id)

    def close_checkin(
        self, *, activity_id: uuid.UUID, staff_id: uuid.UUID | None = None
    ) -> list[ServiceRecord]:
        """Close the activity; anyone still checked in is checked out at its end, for review."""
        with self.store.write() as uow:
            act = _activity(uow, activity_id)
            if act.status == ActivityStatus.CLOSED:
                raise InvalidTransition("这个活动已经结束签到。", detail="already closed")
            act.status = ActivityStatus.CLOSED
            uow.emit("activity", "close", act.id, {"id": act.id, "status": act.status})
            flagged = self._close_forgotten(uow, act)
            if staff_id:
                uow.audit(
                    staff_id, "activity.close", "activity", act.id, f"forgotten={len(flagged)}"
                )
            return flagged

    def _close_forgotten(self, uow: UnitOfWork, act: Activity) -> list[ServiceRecord]:
        people = AttendanceRepo(uow.session).people_at(act.id)
        flagged = []
        for person_id in people:
            open_in = _open_check_in(uow, act.id, person_id)
            if open_in is None:
                continue
            end = max(act.ends_at, open_in.at)
            out = self._event(uow, act.id, person_id, "out", end, CheckMethod.AUTO, None)
            minutes = _minutes(open_in.at, end)
            rec = uow.append(
                ServiceRecord,
                {
                    "activity_id": act.id,
                    "person_id": person_id,
                    "check_in_id": open_in.id,
                    "check_out_id": out["id"],
                    "service_day": open_in.service_day,
                    "minutes": minutes,
                    "credited_minutes": 0,
                    "pending_minutes": minutes,
                    "status": ServiceStatus.REVIEW,
                },
            )
            uow.emit_row("service_record", "create", rec)
            flagged.append(ServiceRecord(**rec))
        return flagged

    # --- check-in / out ---------------------------------------------------------------
    def check_in(
        self,
        *,
        activity_id: uuid.UUID,
        person_id: uuid.UUID,
        method: CheckMethod,
        staff_id: uuid.UUID | None = None,
        at: dt.datetime | None = None,
    ) -> CheckInResult:
        rules = self.store.rules
        with self.store.write() as uow:
            when = at or uow.now
            day = local_day(when)
            # One read for every rule below, inside the write transaction, before anything
            # is added (so nothing pending could be missed).
            facts = AttendanceRepo(connection=uow.connection).check_in_facts(
                activity_id, person_id, day
            )
            if facts is None:
                raise NotFound("没有找到这个活动。", detail=f"activity {activity_id}")
            if not facts.person_known:
                raise NotFound(
                    "没有找到您的登记信息，请找工作人员登记。", detail=f"person {person_id}"
                )
            if at is not None and staff_id is None:
                raise ValidationError(
                    "只有工作人员可以补录时间。", detail="explicit time without staff"
                )
            if facts.status == ActivityStatus.CLOSED:
                raise RuleViolation("这个活动已经结束，不能再签到。", detail="activity closed")
            opens = facts.starts_at - dt.timedelta(minutes=rules.checkin_early_minutes)
            if (
                staff_id is None
                and facts.status != ActivityStatus.OPEN
                and not opens <= when <= facts.ends_at
            ):
                raise RuleViolation(
                    f"这个活动 {local_hhmm(facts.starts_at)} 开始，现在还不能签到。"
                    if when < opens
                    else "这个活动的签到时间已过。",
                    detail="outside the self check-in window",
                )
            last = facts.last
            if last is not None and last.direction == "in":
                existing = uow.session.get_one(Attendance, last.id)
                return CheckInResult(
                    existing, True, f"已于 {local_hhmm(existing.at)} 签到，不用重复签到。"
                )
            pairs = facts.check_ins_on_day
            if pairs >= rules.max_pairs_per_day:
                raise RuleViolation(
                    f"今天在这个活动已签到 {pairs} 次，已达上限。",
                    detail="max check-in/out pairs per day reached",
                )
            if facts.capacity:
                present = AttendanceRepo(uow.session).present_count(activity_id)
                if present >= facts.capacity:
                    raise RuleViolation("活动人数已满。", detail="activity at capacity")
            ev = self._event(uow, activity_id, person_id, "in", when, method, staff_id)
            return CheckInResult(ev, False, f"签到成功，时间 {local_hhmm(when)}。")

    def check_out(
        self,
        *,
        activity_id: uuid.UUID,
        person_id: uuid.UUID,
        method: CheckMethod,
        staff_id: uuid.UUID | None = None,
        at: dt.datetime | None = None,
    ) -> CheckOutResult:
        rules = self.store.rules
        with self.store.write() as uow:
            # One read for every rule below, inside the write transaction, before anything
            # is added (so nothing pending could be missed).
            facts = AttendanceRepo(connection=uow.connection).check_out_facts(
                activity_id, person_id
            )
            if facts is None:
                raise NotFound("没有找到这个活动。", detail=f"activity {activity_id}")
            if facts.counters is not None:
                uow.use_counters(facts.counters)
            if not facts.person_known:
                raise NotFound(
                    "没有找到您的登记信息，请找工作人员登记。", detail=f"person {person_id}"
                )
            if at is not None and staff_id is None:
                raise ValidationError(
                    "只有工作人员可以补录时间。", detail="explicit time without staff"
                )
            when = at or uow.now
            open_in = facts.last if facts.last and facts.last.direction == "in" else None
            if open_in is None:
                raise RuleViolation(
                    "您还没有签到，不能签退。请先签到。", detail="check-out without check-in"
                )
            if when < open_in.at:
                raise ValidationError(
                    "签退时间不能早于签到时间。", detail="check-out before check-in"
                )
            out = self._event(uow, activity_id, person_id, "out", when, method, staff_id)
            minutes = _minutes(open_in.at, when)
            counted = facts.counted_on_last_day  # minutes counted on open_in.service_day
            auto = min(minutes, max(0, rules.auto_credit_minutes_per_day - counted))
            pending = minutes - auto
            record_id = uuid7()  # the ledger transaction refers to it before it is written
            coins = award_minutes(auto, facts.coin_rate, rules.award_step_minutes)
            tx = Ledger(uow).earn(
                minutes=coins,
                person_id=person_id,
                memo=f"志愿服务：{facts.title}",
                ref_entity="service_record",
                ref_id=record_id,
            )
            # Written after the check-out event and the ledger transaction it refers to,
            # with one INSERT carrying its final ledger_tx_id.
            rec = uow.append(
                ServiceRecord,
                {
                    "id": record_id,
                    "activity_id": activity_id,
                    "person_id": person_id,
                    "check_in_id": open_in.id,
                    "check_out_id": out["id"],
                    "service_day": open_in.service_day,
                    "minutes": minutes,
                    "credited_minutes": auto,
                    "pending_minutes": pending,
                    "status": ServiceStatus.PENDING_APPROVAL if pending else ServiceStatus.CREDITED,
                    "ledger_tx_id": tx.id if tx else None,
                },
            )
            uow.emit_row("service_record", "create", rec)
            msg = f"签退成功，本次服务 {minutes} 分钟。"
            if pending:
                msg += (
                    f"超出每日 {rules.auto_credit_minutes_per_day // 60} 小时的部分需工作人员确认。"
                )
            return CheckOutResult(rec, coins, msg)

    def _event(
        self,
        uow: UnitOfWork,
        activity_id: uuid.UUID,
        person_id: uuid.UUID,
        direction: str,
        when: dt.datetime,
        method: CheckMethod,
        staff_id: uuid.UUID | None,
    ) -> dict[str, Any]:
        """Record one attendance event; returns its row (see ``UnitOfWork.append``)."""
        ev = uow.append(
            Attendance,
            {
                "activity_id": activity_id,
                "person_id": person_id,
                "direction": direction,
                "at": when,
                "service_day": local_day(when),
                "method": CheckMethod(method),
                "operator_id": staff_id,
            },
        )
        uow.emit_row("attendance", "create", ev)
        if staff_id is not None:
            uow.audit(
                staff_id, f"attendance.{direction}", "attendance", ev["id"], f"method={method}"
            )
        return ev

    def undo_check_in(self, *, attendance_id: uuid.UUID) -> Attendance:
        """Take back a check-in made by mistake, from its success screen.

        The log stays append-only: the pair is closed by a check-out at the very minute of
        the check-in, marked ``undo``, so it counts no minutes and earns nothing, and the
        server and reports see exactly what happened.
        """
        with self.store.write() as uow:
            event = uow.session.get(Attendance, attendance_id)
            if event is None or event.direction != "in":
                raise NotFound("没有找到这次签到。", detail=f"check-in {attendance_id}")
            last = AttendanceRepo(uow.session).last_event(event.activity_id, event.person_id)
            if last is None or last.id != event.id:
                raise InvalidTransition(
                    "这次签到之后已有新的记录，不能撤销。",
                    detail="check-in is not the latest event",
                )
            window = self.store.rules.undo_minutes
            if uow.now - event.created_at > dt.timedelta(minutes=window):
                raise RuleViolation(
                    f"签到已超过 {window} 分钟，请找工作人员处理。", detail="undo window passed"
                )
            out = self._event(
                uow,
                event.activity_id,
                event.person_id,
                "out",
                event.at,
                CheckMethod.UNDO,
                event.operator_id,
            )
            return Attendance(**out)

    # --- staff review -----------------------------------------------------------------
    def approve_service(
        self, *, record_id: uuid.UUID, staff_id: uuid.UUID, minutes: int, note: str = ""
    ) -> ServiceApproval:
        """Credit minutes held back (beyond the daily limit, or a forgotten check-out)."""
        with self.store.write() as uow:
            rec = uow.session.get(ServiceRecord, record_id)
            if rec is None:
                raise NotFound("没有找到这条服务记录。", detail=f"service record {record_id}")
            if rec.status == ServiceStatus.CREDITED:
                raise InvalidTransition("这条记录不需要审核。", detail="nothing pending")
            if AttendanceRepo(uow.session).approval_of(rec.id) is not None:
                raise InvalidTransition("这条记录已经审核过了。", detail="already approved")
            if not 0 <= minutes <= rec.pending_minutes:
                raise ValidationError(
                    f"确认时长应在 0 到 {rec.pending_minutes} 分钟之间。",
                    detail="bad approved minutes",
                )
            act = uow.session.get_one(Activity, rec.activity_id)
            approval_id = uuid7()  # the ledger transaction refers to it before it is written
            coins = award_minutes(minutes, act.coin_rate, self.store.rules.award_step_minutes)
            tx = Ledger(uow).earn(
                minutes=coins,
                person_id=rec.person_id,
                memo=f"志愿服务（审核）：{act.title}",
                ref_entity="service_approval",
                ref_id=approval_id,
                operator_id=staff_id,
            )
            approval = uow.append(
                ServiceApproval,
                {
                    "id": approval_id,
                    "service_record_id": rec.id,
                    "staff_id": staff_id,
                    "approved_minutes": minutes,
                    "note": note.strip(),
                    "ledger_tx_id": tx.id if tx else None,
                },
            )
            uow.emit_row("service_approval", "create", approval)
            uow.audit(staff_id, "service.approve", "service_record", rec.id, f"{minutes} min")
            return ServiceApproval(**approval)

    def pending_reviews(self) -> list[ServiceRecord]:
        with self.store.read() as s:
            return list(AttendanceRepo(s).pending_reviews())

    # --- residents served -------------------------------------------------------------
    def record_served(
        self,
        *,
        person_id: uuid.UUID,
        method: CheckMethod,
        activity_id: uuid.UUID | None = None,
        station_id: uuid.UUID | None = None,
    ) -> tuple[BeneficiaryVisit, bool]:
        """Record a resident as served; the same person at the same place the same day once.

        Returns the visit and whether it was already recorded.
        """
        with self.store.write() as uow:
            _require_person(uow, person_id)
            station_id = station_id or (None if activity_id else self.store.identity.station_id)
            if activity_id is not None:
                _activity(uow, activity_id)
            elif station_id is None or uow.session.get(Station, station_id) is None:
                raise NotFound("这台设备还没有设置服务站点。", detail="no station for visit")
            day = local_day(uow.now)
            scope = f"{activity_id or station_id}:{day.isoformat()}"
            existing = uow.session.execute(
                select(BeneficiaryVisit).where(
                    BeneficiaryVisit.person_id == person_id, BeneficiaryVisit.scope_key == scope
                )
            ).scalar_one_or_none()
            if existing is not None:
                return existing, True
            visit = BeneficiaryVisit(
                person_id=person_id,
                activity_id=activity_id,
                served_station_id=None if activity_id else station_id,
                served_on=day,
                scope_key=scope,
                method=CheckMethod(method),
            )
            uow.add(visit)
            uow.emit_record("beneficiary_visit", "create", visit)
            return visit, False

    def activities_on(self, day: dt.date) -> list[Activity]:
        with self.store.read() as s:
            acts = AttendanceRepo(s).activities()
            return [a for a in acts if local_day(a.starts_at) <= day <= local_day(a.ends_at)]


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _activity(uow: UnitOfWork, activity_id: uuid.UUID) -> Activity:
    act = uow.session.get(Activity, activity_id)
    if act is None:
        raise NotFound("没有找到这个活动。", detail=f"activity {activity_id}")
    return act


def _require_person(uow: UnitOfWork, person_id: uuid.UUID) -> Person:
    person = uow.session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到您的登记信息，请找工作人员登记。", detail=f"person {person_id}")
    return person
