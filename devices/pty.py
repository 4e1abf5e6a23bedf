"""Pseudo-terminal links for the device simulators.

A simulator holds the master side; the driver opens the slave by path (or by the symlink
given with ``--link``) exactly as it would open ``/dev/ttyUSB0``. The slave is put in raw
mode at once, because a fresh pty in cooked mode mangles NUL, CR and echoes bytes back.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


class PtyLink:
    """A pty pair whose slave is reachable at ``path`` (and at ``link`` if given)."""

    def __init__(self, link: Path | None = None) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self.link = link
        if link is not None:
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(self.path)

    @property
    def url(self) -> str:
        return str(self.link or self.path)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            sent = os.write(self.master, view)
            view = view[sent:]

    def read(self, size: int = 4096) -> bytes:
        return os.read(self.master, size)

    def close(self) -> None:
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()

    def __enter__(self) -> PtyLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
