"""Quarantined outbox items: listed for staff, sent again, or set aside for good.

Items reach quarantine the real way: the sync engine pushes to a stand-in server that
refuses some entities, and the engine files them with the server's reason.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from kiosk.clock import Clock
from kiosk.errors import InvalidTransition, NotFound
from kiosk.services import Services
from kiosk.store.models import AuditEntry, CheckMethod, OutboxItem, OutboxStatus
from kiosk.store.uow import Store
from sync.engine import SyncEngine, read_status
from sync.protocol import (
    ItemResult,
    ItemStatus,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.quarantine import QuarantineService
from tests.factories import World, at, make_staff


class StandInServer:
    """Answers pushes item by item; refuses the entities in ``refuse``; pulls are empty."""

    def __init__(
        self,
        refuse: dict[str, ItemStatus] | None = None,
        *,
        epoch: str = "epoch-1",
        clock: Clock | None = None,
    ) -> None:
        self.refuse = refuse or {}
        self.epoch = epoch
        self.clock = clock  # the server's time; the kiosk's own clock keeps skew at zero
        self.pushed: list[int] = []  # device_seq of every item received

    def push(self, request: PushRequest) -> PushResponse:
        results = []
        for item in request.items:
            self.pushed.append(item.device_seq)
            status = self.refuse.get(item.entity, ItemStatus.APPLIED)
            reason = "" if status is ItemStatus.APPLIED else f"{item.entity} refused by the test"
            results.append(
                ItemResult(idempotency_key=item.idempotency_key, status=status, reason=reason)
            )
        return PushResponse(
            results=results,
            instance_epoch=self.epoch,
            acked_count=0,
            max_device_seq=max(self.pushed, default=0),
            server_time=self.now(),
        )

    def now(self) -> dt.datetime:
        return self.clock.now() if self.clock is not None else dt.datetime.now(dt.UTC)

    def pull(self, cursor: int, limit: int = 500, chain: uuid.UUID | None = None) -> PullResponse:
        return PullResponse(
            changes=[],
            next_cursor=cursor,
            has_more=False,
            instance_epoch=self.epoch,
            server_time=self.now(),
        )


def sync_once(store: Store, server: StandInServer) -> None:
    server.clock = server.clock or store.clock
    SyncEngine(store, server).run_once()  # type: ignore[arg-type]


def serve_an_activity(svc: Services, world: World) -> None:
    """A member checks in and out: attendance, a service record and coins to send."""
    act = svc.attendance.create_activity(
        title="敬老探访",
        community_id=world.community.id,
        starts_at=at(2, 9, 0),
        ends_at=at(2, 11, 30),
        service_type="探访",
        place="金洲社区长者饭堂",
    )
    svc.attendance.open_checkin(activity_id=act.id)
    svc.attendance.check_in(
        activity_id=act.id, person_id=world.member.id, method=CheckMethod.ID_CARD
    )
    svc.attendance.check_out(
        activity_id=act.id,
        person_id=world.member.id,
        method=CheckMethod.ID_CARD,
        staff_id=make_staff(svc.store),
        at=at(2, 10, 30),
    )


def make_quarantined(svc: Services, world: World) -> list[int]:
    """Serve an activity and sync with a server refusing attendance and conflicting on the
    service record; the device_seq of what went to quarantine."""
    serve_an_activity(svc, world)
    sync_once(
        svc.store,
        StandInServer({"attendance": ItemStatus.REJECTED, "service_record": ItemStatus.CONFLICT}),
    )
    return [item.device_seq for item in QuarantineService(svc.store).items()]


def statuses(store: Store) -> dict[int, str]:
    with store.read() as s:
        return dict(s.execute(select(OutboxItem.device_seq, OutboxItem.status)).all())


def audit_actions(store: Store) -> list[tuple[str, uuid.UUID | None, str]]:
    with store.read() as s:
        rows = s.execute(
            select(AuditEntry.action, AuditEntry.staff_id, AuditEntry.detail)
            .where(AuditEntry.action.like("outbox.%"))
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
        return [(a, sid, d) for a, sid, d in rows]


def test_refused_items_are_listed_in_plain_words(svc: Services, world: World) -> None:
    seqs = make_quarantined(svc, world)
    quarantine = QuarantineService(svc.store)
    items = quarantine.items()
    assert quarantine.count() == len(items) == 3  # check-in, check-out, service record
    assert [i.device_seq for i in items] == sorted(seqs)
    by_entity = {i.entity: i for i in items}
    assert set(by_entity) == {"attendance", "service_record"}
    attendance = [i for i in items if i.entity == "attendance"]
    assert len(attendance) == 2 and all(i.op == "create" for i in attendance)
    assert attendance[0].what == "签到签退 · 新建"
    assert attendance[0].reason.startswith("服务器拒收")
    assert attendance[0].last_error.startswith("rejected:")
    assert attendance[0].attempts == 1
    assert attendance[0].created_at.tzinfo is not None
    assert by_entity["service_record"].reason.startswith("服务器上已有同一条记录")
    assert all(i.reason.isascii() is False for i in items)
    assert quarantine.items(limit=1) == items[:1]
    status = read_status(svc.store)
    assert status.quarantined == 3 and status.pending == 0


def test_retry_sends_the_item_again_at_the_next_sync(svc: Services, world: World) -> None:
    seqs = make_quarantined(svc, world)
    staff = make_staff(svc.store, login="li")
    quarantine = QuarantineService(svc.store)
    first = seqs[0]
    quarantine.retry(first, staff_id=staff)
    assert statuses(svc.store)[first] == OutboxStatus.PENDING
    status = read_status(svc.store)
    assert status.quarantined == 2
    assert status.pending == 2  # the item and the audit entry recording the retry
    assert audit_actions(svc.store) == [("outbox.retry", staff, f"device_seq={first} op=create")]

    accepting = StandInServer()
    sync_once(svc.store, accepting)
    assert first in accepting.pushed
    assert statuses(svc.store)[first] == OutboxStatus.ACKED
    assert [i.device_seq for i in quarantine.items()] == seqs[1:]


def test_dismiss_keeps_the_row_but_never_sends_or_counts_it(svc: Services, world: World) -> None:
    seqs = make_quarantined(svc, world)
    quarantine = QuarantineService(svc.store)
    for seq in seqs:
        quarantine.dismiss(seq)
    assert {statuses(svc.store)[s] for s in seqs} == {OutboxStatus.DISMISSED}
    assert quarantine.items() == [] and quarantine.count() == 0
    status = read_status(svc.store)
    assert status.quarantined == 0
    assert [a for a, _, _ in audit_actions(svc.store)] == ["outbox.dismiss"] * len(seqs)

    server = StandInServer()
    sync_once(svc.store, server)
    assert not set(seqs) & set(server.pushed)  # the audit entries went; the items did not

    # A server restored from a backup: acknowledged items go again, dismissed ones stay put.
    restored = StandInServer(epoch="epoch-2")
    sync_once(svc.store, restored)
    assert restored.pushed and not set(seqs) & set(restored.pushed)
    assert {statuses(svc.store)[s] for s in seqs} == {OutboxStatus.DISMISSED}


def test_only_quarantined_items_can_be_resolved(svc: Services, world: World) -> None:
    seqs = make_quarantined(svc, world)
    quarantine = QuarantineService(svc.store)
    quarantine.dismiss(seqs[0])
    with pytest.raises(InvalidTransition) as refused:
        quarantine.retry(seqs[0])
    assert refused.value.message == "这条记录已经处理过了。"
    acked = next(seq for seq, st in statuses(svc.store).items() if st == OutboxStatus.ACKED)
    with pytest.raises(InvalidTransition):
        quarantine.dismiss(acked)
    with pytest.raises(NotFound):
        quarantine.retry(10_000)
    assert len(audit_actions(svc.store)) == 1  # refusals write nothing
    assert statuses(svc.store)[acked] == OutboxStatus.ACKED
