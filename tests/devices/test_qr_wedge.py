"""Keyboard-wedge classifier on synthetic key timings (no clock, no Qt)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.qr.wedge import Burst, Typed, WedgeClassifier, WedgeEvent


def run(
    classifier: WedgeClassifier, keys: list[tuple[float, str]], *, end: float | None = None
) -> list[WedgeEvent]:
    out: list[WedgeEvent] = []
    for t, key in keys:
        out += classifier.feed(t, key)
    if end is not None:
        out += classifier.poll(end)
    return out


def burst(text: str, start: float = 0.0, step: float = 8.0) -> list[tuple[float, str]]:
    keys = [(start + i * step, ch) for i, ch in enumerate(text)]
    return [*keys, (start + len(text) * step, "\r")]


def typing(text: str, start: float = 0.0, step: float = 180.0) -> list[tuple[float, str]]:
    return [(start + i * step, ch) for i, ch in enumerate(text)]


def typed_text(events: list[WedgeEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, Typed))


def test_fast_burst_with_enter_is_a_scan() -> None:
    events = run(WedgeClassifier(), burst("TBA1:42xy", start=1000.0))
    assert events == [Burst("TBA1:42xy", 1000.0, 1072.0)]


def test_slow_human_typing_passes_through_in_order() -> None:
    c = WedgeClassifier()
    events = run(c, [*typing("123456789"), (9 * 180.0, "\r")], end=10_000.0)
    assert not any(isinstance(e, Burst) for e in events)
    assert typed_text(events) == "123456789\r"


def test_short_fast_burst_is_not_a_scan() -> None:
    events = run(WedgeClassifier(min_length=6), burst("12345"))
    assert events == [Typed("12345\r")]


def test_fast_keys_without_enter_are_released_as_typing() -> None:
    c = WedgeClassifier()
    events = run(c, [(0.0, "a"), (10.0, "b")])
    assert events == []
    assert c.holding == "ab"
    assert c.deadline() == pytest.approx(40.0)
    assert c.poll(39.0) == []
    assert c.poll(41.0) == [Typed("ab")]
    assert c.holding == ""
    assert c.deadline() is None


def test_enter_after_a_pause_does_not_complete_a_burst() -> None:
    keys = burst("ABCDEFGH")
    keys[-1] = (keys[-2][0] + 200.0, "\r")
    assert typed_text(run(WedgeClassifier(), keys)) == "ABCDEFGH\r"


def test_one_slow_gap_inside_splits_the_run() -> None:
    keys = [*typing("ABC", step=8.0), *burst("DEFGHIJ", start=500.0)]
    events = run(WedgeClassifier(), keys)
    assert events == [Typed("ABC"), Burst("DEFGHIJ", 500.0, 556.0)]


def test_mixed_typing_then_scan_then_typing() -> None:
    keys = [
        *typing("ab", start=0.0),
        *burst("TBN1:ticket", start=1000.0),
        *typing("cd", start=2000.0),
    ]
    events = run(WedgeClassifier(), keys, end=5000.0)
    assert [e for e in events if isinstance(e, Burst)] == [Burst("TBN1:ticket", 1000.0, 1088.0)]
    assert typed_text(events) == "abcd"
    # order is kept: "ab" before the scan, "cd" after
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("Burst") > 0 and kinds.index("Burst") < len(kinds) - 1


def test_threshold_and_terminator_are_configurable() -> None:
    slow_scanner = burst("ABCDEFG", step=45.0)
    assert typed_text(run(WedgeClassifier(), slow_scanner)) == "ABCDEFG\r"
    events = run(WedgeClassifier(max_gap_ms=50.0), slow_scanner)
    assert events == [Burst("ABCDEFG", 0.0, 315.0)]
    tab = [*typing("ABCDEFG", step=5.0), (35.0, "\t")]
    assert run(WedgeClassifier(terminators=("\t",)), tab) == [Burst("ABCDEFG", 0.0, 35.0)]


def test_time_going_backwards_never_makes_a_burst() -> None:
    keys = [(100.0, "A"), (90.0, "B"), (95.0, "C"), (96.0, "D"), (97.0, "E"), (98.0, "F")]
    events = run(WedgeClassifier(min_length=6), [*keys, (99.0, "\r")])
    assert not any(isinstance(e, Burst) for e in events)
    assert typed_text(events) == "ABCDEF\r"


def test_flush_releases_everything_now() -> None:
    c = WedgeClassifier()
    c.feed(0.0, "x")
    assert c.flush() == [Typed("x")]
    assert c.flush() == []


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        WedgeClassifier(max_gap_ms=0)
    with pytest.raises(ValueError):
        WedgeClassifier(terminators=())


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=300, allow_nan=False),
            st.sampled_from(["a", "b", "1", "\r"]),
        ),
        max_size=60,
    )
)
def test_fuzz_no_key_is_lost_or_duplicated(events: list[tuple[float, str]]) -> None:
    c = WedgeClassifier(min_length=3)
    t = 0.0
    out: list[WedgeEvent] = []
    for step, key in events:
        t += step
        out += c.feed(t, key)
    out += c.flush()
    rebuilt = "".join(e.text + "\r" if isinstance(e, Burst) else e.text for e in out)
    assert rebuilt == "".join(key for _, key in events)
