"""What a pushed item may do, checked against the records as the items before it left them.

A referential or rule failure raises ``Reject`` with a reason a person can read; it never
becomes a 500. The checks run in the order the protocol lists them, so an item that breaks
several rules is always refused for the same one. Nothing here touches the database: the
rows come from ``server.records.Records``, which reads and writes them once per batch.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Protocol, cast

from kiosk.services.ledger import tx_digest
from kiosk.services.needs import NEED_STEPS
from kiosk.services.wishes import WISH_STEPS
from kiosk.store.base import Base
from kiosk.store.decode import columns_from_payload
from kiosk.store.models import RECORD_ENTITIES, LedgerTx, NeedStatus
from server.records import Records, Wanted, shape_of
from sync.protocol import PUSHABLE, ItemStatus, PushItem

ENTITIES: dict[str, type[Base]] = RECORD_ENTITIES
VERSIONED = frozenset({"need", "wish"})
# Transition ops a kiosk may send, per entity; anything else is refused.
UPDATES: dict[str, frozenset[str]] = {
    "person": frozenset({"set_hardship", "rekey"}),
    "activity": frozenset({"open", "close"}),
    "suggestion": frozenset({"rekey", "reply"}),
}
# Where a record was made, whose it is and its version: no update may change these.
FROZEN = frozenset(
    {"created_at", "station_id", "device_id", "community_id", "resident_id", "version"}
)
STEPS: dict[str, dict[str, tuple[frozenset[Any], Any]]] = {
    "need": dict(NEED_STEPS),
    "wish": dict(WISH_STEPS),
}
# People, their accounts and the ledger go to every kiosk: a member is recognised by card
# and sees the same balance at any station in the district. The rest stays in its community.
GLOBAL = frozenset({"person", "account", "ledger_tx"})


class Reject(Exception):
    def __init__(self, reason: str, status: ItemStatus = ItemStatus.REJECTED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class Pusher(Protocol):
    """The pushing device's station and its community."""

    station_id: uuid.UUID
    community_id: uuid.UUID


@dataclass
class PendingChange:
    entity: str
    entity_id: uuid.UUID
    scope: uuid.UUID | None
    data: dict[str, Any]
    key: uuid.UUID | None = None  # the pushed item that made it, for the item's server_seq


@dataclass
class Applied:
    """An item that passed: its status, the change kiosks pull, its balance deltas."""

    status: ItemStatus
    change: PendingChange | None = None
    deltas: dict[uuid.UUID, int] = field(default_factory=dict)


def read_payload(item: PushItem) -> dict[str, Any]:
    if item.entity not in PUSHABLE:
        raise Reject(f"entity {item.entity!r} is not accepted from kiosks")
    try:
        data = json.loads(item.payload)
    except ValueError as exc:
        raise Reject("payload is not JSON") from exc
    if not isinstance(data, dict) or str(data.get("id")) != str(item.entity_id):
        raise Reject("payload id does not match the item's entity id")
    return data


def want(wanted: Wanted, item: PushItem, data: dict[str, Any]) -> None:
    """Note every row checking ``item`` will read, so the batch reads them all at once."""
    model = ENTITIES[item.entity]
    table = model.__tablename__
    if item.op == "create":
        wanted.hashes.setdefault(item.entity, set()).add(item.entity_id)
        if item.entity == "account":
            wanted.reference(table, item.entity_id)
        lines = data.get("lines") if item.entity == "ledger_tx" else None
        for line in lines if isinstance(lines, list) else ():
            if isinstance(line, list) and len(line) == 2:
                wanted.reference("account", line[0])
    elif item.entity in VERSIONED or item.op in UPDATES.get(item.entity, ()):
        wanted.locked.setdefault(table, set()).add(item.entity_id)
    for key, target in shape_of(model).references:
        if data.get(key) is not None:
            wanted.reference(target, data[key])


def check_item(pusher: Pusher, records: Records, item: PushItem, data: dict[str, Any]) -> Applied:
    """Check a claimed item and, if it passes, apply it to ``records``."""
    if item.op == "create":
        return _create(pusher, records, item, data)
    return _update(pusher, records, item, data)


def _create(pusher: Pusher, records: Records, item: PushItem, data: dict[str, Any]) -> Applied:
    model = ENTITIES[item.entity]
    values = columns_from_payload(model, data)
    station = values.get("station_id")
    if station is not None and station != pusher.station_id:
        raise Reject("record was made for another station")
    _check_references(records, model, values)
    _check_community(pusher, records, item.entity, values)
    if item.entity == "account" and records.row("account", item.entity_id) is not None:
        return Applied(_same_account(records, item.entity_id, values))
    stored = records.created_hash(item.entity, item.entity_id)
    if stored is not None:
        if stored == item.payload_hash:
            return Applied(ItemStatus.DUPLICATE)
        if item.entity == "account":
            return Applied(_same_account(records, item.entity_id, values))
        raise Reject("a record with this id exists with other content", ItemStatus.CONFLICT)
    if item.entity == "ledger_tx":
        return _create_ledger_tx(records, item, values, data)
    if item.entity == "account":
        values["balance"] = 0  # the server keeps its own balances from the lines
    row = records.create(item.entity, model, values, item.payload_hash)
    return Applied(ItemStatus.APPLIED, _note(pusher, records, item, row))


def _check_references(records: Records, model: type[Base], values: dict[str, Any]) -> None:
    for key, target in shape_of(model).references:
        value = values.get(key)
        if value is not None and not records.exists(target, value):
            raise Reject(f"unknown {target} {value} in {key}")


def _check_community(pusher: Pusher, records: Records, entity: str, values: dict[str, Any]) -> None:
    """A station runs activities in its own community, and records service at them only."""
    if entity == "activity" and values.get("community_id") != pusher.community_id:
        raise Reject("activity is for another community than this station's")
    activity_id = values.get("activity_id")
    if activity_id is not None:
        activity = records.row("activity", activity_id)
        if activity is not None and activity["community_id"] != pusher.community_id:
            raise Reject("activity belongs to another community than this station's")


def _same_account(records: Records, account_id: uuid.UUID, values: dict[str, Any]) -> ItemStatus:
    """Accounts have deterministic ids: kiosks opening the same account agree on identity."""
    acct = records.row("account", account_id)
    assert acct is not None  # its record hash is only ever written with the account
    fields = ("kind", "person_id", "org_id", "code")
    if tuple(acct[k] for k in fields) == tuple(values.get(k) for k in fields):
        return ItemStatus.DUPLICATE
    raise Reject("an account with this id exists for another owner", ItemStatus.CONFLICT)


def _create_ledger_tx(
    records: Records, item: PushItem, values: dict[str, Any], data: dict[str, Any]
) -> Applied:
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or len(raw_lines) < 2:
        raise Reject("ledger transaction without lines")
    lines: list[tuple[uuid.UUID, int]] = []
    try:
        for account_id, amount in raw_lines:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
                raise Reject("ledger line amount must be a non-zero integer")
            lines.append((uuid.UUID(str(account_id)), amount))
    except (TypeError, ValueError) as exc:
        raise Reject("malformed ledger lines") from exc
    if sum(n for _, n in lines) != 0:
        raise Reject("ledger lines do not sum to zero")
    # The digest reads attributes only; as on a new LedgerTx, one not in the payload is None
    # (building a real ORM instance costs more than all the other checks of the item).
    tx = SimpleNamespace(**{key: values.get(key) for key in shape_of(LedgerTx).keys})
    if tx_digest(cast(LedgerTx, tx), lines) != values.get("hash"):
        raise Reject("ledger transaction hash does not match its content")
    missing = [str(a) for a, _ in lines if records.row("account", a) is None]
    if missing:
        raise Reject(f"unknown account {missing[0]}")
    row = records.create(item.entity, LedgerTx, values, item.payload_hash)
    records.add_lines(
        [
            {"tx_id": row["id"], "position": position, "account_id": account_id, "amount": amount}
            for position, (account_id, amount) in enumerate(lines)
        ]
    )
    deltas: dict[uuid.UUID, int] = {}
    for account_id, amount in lines:
        deltas[account_id] = deltas.get(account_id, 0) + amount
    data = shape_of(LedgerTx).record_dict(row) | {"lines": [[str(a), n] for a, n in lines]}
    return Applied(
        ItemStatus.APPLIED,
        PendingChange("ledger_tx", row["id"], None, data, item.idempotency_key),
        deltas,
    )


def _update(pusher: Pusher, records: Records, item: PushItem, data: dict[str, Any]) -> Applied:
    model = ENTITIES[item.entity]
    table = model.__tablename__
    allowed = UPDATES.get(item.entity)
    if item.entity not in VERSIONED and (allowed is None or item.op not in allowed):
        raise Reject(f"op {item.op!r} is not accepted for {item.entity}")
    row = records.row(table, item.entity_id)
    if row is None:
        raise Reject(f"unknown {item.entity} {item.entity_id}")
    scope = row.get("community_id")
    if row.get("station_id") != pusher.station_id and scope != pusher.community_id:
        raise Reject("record belongs to another community")
    changes = {k: v for k, v in data.items() if k not in ("id", "base_version")}
    frozen = sorted(FROZEN & set(changes))
    if frozen:  # e.g. moving a need into another community, or rewriting where it was made
        raise Reject(f"{', '.join(frozen)} cannot change once a record is made")
    values = columns_from_payload(model, changes, only_present=True)
    if item.entity in VERSIONED:
        base = data.get("base_version")
        if not isinstance(base, int) or base != row["version"]:
            raise Reject(_stale_reason(item, row, base))
        values["version"] = base + 1
        _check_step(item, row, values)
    _check_references(records, model, values)
    records.change(table, row, values)
    return Applied(ItemStatus.APPLIED, _note(pusher, records, item, row))


def _check_step(item: PushItem, row: dict[str, Any], values: dict[str, Any]) -> None:
    """The kiosk's own lifecycle table decides which transitions a push may make."""
    step = STEPS[item.entity].get(item.op)
    if step is None:
        raise Reject(f"op {item.op!r} is not a {item.entity} transition")
    sources, target = step
    if row["status"] not in sources:
        raise Reject(f"{item.entity} cannot {item.op} from {row['status']}")
    if values.get("status", row["status"]) != target:
        raise Reject(f"{item.op} must lead to {target}")
    if item.entity == "need" and item.op == "confirm" and values.get("ledger_tx_id") is None:
        if (row["service_minutes"] or 0) >= 30:
            raise Reject("a confirmed need must carry the coins it minted")


def _stale_reason(item: PushItem, row: dict[str, Any], base: object) -> str:
    if item.op == "claim" and item.entity == "need" and row["status"] != NeedStatus.POSTED:
        return "need was already claimed elsewhere (first claim wins)"
    return f"{item.entity} changed on the server (version {row['version']}, base {base})"


def _note(
    pusher: Pusher, records: Records, item: PushItem, row: dict[str, Any]
) -> PendingChange | None:
    if item.entity == "audit":
        return None  # audit entries travel up only
    data = shape_of(ENTITIES[item.entity]).record_dict(row)
    if item.entity == "account":
        data.pop("balance", None)  # each side sums its own lines
    scope = None if item.entity in GLOBAL else _scope_of(pusher, records, row)
    return PendingChange(item.entity, row["id"], scope, data, item.idempotency_key)


def _scope_of(pusher: Pusher, records: Records, row: dict[str, Any]) -> uuid.UUID:
    """The community whose kiosks need this record: its own, its activity's, or the station's."""
    own = row.get("community_id")
    if isinstance(own, uuid.UUID):
        return own
    activity_id = row.get("activity_id")
    if isinstance(activity_id, uuid.UUID):
        activity = records.row("activity", activity_id)
        if activity is not None:
            return activity["community_id"]  # type: ignore[no-any-return]
    return pusher.community_id
