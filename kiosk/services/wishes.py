"""Micro-wishes (微心愿): 寻梦 (published), 揽梦 (claimed by a member), 圆梦 (fulfilled).

A wish is public only after staff verify it, and then only with the resident's name
masked. A member who claims a wish must make contact within the contact window; a claim
left uncontacted lapses and the wish goes back to the list with a higher priority, as do
wishes carried over into a new round, so the oldest unmet wishes stay on top.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from kiosk.errors import (
    AlreadyClaimed,
    InvalidTransition,
    NotFound,
    RuleViolation,
    ValidationError,
)
from kiosk.identity import mask_name
from kiosk.store.models import Person, PersonKind, Wish, WishStatus
from kiosk.store.uow import Store, UnitOfWork

W = WishStatus
# op -> (statuses it may start from, status it leads to); the op is also the outbox op.
WISH_STEPS: dict[str, tuple[frozenset[WishStatus], WishStatus]] = {
    "publish": (frozenset({W.SUBMITTED}), W.PUBLISHED),
    "reject": (frozenset({W.SUBMITTED}), W.REJECTED),
    "claim": (frozenset({W.PUBLISHED}), W.CLAIMED),
    "contact": (frozenset({W.CLAIMED}), W.CONTACTED),
    "fulfil": (frozenset({W.CONTACTED}), W.FULFILLED),
    "lapse": (frozenset({W.CLAIMED}), W.PUBLISHED),
    "next_round": (frozenset({W.PUBLISHED}), W.PUBLISHED),
}
_STEP_TEXT = {
    "publish": "审核",
    "reject": "审核",
    "claim": "认领",
    "contact": "登记联系",
    "fulfil": "登记圆梦",
    "lapse": "重新发布",
    "next_round": "转入新一轮",
}
_STATUS_TEXT = {
    W.SUBMITTED: "还在等待审核",
    W.PUBLISHED: "正在等人认领",
    W.CLAIMED: "已经有人认领",
    W.CONTACTED: "已经联系过了",
    W.FULFILLED: "已经圆梦",
    W.REJECTED: "没有通过审核",
}
_PUBLIC = (W.PUBLISHED, W.CLAIMED, W.CONTACTED)
_TAKEN = frozenset({W.CLAIMED, W.CONTACTED, W.FULFILLED})
_TITLE_MAX = 60
_TEXT_MAX = 300


@dataclass(frozen=True)
class WishView:
    """What the public wish wall may show: never the resident's full name."""

    id: uuid.UUID
    title: str
    description: str
    resident_name_masked: str
    status: str
    round_no: int
    priority: int


@dataclass(frozen=True)
class ClaimedWishView:
    """A wish as the member who claimed it follows it: what, for whom (masked), how far."""

    id: uuid.UUID
    title: str
    resident_name_masked: str
    status: str
    claimed_at: dt.datetime | None
    contact_due: dt.datetime | None
    contacted_at: dt.datetime | None
    fulfilled_at: dt.datetime | None


@dataclass(frozen=True)
class StaffWishView:
    """A wish as staff follow it on the console: full names, every date, the staff note."""

    id: uuid.UUID
    title: str
    description: str
    status: str
    resident_name: str
    claimant_name: str  # "" while nobody holds it
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    contact_due: dt.datetime | None
    contacted_at: dt.datetime | None
    fulfilled_at: dt.datetime | None
    note: str
    round_no: int
    priority: int


def _wish(uow: UnitOfWork, wish_id: uuid.UUID) -> Wish:
    wish = uow.session.get(Wish, wish_id)
    if wish is None:
        raise NotFound("没有找到这个心愿。", detail=f"wish {wish_id}")
    return wish


def _move(uow: UnitOfWork, wish: Wish, op: str, **changes: Any) -> Wish:
    """Take one lifecycle step and queue exactly the fields it changed for the server."""
    sources, target = WISH_STEPS[op]
    if wish.status not in sources:
        raise InvalidTransition(
            f"这个心愿{_STATUS_TEXT[W(wish.status)]}，不能{_STEP_TEXT[op]}。",
            detail=f"wish {op} not allowed from {wish.status}",
        )
    base = wish.version
    wish.status = target
    wish.version = base + 1
    for key, value in changes.items():
        setattr(wish, key, value)
    uow.emit(
        "wish", op, wish.id, {"id": wish.id, "status": wish.status, "base_version": base, **changes}
    )
    return wish


def _text(value: str, limit: int, what: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"{what}最多 {limit} 个字。", detail=f"{what} longer than {limit}")
    return value


def _claimant(wish: Wish, member_id: uuid.UUID) -> None:
    if wish.claimant_id != member_id:
        raise RuleViolation(
            "只有认领这个心愿的党员可以登记。", detail="member is not the wish's claimant"
        )


class WishService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def submit(
        self,
        *,
        resident_id: uuid.UUID,
        title: str,
        description: str = "",
        staff_id: uuid.UUID | None = None,
    ) -> Wish:
        title = _text(title, _TITLE_MAX, "心愿标题")
        if not title:
            raise ValidationError("请填写心愿。", detail="wish without title")
        description = _text(description, _TEXT_MAX, "心愿说明")
        with self.store.write() as uow:
            if uow.session.get(Person, resident_id) is None:
                raise NotFound("没有找到您的登记信息，请找工作人员登记。", detail="no resident")
            wish = Wish(
                resident_id=resident_id,
                title=title,
                description=description,
                status=W.SUBMITTED,
                round_no=1,
                priority=0,
                version=1,
            )
            uow.add(wish)
            uow.emit_record("wish", "create", wish)
            if staff_id is not None:
                uow.audit(staff_id, "wish.submit", "wish", wish.id)
            return wish

    def verify(
        self, *, wish_id: uuid.UUID, staff_id: uuid.UUID, approve: bool, note: str = ""
    ) -> Wish:
        note = _text(note, _TEXT_MAX, "审核意见")
        with self.store.write() as uow:
            wish = _move(
                uow,
                _wish(uow, wish_id),
                "publish" if approve else "reject",
                verified_by=staff_id,
                note=note,
            )
            uow.audit(staff_id, "wish.verify", "wish", wish.id, f"approve={approve}")
            return wish

    def claim(self, *, wish_id: uuid.UUID, member_id: uuid.UUID) -> Wish:
        with self.store.write() as uow:
            wish = _wish(uow, wish_id)
            if wish.status in _TAKEN:
                raise AlreadyClaimed(
                    "这个心愿已经有党员认领了，请看看其他心愿。", detail="wish already claimed"
                )
            member = uow.session.get(Person, member_id)
            if member is None:
                raise NotFound("没有找到您的登记信息，请找工作人员登记。", detail="no member")
            if member.kind != PersonKind.MEMBER:
                raise RuleViolation("只有党员可以认领微心愿。", detail=f"claimant {member.kind}")
            if member_id == wish.resident_id:
                raise RuleViolation("不能认领自己的心愿。", detail="claim of own wish")
            due = uow.now + dt.timedelta(days=self.store.rules.wish_contact_days)
            return _move(
                uow, wish, "claim", claimant_id=member_id, claimed_at=uow.now, contact_due=due
            )

    def mark_contacted(self, *, wish_id: uuid.UUID, member_id: uuid.UUID) -> Wish:
        with self.store.write() as uow:
            wish = _wish(uow, wish_id)
            if wish.status == W.CLAIMED:
                _claimant(wish, member_id)
                if wish.contact_due is not None and uow.now > wish.contact_due:
                    raise RuleViolation(
                        "联系期限已过，这个心愿将重新发布。", detail="contact window passed"
                    )
            return _move(uow, wish, "contact", contacted_at=uow.now)

    def fulfil(
        self,
        *,
        wish_id: uuid.UUID,
        note: str,
        member_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
    ) -> Wish:
        note = _text(note, _TEXT_MAX, "圆梦情况")
        if not note:
            raise ValidationError("请填写圆梦情况。", detail="fulfil without note")
        if member_id is None and staff_id is None:
            raise ValidationError(
                "请由认领的党员或工作人员登记。", detail="fulfil without member or staff"
            )
        with self.store.write() as uow:
            wish = _wish(uow, wish_id)
            if member_id is not None and wish.status == W.CONTACTED:
                _claimant(wish, member_id)
            _move(uow, wish, "fulfil", fulfilled_at=uow.now, note=note)
            if staff_id is not None:
                uow.audit(staff_id, "wish.fulfil", "wish", wish.id)
            return wish

    def lapse_uncontacted(self) -> int:
        """Put claims nobody followed up back on the wall, ahead of newer wishes."""
        with self.store.write() as uow:
            stale = (
                uow.session.execute(
                    select(Wish).where(Wish.status == W.CLAIMED, Wish.contact_due < uow.now)
                )
                .scalars()
                .all()
            )
            for wish in stale:
                _move(
                    uow,
                    wish,
                    "lapse",
                    claimant_id=None,
                    claimed_at=None,
                    contact_due=None,
                    priority=wish.priority + 1,
                )
            return len(stale)

    def next_round(self) -> int:
        """Carry every unclaimed wish into the new round, one step higher in priority."""
        with self.store.write() as uow:
            waiting = (
                uow.session.execute(select(Wish).where(Wish.status == W.PUBLISHED)).scalars().all()
            )
            for wish in waiting:
                _move(
                    uow,
                    wish,
                    "next_round",
                    round_no=wish.round_no + 1,
                    priority=wish.priority + 1,
                )
            return len(waiting)

    def public_list(self) -> list[WishView]:
        with self.store.read() as s:
            rows = s.execute(
                select(Wish, Person.name)
                .join(Person, Person.id == Wish.resident_id)
                .where(Wish.status.in_(_PUBLIC))
                .order_by(Wish.priority.desc(), Wish.created_at, Wish.id)
            ).all()
            return [
                WishView(
                    id=wish.id,
                    title=wish.title,
                    description=wish.description,
                    resident_name_masked=mask_name(name),
                    status=wish.status,
                    round_no=wish.round_no,
                    priority=wish.priority,
                )
                for wish, name in rows
            ]

    def claimed_by(self, member_id: uuid.UUID) -> list[ClaimedWishView]:
        """The wishes this member holds now (claimed, contacted or fulfilled), newest first.

        A claim that lapsed or was reset no longer names the member, so it is not listed.
        """
        with self.store.read() as s:
            rows = s.execute(
                select(Wish, Person.name)
                .join(Person, Person.id == Wish.resident_id)
                .where(Wish.claimant_id == member_id, Wish.status.in_(sorted(_TAKEN)))
                .order_by(Wish.claimed_at.desc(), Wish.id)
            ).all()
            return [
                ClaimedWishView(
                    id=wish.id,
                    title=wish.title,
                    resident_name_masked=mask_name(name),
                    status=wish.status,
                    claimed_at=wish.claimed_at,
                    contact_due=wish.contact_due,
                    contacted_at=wish.contacted_at,
                    fulfilled_at=wish.fulfilled_at,
                )
                for wish, name in rows
            ]

    def staff_list(self, statuses: Iterable[WishStatus] | None = None) -> list[StaffWishView]:
        """Wishes in these statuses (all when None) for the staff console, oldest need first.

        Read-only. Staff see full names here, which the public wall never shows.
        """
        claimant = aliased(Person)
        query = (
            select(Wish, Person.name, claimant.name)
            .join(Person, Person.id == Wish.resident_id)
            .outerjoin(claimant, claimant.id == Wish.claimant_id)
            .order_by(Wish.priority.desc(), Wish.created_at, Wish.id)
        )
        if statuses is not None:
            query = query.where(Wish.status.in_([WishStatus(status) for status in statuses]))
        with self.store.read() as s:
            return [
                StaffWishView(
                    id=wish.id,
                    title=wish.title,
                    description=wish.description,
                    status=wish.status,
                    resident_name=resident,
                    claimant_name=held_by or "",
                    created_at=wish.created_at,
                    claimed_at=wish.claimed_at,
                    contact_due=wish.contact_due,
                    contacted_at=wish.contacted_at,
                    fulfilled_at=wish.fulfilled_at,
                    note=wish.note,
                    round_no=wish.round_no,
                    priority=wish.priority,
                )
                for wish, resident, held_by in s.execute(query).tuples()
            ]
