"""One sync cycle: push the outbox in batches, then pull changes; single flight.

Order and bookkeeping follow the recommended protocol (docs in README): items are marked
attempted before they are sent; acknowledged only from the server's per-item answers, in
one transaction; rejected and conflicting items move to quarantine and never block the
rest; each pulled page commits together with its cursor. A lost answer costs a resend,
which the server answers "duplicate".
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.store.models import OutboxItem, OutboxStatus, SyncState
from kiosk.store.uow import Store
from sync.client import Refused, SyncClient
from sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    MAX_SKEW_SECONDS,
    ItemStatus,
    PushItem,
    PushRequest,
)
from sync.pulled import apply_change

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    """What the staff console shows; plain values, no Qt."""

    pending: int
    oldest_pending_age_s: float | None
    quarantined: int
    last_success_at: dt.datetime | None
    last_error: str
    clock_skew_s: float | None
    pushed: int = 0
    pulled: int = 0
    running: bool = False


class SyncBusy(Exception):
    """Another sync of this data directory is running (single flight)."""


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        lock_path: Path | None = None,
        batch_items: int = MAX_BATCH_ITEMS,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.lock_path = lock_path
        self.batch_items = min(batch_items, MAX_BATCH_ITEMS)
        self.on_status = on_status
        self._thread_lock = threading.Lock()
        with store.read() as s:  # flag new records at once if the last sync saw a bad clock
            state = s.get(SyncState, 1)
            skew = state.clock_skew_s if state is not None else None
        store.clock_suspect = skew is not None and abs(skew) > MAX_SKEW_SECONDS

    # --- single flight --------------------------------------------------------------
    @contextmanager
    def _single_flight(self) -> Iterator[None]:
        if not self._thread_lock.acquire(blocking=False):
            raise SyncBusy("a sync is already running in this process")
        handle = None
        try:
            if self.lock_path is not None:
                handle = self.lock_path.open("a")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    raise SyncBusy("a sync is already running for this kiosk") from exc
            yield
        finally:
            if handle is not None:
                handle.close()
            self._thread_lock.release()

    # --- the cycle ------------------------------------------------------------------
    def run_once(self) -> SyncStatus:
        with self._single_flight():
            pushed = pulled = 0
            try:
                pushed = self._push_all()
                pulled = self._pull_all()
            except Exception as exc:
                self._record_failure(exc)
                raise
            self._record_success()
            status = self.status(pushed=pushed, pulled=pulled)
            if self.on_status:
                self.on_status(status)
            return status

    def _next_batch(self) -> list[OutboxItem]:
        with self.store.read() as s:
            rows = list(
                s.execute(
                    select(OutboxItem)
                    .where(OutboxItem.status == OutboxStatus.PENDING)
                    .order_by(OutboxItem.device_seq)
                    .limit(self.batch_items)
                ).scalars()
            )
        batch: list[OutboxItem] = []
        size = 0
        for row in rows:
            size += len(row.payload) + 400
            if batch and size > MAX_BATCH_BYTES * 0.9:
                break
            batch.append(row)
        return batch

    def _push_all(self) -> int:
        pushed = 0
        while batch := self._next_batch():
            seqs = [row.device_seq for row in batch]
            with self.store.write() as uow:  # attempted before sending: a crash leaves a trace
                uow.session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.device_seq.in_(seqs))
                    .values(attempts=OutboxItem.attempts + 1, last_attempt_at=uow.now)
                )
            request = PushRequest(
                batch_id=uuid.uuid4(),
                items=[
                    PushItem(
                        idempotency_key=row.idempotency_key,
                        device_seq=row.device_seq,
                        chain_id=row.chain_id,
                        entity=row.entity,
                        entity_id=row.entity_id,
                        op=row.op,
                        payload=row.payload,
                        payload_hash=row.payload_hash,
                        created_at=row.created_at,
                        clock_suspect=row.clock_suspect,
                    )
                    for row in batch
                ],
            )
            response = self.client.push(request)
            self._note_clock(response.server_time)
            by_key = {r.idempotency_key: r for r in response.results}
            with self.store.write() as uow:
                for row in batch:
                    result = by_key.get(row.idempotency_key)
                    if result is None:
                        continue  # not answered: stays pending, resent next time
                    item = uow.session.get_one(OutboxItem, row.device_seq)
                    if result.status in (ItemStatus.APPLIED, ItemStatus.DUPLICATE):
                        item.status = OutboxStatus.ACKED
                        item.acked_at = uow.now
                        item.last_error = ""
                    else:
                        item.status = OutboxStatus.QUARANTINED
                        item.last_error = f"{result.status}: {result.reason}"[:300]
                        log.warning(
                            "outbox item %s (%s %s) quarantined: %s",
                            row.device_seq,
                            row.entity,
                            row.op,
                            result.reason,
                        )
                state = _state(uow.session)
                state.instance_epoch = response.instance_epoch
            pushed += len(batch)
            if not by_key:
                break
        return pushed

    def _pull_all(self) -> int:
        pulled = 0
        while True:
            with self.store.read() as s:
                cursor = _state(s).cursor
            try:
                page = self.client.pull(cursor)
            except Refused as exc:
                if exc.status != 410 or cursor == 0:  # 410 at 0 again: looping would not help
                    raise
                log.warning("server no longer has cursor %s; resyncing reference data", cursor)
                with self.store.write() as uow:
                    _state(uow.session).cursor = 0
                continue
            self._note_clock(page.server_time)
            with self.store.write() as uow:
                for change in page.changes:
                    apply_change(uow.session, change.entity, change.data)
                state = _state(uow.session)
                state.cursor = page.next_cursor
                state.instance_epoch = page.instance_epoch
            pulled += len(page.changes)
            if not page.has_more:
                return pulled

    # --- bookkeeping ----------------------------------------------------------------
    def _note_clock(self, server_time: dt.datetime) -> None:
        skew = (self.store.clock.now() - server_time).total_seconds()
        with self.store.write() as uow:
            _state(uow.session).clock_skew_s = skew
        self.store.clock_suspect = abs(skew) > MAX_SKEW_SECONDS
        if self.store.clock_suspect:
            log.warning("kiosk clock is %.0f s off the server's; records are flagged", skew)

    def _record_success(self) -> None:
        with self.store.write() as uow:
            state = _state(uow.session)
            state.last_success_at = uow.now
            state.last_error = ""
            state.failures = 0

    def _record_failure(self, exc: Exception) -> None:
        with self.store.write() as uow:
            state = _state(uow.session)
            state.last_error = f"{type(exc).__name__}: {exc}"[:300]
            state.last_error_at = uow.now
            state.failures += 1

    def status(self, *, pushed: int = 0, pulled: int = 0) -> SyncStatus:
        return read_status(self.store, pushed=pushed, pulled=pulled)


def _state(session: Session) -> SyncState:
    state = session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1, cursor=0, instance_epoch="", last_error="", failures=0)
        session.add(state)
        session.flush()
    return state


def read_status(store: Store, *, pushed: int = 0, pulled: int = 0) -> SyncStatus:
    with store.read() as s:
        pending, oldest = s.execute(
            select(func.count(), func.min(OutboxItem.created_at)).where(
                OutboxItem.status == OutboxStatus.PENDING
            )
        ).one()
        quarantined = s.execute(
            select(func.count()).where(OutboxItem.status == OutboxStatus.QUARANTINED)
        ).scalar_one()
        state = s.get(SyncState, 1)
    now = store.clock.now()
    return SyncStatus(
        pending=int(pending),
        oldest_pending_age_s=(now - oldest).total_seconds() if oldest else None,
        quarantined=int(quarantined),
        last_success_at=state.last_success_at if state else None,
        last_error=state.last_error if state else "",
        clock_skew_s=state.clock_skew_s if state else None,
        pushed=pushed,
        pulled=pulled,
    )
