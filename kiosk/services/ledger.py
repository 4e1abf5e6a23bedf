"""Time-coin postings: double entry, limits, the welfare pool and the hash chain.

All postings go through ``Ledger.post`` inside the caller's unit of work, so a check-out or
a need confirmation and the coins it mints commit together. The public operations
(``LedgerService``) each run in their own transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.config import COIN
from kiosk.errors import InsufficientBalance, NotFound, RuleViolation, ValidationError
from kiosk.identity import mask_name
from kiosk.store.direct import run_query
from kiosk.store.models import (
    Account,
    AccountKind,
    LedgerLine,
    LedgerTx,
    Organisation,
    Person,
    PriceItem,
    TxKind,
)
from kiosk.store.payload import canonical, plain
from kiosk.store.repositories import AccountRepo, LedgerRepo
from kiosk.store.uow import Store, UnitOfWork, table_of

MINT = "mint"
POOL = "pool"

_account = table_of(Account)
_INSERT_LINES = insert(table_of(LedgerLine))
_LINE_KEYS = ("tx_id", "position", "account_id", "amount")
_ACCOUNT_COLUMNS = select(
    _account.c.id,
    _account.c.kind,
    _account.c.balance,
    _account.c.code,
    _account.c.person_id,
    _account.c.org_id,
)
# Built once each: a statement memoises its cache key (see ``kiosk.store.uow``).
_BY_ID = _ACCOUNT_COLUMNS.where(_account.c.id == bindparam("id"))
_BY_CODE = _ACCOUNT_COLUMNS.where(_account.c.code == bindparam("code"))
_BY_PERSON = _ACCOUNT_COLUMNS.where(_account.c.person_id == bindparam("pid"))
_BY_ORG = _ACCOUNT_COLUMNS.where(_account.c.org_id == bindparam("org"))
_BY_CODE_OR_PERSON = _ACCOUNT_COLUMNS.where(
    or_(_account.c.code == bindparam("code"), _account.c.person_id == bindparam("pid"))
)
_SET_BALANCE = (
    update(_account)
    .where(_account.c.id == bindparam("account_id"))
    .values(balance=bindparam("new_balance"))
)


def tx_digest(tx: LedgerTx, lines: Sequence[tuple[uuid.UUID, int]]) -> str:
    """The chain hash: covers every field that gives a transaction its meaning."""
    body = canonical(
        {
            "id": tx.id,
            "kind": tx.kind,
            "chain_id": tx.chain_id,
            "chain_seq": tx.chain_seq,
            "created_at": tx.created_at,
            "device_id": tx.device_id,
            "memo": tx.memo,
            "reason": tx.reason,
            "operator_id": tx.operator_id,
            "reverses_id": tx.reverses_id,
            "ref_entity": tx.ref_entity,
            "ref_id": tx.ref_id,
            "lines": [[str(a), n] for a, n in lines],
        }
    )
    return hashlib.sha256((tx.prev_hash + body).encode()).hexdigest()


def award_minutes(service_minutes: int, coin_rate: int, step: int) -> int:
    """Coins earned for service, rounded down to the award step (half a coin by default)."""
    raw = service_minutes * coin_rate // COIN
    return raw - raw % step if step > 0 else raw


@dataclass
class AccountState:
    """An account as this transaction sees it: its stored row plus the postings made so far.

    Plain values read with one Core query rather than mapped objects: only the ledger
    writes accounts, and loading, identity-mapping and flushing ``Account`` objects cost
    more than the statements themselves in every check-out. One ``AccountState`` per
    account per unit of work (``Ledger`` shares them through ``uow.memo``), so two
    postings to one account in a transaction see each other.
    """

    id: uuid.UUID
    kind: str
    balance: int
    code: str | None = None
    person_id: uuid.UUID | None = None
    org_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Posting:
    account: AccountState
    amount: int


class Ledger:
    """Postings inside one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.session = uow.session
        self._accounts: dict[uuid.UUID, AccountState] = uow.memo.setdefault("accounts", {})

    # --- accounts -------------------------------------------------------------------
    # New accounts are written at once, so a lookup later in the same transaction finds
    # them in the database; either way it is answered with this transaction's state.
    def _find(self, query: Select[Any], params: dict[str, Any]) -> list[AccountState]:
        found = []
        for row in run_query(self.uow.connection, query, params):
            acct = self._accounts.get(row.id)
            if acct is None:
                acct = self._accounts[row.id] = AccountState(*row)
            found.append(acct)
        return found

    def account(self, account_id: uuid.UUID) -> AccountState:
        acct = self._accounts.get(account_id)
        if acct is not None:
            return acct
        found = self._find(_BY_ID, {"id": account_id})
        if not found:
            raise NotFound("没有找到这个账户。", detail=f"account {account_id} unknown")
        return found[0]

    def system(self, code: str) -> AccountState:
        found = self._find(_BY_CODE, {"code": code})
        return found[0] if found else self._new_system(code)

    def _new(self, acct: AccountState) -> AccountState:
        row = self.uow.append(
            Account,
            {
                "id": acct.id,
                "kind": acct.kind,
                "balance": acct.balance,
                "code": acct.code,
                "person_id": acct.person_id,
                "org_id": acct.org_id,
            },
        )
        self.uow.emit_row("account", "create", row)
        self._accounts[acct.id] = acct
        return acct

    def _new_system(self, code: str) -> AccountState:
        kind = AccountKind.MINT if code == MINT else AccountKind.POOL
        # Shared system accounts get the same id on every kiosk and on the server.
        code_id = uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:{code}")
        return self._new(AccountState(code_id, kind, 0, code=code))

    def for_person(self, person_id: uuid.UUID) -> AccountState:
        found = self._find(_BY_PERSON, {"pid": person_id})
        return found[0] if found else self._new_person(person_id)

    def _new_person(self, person_id: uuid.UUID) -> AccountState:
        acct_id = uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:person:{person_id}")
        # The person's foreign key is the existence check (callers such as a check-out
        # have just read the person; a second query would only repeat it). ``append``
        # flushes the session first, so a person registered earlier in this transaction
        # is stored, and the key is the only constraint this row can break.
        try:
            return self._new(AccountState(acct_id, AccountKind.PERSON, 0, person_id=person_id))
        except IntegrityError as exc:
            raise NotFound(
                "没有找到这个人的登记信息。", detail=f"person {person_id} unknown"
            ) from exc

    def _system_and_person(
        self, code: str, person_id: uuid.UUID
    ) -> tuple[AccountState, AccountState]:
        """``system(code)`` and ``for_person(person_id)``, stored ones read in one query."""
        system = person = None
        for acct in self._find(_BY_CODE_OR_PERSON, {"code": code, "pid": person_id}):
            if acct.code == code:
                system = acct
            elif acct.person_id == person_id:
                person = acct
        return system or self._new_system(code), person or self._new_person(person_id)

    def for_org(self, org_id: uuid.UUID) -> AccountState:
        found = self._find(_BY_ORG, {"org": org_id})
        if found:
            return found[0]
        if self.session.get(Organisation, org_id) is None:
            raise NotFound("没有找到这个党组织。", detail=f"organisation {org_id} unknown")
        org_acct = uuid.uuid5(uuid.NAMESPACE_URL, f"timebank:account:org:{org_id}")
        return self._new(AccountState(org_acct, AccountKind.ORG, 0, org_id=org_id))

    # --- posting --------------------------------------------------------------------
    def post(
        self,
        kind: TxKind,
        postings: Sequence[Posting],
        *,
        memo: str = "",
        operator_id: uuid.UUID | None = None,
        reason: str = "",
        ref_entity: str = "",
        ref_id: uuid.UUID | None = None,
        reverses_id: uuid.UUID | None = None,
    ) -> LedgerTx:
        postings = [p for p in postings if p.amount != 0]
        if len(postings) < 2:
            raise ValidationError("金额不正确。", detail="a transaction needs two non-zero lines")
        if sum(p.amount for p in postings) != 0:
            raise ValidationError("金额不正确。", detail="transaction lines do not sum to zero")
        for p in postings:
            after = p.account.balance + p.amount
            if p.account.kind != AccountKind.MINT and after < 0:
                raise InsufficientBalance(
                    f"时间币余额不足（现有 {format_coins(p.account.balance)} 枚）。",
                    detail=f"account {p.account.id} would go to {after}",
                )
        chain = self.uow.chain
        tx = LedgerTx(
            kind=kind,
            memo=memo,
            operator_id=operator_id,
            reason=reason,
            ref_entity=ref_entity,
            ref_id=ref_id,
            reverses_id=reverses_id,
            chain_id=chain.chain_id,
            chain_seq=chain.chain_len + 1,
            prev_hash=chain.chain_head,
            hash="",
        )
        self.uow.stamp(tx)  # the id and time are part of the hash
        lines = [(p.account.id, p.amount) for p in postings]
        tx.hash = tx_digest(tx, lines)
        chain.chain_len = tx.chain_seq
        chain.chain_head = tx.hash
        # Written once each: the transaction (so callers can point foreign keys at it), its
        # lines in one executemany, then the balances.
        # Written once, and not kept in the session: nothing in this transaction changes it.
        row = self.uow.insert(tx, keep=False)
        conn = self.uow.connection
        store = self.uow.store
        store.direct(_INSERT_LINES, _LINE_KEYS).executemany(
            conn,
            [
                {"tx_id": tx.id, "position": pos, "account_id": acct, "amount": amount}
                for pos, (acct, amount) in enumerate(lines)
            ],
        )
        balances = []
        for p in postings:
            p.account.balance += p.amount
            balances.append({"account_id": p.account.id, "new_balance": p.account.balance})
        store.direct(_SET_BALANCE).executemany(conn, balances)
        self.uow.emit_row("ledger_tx", "create", row, lines=[[str(a), n] for a, n in lines])
        return tx

    def earn(
        self,
        *,
        minutes: int,
        person_id: uuid.UUID | None = None,
        org_id: uuid.UUID | None = None,
        memo: str,
        ref_entity: str,
        ref_id: uuid.UUID,
        operator_id: uuid.UUID | None = None,
    ) -> LedgerTx | None:
        """Mint coins for service. A person's balance above the storage cap goes to the pool."""
        if minutes <= 0:
            return None
        if person_id is not None:
            mint, target = self._system_and_person(MINT, person_id)
            room = max(0, self.uow.store.rules.storage_cap_minutes - target.balance)
            kept = min(minutes, room)
            postings = [Posting(mint, -minutes), Posting(target, kept)]
            if minutes > kept:
                postings.append(Posting(self.system(POOL), minutes - kept))
        elif org_id is not None:
            mint = self.system(MINT)
            postings = [Posting(mint, -minutes), Posting(self.for_org(org_id), minutes)]
        else:
            raise ValidationError("没有指定获得时间币的人。", detail="earn without a target")
        return self.post(
            TxKind.EARN,
            postings,
            memo=memo,
            ref_entity=ref_entity,
            ref_id=ref_id,
            operator_id=operator_id,
        )


def format_coins(minutes: int) -> str:
    """Coins for display: ``12``, ``12.5``, ``0.25``."""
    whole, rest = divmod(abs(minutes), COIN)
    sign = "-" if minutes < 0 else ""
    if rest == 0:
        return f"{sign}{whole}"
    text = f"{abs(minutes) / COIN:.2f}".rstrip("0").rstrip(".")
    return sign + text


@dataclass(frozen=True)
class HistoryLine:
    tx_id: uuid.UUID
    at: str
    kind: str
    memo: str
    amount: int


class LedgerService:
    """Coin operations a person or staff member asks for, one transaction each."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def balance(self, person_id: uuid.UUID) -> int:
        with self.store.read() as s:
            acct = AccountRepo(s).by_person(person_id)
            return acct.balance if acct else 0

    def org_balance(self, org_id: uuid.UUID) -> int:
        with self.store.read() as s:
            acct = AccountRepo(s).by_org(org_id)
            return acct.balance if acct else 0

    def pool_balance(self) -> int:
        with self.store.read() as s:
            acct = AccountRepo(s).by_code(POOL)
            return acct.balance if acct else 0

    def history(self, person_id: uuid.UUID, limit: int = 20) -> list[HistoryLine]:
        with self.store.read() as s:
            rows = LedgerRepo(s).history(person_id, limit)
            return [HistoryLine(r[0], plain(r[1]), r[2], r[3], r[4]) for r in rows]

    def spend(
        self,
        *,
        person_id: uuid.UUID,
        price_item_id: uuid.UUID,
        operator_id: uuid.UUID | None = None,
    ) -> LedgerTx:
        """Pay for a service from the price list; the coins return to the mint (redeemed)."""
        with self.store.write() as uow:
            item = uow.session.get(PriceItem, price_item_id)
            if item is None or not item.active:
                raise NotFound("这项服务现在不能兑换。", detail=f"price item {price_item_id}")
            _person(uow, person_id)
            led = Ledger(uow)
            return led.post(
                TxKind.SPEND,
                [
                    Posting(led.for_person(person_id), -item.price_minutes),
                    Posting(led.system(MINT), item.price_minutes),
                ],
                memo=f"兑换：{item.name}",
                operator_id=operator_id,
                ref_entity="price_item",
                ref_id=item.id,
            )

    def transfer(
        self, *, from_person: uuid.UUID, to_person: uuid.UUID, minutes: int, memo: str = ""
    ) -> LedgerTx:
        """Give coins to a relative or friend (Shanghai/Hangzhou practice); whole coins only."""
        _check_amount(minutes, whole=True)
        if from_person == to_person:
            raise ValidationError("不能转给自己。", detail="transfer to self")
        with self.store.write() as uow:
            _person(uow, from_person)
            target = _person(uow, to_person)
            led = Ledger(uow)
            return led.post(
                TxKind.TRANSFER,
                [
                    Posting(led.for_person(from_person), -minutes),
                    Posting(led.for_person(to_person), minutes),
                ],
                memo=memo or f"转赠给 {_masked(target)}",
                ref_entity="person",
                ref_id=to_person,
            )

    def donate(
        self,
        *,
        minutes: int,
        from_person: uuid.UUID | None = None,
        from_org: uuid.UUID | None = None,
        to_resident: uuid.UUID | None = None,
    ) -> LedgerTx:
        """Donate to the welfare pool, or to a named resident in hardship (二次公益)."""
        _check_amount(minutes, whole=False)
        if (from_person is None) == (from_org is None):
            raise ValidationError("请选择捐赠人。", detail="donate needs exactly one source")
        with self.store.write() as uow:
            led = Ledger(uow)
            source = led.for_person(from_person) if from_person else led.for_org(from_org)  # type: ignore[arg-type]
            if to_resident is not None:
                target_person = _person(uow, to_resident)
                if not target_person.hardship:
                    raise RuleViolation(
                        "只能捐赠给登记为困难群众的居民。",
                        detail="donation target is not marked as in hardship",
                    )
                if to_resident == from_person:
                    raise ValidationError("不能捐给自己。", detail="donation to self")
                target = led.for_person(to_resident)
                memo = f"爱心捐赠给 {_masked(target_person)}"
            else:
                target = led.system(POOL)
                memo = "捐赠到公益池"
            return led.post(
                TxKind.DONATE,
                [Posting(source, -minutes), Posting(target, minutes)],
                memo=memo,
                ref_entity="person" if to_resident else "pool",
                ref_id=to_resident,
            )

    def grant(
        self, *, staff_id: uuid.UUID, to_person: uuid.UUID, minutes: int, reason: str
    ) -> LedgerTx:
        """Staff give coins from the welfare pool to a resident who cannot earn them."""
        _check_amount(minutes, whole=False)
        if not reason.strip():
            raise ValidationError("请填写发放原因。", detail="grant without reason")
        with self.store.write() as uow:
            person = _person(uow, to_person)
            led = Ledger(uow)
            tx = led.post(
                TxKind.GRANT,
                [Posting(led.system(POOL), -minutes), Posting(led.for_person(to_person), minutes)],
                memo=f"公益池发放给 {_masked(person)}",
                operator_id=staff_id,
                reason=reason.strip(),
                ref_entity="person",
                ref_id=to_person,
            )
            uow.audit(
                staff_id, "ledger.grant", "ledger_tx", tx.id, f"{minutes} min: {reason.strip()}"
            )
            return tx

    def reverse(self, *, tx_id: uuid.UUID, staff_id: uuid.UUID, reason: str) -> LedgerTx:
        """Correct a transaction by posting its mirror image; the original is never touched."""
        if not reason.strip():
            raise ValidationError("请填写冲正原因。", detail="reversal without reason")
        with self.store.write() as uow:
            original = uow.session.get(LedgerTx, tx_id)
            if original is None:
                raise NotFound("没有找到这笔记录。", detail=f"tx {tx_id}")
            if original.kind == TxKind.REVERSAL:
                raise RuleViolation("冲正记录不能再冲正。", detail="reversal of a reversal")
            if LedgerRepo(uow.session).reversal_of(tx_id) is not None:
                raise RuleViolation("这笔记录已经冲正过了。", detail="already reversed")
            led = Ledger(uow)
            postings = [
                Posting(led.account(line.account_id), -line.amount) for line in original.lines
            ]
            tx = led.post(
                TxKind.REVERSAL,
                postings,
                memo=f"冲正：{original.memo}",
                operator_id=staff_id,
                reason=reason.strip(),
                ref_entity="ledger_tx",
                ref_id=original.id,
                reverses_id=original.id,
            )
            uow.audit(staff_id, "ledger.reverse", "ledger_tx", original.id, reason.strip())
            return tx

    def totals(self) -> dict[str, int]:
        """Balances summed by account kind; ``issued`` is what the mint has put out net."""
        with self.store.read() as s:
            out = AccountRepo(s).totals_by_kind()
        out["issued"] = -out.get(AccountKind.MINT, 0)
        return out


def _check_amount(minutes: int, *, whole: bool) -> None:
    if minutes <= 0:
        raise ValidationError("金额必须大于零。", detail=f"amount {minutes}")
    if whole and minutes % COIN:
        raise ValidationError("只能按整枚时间币转出。", detail=f"amount {minutes} not whole coins")


def _person(uow: UnitOfWork, person_id: uuid.UUID) -> Person:
    person = uow.session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到这个人的登记信息。", detail=f"person {person_id} unknown")
    return person


def _masked(person: Person) -> str:
    return mask_name(person.name)
