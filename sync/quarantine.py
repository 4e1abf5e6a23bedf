"""Outbox items the server refused: list them for staff, send one again, or set it aside.

The engine moves an item the server answered ``rejected`` or ``conflict`` to
``quarantined`` with the server's reason, so one bad record never blocks the queue
(docs/sync-protocol.md). Staff then decide, per item:

- **重新发送** (``retry``): back to ``pending``, so the next sync cycle sends it again. For
  a refusal that was only a matter of order (the server did not know the activity yet).
- **标记已处理** (``dismiss``): to ``dismissed``. The row is kept, as the protocol
  requires ("never dropped"), but it is no longer counted or shown and never sent: the
  engine pushes ``pending`` items only, and a server restored from a backup only sets
  ``acked`` items back to pending.

Both are staff actions and land in the audit log, which travels to the server like any
record, so the district can see who set a refused record aside.

Labels are plain Chinese for the staff console; the server's English reason stays in the
row and the log, never on screen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from kiosk.errors import InvalidTransition, NotFound
from kiosk.store.models import OutboxItem, OutboxStatus
from kiosk.store.uow import Store

ENTITY_NAMES = {
    "account": "时间币账户",
    "activity": "活动",
    "attendance": "签到签退",
    "audit": "操作日志",
    "beneficiary_visit": "服务居民登记",
    "ledger_tx": "时间币记账",
    "need": "服务需求",
    "person": "人员登记",
    "service_approval": "服务时长审核",
    "service_record": "服务记录",
    "suggestion": "意见建议",
    "wish": "微心愿",
}
OP_NAMES = {
    "create": "新建",
    "open": "开始签到",
    "close": "结束签到",
    "set_hardship": "困难标记",
    "rekey": "更换密钥",
    "claim": "认领",
    "release": "取消认领",
    "start": "开始服务",
    "complete": "完成服务",
    "confirm": "确认",
    "rate": "评价",
    "cancel": "取消",
    "expire": "过期",
    "reply": "回复",
}
REASONS = {
    "rejected": "服务器拒收了这条记录（多为相关资料尚未同步到服务器）。",
    "conflict": "服务器上已有同一条记录，但内容不同。",
}
REASON_OTHER = "服务器没有接受这条记录。"


@dataclass(frozen=True)
class QuarantinedItem:
    """One refused outbox item, as the staff console lists it (no payload, nothing personal)."""

    device_seq: int
    entity: str
    entity_id: uuid.UUID
    op: str
    created_at: dt.datetime
    attempts: int
    last_error: str  # the server's answer in English ("rejected: ..."), for logs

    @property
    def what(self) -> str:
        """``签到签退 · 新建``: the kind of record and the step, in words."""
        entity = ENTITY_NAMES.get(self.entity, self.entity)
        return f"{entity} · {OP_NAMES.get(self.op, self.op)}"

    @property
    def reason(self) -> str:
        """Why the server refused it, in plain Chinese."""
        status = self.last_error.split(":", 1)[0].strip()
        return REASONS.get(status, REASON_OTHER)


class QuarantineService:
    """The quarantined part of one kiosk's outbox."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def count(self) -> int:
        with self.store.read() as s:
            return int(
                s.execute(
                    select(func.count()).where(OutboxItem.status == OutboxStatus.QUARANTINED)
                ).scalar_one()
            )

    def items(self, limit: int | None = None) -> list[QuarantinedItem]:
        """Oldest first: the order they were made in, which is the order to deal with them."""
        query = (
            select(
                OutboxItem.device_seq,
                OutboxItem.entity,
                OutboxItem.entity_id,
                OutboxItem.op,
                OutboxItem.created_at,
                OutboxItem.attempts,
                OutboxItem.last_error,
            )
            .where(OutboxItem.status == OutboxStatus.QUARANTINED)
            .order_by(OutboxItem.device_seq)
            .limit(limit)
        )
        with self.store.read() as s:
            return [
                QuarantinedItem(seq, entity, entity_id, op, created, int(attempts), error or "")
                for seq, entity, entity_id, op, created, attempts, error in s.execute(query)
            ]

    def retry(self, device_seq: int, *, staff_id: uuid.UUID | None = None) -> None:
        """Send it again at the next sync. The server's last answer is kept until then."""
        self._move(device_seq, OutboxStatus.PENDING, "outbox.retry", staff_id)

    def dismiss(self, device_seq: int, *, staff_id: uuid.UUID | None = None) -> None:
        """Keep the row but stop showing and sending it."""
        self._move(device_seq, OutboxStatus.DISMISSED, "outbox.dismiss", staff_id)

    def _move(
        self, device_seq: int, to: OutboxStatus, action: str, staff_id: uuid.UUID | None
    ) -> None:
        with self.store.write() as uow:
            item = uow.session.get(OutboxItem, device_seq)
            if item is None:
                raise NotFound("没有找到这条记录。", detail=f"outbox item {device_seq}")
            if item.status != OutboxStatus.QUARANTINED:
                raise InvalidTransition(
                    "这条记录已经处理过了。",
                    detail=f"outbox item {device_seq} is {item.status}, not quarantined",
                )
            item.status = to
            uow.audit(
                staff_id,
                action,
                item.entity,
                item.entity_id,
                f"device_seq={device_seq} op={item.op}",
            )
