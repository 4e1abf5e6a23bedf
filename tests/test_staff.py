from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid

import pytest
from sqlalchemy import select

from kiosk.clock import FixedClock
from kiosk.errors import AuthError, NotFound, RuleViolation, StaffLocked, ValidationError
from kiosk.services import Services
from kiosk.services.staff import verify_pin
from kiosk.store.models import AuditEntry, OutboxItem, StaffAccount
from kiosk.store.uow import Store
from tests.factories import make_staff

PIN = "246810"


@pytest.fixture
def wang(svc: Services) -> StaffAccount:
    return svc.staff.create(name="王站长", login="wang", pin=PIN)


def _account(store: Store, staff_id: uuid.UUID) -> StaffAccount:
    with store.read() as s:
        return s.get_one(StaffAccount, staff_id)


def _outbox(store: Store) -> list[OutboxItem]:
    with store.read() as s:
        return list(s.execute(select(OutboxItem).order_by(OutboxItem.device_seq)).scalars())


def _actions(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def test_pin_is_stored_as_salted_scrypt(svc: Services, store: Store, wang: StaffAccount) -> None:
    scheme, n, r, p, salt_b64, hash_b64 = wang.pin_hash.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    salt = base64.b64decode(salt_b64)
    assert len(salt) == 16
    expected = hashlib.scrypt(PIN.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    assert base64.b64decode(hash_b64) == expected
    assert PIN not in wang.pin_hash
    other = svc.staff.create(name="李干事", login="li_01", pin=PIN)
    assert other.pin_hash != wang.pin_hash  # a fresh salt per account
    assert verify_pin(PIN, wang.pin_hash) and not verify_pin("246811", wang.pin_hash)
    assert not verify_pin(PIN, "unusable") and not verify_pin(PIN, "scrypt$x$8$1$$")


def test_staff_accounts_never_enter_the_outbox(
    svc: Services, store: Store, wang: StaffAccount
) -> None:
    svc.staff.create(name="李干事", login="li", pin="1357", created_by=wang.id)
    svc.staff.authenticate(login="wang", pin=PIN)
    items = _outbox(store)
    assert {i.entity for i in items} == {"audit"}
    assert all(PIN not in i.payload and "pin_hash" not in i.payload for i in items)
    assert all("王站长" not in i.payload and "李干事" not in i.payload for i in items)
    assert _actions(store) == ["staff.create", "staff.create", "staff.login"]


@pytest.mark.parametrize(
    ("name", "login", "pin", "fragment"),
    [
        ("", "wang", "1234", "姓名"),
        ("王" * 41, "wang", "1234", "姓名"),
        ("王站长", "w", "1234", "登录名"),
        ("王站长", "w" * 21, "1234", "登录名"),
        ("王站长", "wang-1", "1234", "登录名"),
        ("王站长", "王站长", "1234", "登录名"),
        ("王站长", "wang", "123", "4 到 8"),
        ("王站长", "wang", "123456789", "4 到 8"),
        ("王站长", "wang", "12ab", "4 到 8"),
    ],
)
def test_create_validation(
    svc: Services, store: Store, name: str, login: str, pin: str, fragment: str
) -> None:
    with pytest.raises(ValidationError, match=fragment):
        svc.staff.create(name=name, login=login, pin=pin)
    assert _outbox(store) == []


def test_login_is_unique(svc: Services, store: Store, wang: StaffAccount) -> None:
    before = len(_outbox(store))
    with pytest.raises(RuleViolation, match="已经有人用"):
        svc.staff.create(name="王二", login=" WANG ", pin="1111")
    assert len(_outbox(store)) == before


def test_authenticate_success_is_audited(svc: Services, store: Store, wang: StaffAccount) -> None:
    who = svc.staff.authenticate(login=" Wang ", pin=PIN)
    assert who.id == wang.id
    assert svc.staff.audit_log(limit=1)[0].action == "staff.login"


def test_failed_attempts_are_counted_and_committed(
    svc: Services, store: Store, wang: StaffAccount
) -> None:
    with pytest.raises(AuthError, match="还可以再试 4 次") as err:
        svc.staff.authenticate(login="wang", pin="000000")
    assert type(err.value) is AuthError
    assert _account(store, wang.id).failed_attempts == 1
    with pytest.raises(AuthError, match="还可以再试 3 次"):
        svc.staff.authenticate(login="wang", pin="000000")
    assert _account(store, wang.id).failed_attempts == 2
    assert _actions(store)[-2:] == ["staff.login_failed", "staff.login_failed"]
    svc.staff.authenticate(login="wang", pin=PIN)
    assert _account(store, wang.id).failed_attempts == 0  # success resets the count
    for left in (4, 3, 2, 1):  # so four more failures still do not lock
        with pytest.raises(AuthError, match=f"还可以再试 {left} 次"):
            svc.staff.authenticate(login="wang", pin="000000")
    assert _account(store, wang.id).locked_until is None


def test_unknown_login_fails_like_a_wrong_pin(svc: Services, store: Store) -> None:
    with pytest.raises(AuthError, match="密码不正确") as err:
        svc.staff.authenticate(login="nobody", pin=PIN)
    assert type(err.value) is AuthError
    [entry] = svc.staff.audit_log()
    assert (entry.action, entry.staff_id, entry.detail) == (
        "staff.login_failed",
        None,
        "unknown login",
    )
    assert "nobody" not in entry.detail


def test_account_without_a_usable_pin_cannot_log_in(svc: Services, store: Store) -> None:
    make_staff(store, login="legacy")
    with pytest.raises(AuthError):
        svc.staff.authenticate(login="legacy", pin="1234")


def test_lock_after_five_failures_then_unlock(
    svc: Services, store: Store, clock: FixedClock, wang: StaffAccount
) -> None:
    for _ in range(4):
        with pytest.raises(AuthError):
            svc.staff.authenticate(login="wang", pin="999999")
    with pytest.raises(StaffLocked, match="请 5 分钟后再试"):
        svc.staff.authenticate(login="wang", pin="999999")
    locked = _account(store, wang.id)
    assert locked.locked_until == clock.now() + dt.timedelta(minutes=5)
    assert _actions(store)[-1] == "staff.locked"
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(StaffLocked):
        svc.staff.authenticate(login="wang", pin=PIN)  # even the right PIN, during the lock
    assert _actions(store)[-1] == "staff.login_refused"
    clock.advance(seconds=1)
    assert svc.staff.authenticate(login="wang", pin=PIN).id == wang.id
    after = _account(store, wang.id)
    assert after.failed_attempts == 0 and after.locked_until is None


def test_a_fresh_set_of_attempts_after_the_lock(
    svc: Services, clock: FixedClock, wang: StaffAccount
) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            svc.staff.authenticate(login="wang", pin="999999")
    clock.advance(minutes=5)
    with pytest.raises(AuthError, match="还可以再试 4 次") as err:
        svc.staff.authenticate(login="wang", pin="999999")
    assert not isinstance(err.value, StaffLocked)


def test_change_pin(svc: Services, store: Store, wang: StaffAccount) -> None:
    with pytest.raises(AuthError, match="还可以再试 4 次"):
        svc.staff.change_pin(staff_id=wang.id, old_pin="111111", new_pin="13579")
    assert _account(store, wang.id).failed_attempts == 1  # counts towards the lock
    with pytest.raises(ValidationError, match="4 到 8"):
        svc.staff.change_pin(staff_id=wang.id, old_pin=PIN, new_pin="12")
    with pytest.raises(ValidationError, match="相同"):
        svc.staff.change_pin(staff_id=wang.id, old_pin=PIN, new_pin=PIN)
    with pytest.raises(NotFound):
        svc.staff.change_pin(staff_id=uuid.uuid4(), old_pin=PIN, new_pin="13579")
    svc.staff.change_pin(staff_id=wang.id, old_pin=PIN, new_pin="13579")
    assert _account(store, wang.id).failed_attempts == 0
    assert _actions(store)[-1] == "staff.change_pin"
    with pytest.raises(AuthError):
        svc.staff.authenticate(login="wang", pin=PIN)
    assert svc.staff.authenticate(login="wang", pin="13579").id == wang.id


def test_change_pin_respects_the_lock(svc: Services, store: Store, wang: StaffAccount) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            svc.staff.change_pin(staff_id=wang.id, old_pin="000000", new_pin="13579")
    with pytest.raises(StaffLocked):
        svc.staff.change_pin(staff_id=wang.id, old_pin=PIN, new_pin="13579")
    assert verify_pin(PIN, _account(store, wang.id).pin_hash)


def test_audit_log_newest_first(svc: Services, clock: FixedClock, wang: StaffAccount) -> None:
    clock.advance(minutes=1)
    with pytest.raises(AuthError):
        svc.staff.authenticate(login="wang", pin="000000")
    clock.advance(minutes=1)
    svc.staff.authenticate(login="wang", pin=PIN)
    log = svc.staff.audit_log()
    assert [e.action for e in log] == ["staff.login", "staff.login_failed", "staff.create"]
    assert [e.action for e in svc.staff.audit_log(limit=2)] == ["staff.login", "staff.login_failed"]
    assert all(PIN not in e.detail and "王" not in e.detail for e in log)
