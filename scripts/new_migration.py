"""Autogenerate a kiosk-store Alembic revision: ``python scripts/new_migration.py ID MSG``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from kiosk.store.engine import make_engine
from kiosk.store.migrate import alembic_config


def main() -> None:
    rev_id, message = sys.argv[1], " ".join(sys.argv[2:])
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "scratch.db")
        cfg = alembic_config(engine)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()
