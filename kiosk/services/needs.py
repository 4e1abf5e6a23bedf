"""Service needs (需求): a resident posts, a member, volunteer or organisation serves.

The lifecycle is one table of allowed steps. Every step runs inside a write transaction
that starts with ``BEGIN IMMEDIATE``, so two kiosks' claims on the same store are decided
in order and the first one wins; the server settles claims made offline through
``base_version``. Confirming mints the coins in the same transaction as the status change,
so a confirmed need without its coins (or coins without a confirmed need) cannot exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import String, cast, select

from kiosk.errors import (
    AlreadyClaimed,
    InvalidTransition,
    NotFound,
    RuleViolation,
    ValidationError,
)
from kiosk.services.ledger import Ledger, award_minutes
from kiosk.store.models import (
    Community,
    Need,
    NeedCategory,
    NeedStatus,
    Organisation,
    Person,
    PersonKind,
)
from kiosk.store.uow import Store, UnitOfWork

S = NeedStatus
# op -> (statuses it may start from, status it leads to); the op is also the outbox op.
NEED_STEPS: dict[str, tuple[frozenset[NeedStatus], NeedStatus]] = {
    "claim": (frozenset({S.POSTED}), S.CLAIMED),
    "release": (frozenset({S.CLAIMED}), S.POSTED),
    "start": (frozenset({S.CLAIMED}), S.IN_SERVICE),
    "complete": (frozenset({S.IN_SERVICE}), S.COMPLETED),
    "confirm": (frozenset({S.COMPLETED}), S.CONFIRMED),
    "rate": (frozenset({S.CONFIRMED}), S.RATED),
    "cancel": (frozenset({S.POSTED, S.CLAIMED}), S.CANCELLED),
    "expire": (frozenset({S.POSTED}), S.EXPIRED),
}
_STEP_TEXT = {
    "claim": "认领",
    "release": "退回",
    "start": "开始服务",
    "complete": "完成服务",
    "confirm": "确认完成",
    "rate": "评价",
    "cancel": "取消",
    "expire": "设为过期",
}
_STATUS_TEXT = {
    S.POSTED: "正在等人认领",
    S.CLAIMED: "已经有人认领",
    S.IN_SERVICE: "正在服务中",
    S.COMPLETED: "服务已完成，等待确认",
    S.CONFIRMED: "已经确认完成",
    S.RATED: "已经评价过了",
    S.CANCELLED: "已经取消",
    S.EXPIRED: "已经过期",
}
_TAKEN = frozenset({S.CLAIMED, S.IN_SERVICE, S.COMPLETED, S.CONFIRMED, S.RATED})
_TEXT_MAX = 200
# A need's ticket number: the id's low 24 bits as 8 decimal digits. A UUIDv7 starts with
# its time, so leading digits would repeat for needs posted within the same minute; the
# low bits are random. 16.7 million numbers are plenty for one deployment, and the rare
# clash is resolved by the QR code, which carries the full id.
TICKET_DIGITS = 8
_TICKET_MASK = 0xFFFFFF
_NO_TICKET = "没有找到这张小票的求助，请找工作人员查询。"
_PAST_LIMIT = dt.timedelta(days=1)
_AHEAD_LIMIT = dt.timedelta(days=90)


def ticket_number(need_id: uuid.UUID) -> str:
    """The short number printed on a need's receipt and shown on screen (8 digits)."""
    return f"{need_id.int & _TICKET_MASK:0{TICKET_DIGITS}d}"


def _need(uow: UnitOfWork, need_id: uuid.UUID) -> Need:
    need = uow.session.get(Need, need_id)
    if need is None:
        raise NotFound("没有找到这个需求。", detail=f"need {need_id}")
    return need


def _allow(need: Need, op: str) -> None:
    sources, _ = NEED_STEPS[op]
    if need.status not in sources:
        raise InvalidTransition(
            f"这个需求{_STATUS_TEXT[S(need.status)]}，不能{_STEP_TEXT[op]}。",
            detail=f"need {op} not allowed from {need.status}",
        )


def _move(uow: UnitOfWork, need: Need, op: str, **changes: Any) -> Need:
    """Take one lifecycle step and queue exactly the fields it changed for the server."""
    _allow(need, op)
    base = need.version
    need.status = NEED_STEPS[op][1]
    need.version = base + 1
    for key, value in changes.items():
        setattr(need, key, value)
    uow.emit(
        "need",
        op,
        need.id,
        {"id": need.id, "status": need.status, "base_version": base, **changes},
    )
    return need


def _text(value: str, what: str) -> str:
    value = value.strip()
    if len(value) > _TEXT_MAX:
        raise ValidationError(
            f"{what}最多 {_TEXT_MAX} 个字。", detail=f"{what} longer than {_TEXT_MAX}"
        )
    return value


class NeedService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def post(
        self,
        *,
        resident_id: uuid.UUID,
        category: NeedCategory,
        wished_at: dt.datetime,
        description: str = "",
        community_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
    ) -> Need:
        description = _text(description, "需求说明")
        try:
            category = NeedCategory(category)
        except ValueError:
            raise ValidationError("请选择需求类别。", detail="unknown need category") from None
        if wished_at.tzinfo is None:
            raise ValidationError("服务时间不正确。", detail="naive wished_at")
        with self.store.write() as uow:
            resident = uow.session.get(Person, resident_id)
            if resident is None:
                raise NotFound("没有找到您的登记信息，请找工作人员登记。", detail="no resident")
            if not uow.now - _PAST_LIMIT <= wished_at <= uow.now + _AHEAD_LIMIT:
                raise ValidationError(
                    "希望服务的时间要在今天到 90 天以内。",
                    detail="wished_at more than a day past or 90 days ahead",
                )
            community_id = community_id or resident.community_id
            if community_id is None:
                raise ValidationError("请选择所在社区。", detail="need without a community")
            if uow.session.get(Community, community_id) is None:
                raise NotFound("没有找到这个社区。", detail=f"community {community_id}")
            need = Need(
                resident_id=resident_id,
                posted_by_staff_id=staff_id,
                category=category,
                description=description,
                wished_at=wished_at,
                community_id=community_id,
                status=S.POSTED,
                version=1,
            )
            uow.add(need)
            uow.emit_record("need", "create", need)
            if staff_id is not None:
                uow.audit(staff_id, "need.post", "need", need.id, f"category={category}")
            return need

    def claim(
        self,
        *,
        need_id: uuid.UUID,
        person_id: uuid.UUID | None = None,
        org_id: uuid.UUID | None = None,
    ) -> Need:
        if (person_id is None) == (org_id is None):
            raise ValidationError(
                "请选择由个人还是党组织认领。", detail="claim needs exactly one claimant"
            )
        with self.store.write() as uow:
            need = _need(uow, need_id)
            if need.status in _TAKEN:
                raise AlreadyClaimed(
                    "这个需求已经有人认领了，请看看其他需求。", detail="need already claimed"
                )
            if person_id is not None:
                person = uow.session.get(Person, person_id)
                if person is None:
                    raise NotFound("没有找到您的登记信息，请找工作人员登记。", detail="no claimant")
                if person.kind not in (PersonKind.MEMBER, PersonKind.VOLUNTEER):
                    raise RuleViolation(
                        "只有党员和志愿者可以认领需求。", detail=f"claimant kind {person.kind}"
                    )
                if person_id == need.resident_id:
                    raise RuleViolation("不能认领自己发布的需求。", detail="claim of own need")
            elif uow.session.get(Organisation, org_id) is None:
                raise NotFound("没有找到这个党组织。", detail=f"organisation {org_id}")
            return _move(
                uow,
                need,
                "claim",
                claimant_person_id=person_id,
                claimant_org_id=org_id,
                claimed_at=uow.now,
            )

    def release(self, *, need_id: uuid.UUID, staff_id: uuid.UUID | None = None) -> Need:
        """Give a claimed need back to the open list, for a claimant who cannot come."""
        with self.store.write() as uow:
            need = _move(
                uow,
                _need(uow, need_id),
                "release",
                claimant_person_id=None,
                claimant_org_id=None,
                claimed_at=None,
            )
            if staff_id is not None:
                uow.audit(staff_id, "need.release", "need", need.id)
            return need

    def start(self, *, need_id: uuid.UUID) -> Need:
        with self.store.write() as uow:
            return _move(uow, _need(uow, need_id), "start", started_at=uow.now)

    def complete(self, *, need_id: uuid.UUID, service_minutes: int) -> Need:
        limit = self.store.rules.max_need_minutes
        if not 1 <= service_minutes <= limit:
            raise ValidationError(
                f"服务时长应在 1 到 {limit} 分钟之间。",
                detail=f"service minutes {service_minutes} outside 1..{limit}",
            )
        with self.store.write() as uow:
            return _move(
                uow,
                _need(uow, need_id),
                "complete",
                completed_at=uow.now,
                service_minutes=service_minutes,
            )

    def confirm(self, *, need_id: uuid.UUID, staff_id: uuid.UUID | None = None) -> Need:
        """Confirm the service and mint its coins to the claimant, all or nothing."""
        with self.store.write() as uow:
            need = _need(uow, need_id)
            _allow(need, "confirm")
            minutes = need.service_minutes or 0
            coins = award_minutes(minutes, 60, self.store.rules.award_step_minutes)
            tx = Ledger(uow).earn(
                minutes=coins,
                person_id=need.claimant_person_id,
                org_id=need.claimant_org_id,
                memo=f"需求服务：{need.category}",
                ref_entity="need",
                ref_id=need.id,
                operator_id=staff_id,
            )
            _move(
                uow,
                need,
                "confirm",
                confirmed_at=uow.now,
                ledger_tx_id=tx.id if tx else None,
            )
            if staff_id is not None:
                uow.audit(staff_id, "need.confirm", "need", need.id, f"{minutes} min")
            return need

    def rate(self, *, need_id: uuid.UUID, stars: int, comment: str = "") -> Need:
        if isinstance(stars, bool) or not 1 <= stars <= 5:
            raise ValidationError("请选择 1 到 5 颗星。", detail=f"rating {stars}")
        comment = _text(comment, "评价")
        with self.store.write() as uow:
            return _move(uow, _need(uow, need_id), "rate", rating=stars, rating_comment=comment)

    def cancel(self, *, need_id: uuid.UUID, reason: str, staff_id: uuid.UUID | None = None) -> Need:
        reason = _text(reason, "取消原因")
        if not reason:
            raise ValidationError("请填写取消原因。", detail="cancel without reason")
        with self.store.write() as uow:
            need = _need(uow, need_id)
            was = need.status
            _move(uow, need, "cancel", closed_reason=reason)
            if staff_id is not None:
                uow.audit(staff_id, "need.cancel", "need", need.id, f"from={was}")
            return need

    def expire_overdue(self, *, grace: dt.timedelta = dt.timedelta(days=7)) -> int:
        """Close needs nobody claimed well after the wished time, so the open list stays true."""
        with self.store.write() as uow:
            overdue = (
                uow.session.execute(
                    select(Need).where(Need.status == S.POSTED, Need.wished_at < uow.now - grace)
                )
                .scalars()
                .all()
            )
            for need in overdue:
                _move(uow, need, "expire", closed_reason="过期无人认领")
            return len(overdue)

    def open_needs(self, community_id: uuid.UUID | None = None) -> list[Need]:
        query = select(Need).where(Need.status == S.POSTED)
        if community_id is not None:
            query = query.where(Need.community_id == community_id)
        with self.store.read() as s:
            return list(s.execute(query.order_by(Need.created_at, Need.id)).scalars())

    def find_by_ticket(self, ticket: str) -> Need:
        """The need behind a receipt: its full id (the QR code) or its 8-digit number.

        Read-only. The number is matched on the id's last six hex digits, then checked in
        full; if two needs ever share a number the resident is asked for the QR code.
        """
        text = ticket.strip()
        try:
            need_id: uuid.UUID | None = uuid.UUID(text)
        except ValueError:
            need_id = None
        with self.store.read() as s:
            if need_id is not None:
                need = s.get(Need, need_id)
                if need is None:
                    raise NotFound(_NO_TICKET, detail="no need with this id")
                return need
            digits = "".join(text.split())
            if len(digits) != TICKET_DIGITS or not digits.isdigit():
                raise ValidationError(
                    "这个求助号码不对，请核对小票上的号码。", detail="malformed need ticket"
                )
            if int(digits) > _TICKET_MASK:
                raise NotFound(_NO_TICKET, detail="ticket number out of range")
            suffix = f"{int(digits):06x}"
            rows = s.execute(select(Need).where(cast(Need.id, String).like(f"%{suffix}")))
            matches = [n for n in rows.scalars() if ticket_number(n.id) == digits]
        if not matches:
            raise NotFound(_NO_TICKET, detail="no need with this ticket number")
        if len(matches) > 1:
            raise ValidationError(
                "这个号码对应不止一条求助，请扫小票上的二维码，或者找工作人员查询。",
                detail=f"{len(matches)} needs share a ticket number",
            )
        return matches[0]
