"""Time sources. Services take a clock so tests and the demo can fix the time."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

UTC = dt.UTC
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # China has no daylight saving time


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, **delta: float) -> dt.datetime:
        self._now += dt.timedelta(**delta)
        return self._now

    def set(self, when: dt.datetime) -> None:
        self._now = when.astimezone(UTC)


def local_day(when: dt.datetime) -> dt.date:
    """The calendar day in Guangzhou: daily caps and 'today' are local, storage is UTC."""
    return when.astimezone(CHINA).date()


def local_hhmm(when: dt.datetime) -> str:
    return when.astimezone(CHINA).strftime("%H:%M")
