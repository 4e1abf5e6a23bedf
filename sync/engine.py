"""One sync cycle: push the outbox in batches, then pull changes; single flight.

Order and bookkeeping follow the recommended protocol (docs/sync-protocol.md): items are
marked attempted before they are sent; acknowledged only from the server's per-item
answers, in one transaction; rejected and conflicting items move to quarantine and never
block the rest; each pulled page commits together with its cursor. A lost answer costs a
resend, which the server answers "duplicate".

A server restored from a backup answers with a new instance epoch. It may have lost what
it acknowledged after the backup, and it hands out change-log sequences again, so the
kiosk sets every acknowledged item back to pending (the server answers "duplicate" for
what it still has), pushes them all again, and then pulls from the start.
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

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from kiosk.store.models import DeviceState, OutboxItem, OutboxStatus, SyncState
from kiosk.store.uow import Store, UnitOfWork
from sync.client import Refused, SyncClient, SyncError
from sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    MAX_SKEW_SECONDS,
    ItemResult,
    ItemStatus,
    PushItem,
    PushRequest,
)
from sync.pulled import apply_change

log = logging.getLogger(__name__)

# The encoded request without its items: {"protocol":1,"batch_id":"...","items":[]}.
_ENVELOPE_BYTES = len(PushRequest(batch_id=uuid.UUID(int=0), items=[]).model_dump_json().encode())


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


class ServerRestored(SyncError):
    """A pull met a new instance epoch: the outbox must go again before pulling.

    The cycle does that once; meeting it again (restored twice meanwhile) fails the cycle,
    and the next one starts over.
    """


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
            try:
                pushed = self._push_all()
                try:
                    pulled = self._pull_all()
                except ServerRestored:  # first heard of it on a pull: resend, then pull
                    pushed += self._push_all()
                    pulled = self._pull_all()
            except Exception as exc:
                self._record_failure(exc)
                raise
            self._record_success()
            status = self.status(pushed=pushed, pulled=pulled)
            if self.on_status:
                self.on_status(status)
            return status

    def _next_batch(self) -> list[PushItem]:
        """Pending items in sequence order, as many as fit both batch limits.

        Sized by each item's UTF-8 JSON, exactly as the request is sent: a Chinese character
        is three bytes but one ``len``. One item always fits on its own (``PushItem`` caps
        the payload at 256 Ki characters, at most 1.5 MiB even with every one escaped).
        """
        with self.store.read() as s:
            rows = s.execute(
                select(OutboxItem)
                .where(OutboxItem.status == OutboxStatus.PENDING)
                .order_by(OutboxItem.device_seq)
                .limit(self.batch_items)
            ).scalars()
            batch: list[PushItem] = []
            size = _ENVELOPE_BYTES
            for row in rows:
                item = _push_item(row)
                size += len(item.model_dump_json().encode()) + (1 if batch else 0)  # comma
                if batch and size > MAX_BATCH_BYTES:
                    break
                batch.append(item)
        return batch

    def _push_all(self) -> int:
        pushed = 0
        while batch := self._next_batch():
            seqs = [item.device_seq for item in batch]
            with self.store.write() as uow:  # attempted before sending: a crash leaves a trace
                uow.session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.device_seq.in_(seqs))
                    .values(attempts=OutboxItem.attempts + 1, last_attempt_at=uow.now)
                    .execution_options(synchronize_session=False)
                )
            response = self.client.push(PushRequest(batch_id=uuid.uuid4(), items=batch))
            self._note_clock(response.server_time)
            with self.store.write() as uow:
                _note_epoch(uow.session, response.instance_epoch)
                _acknowledge(uow, batch, response.results)
            pushed += len(batch)
            if not response.results:
                break
        return pushed

    def _pull_all(self) -> int:
        with self.store.read() as s:
            chain = s.get_one(DeviceState, 1).chain_id
        pulled = 0
        while True:
            with self.store.read() as s:
                cursor = _state(s).cursor
            try:
                page = self.client.pull(cursor, chain=chain)
            except Refused as exc:
                if exc.status != 410 or cursor == 0:  # 410 at 0 again: looping would not help
                    raise
                log.warning("server no longer has cursor %s; resyncing reference data", cursor)
                with self.store.write() as uow:
                    _state(uow.session).cursor = 0
                continue
            self._note_clock(page.server_time)
            with self.store.write() as uow:
                restored = _note_epoch(uow.session, page.instance_epoch)
                if not restored:  # the page's cursor belongs to the old instance's sequence
                    for change in page.changes:
                        apply_change(uow.session, change.entity, change.data)
                    _state(uow.session).cursor = page.next_cursor
            if restored:
                raise ServerRestored("the server was restored from a backup during this sync")
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
            if isinstance(exc, Refused) and exc.auth_refused:
                state.last_error = exc.staff_message
            else:
                state.last_error = f"{type(exc).__name__}: {exc}"[:300]
            state.last_error_at = uow.now
            state.failures += 1

    def status(self, *, pushed: int = 0, pulled: int = 0) -> SyncStatus:
        return read_status(self.store, pushed=pushed, pulled=pulled)


def _push_item(row: OutboxItem) -> PushItem:
    return PushItem(
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


def _acknowledge(uow: UnitOfWork, batch: list[PushItem], results: list[ItemResult]) -> None:
    """The server's answers, in one statement per outcome (an unanswered item stays pending).

    Refused items keep their own reason through a CASE on the sequence, so quarantining a
    whole batch is still one statement.
    """
    sent = {item.idempotency_key: item for item in batch}
    acked: list[int] = []
    refused: dict[int, str] = {}
    for result in results:
        item = sent.get(result.idempotency_key)
        if item is None:
            continue  # an answer for something this batch did not send
        if result.status in (ItemStatus.APPLIED, ItemStatus.DUPLICATE):
            acked.append(item.device_seq)
            continue
        refused[item.device_seq] = f"{result.status}: {result.reason}"[:300]
        log.warning(
            "outbox item %s (%s %s) quarantined: %s",
            item.device_seq,
            item.entity,
            item.op,
            result.reason,
        )
    if acked:
        uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.device_seq.in_(acked))
            .values(status=OutboxStatus.ACKED, acked_at=uow.now, last_error="")
            .execution_options(synchronize_session=False)
        )
    if refused:
        uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.device_seq.in_(refused))
            .values(
                status=OutboxStatus.QUARANTINED,
                last_error=case(refused, value=OutboxItem.device_seq),
            )
            .execution_options(synchronize_session=False)
        )


def _note_epoch(session: Session, epoch: str) -> bool:
    """Remember the server's instance epoch; True if it changed (restored from a backup).

    Then every acknowledged item goes back to pending and the cursor to 0, in the same
    transaction as the new epoch, so a crash cannot leave half of it done. Quarantined
    items stay for staff: the server refused them and never applied them.
    """
    state = _state(session)
    restored = state.instance_epoch not in ("", epoch)
    if restored:
        log.warning(
            "server instance changed (%s -> %s); resending acknowledged items, pulling anew",
            state.instance_epoch,
            epoch,
        )
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.status == OutboxStatus.ACKED)
            .values(status=OutboxStatus.PENDING, acked_at=None)
            .execution_options(synchronize_session=False)
        )
        state.cursor = 0
    state.instance_epoch = epoch
    return restored


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
