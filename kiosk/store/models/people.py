"""Organisations (党组织), people and staff accounts."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base, RecordMixin


class OrgType(StrEnum):
    ORGAN = "机关"
    INSTITUTION = "事业单位"
    SOE = "国企"
    NEW = "两新组织"
    OTHER = "其他"


class PersonKind(StrEnum):
    MEMBER = "member"  # 党员
    RESIDENT = "resident"  # 群众
    VOLUNTEER = "volunteer"  # 其他志愿者


class Organisation(RecordMixin, Base):
    __tablename__ = "organisation"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    org_type: Mapped[str] = mapped_column(String(8))
    town_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("town.id"), index=True)
    annual_quota: Mapped[int] = mapped_column(default=12)  # services per year (双报到 duty)


class Person(RecordMixin, Base):
    """A member, resident or volunteer.

    The ID number is kept only as ``id_hash`` (keyed HMAC, for lookup) and ``id_cipher``
    (AES-GCM, for staff reveal); ``key_id`` names the keyring that made both.
    """

    __tablename__ = "person"
    kind: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(40))
    id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(40))
    birth_date: Mapped[dt.date | None]
    sex: Mapped[str | None] = mapped_column(String(2))
    org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    community_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community.id"), index=True)
    hardship: Mapped[bool] = mapped_column(default=False)  # 困难群众: may receive donations


class StaffAccount(RecordMixin, Base):
    """A station staff login. Kept on the kiosk only: PIN hashes never travel."""

    __tablename__ = "staff_account"
    name: Mapped[str] = mapped_column(String(40))
    login: Mapped[str] = mapped_column(String(20), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=True)


class AuditEntry(RecordMixin, Base):
    """Every staff action, in words that never contain an ID number."""

    __tablename__ = "audit_log"
    # No foreign key: entries travel to the server, which has no kiosk staff accounts.
    staff_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[uuid.UUID | None]
    detail: Mapped[str] = mapped_column(String(400), default="")
