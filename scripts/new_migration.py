"""Autogenerate a migration: ``python scripts/new_migration.py [--server] ID MSG``.

Without ``--server`` it is for the kiosk store, with it for the central server's schema.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from kiosk.store.engine import make_engine


def main() -> None:
    args = sys.argv[1:]
    server = args[:1] == ["--server"]
    if server:
        args = args[1:]
        from server.schema import alembic_config
    else:
        from kiosk.store.migrate import alembic_config
    rev_id, message = args[0], " ".join(args[1:])
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "scratch.db")
        cfg = alembic_config(engine)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()
