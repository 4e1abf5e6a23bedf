"""Identity numbers, names and phone numbers: validation and masking.

Resident ID numbers follow GB 11643-1999 (18 characters, ISO 7064 MOD 11-2 check digit,
birth date in positions 7-14, sex in position 17). Hong Kong/Macau/Taiwan residence permits
(prefix 81/82/83) and the 2023 foreign permanent resident ID (prefix 9) use the same
structure; the 2017 foreign permanent resident ID is 15 characters (3 letters, 12 digits).
Masks are what a screen or a log may show; the clear number never leaves the service layer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiosk.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_FOREIGN15 = re.compile(r"^[A-Z]{3}\d{12}$")
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


@dataclass(frozen=True)
class IdFacts:
    """What an ID number itself says; stored instead of the number (age bands, sex stats)."""

    number: str
    birth_date: dt.date | None
    sex: str | None  # "男" / "女"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def parse_id_number(raw: str) -> IdFacts:
    """Validate an ID number and return its facts; raises ValidationError with a Chinese message."""
    number = normalize_id(raw)
    if _FOREIGN15.match(number):
        birth = _date_or_none(number[7:13], century=True)
        return IdFacts(number=number, birth_date=birth, sex=None)
    if not _ID18.match(number):
        raise ValidationError(
            "身份证号码应为18位，请核对后重新输入。",
            detail=f"id number has bad format (length {len(number)})",
        )
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            "身份证号码校验不通过，请核对后重新输入。", detail="id number check digit mismatch"
        )
    birth = _date_or_none(number[6:14])
    if birth is None or birth > dt.date.today() or birth.year < 1880:
        raise ValidationError(
            "身份证号码中的出生日期不正确。", detail="id number has an impossible birth date"
        )
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdFacts(number=number, birth_date=birth, sex=sex)


def _date_or_none(text: str, *, century: bool = False) -> dt.date | None:
    try:
        if century:
            year = int(text[:2])
            full = 1900 + year if year > 30 else 2000 + year
            return dt.date(full, int(text[2:4]), int(text[4:6]))
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def mask_id(number: str, *, staff: bool = False) -> str:
    """``440***********1234`` for public screens, ``440115********1234`` for staff."""
    number = normalize_id(number)
    head = 6 if staff else 3
    if len(number) <= head + 4:
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - 4) + number[-4:]


def mask_name(name: str) -> str:
    """``张*英``: first and last character kept; a two-character name keeps only the first."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def normalize_phone(raw: str) -> str:
    phone = raw.strip().replace(" ", "")
    if not _PHONE.match(phone):
        raise ValidationError("电话号码格式不正确，请核对后重新输入。", detail="bad phone format")
    return phone


def mask_phone(phone: str) -> str:
    """``138****1234``."""
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def spoken_tail(number: str) -> str:
    """What voice guidance may say about any number: its last four digits only."""
    return "尾号" + number.replace("-", "")[-4:]
