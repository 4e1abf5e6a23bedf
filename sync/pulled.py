"""Applying pulled changes to the kiosk's store.

Pulled rows are the server's truth, with two exceptions: a row that still has unpushed local
changes is left alone (its push will reconcile it), and ledger transactions are insert-only
(they never change once made). Nothing applied here writes an outbox row.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.clock import UTC
from kiosk.store.base import Base
from kiosk.store.decode import BadPayload, columns_from_payload
from kiosk.store.models import (
    RECORD_ENTITIES,
    REFERENCE_ENTITIES,
    Account,
    AccountKind,
    LedgerLine,
    LedgerTx,
    OutboxItem,
    OutboxStatus,
)

log = logging.getLogger(__name__)

MODELS: dict[str, type[Base]] = REFERENCE_ENTITIES | RECORD_ENTITIES


def has_pending(session: Session, entity_id: uuid.UUID) -> bool:
    return (
        session.execute(
            select(OutboxItem.device_seq)
            .where(OutboxItem.entity_id == entity_id, OutboxItem.status == OutboxStatus.PENDING)
            .limit(1)
        ).first()
        is not None
    )


def apply_change(session: Session, entity: str, data: dict[str, Any]) -> str:
    """Apply one pulled change, or skip it with a logged reason if it cannot be applied.

    One bad change must not stop a kiosk from ever syncing again, so a change that does
    not fit (unknown reference, malformed data) is rolled back alone and skipped.
    Returns what happened: "applied", "kept-local", "skipped" or "failed".
    """
    savepoint = session.begin_nested()
    try:
        outcome = _apply(session, entity, data)
    except (IntegrityError, BadPayload, KeyError, ValueError) as exc:
        savepoint.rollback()
        log.warning("pulled %s %s could not be applied: %s", entity, data.get("id"), exc)
        return "failed"
    savepoint.commit()
    return outcome


def _apply(session: Session, entity: str, data: dict[str, Any]) -> str:
    model = MODELS.get(entity)
    if model is None:
        return "skipped"
    record_id = uuid.UUID(str(data["id"]))
    if entity == "ledger_tx":
        return _ledger_tx(session, data)
    if has_pending(session, record_id):
        return "kept-local"
    values = columns_from_payload(model, data)
    existing = session.get(model, record_id)
    if entity == "account":
        values.pop("balance", None)
        if existing is None:
            session.add(Account(**values, balance=0))
        return "applied"
    if existing is None:
        session.add(model(**values))
    else:
        for key, value in values.items():
            setattr(existing, key, value)
    session.flush()
    return "applied"


def _system_account(session: Session, account_id: uuid.UUID) -> Account | None:
    for code, kind in (("mint", AccountKind.MINT), ("pool", AccountKind.POOL)):
        if account_id == uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:{code}"):
            acct = Account(
                id=account_id,
                kind=kind,
                code=code,
                balance=0,
                created_at=dt.datetime.now(UTC),
                device_id="server",
            )
            session.add(acct)
            return acct
    return None


def _ledger_tx(session: Session, data: dict[str, Any]) -> str:
    tx_id = uuid.UUID(str(data["id"]))
    if session.get(LedgerTx, tx_id) is not None:
        return "skipped"  # ours, or already pulled: transactions never change
    lines = [(uuid.UUID(str(a)), int(n)) for a, n in data.get("lines", [])]
    values = columns_from_payload(LedgerTx, data)
    accounts = []
    for account_id, _ in lines:
        acct = session.get(Account, account_id) or _system_account(session, account_id)
        if acct is None:
            raise BadPayload(f"ledger_tx {tx_id} references unknown account {account_id}")
        accounts.append(acct)
    session.add(LedgerTx(**values))
    for position, ((account_id, amount), acct) in enumerate(zip(lines, accounts, strict=True)):
        session.add(
            LedgerLine(tx_id=tx_id, position=position, account_id=account_id, amount=amount)
        )
        acct.balance += amount
    session.flush()
    return "applied"
