"""Queries, gathered by the records they read.

Services own the transaction and the rules; repositories only answer questions about what
is stored, inside whatever session the service gives them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from kiosk.store.models import (
    Account,
    Activity,
    Attendance,
    LedgerLine,
    LedgerTx,
    Person,
    ServiceApproval,
    ServiceRecord,
    ServiceStatus,
)


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
        return self.session.execute(
            select(Account).where(Account.code == code)
        ).scalar_one_or_none()

    def by_person(self, person_id: uuid.UUID) -> Account | None:
        return self.session.execute(
            select(Account).where(Account.person_id == person_id)
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


class AttendanceRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last_event(self, activity_id: uuid.UUID, person_id: uuid.UUID) -> Attendance | None:
        return self.session.execute(
            select(Attendance)
            .where(Attendance.activity_id == activity_id, Attendance.person_id == person_id)
            # UUIDv7 ids break ties: a check-out at the same instant as its check-in is later.
            .order_by(Attendance.at.desc(), Attendance.created_at.desc(), Attendance.id.desc())
            .limit(1)
        ).scalar_one_or_none()

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
