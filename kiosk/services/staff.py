"""Station staff logins: PIN hashing, lock-out after repeated failures, the audit log.

Staff accounts stay on the kiosk (their PIN hashes never travel); what the server learns
is the audit trail, which every login, failure and lock produces. A failed attempt must
be counted even though the login fails, so the counter is committed first and the
refusal raised after the transaction, never inside it (that would roll the count back).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import uuid

from sqlalchemy import select

from kiosk.errors import AuthError, NotFound, RuleViolation, StaffLocked, ValidationError
from kiosk.store.models import AuditEntry, StaffAccount
from kiosk.store.uow import Store, UnitOfWork

_N, _R, _P = 2**14, 8, 1
_SALT = 16
_DKLEN = 32
_LOGIN = re.compile(r"^[a-z0-9_]{2,20}$")
_PIN = re.compile(r"^\d{4,8}$")
_NAME_MAX = 40
# Hashed against when the login is unknown, so a wrong login costs as long as a wrong PIN.
_DECOY_SALT = b"\0" * _SALT


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=_DKLEN)


def hash_pin(pin: str) -> str:
    salt = os.urandom(_SALT)
    digest = _scrypt(pin, salt, _N, _R, _P)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash matches no PIN."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p), expected)


def _check_pin_format(pin: str) -> None:
    if not _PIN.match(pin):
        raise ValidationError("密码应为 4 到 8 位数字。", detail="pin is not 4-8 digits")


class StaffService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self, *, name: str, login: str, pin: str, created_by: uuid.UUID | None = None
    ) -> StaffAccount:
        name = name.strip()
        if not name or len(name) > _NAME_MAX:
            raise ValidationError("请填写正确的姓名。", detail="staff name empty or too long")
        login = login.strip().lower()
        if not _LOGIN.match(login):
            raise ValidationError(
                "登录名应为 2 到 20 位小写字母、数字或下划线。", detail="bad login format"
            )
        _check_pin_format(pin)
        pin_hash = hash_pin(pin)
        with self.store.write() as uow:
            taken = uow.session.execute(
                select(StaffAccount.id).where(StaffAccount.login == login)
            ).scalar_one_or_none()
            if taken is not None:
                raise RuleViolation("这个登录名已经有人用了，请换一个。", detail="login taken")
            staff = StaffAccount(name=name, login=login, pin_hash=pin_hash, failed_attempts=0)
            uow.add(staff)
            uow.audit(created_by, "staff.create", "staff", staff.id)
            return staff

    def authenticate(self, *, login: str, pin: str) -> StaffAccount:
        with self.store.write() as uow:
            staff = uow.session.execute(
                select(StaffAccount).where(StaffAccount.login == login.strip().lower())
            ).scalar_one_or_none()
            refusal = self._attempt(uow, staff, pin)
            if refusal is None:
                assert staff is not None
                uow.audit(staff.id, "staff.login", "staff", staff.id)
                return staff
        raise refusal

    def accounts(self) -> list[StaffAccount]:
        """Active staff of this kiosk, for the sign-in screen's list of names."""
        with self.store.read() as s:
            rows = s.execute(
                select(StaffAccount).where(StaffAccount.active).order_by(StaffAccount.name)
            )
            return list(rows.scalars())

    def change_pin(self, *, staff_id: uuid.UUID, old_pin: str, new_pin: str) -> None:
        """A wrong old PIN counts towards the lock, so this is no way round it."""
        _check_pin_format(new_pin)
        if new_pin == old_pin:
            raise ValidationError("新密码不能和原密码相同。", detail="new pin equals old pin")
        new_hash = hash_pin(new_pin)
        with self.store.write() as uow:
            staff = uow.session.get(StaffAccount, staff_id)
            if staff is None or not staff.active:
                raise NotFound("没有找到这个工作人员账号。", detail=f"staff {staff_id}")
            refusal = self._attempt(uow, staff, old_pin)
            if refusal is None:
                staff.pin_hash = new_hash
                uow.audit(staff.id, "staff.change_pin", "staff", staff.id)
                return
        raise refusal

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        with self.store.read() as s:
            query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            return list(s.execute(query.limit(limit)).scalars())

    def _attempt(self, uow: UnitOfWork, staff: StaffAccount | None, pin: str) -> AuthError | None:
        """Check one PIN attempt and record its outcome; the refusal is returned, not raised."""
        rules = self.store.rules
        if staff is None or not staff.active:
            _scrypt(pin, _DECOY_SALT, _N, _R, _P)
            uow.audit(None, "staff.login_failed", "staff", None, "unknown login")
            return AuthError(
                f"密码不正确，还可以再试 {rules.staff_max_failures - 1} 次。",
                detail="unknown or inactive login",
            )
        locked = StaffLocked(
            f"密码错误次数过多，请 {rules.staff_lock_minutes} 分钟后再试。",
            detail="staff account locked",
        )
        if staff.locked_until is not None and uow.now < staff.locked_until:
            uow.audit(staff.id, "staff.login_refused", "staff", staff.id, "locked")
            return locked
        if verify_pin(pin, staff.pin_hash):
            staff.failed_attempts = 0
            staff.locked_until = None
            return None
        failures = staff.failed_attempts + 1
        if failures >= rules.staff_max_failures:
            staff.failed_attempts = 0  # a fresh set of attempts once the lock ends
            staff.locked_until = uow.now + dt.timedelta(minutes=rules.staff_lock_minutes)
            uow.audit(staff.id, "staff.locked", "staff", staff.id, f"failures={failures}")
            return locked
        staff.failed_attempts = failures
        uow.audit(staff.id, "staff.login_failed", "staff", staff.id, f"failures={failures}")
        return AuthError(
            f"密码不正确，还可以再试 {rules.staff_max_failures - failures} 次。",
            detail=f"wrong pin ({failures} consecutive)",
        )
