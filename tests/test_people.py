from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.crypto import Keyring
from kiosk.errors import RuleViolation, ValidationError
from kiosk.identity import parse_id_number
from kiosk.services import Services
from kiosk.store.models import AuditEntry, OutboxItem, Person, PersonKind
from kiosk.store.uow import Store
from tests.factories import World, id_number, make_staff


def test_walk_in_registration_and_lookup_by_card(svc: Services, world: World) -> None:
    found = svc.people.find_by_id_number(world.member_id_number)
    assert found is not None and found.id == world.member.id
    assert found.sex == parse_id_number(world.member_id_number).sex
    assert found.birth_date == parse_id_number(world.member_id_number).birth_date
    assert svc.people.find_by_id_number(id_number("19700101")) is None


def test_masked_views(svc: Services, world: World) -> None:
    public = svc.people.view(world.member.id)
    assert public.name_masked == "张*英"
    assert public.id_masked == world.member_id_number[:3] + "*" * 11 + world.member_id_number[-4:]
    staff = svc.people.view(world.member.id, staff=True)
    assert staff.id_masked.startswith(world.member_id_number[:6] + "********")


def test_duplicate_card_is_refused_and_writes_nothing(
    svc: Services, world: World, store: Store
) -> None:
    with store.read() as s:
        before = s.execute(select(func.count()).select_from(OutboxItem)).scalar_one()
    with pytest.raises(RuleViolation, match="已经登记"):
        svc.people.register(
            name="张晓英", kind=PersonKind.RESIDENT, id_number=world.member_id_number
        )
    with store.read() as s:
        assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == before
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 2


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"name": "  "}, "姓名"),
        ({"id_number": "123"}, "18位"),
        ({"phone": "999"}, "电话"),
        ({"kind": PersonKind.MEMBER}, "党组织"),
    ],
)
def test_registration_validation(svc: Services, kwargs: dict, fragment: str) -> None:
    args = {"name": "王芳", "kind": PersonKind.RESIDENT} | kwargs
    with pytest.raises(ValidationError, match=fragment):
        svc.people.register(**args)


def test_no_clear_id_or_phone_at_rest(
    svc: Services, world: World, store: Store, data_dir: Path
) -> None:
    svc.people.register(
        name="黄䶮", kind=PersonKind.RESIDENT, id_number=id_number("19450203"), phone="13912345678"
    )
    store.close()  # checkpoint the WAL into the main file
    blob = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("kiosk.db"))
    for secret in (world.member_id_number, world.resident_id_number, "13912345678"):
        assert secret.encode() not in blob
    assert "黄䶮".encode() in blob  # names are kept (and masked on screen)


def test_reveal_is_audited_without_the_number(svc: Services, world: World, store: Store) -> None:
    staff = make_staff(store)
    assert svc.people.reveal_id(person_id=world.member.id, staff_id=staff) == world.member_id_number
    with store.read() as s:
        entries = list(s.execute(select(AuditEntry)).scalars())
    assert [e.action for e in entries] == ["person.reveal_id"]
    assert all(world.member_id_number not in e.detail for e in entries)


def test_rekey_on_enrolment(svc: Services, world: World, store: Store, data_dir: Path) -> None:
    new = Keyring.generate(local=False)
    count = svc.people.rekey(new, keys_path=data_dir / "keys.json")
    assert count == 2
    assert svc.people.find_by_id_number(world.member_id_number) is not None
    assert Keyring.from_json((data_dir / "keys.json").read_text()).key_id == new.key_id
    assert oct((data_dir / "keys.json").stat().st_mode & 0o777) == "0o600"
    with store.read() as s:
        rekeys = s.execute(
            select(func.count()).select_from(OutboxItem).where(OutboxItem.op == "rekey")
        ).scalar_one()
        assert rekeys == 2
        assert {p.key_id for p in s.execute(select(Person)).scalars()} == {new.key_id}
    assert svc.people.rekey(new) == 0  # idempotent
