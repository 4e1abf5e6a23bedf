from __future__ import annotations

from typing import Any


def register(device: Any, sim: Any) -> None:
    """Filled in by the qr family."""
