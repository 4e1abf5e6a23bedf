"""The serial driver against the simulator through a real pseudo-terminal.

Waits are bounded polls for a condition, never assertions about how long something took.
The driver polls every 50 ms here to keep the suite short; the product default is 300 ms.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import DeviceState, DeviceStatus
from devices.idcard import protocol as p
from devices.idcard.card import IdCard, load_card
from devices.idcard.errors import IdCardError, IdNumberError, ReadFailed, UnsupportedCard
from devices.idcard.reader import SerialIdCardReader
from devices.idcard.simulator import Faults, IdCardSimulator
from devices.pty import PtyLink

CARDS = Path(__file__).resolve().parents[2] / "devices" / "idcard" / "cards"
RESIDENT = load_card(CARDS / "resident_wang_yan.json")
PERMIT = load_card(CARDS / "hmt_permit_chen.json")
FOREIGN = load_card(CARDS / "foreign_2023_montgomery.json")
WAIT = 10.0


def wait_until(predicate: object, what: str, timeout: float = WAIT) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Rig:
    """A simulator on a pty at a fixed link path, and a driver reading that path."""

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "idcard"
        self.link: PtyLink | None = None
        self.sim: IdCardSimulator | None = None
        self.reader: SerialIdCardReader | None = None
        self.cards: list[IdCard] = []
        self.errors: list[IdCardError] = []
        self.states: list[DeviceState] = []
        self._lock = threading.Lock()

    def plug(self, card: IdCard | None = RESIDENT, **kw: object) -> IdCardSimulator:
        self.link = PtyLink(self.path)
        self.sim = IdCardSimulator(self.link, card, **kw)  # type: ignore[arg-type]
        self.sim.start()
        return self.sim

    def unplug(self) -> None:
        assert self.sim is not None and self.link is not None
        self.sim.stop()
        self.link.close()

    def start(self, **kw: object) -> SerialIdCardReader:
        options: dict[str, object] = {
            "poll_interval": 0.05,
            "reconnect_min": 0.05,
            "reconnect_max": 0.2,
        } | kw
        self.reader = SerialIdCardReader(
            str(self.path),
            on_card=self.cards.append,
            on_error=self.errors.append,
            **options,  # type: ignore[arg-type]
        )
        self.reader.add_status_listener(self._on_status)
        self.reader.start()
        return self.reader

    def _on_status(self, status: DeviceStatus) -> None:
        with self._lock:
            self.states.append(status.state)

    def finds_since(self, since_ns: int) -> int:
        assert self.sim is not None
        return sum(
            1 for ns, c, a in list(self.sim.commands) if ns > since_ns and (c, a) == p.FIND_CARD
        )

    def reads(self) -> int:
        assert self.sim is not None
        return sum(1 for _, c, a in list(self.sim.commands) if (c, a) == p.READ_BASE)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.stop()
        if self.sim is not None:
            self.sim.stop()
        if self.link is not None:
            self.link.close()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path)
    yield r
    r.close()


def test_card_left_on_the_reader_yields_one_event(rig: Rig) -> None:
    rig.plug(RESIDENT)
    rig.start()
    wait_until(lambda: rig.cards, "first card")
    after = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(after) >= 8, "eight more polls")
    assert rig.cards == [RESIDENT] and rig.errors == []
    assert rig.cards[0].name == "王䶮"


def test_remove_and_place_again_yields_a_second_event(rig: Rig) -> None:
    sim = rig.plug(RESIDENT)
    rig.start()
    wait_until(lambda: len(rig.cards) == 1, "first card")
    sim.remove()
    removed = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(removed) >= 4, "polls with the card lifted")
    sim.place(PERMIT)
    wait_until(lambda: len(rig.cards) == 2, "second card")
    assert rig.cards == [RESIDENT, PERMIT]


@pytest.mark.parametrize(
    "faults",
    [
        Faults(chunk_size=7, chunk_delay=0.002),
        Faults(chunk_size=64, chunk_delay=0.01),
        Faults(noise=12),
        Faults(empty_polls=3),
        Faults(bad_checksum=1),
        Faults(read_failure=2),
        Faults(noise=5, chunk_size=100, chunk_delay=0.002, bad_checksum=1, read_failure=1),
    ],
    ids=["chunk7", "chunk64-slow", "noise", "empty-polls", "bad-checksum", "read-failure", "all"],
)
def test_faults_are_absorbed_and_one_good_card_comes_through(rig: Rig, faults: Faults) -> None:
    rig.plug(FOREIGN, faults=faults)
    rig.start()
    wait_until(lambda: rig.cards, "card")
    assert rig.cards == [FOREIGN] and rig.errors == []
    retries = faults.bad_checksum + faults.read_failure
    assert rig.reads() == 1 + retries  # the garbled replies were read again, not surfaced


def test_read_failure_that_persists_is_reported_once(rig: Rig) -> None:
    rig.plug(RESIDENT, faults=Faults(read_failure=99))
    rig.start(max_attempts=3)
    wait_until(lambda: rig.errors, "error")
    after = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(after) >= 5, "more polls")
    assert rig.cards == [] and len(rig.errors) == 1
    assert isinstance(rig.errors[0], ReadFailed) and rig.errors[0].sw3 == 0x41
    assert rig.reads() == 3  # no retry storm while the card lies there


def test_inconsistent_card_is_a_clear_error_and_the_driver_carries_on(rig: Rig) -> None:
    import dataclasses

    forged = dataclasses.replace(RESIDENT, id_number="440115196804150038")
    sim = rig.plug(forged)
    reader = rig.start()
    wait_until(lambda: rig.errors, "error")
    assert isinstance(rig.errors[0], IdNumberError) and rig.errors[0].reason == "check_digit"
    sim.remove()
    removed = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(removed) >= 4, "polls with the card lifted")
    sim.place(RESIDENT)
    wait_until(lambda: rig.cards, "the genuine card")
    assert rig.cards == [RESIDENT] and reader.status().state is DeviceState.READY


def test_sam_fault_is_a_status_not_an_event(rig: Rig) -> None:
    rig.plug(RESIDENT, faults=Faults(sam_fault=True))
    reader = rig.start()
    wait_until(lambda: reader.status().state is DeviceState.FAULT, "FAULT")
    assert "60" in reader.status().detail and reader.status().message
    assert rig.cards == [] and rig.errors == []


def test_foreign_object_is_reported_once_and_the_reader_stays_ready(rig: Rig) -> None:
    rig.plug(RESIDENT, faults=Faults(foreign_object=True))
    reader = rig.start()
    wait_until(lambda: rig.errors, "error")
    after = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(after) >= 5, "more polls")
    assert len(rig.errors) == 1 and isinstance(rig.errors[0], UnsupportedCard)
    assert rig.cards == [] and reader.status().state is DeviceState.READY


def test_reader_unplugged_and_back_reconnects_and_reads_resume(rig: Rig) -> None:
    rig.plug(RESIDENT)
    reader = rig.start()
    wait_until(lambda: rig.cards, "first card")
    rig.unplug()  # the pty goes away and the link with it
    wait_until(lambda: reader.status().state is DeviceState.DISCONNECTED, "DISCONNECTED")
    assert not rig.path.exists()
    rig.plug(PERMIT)  # a new pty behind the same path
    wait_until(lambda: len(rig.cards) == 2, "card after reconnect")
    assert rig.cards == [RESIDENT, PERMIT]
    assert reader.status().state is DeviceState.READY
    states = rig.states
    gone = states.index(DeviceState.DISCONNECTED)
    assert DeviceState.READY in states[:gone] and DeviceState.READY in states[gone:]


def test_reader_starts_before_the_port_exists(rig: Rig) -> None:
    reader = rig.start()
    wait_until(lambda: reader.status().state is DeviceState.DISCONNECTED, "DISCONNECTED")
    rig.plug(RESIDENT)
    wait_until(lambda: rig.cards, "card")
    assert reader.status().state is DeviceState.READY


def test_silent_port_is_a_fault(rig: Rig) -> None:
    rig.link = PtyLink(rig.path)  # a pty nobody answers on
    reader = rig.start(command_timeout=0.1)
    wait_until(lambda: reader.status().state is DeviceState.FAULT, "FAULT")
    assert "no reply" in reader.status().detail


def test_empty_polls_are_at_least_300_ms_apart_by_default(rig: Rig) -> None:
    rig.plug(None)
    rig.start(poll_interval=0.3)
    start = time.perf_counter_ns()
    wait_until(lambda: rig.finds_since(start) >= 4, "four polls")
    assert rig.sim is not None
    stamps = [ns for ns, c, a in list(rig.sim.commands) if (c, a) == p.FIND_CARD]
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 290_000_000  # a lower bound only: slowness cannot break it


def test_stop_is_prompt_and_idempotent(rig: Rig) -> None:
    rig.plug(RESIDENT)
    reader = rig.start()
    wait_until(lambda: rig.cards, "card")
    reader.stop()
    reader.stop()
    assert reader.status().state is DeviceState.STOPPED
