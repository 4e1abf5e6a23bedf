"""The Nansha demo reference data on the server, identical to a kiosk's ``seed-demo``.

The kiosk's demo generator makes places, organisations and the price list with ids drawn
from the seed; running its reference phase into a scratch store and copying those rows
gives the server the very same ids, so enrolled demo kiosks and the server agree.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from devices.qr.tokens import private_key_from_text, sign_member_token
from kiosk.clock import UTC, FixedClock
from kiosk.demo import seed_reference
from kiosk.services import Services
from kiosk.store.base import Base
from kiosk.store.decode import columns_from_payload
from kiosk.store.models import Community, Organisation, PriceItem, Station, Town
from kiosk.store.opening import open_store
from kiosk.store.payload import record_dict
from server.models import ServerMeta
from server.setup import publish_reference

REFERENCE: tuple[type[Base], ...] = (Town, Community, Station, Organisation, PriceItem)
ENTITY_OF = {model.__tablename__: model.__tablename__ for model in REFERENCE}


def load_demo_reference(session: Session, *, seed: int = 1, members: int = 200) -> int:
    """Add the demo reference rows (if absent); returns how many were added."""
    if session.execute(select(Town.id).limit(1)).first() is not None:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp), clock=FixedClock(dt.datetime(2026, 1, 5, tzinfo=UTC)))
        try:
            seed_reference(Services(store), members=members, seed=seed)
            with store.read() as s:
                rows = [
                    model(**columns_from_payload(model, record_dict(row)))
                    for model in REFERENCE
                    for row in s.execute(select(model)).scalars()
                ]
        finally:
            store.close()
    publish_reference(session, rows, ENTITY_OF)
    return len(rows)


def demo_member_token(session: Session, member_id: uuid.UUID, expires_at: dt.datetime) -> str:
    """A member QR text signed with this deployment's key: what the member app would show.

    In the field the member's phone gets it from the server; the demo has no phones, so
    the kiosk demo asks the embedded server for one.
    """
    meta = session.execute(select(ServerMeta)).scalar_one()
    return sign_member_token(
        private_key_from_text(meta.qr_private_key), meta.qr_key_id, member_id, expires_at
    )
