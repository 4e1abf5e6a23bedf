"""Alembic wired to the package's migrations, driven programmatically at start-up."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from kiosk.clock import UTC
from kiosk.store.base import UTCDateTime
from kiosk.store.engine import backup_file

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """UTCDateTime is stored as a plain DateTime; migrations need not import our code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, db_path: Path, *, backup_dir: Path) -> Path | None:
    """Bring the schema to head; returns the backup taken first, if any migration was due."""
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return None
    backup = None
    if current is not None:  # a brand-new file has nothing to lose
        stamp = dt.datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = backup_file(db_path, backup_dir / f"kiosk-{current}-{stamp}.db")
        log.info("backed up local store to %s before migrating %s -> %s", backup, current, head)
    command.upgrade(alembic_config(engine), "head")
    return backup
