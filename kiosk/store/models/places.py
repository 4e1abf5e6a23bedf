"""Places: towns/streets (镇街), communities (社区/村) and stations.

These are reference data owned by the central server; the kiosk keeps a copy so it can work
offline and never writes outbox rows for them.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.store.base import Base, RecordMixin


class TownKind(StrEnum):
    TOWN = "镇"
    STREET = "街道"


class CommunityKind(StrEnum):
    COMMUNITY = "社区"
    VILLAGE = "村"


class StationKind(StrEnum):
    SERVICE_CENTRE = "党群服务中心"
    TIMEBANK = "时间银行站点"
    CANTEEN = "长者饭堂"


class Town(RecordMixin, Base):
    __tablename__ = "town"
    name: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(8))


class Community(RecordMixin, Base):
    __tablename__ = "community"
    town_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("town.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))


class Station(RecordMixin, Base):
    __tablename__ = "station"
    community_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))
