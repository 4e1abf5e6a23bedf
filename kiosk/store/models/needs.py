"""Service needs (需求) posted by residents and claimed by members or organisations."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base, RecordMixin


class NeedCategory(StrEnum):
    HAIRCUT = "理发"
    MEAL = "送餐"
    HEALTH = "健康检查"
    CARE = "陪护"
    SHOPPING = "代购"
    REPAIR = "维修"
    OTHER = "其他"


class NeedStatus(StrEnum):
    POSTED = "posted"
    CLAIMED = "claimed"
    IN_SERVICE = "in_service"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    RATED = "rated"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Need(RecordMixin, Base):
    __tablename__ = "need"
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    posted_by_staff_id: Mapped[uuid.UUID | None]
    category: Mapped[str] = mapped_column(String(8), index=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    wished_at: Mapped[dt.datetime]
    community_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=NeedStatus.POSTED, index=True)
    version: Mapped[int] = mapped_column(default=1)  # bumped by each transition; sync base_version
    claimant_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    claimant_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    claimed_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    service_minutes: Mapped[int | None]
    confirmed_at: Mapped[dt.datetime | None]
    ledger_tx_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_tx.id"))
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(String(200), default="")
    closed_reason: Mapped[str] = mapped_column(String(200), default="")
