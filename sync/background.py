"""The kiosk's sync worker: when to run a sync cycle, and what to do when it fails.

A cycle runs shortly after local writes (debounced, so a burst of check-ins makes one
push), on a timer, and as soon as the server answers again after an outage. Failures back
off exponentially with jitter up to 15 minutes and are retried for ever; after
``alert_after`` without a success the status carries an alert for staff instead of giving
up. Status goes to a plain callback; the UI hops it to the GUI thread itself.

A server that refuses the device itself (revoked, unknown, wrong key: 401/403) is not an
outage: the status says so in words for staff (``auth_refused``), and the worker waits out
its backoff instead of retrying each time the server answers the unsigned health probe.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from sync.client import Refused, SyncClient, SyncError
from sync.engine import SyncBusy, SyncEngine, SyncStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    debounce_s: float = 5.0  # wait after a local write for more to come
    interval_s: float = 120.0  # run at least this often when all is well
    backoff_min_s: float = 30.0
    backoff_max_s: float = 15 * 60.0
    probe_s: float = 15.0  # while backing off, check this often whether the server is back
    alert_after: dt.timedelta = dt.timedelta(hours=24)


@dataclass(frozen=True)
class WorkerStatus:
    sync: SyncStatus
    failures: int
    next_run_in_s: float
    alert: bool  # no success for longer than ``alert_after``: staff should look
    auth_refused: bool = False  # the server refuses this device; only re-enrolment helps


def backoff_delay(failures: int, schedule: Schedule, rng: random.Random) -> float:
    """Full jitter (AWS style): uniform between the minimum and the capped exponential."""
    cap = min(schedule.backoff_max_s, schedule.backoff_min_s * 2 ** max(0, failures - 1))
    return rng.uniform(schedule.backoff_min_s, max(schedule.backoff_min_s, cap))


class SyncWorker:
    def __init__(
        self,
        engine: SyncEngine,
        probe: SyncClient | None = None,
        *,
        schedule: Schedule | None = None,
        on_status: Callable[[WorkerStatus], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.probe = probe
        self.schedule = schedule or Schedule()
        self.on_status = on_status
        self.rng = rng or random.Random()
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._dirty_at: float | None = None
        self._forced = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._first_failure: dt.datetime | None = None
        self._auth_refused = False

    # --- triggers (any thread) ------------------------------------------------------
    def notify_local_write(self) -> None:
        with self._lock:
            if self._dirty_at is None:
                self._dirty_at = time.monotonic()
        self._wake.set()

    def sync_now(self) -> None:
        """Staff pressed 立即同步: run a cycle at once, even while backing off."""
        with self._lock:
            self._dirty_at = time.monotonic() - self.schedule.debounce_s
            self._forced = True
        self._wake.set()

    # --- lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the loop -------------------------------------------------------------------
    def _run(self) -> None:
        next_due = time.monotonic()  # sync once at start
        while not self._stop.is_set():
            now = time.monotonic()
            with self._lock:
                dirty = self._dirty_at
                forced, self._forced = self._forced, False
            debounced = dirty is not None and now >= dirty + self.schedule.debounce_s
            if forced or (self.failures == 0 and debounced):
                next_due = now
            if now >= next_due:
                next_due = now + self._cycle()
                continue
            wait = next_due - now
            if self._probing:
                wait = min(wait, self.schedule.probe_s)
            elif dirty is not None and self.failures == 0:
                wait = min(wait, max(0.0, dirty + self.schedule.debounce_s - now))
            self._wake.wait(timeout=wait)
            self._wake.clear()
            if self._probing and not self._stop.is_set():
                if self._server_answers():
                    log.info("server reachable again; syncing now")
                    next_due = time.monotonic()

    @property
    def _probing(self) -> bool:
        """Backing off from an outage, so a health answer means the server is back.

        Not when the server refused this device: it answers health all along.
        """
        return self.failures > 0 and self.probe is not None and not self._auth_refused

    def _cycle(self) -> float:
        with self._lock:
            self._dirty_at = None
        try:
            status = self.engine.run_once()
        except SyncBusy:
            return self.schedule.debounce_s
        except (SyncError, OSError) as exc:
            self.failures += 1
            self._first_failure = self._first_failure or dt.datetime.now(dt.UTC)
            delay = backoff_delay(self.failures, self.schedule, self.rng)
            self._auth_refused = isinstance(exc, Refused) and exc.auth_refused
            if self._auth_refused:
                log.error("server refused this kiosk (%s); staff must re-enrol it", exc)
            else:
                log.warning("sync failed (%s); retrying in %.0f s", exc, delay)
            self._report(self.engine.status(), delay)
            return delay
        self.failures = 0
        self._first_failure = None
        self._auth_refused = False
        self._report(status, self.schedule.interval_s)
        return self.schedule.interval_s

    def _server_answers(self) -> bool:
        assert self.probe is not None
        try:
            self.probe.health()
        except SyncError:
            return False
        return True

    def _report(self, status: SyncStatus, next_in: float) -> None:
        if self.on_status is None:
            return
        alert = (
            self._first_failure is not None
            and dt.datetime.now(dt.UTC) - self._first_failure > self.schedule.alert_after
        )
        self.on_status(
            WorkerStatus(
                sync=replace(status, running=False),
                failures=self.failures,
                next_run_in_s=next_in,
                alert=alert,
                auth_refused=self._auth_refused,
            )
        )
