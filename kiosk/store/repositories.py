"""Queries, gathered by the records they read.

Services own the transaction and the rules; repositories only answer questions about what
is stored, inside whatever session the service gives them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, bindparam, case, exists, func, select, true
from sqlalchemy.orm import Session

from kiosk.store.direct import run_query
from kiosk.store.models import (
    Account,
    Activity,
    Attendance,
    DeviceState,
    LedgerLine,
    LedgerTx,
    Person,
    ServiceApproval,
    ServiceRecord,
    ServiceStatus,
)
from kiosk.store.uow import Counters

# Statements on the check-in/out path are built once, with bind parameters. A statement
# object memoises its cache key, so reusing one skips building the select and computing
# the key on every call (both showed up in profiles of a check-out).
_activity = Activity.__table__
_attendance = Attendance.__table__
_person = Person.__table__
_service = ServiceRecord.__table__
_device = DeviceState.__table__

_ACCOUNT_BY_CODE = select(Account).where(Account.code == bindparam("code"))
_ACCOUNT_BY_PERSON = select(Account).where(Account.person_id == bindparam("person_id"))
# The person's latest event at the activity. UUIDv7 ids break ties: a check-out at the
# same instant as its check-in is later.
_LAST_ORDER = (_attendance.c.at.desc(), _attendance.c.created_at.desc(), _attendance.c.id.desc())
_LAST_EVENT = (
    select(Attendance)
    .where(
        Attendance.activity_id == bindparam("activity_id"),
        Attendance.person_id == bindparam("person_id"),
    )
    .order_by(Attendance.at.desc(), Attendance.created_at.desc(), Attendance.id.desc())
    .limit(1)
)
_last = (
    select(_attendance.c.id, _attendance.c.direction, _attendance.c.at, _attendance.c.service_day)
    .where(
        _attendance.c.activity_id == bindparam("activity_id"),
        _attendance.c.person_id == bindparam("person_id"),
    )
    .order_by(*_LAST_ORDER)
    .limit(1)
    .subquery("last_event")
)
_person_known = exists().where(_person.c.id == bindparam("person_id")).label("person_known")
_check_ins_on_day = (
    select(func.count())
    .select_from(_attendance)
    .where(
        _attendance.c.activity_id == bindparam("activity_id"),
        _attendance.c.person_id == bindparam("person_id"),
        _attendance.c.direction == "in",
        _attendance.c.service_day == bindparam("day"),
    )
    .scalar_subquery()
)
# Minutes already counted on the day of the person's latest event (the open check-in).
_counted_on_last_day = (
    select(func.coalesce(func.sum(_service.c.credited_minutes + _service.c.pending_minutes), 0))
    .where(
        _service.c.person_id == bindparam("person_id"),
        _service.c.service_day == _last.c.service_day,
        _service.c.status != ServiceStatus.REVIEW,
    )
    .scalar_subquery()
)
_CHECK_IN_FACTS = (
    select(
        _activity.c.status,
        _activity.c.starts_at,
        _activity.c.ends_at,
        _activity.c.capacity,
        _person_known,
        _last.c.id.label("last_id"),
        _last.c.direction.label("last_direction"),
        _last.c.at.label("last_at"),
        _last.c.service_day.label("last_day"),
        _check_ins_on_day.label("check_ins_on_day"),
    )
    .select_from(_activity.outerjoin(_last, true()))
    .where(_activity.c.id == bindparam("activity_id"))
)
_CHECK_OUT_FACTS = (
    select(
        _activity.c.title,
        _activity.c.coin_rate,
        _person_known,
        _last.c.id.label("last_id"),
        _last.c.direction.label("last_direction"),
        _last.c.at.label("last_at"),
        _last.c.service_day.label("last_day"),
        _counted_on_last_day.label("counted_on_last_day"),
        _device.c.chain_id,
        _device.c.chain_len,
        _device.c.chain_head,
        _device.c.next_seq,
    )
    .select_from(_activity.outerjoin(_last, true()).outerjoin(_device, _device.c.id == 1))
    .where(_activity.c.id == bindparam("activity_id"))
)


class LastEvent(NamedTuple):
    """A person's latest attendance event at an activity, as the rules need it."""

    id: uuid.UUID
    direction: str
    at: dt.datetime
    service_day: dt.date


class CheckInFacts(NamedTuple):
    """Everything a check-in's rules read, from one query inside the write transaction."""

    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    person_known: bool
    last: LastEvent | None
    check_ins_on_day: int  # check-ins by the person at the activity on the given day


class CheckOutFacts(NamedTuple):
    """Everything a check-out's rules read, from one query inside the write transaction."""

    title: str
    coin_rate: int
    person_known: bool
    last: LastEvent | None
    counted_on_last_day: int  # minutes counted on the day of ``last`` (see minutes_counted_on)
    counters: Counters | None  # read here for the coins the check-out posts


def _last_event(row: Any) -> LastEvent | None:
    if row.last_id is None:
        return None
    return LastEvent(row.last_id, row.last_direction, row.last_at, row.last_day)


class PersonRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_id_hash(self, id_hash: str) -> Person | None:
        return self.session.execute(
            select(Person).where(Person.id_hash == id_hash)
        ).scalar_one_or_none()

    def all(self) -> Sequence[Person]:
        return self.session.execute(select(Person)).scalars().all()


class AccountRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Account | None:
        return self.session.execute(_ACCOUNT_BY_CODE, {"code": code}).scalar_one_or_none()

    def by_person(self, person_id: uuid.UUID) -> Account | None:
        return self.session.execute(
            _ACCOUNT_BY_PERSON, {"person_id": person_id}
        ).scalar_one_or_none()

    def by_org(self, org_id: uuid.UUID) -> Account | None:
        return self.session.execute(
            select(Account).where(Account.org_id == org_id)
        ).scalar_one_or_none()

    def totals_by_kind(self) -> dict[str, int]:
        rows = self.session.execute(
            select(Account.kind, func.sum(Account.balance)).group_by(Account.kind)
        )
        return {str(kind): int(total or 0) for kind, total in rows}


class LedgerRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def reversal_of(self, tx_id: uuid.UUID) -> uuid.UUID | None:
        return self.session.execute(
            select(LedgerTx.id).where(LedgerTx.reverses_id == tx_id)
        ).scalar_one_or_none()

    def history(
        self, person_id: uuid.UUID, limit: int
    ) -> Sequence[Row[tuple[uuid.UUID, dt.datetime, str, str, int]]]:
        return self.session.execute(
            select(
                LedgerTx.id, LedgerTx.created_at, LedgerTx.kind, LedgerTx.memo, LedgerLine.amount
            )
            .join(LedgerLine, LedgerLine.tx_id == LedgerTx.id)
            .join(Account, Account.id == LedgerLine.account_id)
            .where(Account.person_id == person_id)
            .order_by(LedgerTx.created_at.desc(), LedgerTx.chain_seq.desc())
            .limit(limit)
        ).all()


def _first(conn: Connection, query: Any, params: dict[str, Any]) -> Any:
    """The first row of a hot rule query, through ``kiosk.store.direct.run_query``."""
    rows = run_query(conn, query, params)
    return rows[0] if rows else None


class AttendanceRepo:
    """Attendance queries. The facts queries are Core statements: given the unit of work's
    connection (``connection=``) they run without making an ORM session at all."""

    def __init__(self, session: Session | None = None, *, connection: Connection | None = None):
        self._session = session
        self._conn = connection

    @property
    def session(self) -> Session:
        assert self._session is not None, "this query needs a session"
        return self._session

    def _connection(self) -> Connection:
        return self._conn if self._conn is not None else self.session.connection()

    def last_event(self, activity_id: uuid.UUID, person_id: uuid.UUID) -> Attendance | None:
        return self.session.execute(
            _LAST_EVENT, {"activity_id": activity_id, "person_id": person_id}
        ).scalar_one_or_none()

    def check_in_facts(
        self, activity_id: uuid.UUID, person_id: uuid.UUID, day: dt.date
    ) -> CheckInFacts | None:
        """The activity, whether the person exists, their latest event and check-ins on ``day``.

        None when the activity does not exist. One statement on the session's connection in
        place of four ORM round trips; it reads the same rows ``last_event`` and
        ``check_ins_on`` would (nothing may be pending: call it before adding anything).
        """
        row = _first(
            self._connection(),
            _CHECK_IN_FACTS,
            {"activity_id": activity_id, "person_id": person_id, "day": day},
        )
        if row is None:
            return None
        return CheckInFacts(
            row.status,
            row.starts_at,
            row.ends_at,
            row.capacity,
            bool(row.person_known),
            _last_event(row),
            int(row.check_ins_on_day),
        )

    def check_out_facts(self, activity_id: uuid.UUID, person_id: uuid.UUID) -> CheckOutFacts | None:
        """The activity, whether the person exists, their latest event and the minutes
        already counted on that event's day (as ``minutes_counted_on``), and the device
        counters the coins' posting will need (see ``UnitOfWork.use_counters``).

        None when the activity does not exist. Call it before adding anything.
        """
        row = _first(
            self._connection(),
            _CHECK_OUT_FACTS,
            {"activity_id": activity_id, "person_id": person_id},
        )
        if row is None:
            return None
        counters = None
        if row.chain_id is not None:
            counters = Counters(row.chain_id, row.chain_len, row.chain_head, row.next_seq)
        return CheckOutFacts(
            row.title,
            row.coin_rate,
            bool(row.person_known),
            _last_event(row),
            int(row.counted_on_last_day),
            counters,
        )

    def check_ins_on(self, activity_id: uuid.UUID, person_id: uuid.UUID, day: dt.date) -> int:
        return self.session.execute(
            select(func.count())
            .select_from(Attendance)
            .where(
                Attendance.activity_id == activity_id,
                Attendance.person_id == person_id,
                Attendance.direction == "in",
                Attendance.service_day == day,
            )
        ).scalar_one()

    def people_at(self, activity_id: uuid.UUID) -> list[uuid.UUID]:
        return list(
            self.session.execute(
                select(Attendance.person_id).where(Attendance.activity_id == activity_id).distinct()
            ).scalars()
        )

    def present_count(self, activity_id: uuid.UUID) -> int:
        """People now checked in: events alternate, so more ins than outs means present."""
        balance = (
            select(
                Attendance.person_id,
                func.sum(case((Attendance.direction == "in", 1), else_=-1)).label("open"),
            )
            .where(Attendance.activity_id == activity_id)
            .group_by(Attendance.person_id)
            .subquery()
        )
        return self.session.execute(
            select(func.count()).select_from(balance).where(balance.c.open > 0)
        ).scalar_one()

    def minutes_counted_on(self, person_id: uuid.UUID, day: dt.date) -> int:
        """Minutes already credited or awaiting approval that day, across all activities."""
        total = self.session.execute(
            select(
                func.coalesce(
                    func.sum(ServiceRecord.credited_minutes + ServiceRecord.pending_minutes), 0
                )
            ).where(
                ServiceRecord.person_id == person_id,
                ServiceRecord.service_day == day,
                ServiceRecord.status != ServiceStatus.REVIEW,
            )
        ).scalar_one()
        return int(total)

    def approval_of(self, record_id: uuid.UUID) -> ServiceApproval | None:
        return self.session.execute(
            select(ServiceApproval).where(ServiceApproval.service_record_id == record_id)
        ).scalar_one_or_none()

    def pending_reviews(self) -> Sequence[ServiceRecord]:
        approved = select(ServiceApproval.service_record_id)
        return (
            self.session.execute(
                select(ServiceRecord)
                .where(
                    ServiceRecord.status != ServiceStatus.CREDITED,
                    ServiceRecord.id.not_in(approved),
                )
                .order_by(ServiceRecord.created_at)
            )
            .scalars()
            .all()
        )

    def activities(self) -> Sequence[Activity]:
        return self.session.execute(select(Activity).order_by(Activity.starts_at)).scalars().all()
