"""Activities, append-only attendance events, credited service and residents served."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base, RecordMixin


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"  # check-in open
    CLOSED = "closed"


class CheckMethod(StrEnum):
    ID_CARD = "id_card"
    QR = "qr"
    STAFF = "staff"
    AUTO = "auto"  # forgotten check-out closed by the kiosk
    UNDO = "undo"  # a check-in taken back on its success screen: closes the pair at 0 minutes


class ServiceStatus(StrEnum):
    CREDITED = "credited"
    PENDING_APPROVAL = "pending_approval"  # beyond the daily automatic limit
    REVIEW = "review"  # forgotten check-out, closed at the activity's end


class Activity(RecordMixin, Base):
    __tablename__ = "activity"
    title: Mapped[str] = mapped_column(String(80))
    organiser_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    community_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community.id"), index=True)
    place: Mapped[str] = mapped_column(String(80), default="")
    service_type: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    capacity: Mapped[int] = mapped_column(default=0)  # 0: no limit
    coin_rate: Mapped[int] = mapped_column(default=60)  # coin-minutes per hour served
    status: Mapped[str] = mapped_column(String(10), default=ActivityStatus.PLANNED)


class Attendance(RecordMixin, Base):
    """One check-in or check-out event; never updated."""

    __tablename__ = "attendance"
    # The check-in rules read one person's events at one activity, newest first.
    __table_args__ = (Index("ix_attendance_activity_person_at", "activity_id", "person_id", "at"),)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" / "out"
    at: Mapped[dt.datetime]
    service_day: Mapped[dt.date]
    method: Mapped[str] = mapped_column(String(8))
    operator_id: Mapped[uuid.UUID | None]


class ServiceRecord(RecordMixin, Base):
    """One closed check-in/out pair and the coins it earned."""

    __tablename__ = "service_record"
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    check_in_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance.id"), unique=True)
    check_out_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance.id"), unique=True)
    service_day: Mapped[dt.date] = mapped_column(index=True)
    minutes: Mapped[int]
    credited_minutes: Mapped[int]
    pending_minutes: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(18))
    ledger_tx_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_tx.id"))


class ServiceApproval(RecordMixin, Base):
    """Staff approval of minutes beyond the daily limit, or a review of a forgotten check-out."""

    __tablename__ = "service_approval"
    service_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_record.id"), unique=True
    )
    staff_id: Mapped[uuid.UUID | None]
    approved_minutes: Mapped[int]
    note: Mapped[str] = mapped_column(String(200), default="")
    ledger_tx_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_tx.id"))


class BeneficiaryVisit(RecordMixin, Base):
    """A resident recorded as served (服务群众人次) at an activity or a meal point."""

    __tablename__ = "beneficiary_visit"
    __table_args__ = (UniqueConstraint("person_id", "scope_key"),)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activity.id"))
    served_station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("station.id"))
    served_on: Mapped[dt.date] = mapped_column(index=True)
    scope_key: Mapped[str] = mapped_column(String(60))  # one visit per person per place per day
    method: Mapped[str] = mapped_column(String(8))
