"""Suggestion box (留言建议) and micro-wishes (微心愿)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base, RecordMixin


class SuggestionTarget(StrEnum):
    TOWN = "town"  # a town/street's account
    ORG_DEPT = "org_dept"  # 区委组织部


class SuggestionStatus(StrEnum):
    RECEIVED = "received"
    REPLIED = "replied"


class WishStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for staff verification, not public
    PUBLISHED = "published"  # 寻梦: public, masked name
    CLAIMED = "claimed"  # 揽梦: a member must make contact within the contact window
    CONTACTED = "contacted"
    FULFILLED = "fulfilled"  # 圆梦
    REJECTED = "rejected"


class Suggestion(RecordMixin, Base):
    __tablename__ = "suggestion"
    target: Mapped[str] = mapped_column(String(10))
    town_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("town.id"))
    text: Mapped[str] = mapped_column(String(500))
    contact_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(40), default="")
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(10), default=SuggestionStatus.RECEIVED)
    reply: Mapped[str] = mapped_column(String(500), default="")
    replied_at: Mapped[dt.datetime | None]


class Wish(RecordMixin, Base):
    __tablename__ = "wish"
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default=WishStatus.SUBMITTED, index=True)
    round_no: Mapped[int] = mapped_column(default=1)
    priority: Mapped[int] = mapped_column(default=0)  # rounds carried over unclaimed
    verified_by: Mapped[uuid.UUID | None]
    claimant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    claimed_at: Mapped[dt.datetime | None]
    contact_due: Mapped[dt.datetime | None]
    contacted_at: Mapped[dt.datetime | None]
    fulfilled_at: Mapped[dt.datetime | None]
    note: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)
