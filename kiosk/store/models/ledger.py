"""The time-coin ledger: accounts, transactions and their lines (double entry).

Amounts are integer minutes (1 coin = 60). Lines are insert-only; a correction is a new
transaction with ``reverses_id``. Each transaction is chained by hash to the previous one
made in the same database (``chain_id``), so an edited, deleted or reordered row shows.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.store.base import Base, RecordMixin


class AccountKind(StrEnum):
    PERSON = "person"
    ORG = "org"
    MINT = "mint"  # issues coins for service; the only account that may go negative
    POOL = "pool"  # 公益池: donations in, staff grants out


class TxKind(StrEnum):
    EARN = "earn"
    SPEND = "spend"
    TRANSFER = "transfer"
    DONATE = "donate"
    GRANT = "grant"
    REVERSAL = "reversal"


class Account(RecordMixin, Base):
    __tablename__ = "account"
    kind: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"), unique=True)
    org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), unique=True)
    code: Mapped[str | None] = mapped_column(String(8), unique=True)  # "mint" / "pool"
    balance: Mapped[int] = mapped_column(default=0)  # cache of SUM(lines); verified by db check


class LedgerTx(RecordMixin, Base):
    __tablename__ = "ledger_tx"
    __table_args__ = (UniqueConstraint("chain_id", "chain_seq"),)
    kind: Mapped[str] = mapped_column(String(10))
    memo: Mapped[str] = mapped_column(String(200), default="")
    operator_id: Mapped[uuid.UUID | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_tx.id"), unique=True)
    ref_entity: Mapped[str] = mapped_column(String(30), default="")
    ref_id: Mapped[uuid.UUID | None]
    chain_id: Mapped[uuid.UUID]
    chain_seq: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    lines: Mapped[list[LedgerLine]] = relationship(
        back_populates="tx", order_by="LedgerLine.position", lazy="selectin"
    )


class LedgerLine(Base):
    __tablename__ = "ledger_line"
    __table_args__ = (CheckConstraint("amount != 0", name="nonzero"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tx_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_tx.id"), index=True)
    position: Mapped[int]
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    amount: Mapped[int]
    tx: Mapped[LedgerTx] = relationship(back_populates="lines")


class PriceItem(RecordMixin, Base):
    """A service residents may buy with coins (whole coins only, 整数兑换)."""

    __tablename__ = "price_item"
    name: Mapped[str] = mapped_column(String(40), unique=True)
    price_minutes: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
