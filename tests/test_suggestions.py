from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from kiosk.clock import FixedClock
from kiosk.errors import InvalidTransition, NotFound, TimebankError, ValidationError
from kiosk.services import Services
from kiosk.store.models import (
    AuditEntry,
    OutboxItem,
    Suggestion,
    SuggestionStatus,
    SuggestionTarget,
)
from kiosk.store.uow import Store
from tests.factories import World, make_staff

PHONE = "13812345678"
DEPT = SuggestionTarget.ORG_DEPT


def _outbox(store: Store) -> list[OutboxItem]:
    with store.read() as s:
        return list(s.execute(select(OutboxItem).order_by(OutboxItem.device_seq)).scalars())


def _load(store: Store, suggestion_id: uuid.UUID) -> Suggestion:
    with store.read() as s:
        return s.get_one(Suggestion, suggestion_id)


def test_anyone_may_leave_a_suggestion(svc: Services, store: Store) -> None:
    sug = svc.suggestions.leave(text="  希望多办几场义诊  ", target=DEPT)
    assert sug.text == "希望多办几场义诊" and sug.status == SuggestionStatus.RECEIVED
    assert sug.person_id is None and sug.contact_cipher is None and sug.town_id is None
    [item] = _outbox(store)
    assert (item.entity, item.op, item.entity_id) == ("suggestion", "create", sug.id)
    assert json.loads(item.payload)["text"] == "希望多办几场义诊"


def test_registered_resident_to_a_town(svc: Services, world: World, store: Store) -> None:
    sug = svc.suggestions.leave(
        text="路灯坏了",
        target=SuggestionTarget.TOWN,
        town_id=world.town.id,
        person_id=world.resident.id,
    )
    stored = _load(store, sug.id)
    assert (stored.target, stored.town_id, stored.person_id) == (
        "town",
        world.town.id,
        world.resident.id,
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"text": "好"}, ValidationError, "2 到 500"),
        ({"text": "   好  "}, ValidationError, "2 到 500"),
        ({"text": "长" * 501}, ValidationError, "2 到 500"),
        ({"target": SuggestionTarget.TOWN}, ValidationError, "镇街"),
        ({"target": "mayor"}, ValidationError, "留言对象"),
        ({"target": SuggestionTarget.TOWN, "town_id": uuid.uuid4()}, NotFound, "镇街"),
        ({"contact": "12345"}, ValidationError, "电话"),
        ({"person_id": uuid.uuid4()}, NotFound, "登记"),
    ],
)
def test_leave_validation_writes_nothing(
    svc: Services,
    store: Store,
    kwargs: dict[str, Any],
    error: type[TimebankError],
    fragment: str,
) -> None:
    args: dict[str, Any] = {"text": "希望多办几场义诊", "target": DEPT} | kwargs
    with pytest.raises(error, match=fragment):
        svc.suggestions.leave(**args)
    assert _outbox(store) == []
    assert svc.suggestions.list() == []


def test_contact_is_only_ever_stored_encrypted(
    svc: Services, world: World, store: Store, data_dir: Path
) -> None:
    staff = make_staff(store)
    sug = svc.suggestions.leave(text="请给我回个电话", target=DEPT, contact=" 138 1234 5678 ")
    stored = _load(store, sug.id)
    assert stored.contact_cipher is not None and stored.key_id == store.keyring.key_id
    assert PHONE.encode() not in stored.contact_cipher
    assert svc.suggestions.contact_of(suggestion_id=sug.id, staff_id=staff) == PHONE
    svc.suggestions.record_reply(suggestion_id=sug.id, reply="已电话联系", staff_id=staff)
    items = _outbox(store)
    assert items and all(PHONE not in i.payload for i in items)
    [create] = [
        json.loads(i.payload) for i in items if i.entity == "suggestion" and i.op == "create"
    ]
    assert base64.b64decode(create["contact_cipher"]) == stored.contact_cipher
    # The ciphertext is bound to this suggestion: it cannot be replayed under another id.
    with pytest.raises(InvalidTag):
        store.keyring.decrypt(stored.contact_cipher, context=f"suggestion:{uuid.uuid4()}:contact")
    store.close()  # checkpoint the WAL into the main file
    blob = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("kiosk.db"))
    assert b"13812345678" not in blob
    assert "请给我回个电话".encode() in blob  # the check itself can see clear text


def test_contact_reveal_is_audited(svc: Services, store: Store) -> None:
    staff = make_staff(store)
    with_phone = svc.suggestions.leave(text="请回电话", target=DEPT, contact=PHONE)
    without = svc.suggestions.leave(text="不用回电话", target=DEPT)
    assert svc.suggestions.contact_of(suggestion_id=without.id, staff_id=staff) is None
    assert svc.suggestions.contact_of(suggestion_id=with_phone.id, staff_id=staff) == PHONE
    with pytest.raises(NotFound):
        svc.suggestions.contact_of(suggestion_id=uuid.uuid4(), staff_id=staff)
    with store.read() as s:
        entries = list(s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
    assert [(e.action, e.entity_id) for e in entries] == [
        ("suggestion.reveal_contact", without.id),
        ("suggestion.reveal_contact", with_phone.id),
    ]
    assert all(PHONE not in e.detail and e.staff_id == staff for e in entries)


def test_reply_once(svc: Services, store: Store, clock: FixedClock) -> None:
    sug = svc.suggestions.leave(text="希望多办几场义诊", target=DEPT)
    clock.advance(days=2)
    replied = svc.suggestions.record_reply(suggestion_id=sug.id, reply=" 下月起每月一次 ")
    assert replied.status == SuggestionStatus.REPLIED and replied.reply == "下月起每月一次"
    assert replied.replied_at == clock.now()
    item = _outbox(store)[-1]
    assert (item.op, json.loads(item.payload)["status"]) == ("reply", "replied")
    before = len(_outbox(store))
    with pytest.raises(InvalidTransition, match="已经回复"):
        svc.suggestions.record_reply(suggestion_id=sug.id, reply="再回一次")
    assert len(_outbox(store)) == before
    assert _load(store, sug.id).reply == "下月起每月一次"


@pytest.mark.parametrize("reply", ["", "   ", "长" * 501])
def test_reply_validation(svc: Services, store: Store, reply: str) -> None:
    sug = svc.suggestions.leave(text="希望多办几场义诊", target=DEPT)
    with pytest.raises(ValidationError, match="回复"):
        svc.suggestions.record_reply(suggestion_id=sug.id, reply=reply)
    with pytest.raises(NotFound):
        svc.suggestions.record_reply(suggestion_id=uuid.uuid4(), reply="好的")
    assert _load(store, sug.id).status == SuggestionStatus.RECEIVED
    assert len(_outbox(store)) == 1


def test_list_newest_first_and_by_status(svc: Services, clock: FixedClock) -> None:
    first = svc.suggestions.leave(text="第一条留言", target=DEPT)
    clock.advance(minutes=1)
    second = svc.suggestions.leave(text="第二条留言", target=DEPT)
    clock.advance(minutes=1)
    third = svc.suggestions.leave(text="第三条留言", target=DEPT)
    svc.suggestions.record_reply(suggestion_id=second.id, reply="收到")
    assert [s.id for s in svc.suggestions.list()] == [third.id, second.id, first.id]
    received = svc.suggestions.list(SuggestionStatus.RECEIVED)
    assert [s.id for s in received] == [third.id, first.id]
    assert [s.id for s in svc.suggestions.list(SuggestionStatus.REPLIED)] == [second.id]
