"""Reference data: places, organisations and the coin price list.

These records are owned by the central server (the district registers organisations and
stations); the kiosk stores a copy to work offline. Creating them here writes no outbox
row: it is how seed-demo and, later, a pull fill the store.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import select

from kiosk.config import COIN
from kiosk.errors import NotFound, RuleViolation, ValidationError
from kiosk.store.base import RecordMixin
from kiosk.store.models import (
    Community,
    CommunityKind,
    Organisation,
    OrgType,
    PriceItem,
    Station,
    StationKind,
    Town,
    TownKind,
)
from kiosk.store.uow import Store, UnitOfWork

R = TypeVar("R", bound=RecordMixin)


def _name(value: str, limit: int, what: str) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise ValidationError(
            f"请填写正确的{what}。", detail=f"{what} empty or longer than {limit}"
        )
    return value


def _with_id(uow: UnitOfWork, record: R, record_id: uuid.UUID | None) -> R:
    if record_id is not None:
        record.id = record_id
    uow.add(record)
    return record


class ReferenceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add_town(self, *, name: str, kind: TownKind, record_id: uuid.UUID | None = None) -> Town:
        name = _name(name, 40, "镇街名称")
        with self.store.write() as uow:
            if uow.session.execute(select(Town.id).where(Town.name == name)).first():
                raise RuleViolation("这个镇街已经存在。", detail=f"town {name} exists")
            return _with_id(uow, Town(name=name, kind=TownKind(kind)), record_id)

    def add_community(
        self,
        *,
        town_id: uuid.UUID,
        name: str,
        kind: CommunityKind,
        record_id: uuid.UUID | None = None,
    ) -> Community:
        name = _name(name, 40, "社区名称")
        with self.store.write() as uow:
            if uow.session.get(Town, town_id) is None:
                raise NotFound("没有找到这个镇街。", detail=f"town {town_id}")
            return _with_id(
                uow, Community(town_id=town_id, name=name, kind=CommunityKind(kind)), record_id
            )

    def add_station(
        self,
        *,
        community_id: uuid.UUID,
        name: str,
        kind: StationKind,
        record_id: uuid.UUID | None = None,
    ) -> Station:
        name = _name(name, 60, "站点名称")
        with self.store.write() as uow:
            if uow.session.get(Community, community_id) is None:
                raise NotFound("没有找到这个社区。", detail=f"community {community_id}")
            return _with_id(
                uow,
                Station(community_id=community_id, name=name, kind=StationKind(kind)),
                record_id,
            )

    def add_organisation(
        self,
        *,
        name: str,
        org_type: OrgType,
        town_id: uuid.UUID,
        annual_quota: int = 12,
        record_id: uuid.UUID | None = None,
    ) -> Organisation:
        name = _name(name, 80, "党组织名称")
        if not 0 <= annual_quota <= 10_000:
            raise ValidationError("年度服务任务数不正确。", detail=f"quota {annual_quota}")
        with self.store.write() as uow:
            if uow.session.get(Town, town_id) is None:
                raise NotFound("没有找到报到的镇街。", detail=f"town {town_id}")
            if uow.session.execute(
                select(Organisation.id).where(Organisation.name == name)
            ).first():
                raise RuleViolation(
                    "这个党组织已经登记过了。", detail=f"organisation {name} exists"
                )
            org = Organisation(
                name=name, org_type=OrgType(org_type), town_id=town_id, annual_quota=annual_quota
            )
            return _with_id(uow, org, record_id)

    def add_price_item(
        self, *, name: str, price_minutes: int, record_id: uuid.UUID | None = None
    ) -> PriceItem:
        name = _name(name, 40, "服务名称")
        if price_minutes <= 0 or price_minutes % COIN:
            raise ValidationError("兑换价格必须是整枚时间币。", detail=f"price {price_minutes}")
        with self.store.write() as uow:
            return _with_id(uow, PriceItem(name=name, price_minutes=price_minutes), record_id)

    def towns(self) -> list[Town]:
        with self.store.read() as s:
            return list(s.execute(select(Town).order_by(Town.name)).scalars())

    def communities(self, town_id: uuid.UUID | None = None) -> list[Community]:
        with self.store.read() as s:
            q = select(Community).order_by(Community.name)
            if town_id is not None:
                q = q.where(Community.town_id == town_id)
            return list(s.execute(q).scalars())

    def stations(self) -> list[Station]:
        with self.store.read() as s:
            return list(s.execute(select(Station).order_by(Station.name)).scalars())

    def organisations(self) -> list[Organisation]:
        with self.store.read() as s:
            return list(s.execute(select(Organisation).order_by(Organisation.name)).scalars())

    def price_list(self) -> list[PriceItem]:
        with self.store.read() as s:
            q = select(PriceItem).where(PriceItem.active).order_by(PriceItem.price_minutes)
            return list(s.execute(q).scalars())
