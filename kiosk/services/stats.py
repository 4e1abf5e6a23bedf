"""Statistics: record counts, the district's monthly figures and the annual evaluation.

``record_counts`` keys are shared with the central server's stats, so a kiosk and the
server can be compared key by key; do not rename them:

    towns, communities, stations, organisations, price_items,
    members, residents, volunteers,
    activities, attendance, service_records, service_approvals, beneficiary_visits,
    needs, suggestions, wishes,
    accounts, ledger_transactions, audit_entries

and, on the kiosk only: staff_accounts, outbox_pending, outbox_acked, outbox_quarantined.

Scopes. A figure belongs to the community where the service happened: an activity's
community, a need's community, a meal point's community, or the community a member reports
to (双报到); a town is its communities, and an organisation belongs to the town it reports
to. A station is where a record was made (its ``station_id``), except that a resident
served at a meal point counts for that meal point. Periods are Guangzhou calendar months
or years; every count is a SQL aggregate, so the server can run the same on 10^5 rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from kiosk.clock import CHINA, Clock
from kiosk.errors import ValidationError
from kiosk.store.models import (
    Account,
    Activity,
    Attendance,
    AuditEntry,
    BeneficiaryVisit,
    Community,
    LedgerLine,
    LedgerTx,
    Need,
    NeedStatus,
    Organisation,
    OutboxItem,
    OutboxStatus,
    Person,
    PersonKind,
    PriceItem,
    ServiceApproval,
    ServiceRecord,
    StaffAccount,
    Station,
    Suggestion,
    Town,
    TxKind,
    Wish,
)

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DONE = (NeedStatus.CONFIRMED, NeedStatus.RATED)  # a need counts as a service once confirmed


def _count(model: Any, *where: ColumnElement[bool]) -> Select[tuple[int]]:
    return select(func.count()).select_from(model).where(*where)


_COUNTS: dict[str, Select[tuple[int]]] = {
    "towns": _count(Town),
    "communities": _count(Community),
    "stations": _count(Station),
    "organisations": _count(Organisation),
    "price_items": _count(PriceItem),
    "members": _count(Person, Person.kind == PersonKind.MEMBER),
    "residents": _count(Person, Person.kind == PersonKind.RESIDENT),
    "volunteers": _count(Person, Person.kind == PersonKind.VOLUNTEER),
    "activities": _count(Activity),
    "attendance": _count(Attendance),
    "service_records": _count(ServiceRecord),
    "service_approvals": _count(ServiceApproval),
    "beneficiary_visits": _count(BeneficiaryVisit),
    "needs": _count(Need),
    "suggestions": _count(Suggestion),
    "wishes": _count(Wish),
    "accounts": _count(Account),
    "ledger_transactions": _count(LedgerTx),
    "audit_entries": _count(AuditEntry),
}
# Kiosk-only tables: the server has no staff accounts and no outbox.
_LOCAL_COUNTS: dict[str, Select[tuple[int]]] = {
    "staff_accounts": _count(StaffAccount),
    "outbox_pending": _count(OutboxItem, OutboxItem.status == OutboxStatus.PENDING),
    "outbox_acked": _count(OutboxItem, OutboxItem.status == OutboxStatus.ACKED),
    "outbox_quarantined": _count(OutboxItem, OutboxItem.status == OutboxStatus.QUARANTINED),
}
RECORD_KEYS = tuple(_COUNTS)


@dataclass(frozen=True)
class Period:
    """Local calendar days [first, end); both None means all time."""

    first: dt.date | None = None
    end: dt.date | None = None

    def days(self, col: Any) -> list[ColumnElement[bool]]:
        if self.first is None or self.end is None:
            return []
        return [col >= self.first, col < self.end]

    def times(self, col: Any) -> list[ColumnElement[bool]]:
        """Bounds at Guangzhou midnight: a service at 00:30 on the 1st is that month's."""
        if self.first is None or self.end is None:
            return []
        return [col >= _midnight(self.first), col < _midnight(self.end)]

    def by_end(self, col: Any) -> list[ColumnElement[bool]]:
        """Up to the end of the period: for totals such as members registered so far."""
        return [] if self.end is None else [col < _midnight(self.end)]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=CHINA)


def period(month: str | None = None, year: int | None = None) -> Period:
    if month is not None and year is not None:
        raise ValidationError("请只选择月份或年份之一。", detail="both month and year given")
    if month is not None:
        match = _MONTH.match(month)
        if match is None:
            raise ValidationError("月份格式应为 2026-03。", detail=f"bad month {month!r}")
        y, m = int(match[1]), int(match[2])
        return Period(dt.date(y, m, 1), dt.date(y + m // 12, m % 12 + 1, 1))
    if year is not None:
        if not 2000 <= year <= 2100:
            raise ValidationError("年份不正确。", detail=f"bad year {year}")
        return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    return Period()


@dataclass(frozen=True)
class Scope:
    town_id: uuid.UUID | None = None
    community_id: uuid.UUID | None = None
    station_id: uuid.UUID | None = None

    def place(self, community: Any, station: Any) -> list[ColumnElement[bool]]:
        """Conditions placing a record by its community and its station column."""
        out: list[ColumnElement[bool]] = []
        if self.community_id is not None:
            out.append(community == self.community_id)
        if self.town_id is not None:
            towns = select(Community.id).where(Community.town_id == self.town_id)
            out.append(community.in_(towns))
        if self.station_id is not None:
            out.append(station == self.station_id)
        return out


@dataclass(frozen=True)
class MemberService:
    person_id: uuid.UUID
    name: str
    org_id: uuid.UUID | None
    community_id: uuid.UUID | None
    service_count: int  # service records + needs the member claimed that were confirmed
    coin_minutes: int  # coins earned for service in the period


@dataclass(frozen=True)
class OrgService:
    org_id: uuid.UUID
    name: str
    org_type: str
    town_id: uuid.UUID
    annual_quota: int
    service_count: int  # members' service records + needs it claimed that were confirmed
    coin_minutes: int  # its members' earnings plus its own

    @property
    def shortfall(self) -> int:
        return max(0, self.annual_quota - self.service_count)

    @property
    def completion(self) -> float:  # share of the quota done; no quota means duty done
        return self.service_count / self.annual_quota if self.annual_quota else math.inf


def _minted() -> Select[tuple[int]]:
    """Coins minted by earn transactions, placed where the service happened."""
    record, approved = aliased(ServiceRecord), aliased(ServiceRecord)
    mint = select(Account.id).where(Account.code == "mint").scalar_subquery()
    return (
        select(func.coalesce(-func.sum(LedgerLine.amount), 0))
        .select_from(LedgerTx)
        .join(LedgerLine, (LedgerLine.tx_id == LedgerTx.id) & (LedgerLine.account_id == mint))
        .outerjoin(
            record, (LedgerTx.ref_entity == "service_record") & (record.id == LedgerTx.ref_id)
        )
        .outerjoin(
            ServiceApproval,
            (LedgerTx.ref_entity == "service_approval") & (ServiceApproval.id == LedgerTx.ref_id),
        )
        .outerjoin(approved, approved.id == ServiceApproval.service_record_id)
        .outerjoin(Activity, Activity.id == func.coalesce(record.activity_id, approved.activity_id))
        .outerjoin(Need, (LedgerTx.ref_entity == "need") & (Need.id == LedgerTx.ref_id))
        .where(LedgerTx.kind == TxKind.EARN)
    )


def _earned(owner: Any, p: Period) -> Select[Any]:
    """Coins credited by earn transactions in the period, grouped by ``owner``."""
    return (
        select(owner.label("owner"), func.sum(LedgerLine.amount).label("minutes"))
        .select_from(Account)
        .join(LedgerLine, LedgerLine.account_id == Account.id)
        .join(LedgerTx, LedgerTx.id == LedgerLine.tx_id)
        .where(owner.is_not(None), LedgerTx.kind == TxKind.EARN, *p.times(LedgerTx.created_at))
        .group_by(owner)
    )


class ReadSource(Protocol):
    """Where statistics read from: a kiosk ``Store``, or the server's database."""

    clock: Clock

    def read(self) -> AbstractContextManager[Session]: ...


class StatsService:
    def __init__(self, store: ReadSource, *, local: bool = True) -> None:
        self.store = store
        self._counts = _COUNTS | (_LOCAL_COUNTS if local else {})

    def record_counts(self) -> dict[str, int]:
        """Counts of every record kind; ``RECORD_KEYS`` are the same on kiosk and server."""
        query = select(*(q.scalar_subquery().label(k) for k, q in self._counts.items()))
        with self.store.read() as s:
            row = s.execute(query).one()
        return {key: int(value) for key, value in zip(self._counts, row, strict=True)}

    def summary(
        self,
        *,
        town_id: uuid.UUID | None = None,
        community_id: uuid.UUID | None = None,
        station_id: uuid.UUID | None = None,
        month: str | None = None,
        year: int | None = None,
    ) -> dict[str, int]:
        """The figures of the monthly journal and the article, for one place and period.

        ``members_registered`` and ``organisations`` are totals registered by the end of
        the period (as in "1.2万名党员已注册"); every other figure happened within it.
        """
        p, sc = period(month, year), Scope(town_id, community_id, station_id)
        now = self.store.clock.now()
        member = Person.kind == PersonKind.MEMBER
        in_person = sc.place(Person.community_id, Person.station_id)
        org_place = [Organisation.town_id == town_id] if town_id else []
        if station_id:
            org_place.append(Organisation.station_id == station_id)
        if community_id:  # organisations whose members report to that community
            reporting = select(Person.org_id).where(member, Person.community_id == community_id)
            org_place.append(Organisation.id.in_(reporting))
        served_station = aliased(Station)
        visits = (
            select(func.count())
            .select_from(BeneficiaryVisit)
            .outerjoin(Activity, Activity.id == BeneficiaryVisit.activity_id)
            .outerjoin(served_station, served_station.id == BeneficiaryVisit.served_station_id)
            .where(
                *p.days(BeneficiaryVisit.served_on),
                *sc.place(
                    func.coalesce(Activity.community_id, served_station.community_id),
                    func.coalesce(BeneficiaryVisit.served_station_id, BeneficiaryVisit.station_id),
                ),
            )
        )
        in_need = sc.place(Need.community_id, Need.station_id)
        queries: dict[str, Select[Any]] = {
            "members_registered": _count(Person, member, *in_person, *p.by_end(Person.created_at)),
            "members_new": _count(Person, member, *in_person, *p.times(Person.created_at)),
            "organisations": _count(
                Organisation,
                *org_place,
                *p.by_end(Organisation.created_at),
            ),
            "activities_held": _count(
                Activity,
                Activity.starts_at <= now,
                *p.times(Activity.starts_at),
                *sc.place(Activity.community_id, Activity.station_id),
            ),
            "person_times_served": select(func.count())
            .select_from(ServiceRecord)
            .join(Person, Person.id == ServiceRecord.person_id)
            .join(Activity, Activity.id == ServiceRecord.activity_id)
            .where(
                member,
                *p.days(ServiceRecord.service_day),
                *sc.place(Activity.community_id, ServiceRecord.station_id),
            ),
            "residents_served": visits,
            "coins_issued_minutes": _minted().where(
                *p.times(LedgerTx.created_at),
                *sc.place(
                    func.coalesce(Activity.community_id, Need.community_id), LedgerTx.station_id
                ),
            ),
            "needs_posted": _count(Need, *in_need, *p.times(Need.created_at)),
            "needs_claimed": _count(
                Need, Need.claimed_at.is_not(None), *in_need, *p.times(Need.claimed_at)
            ),
            "needs_completed": _count(
                Need, Need.completed_at.is_not(None), *in_need, *p.times(Need.completed_at)
            ),
        }
        query = select(*(q.scalar_subquery().label(k) for k, q in queries.items()))
        with self.store.read() as s:
            row = s.execute(query).one()
        return {key: int(value or 0) for key, value in zip(queries, row, strict=True)}

    def member_service(
        self,
        *,
        year: int | None = None,
        month: str | None = None,
        town_id: uuid.UUID | None = None,
        community_id: uuid.UUID | None = None,
        limit: int | None = None,
    ) -> list[MemberService]:
        """Members by services then coins, for 优秀党员; members with none are listed last."""
        p, sc = period(month, year), Scope(town_id, community_id)
        records = (
            select(ServiceRecord.person_id.label("owner"), func.count().label("n"))
            .where(*p.days(ServiceRecord.service_day))
            .group_by(ServiceRecord.person_id)
            .subquery()
        )
        needs = _confirmed_needs(Need.claimant_person_id, p).subquery()
        earned = _earned(Account.person_id, p).subquery()
        services = func.coalesce(records.c.n, 0) + func.coalesce(needs.c.n, 0)
        coins = func.coalesce(earned.c.minutes, 0)
        query = (
            select(Person.id, Person.name, Person.org_id, Person.community_id, services, coins)
            .outerjoin(records, records.c.owner == Person.id)
            .outerjoin(needs, needs.c.owner == Person.id)
            .outerjoin(earned, earned.c.owner == Person.id)
            .where(
                Person.kind == PersonKind.MEMBER,
                *sc.place(Person.community_id, Person.station_id),
            )
            .order_by(services.desc(), coins.desc(), Person.name, Person.id)
            .limit(limit)
        )
        with self.store.read() as s:
            return [
                MemberService(pid, name, org, comm, int(n), int(m))
                for pid, name, org, comm, n, m in s.execute(query)
            ]

    def org_service(
        self, *, year: int | None = None, month: str | None = None, town_id: uuid.UUID | None = None
    ) -> list[OrgService]:
        """Organisations for the annual evaluation: by share of the quota done, then count.

        Those below their quota are the ones dispatch should ask first.
        """
        p = period(month, year)
        records = (
            select(Person.org_id.label("owner"), func.count(ServiceRecord.id).label("n"))
            .join(ServiceRecord, ServiceRecord.person_id == Person.id)
            .where(Person.org_id.is_not(None), *p.days(ServiceRecord.service_day))
            .group_by(Person.org_id)
            .subquery()
        )
        needs = _confirmed_needs(Need.claimant_org_id, p).subquery()
        own = _earned(Account.org_id, p).subquery()
        by_members = (
            _earned(Person.org_id, p).join(Person, Person.id == Account.person_id).subquery()
        )
        services = func.coalesce(records.c.n, 0) + func.coalesce(needs.c.n, 0)
        coins = func.coalesce(own.c.minutes, 0) + func.coalesce(by_members.c.minutes, 0)
        query = (
            select(Organisation, services, coins)
            .outerjoin(records, records.c.owner == Organisation.id)
            .outerjoin(needs, needs.c.owner == Organisation.id)
            .outerjoin(own, own.c.owner == Organisation.id)
            .outerjoin(by_members, by_members.c.owner == Organisation.id)
            .where(*([Organisation.town_id == town_id] if town_id else []))
        )
        with self.store.read() as s:
            rows = [
                OrgService(o.id, o.name, o.org_type, o.town_id, o.annual_quota, int(n), int(m))
                for o, n, m in s.execute(query)
            ]
        return sorted(
            rows, key=lambda r: (-r.completion, -r.service_count, -r.coin_minutes, r.name)
        )


def _confirmed_needs(claimant: Any, p: Period) -> Select[Any]:
    return (
        select(claimant.label("owner"), func.count().label("n"))
        .where(claimant.is_not(None), Need.status.in_(_DONE), *p.times(Need.confirmed_at))
        .group_by(claimant)
    )
