"""Integrity checks for ``timebank db check`` and ``timebank ledger verify``.

Each check returns human-readable faults (English, for operators and logs); an empty list
means sound. The ledger check walks every hash chain, so an edited, deleted or reordered
transaction is found even if the balances were "fixed" to match.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kiosk.services.ledger import tx_digest
from kiosk.store.models import Account, AccountKind, DeviceState, LedgerLine, LedgerTx
from kiosk.store.uow import GENESIS, Store


def verify_ledger(session: Session) -> list[str]:
    faults: list[str] = []
    lines_by_tx: dict[uuid.UUID, list[tuple[int, uuid.UUID, int]]] = defaultdict(list)
    for tx_id, pos, account_id, amount in session.execute(
        select(LedgerLine.tx_id, LedgerLine.position, LedgerLine.account_id, LedgerLine.amount)
    ):
        lines_by_tx[tx_id].append((pos, account_id, amount))

    chains: dict[uuid.UUID, list[LedgerTx]] = defaultdict(list)
    for tx in session.execute(select(LedgerTx).execution_options(populate_existing=True)).scalars():
        chains[tx.chain_id].append(tx)

    for chain_id, txs in chains.items():
        txs.sort(key=lambda t: t.chain_seq)
        prev = GENESIS
        for expected_seq, tx in enumerate(txs, start=1):
            where = f"chain {chain_id} seq {tx.chain_seq} (tx {tx.id})"
            if tx.chain_seq != expected_seq:
                faults.append(f"{where}: expected seq {expected_seq}; a transaction is missing")
            if tx.prev_hash != prev:
                faults.append(f"{where}: prev_hash does not link to the previous transaction")
            lines = sorted(lines_by_tx.pop(tx.id, []))
            if tx_digest(tx, [(a, n) for _, a, n in lines]) != tx.hash:
                faults.append(f"{where}: hash mismatch; the transaction or its lines were edited")
            if len(lines) < 2 or sum(n for _, _, n in lines) != 0:
                faults.append(f"{where}: lines do not balance to zero")
            prev = tx.hash

    for tx_id in lines_by_tx:
        faults.append(f"ledger lines reference missing transaction {tx_id}")

    state = session.get(DeviceState, 1)
    if state is not None:
        own = chains.get(state.chain_id, [])
        head = max(own, key=lambda t: t.chain_seq).hash if own else GENESIS
        if len(own) != state.chain_len or head != state.chain_head:
            faults.append(
                f"own chain has {len(own)} transactions ending {head[:12]}, device state "
                f"expects {state.chain_len} ending {state.chain_head[:12]}; the tail was cut"
            )

    sums: dict[uuid.UUID, int] = {
        account_id: int(total or 0)
        for account_id, total in session.execute(
            select(LedgerLine.account_id, func.sum(LedgerLine.amount)).group_by(
                LedgerLine.account_id
            )
        )
    }
    for acct in session.execute(select(Account)).scalars():
        total = sums.get(acct.id, 0)
        if total != acct.balance:
            faults.append(f"account {acct.id}: balance {acct.balance} but lines sum to {total}")
        if acct.kind != AccountKind.MINT and total < 0:
            faults.append(f"account {acct.id} ({acct.kind}) is negative: {total}")
    return faults


def check_database(store: Store) -> list[str]:
    """integrity_check, foreign keys, then the ledger."""
    faults: list[str] = []
    with store.read() as session:
        rows = [str(r[0]) for r in session.execute(text("PRAGMA integrity_check"))]
        if rows != ["ok"]:
            faults.extend(f"integrity_check: {r}" for r in rows[:20])
        for row in session.execute(text("PRAGMA foreign_key_check")).all()[:20]:
            faults.append(f"foreign key broken: table {row[0]} rowid {row[1]} -> {row[2]}")
        faults.extend(verify_ledger(session))
    return faults
