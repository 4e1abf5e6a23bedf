"""Tell a keyboard-wedge scanner's bursts from a person typing, by inter-key timing.

A scanner in USB HID keyboard mode "types" its data far faster than a hand can (7-16 ms per
key measured, against 100 ms or more for people) and ends with Enter. The UI's key event
filter feeds every text key here and acts on what comes back: a ``Burst`` is a scan to route,
``Typed`` keys are replayed to the focused widget. Keys are held back while they could still
be the start of a burst, so a person's keys reach the widget up to ``max_gap_ms`` late; the
filter calls ``poll`` from a timer at ``deadline()`` so a lone key is not held until the next.

The class is pure (timestamps in, events out) so it is tested with synthetic timings and the
Qt side stays a thin adapter. Reading the scanner's own evdev node with a grab is the better
option on Linux kiosks when it is available; this classifier is the fallback that needs no
device access. Non-ASCII text cannot be typed by a wedge scanner reliably, so member codes
are plain ASCII on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_GAP_MS = 30.0
DEFAULT_MIN_LENGTH = 6
DEFAULT_TERMINATORS = ("\r", "\n")  # what the UI passes for Key_Return / Key_Enter
MAX_BURST = 4096


@dataclass(frozen=True)
class Burst:
    """A scan: the characters before the terminator, which is consumed."""

    text: str
    started_ms: float
    ended_ms: float


@dataclass(frozen=True)
class Typed:
    """Keys a person typed (terminator included, if any), to be delivered in order."""

    text: str


WedgeEvent = Burst | Typed


class WedgeClassifier:
    """Classify key events; a burst is at least ``min_length`` keys, each within
    ``max_gap_ms`` of the previous one, followed (also within the gap) by a terminator.

    Not thread-safe: it lives on the GUI thread with the event filter that feeds it.
    """

    def __init__(
        self,
        *,
        max_gap_ms: float = DEFAULT_MAX_GAP_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        terminators: tuple[str, ...] = DEFAULT_TERMINATORS,
        max_length: int = MAX_BURST,
    ) -> None:
        if max_gap_ms <= 0 or min_length < 1 or not terminators:
            raise ValueError("max_gap_ms > 0, min_length >= 1 and a terminator are required")
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.terminators = terminators
        self.max_length = max_length
        self._pending: list[str] = []
        self._started = 0.0
        self._last = 0.0

    @property
    def holding(self) -> str:
        """Keys held back while it is not yet known whether they are a scan."""
        return "".join(self._pending)

    def deadline(self) -> float | None:
        """The time (ms) at which ``poll`` releases the held keys as typing, if any are held."""
        return self._last + self.max_gap_ms if self._pending else None

    def poll(self, now_ms: float) -> list[WedgeEvent]:
        """Release held keys once the gap since the last one shows a person typed them."""
        if self._pending and now_ms - self._last > self.max_gap_ms:
            return self.flush()
        return []

    def flush(self) -> list[WedgeEvent]:
        """Release held keys now, e.g. before a non-text key so the order is kept."""
        if not self._pending:
            return []
        text = "".join(self._pending)
        self._pending.clear()
        return [Typed(text)]

    def feed(self, t_ms: float, key: str) -> list[WedgeEvent]:
        """One key press: a single character, or one of ``terminators``.

        Timestamps must not go backwards; a backwards step (clock change, replayed events)
        is treated as a long gap so it can never turn typing into a burst.
        """
        out = self.poll(t_ms)
        if self._pending and t_ms < self._last:
            out.extend(self.flush())
        if key in self.terminators:
            if len(self._pending) >= self.min_length:
                out.append(Burst("".join(self._pending), self._started, t_ms))
                self._pending.clear()
            else:
                out.append(Typed("".join(self._pending) + key))
                self._pending.clear()
            return out
        if not self._pending:
            self._started = t_ms
        self._pending.append(key)
        self._last = t_ms
        if len(self._pending) > self.max_length:
            out.extend(self.flush())  # a stuck key or a paste, not a scan
        return out
