"""Ledger rules through the services (properties are in test_ledger_properties.py)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from kiosk.config import COIN, Rules
from kiosk.errors import InsufficientBalance, NotFound, RuleViolation, ValidationError
from kiosk.services import Services
from kiosk.services.ledger import MINT, POOL, Ledger, format_coins
from kiosk.services.verify import check_database
from kiosk.store.models import LedgerTx, OutboxItem, PersonKind
from kiosk.store.uow import Store
from tests.factories import World, id_number, make_staff


def _earn(store: Store, world: World, minutes: int, person=None) -> None:
    with store.write() as uow:
        Ledger(uow).earn(
            minutes=minutes,
            person_id=person or world.member.id,
            memo="测试",
            ref_entity="test",
            ref_id=world.member.id,
        )


def test_spend_from_price_list_and_refuse_overdraft(
    svc: Services, world: World, store: Store
) -> None:
    haircut = svc.reference.add_price_item(name="理发", price_minutes=2 * COIN)
    _earn(store, world, 3 * COIN)
    svc.ledger.spend(person_id=world.member.id, price_item_id=haircut.id)
    assert svc.ledger.balance(world.member.id) == COIN
    with pytest.raises(InsufficientBalance, match="余额不足"):
        svc.ledger.spend(person_id=world.member.id, price_item_id=haircut.id)
    assert svc.ledger.balance(world.member.id) == COIN
    assert check_database(store) == []


def test_price_must_be_whole_coins(svc: Services) -> None:
    with pytest.raises(ValidationError, match="整枚"):
        svc.reference.add_price_item(name="送餐", price_minutes=90)


def test_transfer_whole_coins_to_a_relative(svc: Services, world: World, store: Store) -> None:
    _earn(store, world, 5 * COIN)
    with pytest.raises(ValidationError, match="整枚"):
        svc.ledger.transfer(from_person=world.member.id, to_person=world.resident.id, minutes=90)
    svc.ledger.transfer(from_person=world.member.id, to_person=world.resident.id, minutes=2 * COIN)
    assert svc.ledger.balance(world.resident.id) == 2 * COIN
    with pytest.raises(ValidationError):
        svc.ledger.transfer(from_person=world.member.id, to_person=world.member.id, minutes=COIN)


def test_donations_go_to_the_pool_or_a_resident_in_hardship(
    svc: Services, world: World, store: Store
) -> None:
    _earn(store, world, 4 * COIN)
    svc.ledger.donate(from_person=world.member.id, minutes=COIN)
    assert svc.ledger.pool_balance() == COIN
    with pytest.raises(RuleViolation, match="困难群众"):
        svc.ledger.donate(from_person=world.member.id, to_resident=world.resident.id, minutes=30)
    staff = make_staff(store)
    svc.people.set_hardship(person_id=world.resident.id, hardship=True, staff_id=staff)
    svc.ledger.donate(from_person=world.member.id, to_resident=world.resident.id, minutes=30)
    assert svc.ledger.balance(world.resident.id) == 30


def test_organisation_coins_can_only_be_donated(svc: Services, world: World, store: Store) -> None:
    with store.write() as uow:
        Ledger(uow).earn(
            minutes=6 * COIN,
            org_id=world.org.id,
            memo="需求服务",
            ref_entity="t",
            ref_id=world.org.id,
        )
    assert svc.ledger.org_balance(world.org.id) == 6 * COIN
    svc.ledger.donate(from_org=world.org.id, minutes=6 * COIN)
    assert svc.ledger.org_balance(world.org.id) == 0
    assert svc.ledger.pool_balance() == 6 * COIN


def test_storage_cap_sends_the_excess_to_the_pool(data_dir, clock) -> None:
    from kiosk.store.opening import open_store

    store = open_store(data_dir, clock=clock, rules=Rules(storage_cap_minutes=10 * COIN))
    try:
        svc = Services(store)
        from tests.factories import make_world

        world = make_world(svc)
        _earn(store, world, 8 * COIN)
        _earn(store, world, 5 * COIN)
        assert svc.ledger.balance(world.member.id) == 10 * COIN
        assert svc.ledger.pool_balance() == 3 * COIN
        assert svc.ledger.totals()["issued"] == 13 * COIN
        assert check_database(store) == []
    finally:
        store.close()


def test_grant_from_pool_needs_a_reason_and_funds(
    svc: Services, world: World, store: Store
) -> None:
    staff = make_staff(store)
    with pytest.raises(InsufficientBalance):
        svc.ledger.grant(staff_id=staff, to_person=world.resident.id, minutes=COIN, reason="困难")
    _earn(store, world, 2 * COIN)
    svc.ledger.donate(from_person=world.member.id, minutes=2 * COIN)
    with pytest.raises(ValidationError, match="原因"):
        svc.ledger.grant(staff_id=staff, to_person=world.resident.id, minutes=COIN, reason=" ")
    svc.ledger.grant(staff_id=staff, to_person=world.resident.id, minutes=COIN, reason="独居老人")
    assert svc.ledger.balance(world.resident.id) == COIN


def test_reversal_restores_and_cannot_repeat(svc: Services, world: World, store: Store) -> None:
    staff = make_staff(store)
    _earn(store, world, 3 * COIN)
    tx = svc.ledger.transfer(from_person=world.member.id, to_person=world.resident.id, minutes=COIN)
    rev = svc.ledger.reverse(tx_id=tx.id, staff_id=staff, reason="误操作")
    assert rev.reverses_id == tx.id
    assert svc.ledger.balance(world.member.id) == 3 * COIN
    assert svc.ledger.balance(world.resident.id) == 0
    with pytest.raises(RuleViolation, match="已经冲正"):
        svc.ledger.reverse(tx_id=tx.id, staff_id=staff, reason="again")
    with pytest.raises(RuleViolation):
        svc.ledger.reverse(tx_id=rev.id, staff_id=staff, reason="undo undo")
    with pytest.raises(ValidationError):
        svc.ledger.reverse(tx_id=tx.id, staff_id=staff, reason="")
    assert check_database(store) == []


def test_reversal_that_would_overdraw_is_refused(svc: Services, world: World, store: Store) -> None:
    staff = make_staff(store)
    _earn(store, world, 2 * COIN)
    tx = svc.ledger.transfer(from_person=world.member.id, to_person=world.resident.id, minutes=COIN)
    item = svc.reference.add_price_item(name="理发", price_minutes=COIN)
    svc.ledger.spend(person_id=world.resident.id, price_item_id=item.id)
    with pytest.raises(InsufficientBalance):
        svc.ledger.reverse(tx_id=tx.id, staff_id=staff, reason="误操作")


def test_every_transaction_is_queued_for_the_server(
    svc: Services, world: World, store: Store
) -> None:
    _earn(store, world, COIN)
    svc.ledger.donate(from_person=world.member.id, minutes=30)
    with store.read() as s:
        txs = set(s.execute(select(LedgerTx.id)).scalars())
        queued = set(
            s.execute(
                select(OutboxItem.entity_id).where(OutboxItem.entity == "ledger_tx")
            ).scalars()
        )
        assert txs == queued
        assert s.execute(select(func.count()).select_from(LedgerTx)).scalar_one() == 2


def test_system_accounts_have_the_same_id_everywhere(svc: Services, store: Store, world) -> None:
    _earn(store, world, COIN)
    with store.write() as uow:
        led = Ledger(uow)
        assert led.system(MINT).id == uuid.uuid5(uuid.NAMESPACE_URL, "timebank:account:mint")
        assert led.system(POOL).id == uuid.uuid5(uuid.NAMESPACE_URL, "timebank:account:pool")
        person_acct = led.for_person(world.member.id)
        assert person_acct.id == uuid.uuid5(
            uuid.NAMESPACE_URL, f"timebank:account:person:{world.member.id}"
        )


def test_format_coins() -> None:
    assert format_coins(90) == "1.5"
    assert format_coins(120) == "2"
    assert format_coins(15) == "0.25"
    assert format_coins(-60) == "-1"


def test_members_cannot_go_negative_even_for_new_people(svc: Services, world: World) -> None:
    newcomer = svc.people.register(
        name="陈新", kind=PersonKind.VOLUNTEER, id_number=id_number("19900101")
    )
    with pytest.raises(InsufficientBalance):
        svc.ledger.transfer(from_person=newcomer.id, to_person=world.member.id, minutes=COIN)


def test_earning_for_an_unknown_person_is_not_found_and_writes_nothing(
    store: Store, world: World
) -> None:
    with store.read() as s:
        before = s.execute(select(func.count()).select_from(OutboxItem)).scalar_one()
    with pytest.raises(NotFound, match="没有找到"):
        _earn(store, world, COIN, person=uuid.uuid4())
    with store.read() as s:
        assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == before


def test_postings_in_one_transaction_see_each_other(store: Store, world: World) -> None:
    _earn(store, world, 2 * COIN)
    with store.write() as uow:
        led = Ledger(uow)
        led.earn(
            minutes=COIN,
            person_id=world.member.id,
            memo="一",
            ref_entity="t",
            ref_id=world.member.id,
        )
        assert led.for_person(world.member.id).balance == 3 * COIN
        # A second Ledger in the same unit of work shares the accounts' state.
        again = Ledger(uow).for_person(world.member.id)
        assert again is led.for_person(world.member.id)
    assert check_database(store) == []
