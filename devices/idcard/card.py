"""The decoded card, and the 256-byte text block it comes from.

Three layouts share one block (device-protocols.md 1.7-1.10); the UCS-2 character at byte
248 says which. Offsets live in one table per layout so the decoder here and the simulator's
encoder cannot drift apart. Every record is verified before it leaves this module: a card
whose ID number fails GB 11643 or disagrees with its own birth date or sex is refused with
``IdNumberError`` rather than handed to the services as if it were a person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from devices.idcard.errors import CardDataError, IdNumberError
from kiosk.errors import ValidationError
from kiosk.identity import mask_id, parse_id_number

LONG_TERM: Final = "长期"
ValidUntil: TypeAlias = dt.date | Literal["长期"]


class CardType(StrEnum):
    RESIDENT = "resident"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"


# Type flag at byte 248 -> card type; anything else (normally a space) is a resident card.
FLAG_TYPES: Final[Mapping[str, CardType]] = {
    "J": CardType.HMT_RESIDENCE_PERMIT,
    "I": CardType.FOREIGN_PERMANENT_RESIDENT,
    "Y": CardType.FOREIGN_PERMANENT_RESIDENT,
}
FLAG_OFFSET: Final = 248

# (byte offset, byte size) per field and layout; "" is the resident layout.
LAYOUTS: Final[Mapping[str, Mapping[str, tuple[int, int]]]] = {
    "": {
        "name": (0, 30),
        "sex": (30, 2),
        "nation_code": (32, 4),
        "birth_date": (36, 16),
        "address": (52, 70),
        "id_number": (122, 36),
        "issuer": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
    },
    "J": {
        "name": (0, 30),
        "sex": (30, 2),
        "birth_date": (36, 16),
        "address": (52, 70),
        "id_number": (122, 36),
        "issuer": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "pass_number": (220, 18),
        "issue_count": (238, 4),
    },
    "I": {
        "english_name": (0, 120),
        "sex": (120, 2),
        "id_number": (122, 30),
        "nationality": (152, 6),
        "name": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "birth_date": (220, 16),
        "card_version": (236, 4),
        "issuer": (240, 8),  # 当次申请受理机关代码, a code such as "1500"
    },
    "Y": {
        "name": (0, 30),
        "sex": (30, 2),
        "issue_count": (32, 4),  # 换证次数
        "birth_date": (36, 16),
        "english_name": (52, 70),  # characters 1-35 ...
        "english_name_2": (220, 22),  # ... and 36-46
        "id_number": (122, 36),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "nationality": (242, 6),
        "previous_number_link": (250, 6),
    },
}

NATIONS: Final[Mapping[str, str]] = dict(
    zip(
        [f"{n:02d}" for n in range(1, 57)] + ["97", "98"],
        "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
        "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
        "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 "
        "基诺 其他 外国血统中国籍人士".split(),
        strict=True,
    )
)
SEXES: Final[Mapping[str, str]] = {"1": "男", "2": "女"}
_DATE = re.compile(r"[0-9]{8}")
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[A-Z]{3}[0-9]{12}")


def nation_name(code: str) -> str:
    """GB 3304 name for a two-digit code; "" for an unknown code (not an error, per 1.11)."""
    return NATIONS.get(code, "")


@dataclass(frozen=True)
class IdCard:
    """One card as read. The photo is deliberately absent: the kiosk has no use for it.

    ``type_flag`` keeps which chip layout it came from ("" resident, "J", "I" 2017, "Y"
    2023); ``card_type`` is the coarse kind the services care about.
    """

    card_type: CardType
    name: str
    sex: str  # "男" / "女"
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_to: ValidUntil
    nation_code: str = ""
    nation: str = ""
    address: str = ""
    issuer: str = ""
    english_name: str = ""
    nationality: str = ""  # ISO 3166-1 alpha-3
    pass_number: str = ""
    issue_count: int | None = None
    type_flag: str = ""
    card_version: str = ""
    previous_number_link: str = ""

    def __repr__(self) -> str:  # repr ends up in logs and tracebacks: no name, masked number
        return f"IdCard({self.card_type}{self.type_flag and '/' + self.type_flag}, {mask_id(self.id_number)})"

    @property
    def display_name(self) -> str:
        return self.name or self.english_name

    def to_json(self, *, unmasked: bool = False) -> dict[str, Any]:
        """The ``read-id --json`` object; also the format of the simulator's card files."""
        out: dict[str, Any] = {
            "card_type": str(self.card_type),
            "name": self.name,
            "sex": self.sex,
            "nation": self.nation,
            "nation_code": self.nation_code,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number if unmasked else mask_id(self.id_number),
            "issuer": self.issuer,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": _iso(self.valid_to),
        }
        if self.card_type is not CardType.RESIDENT:
            out["english_name"] = self.english_name
            out["nationality"] = self.nationality
            out["pass_number"] = (
                self.pass_number if unmasked or not self.pass_number else mask_id(self.pass_number)
            )
            out["issue_count"] = self.issue_count
            out["type_flag"] = self.type_flag
        if self.card_version:
            out["card_version"] = self.card_version
        if self.previous_number_link and unmasked:
            out["previous_number_link"] = self.previous_number_link
        return out


def _iso(value: ValidUntil) -> str:
    return value if isinstance(value, str) else value.isoformat()


# ---------------------------------------------------------------------------- decoding


def decode_text(block: bytes) -> IdCard:
    """Decode and verify a 256-byte text block; raises ``CardDataError`` / ``IdNumberError``."""
    if len(block) != 256:
        raise CardDataError(detail=f"text block is {len(block)} bytes, not 256")
    flag = _text(block, FLAG_OFFSET, 2)
    flag = flag if flag in FLAG_TYPES else ""
    fields = {key: _text(block, off, size) for key, (off, size) in LAYOUTS[flag].items()}
    if flag == "Y":
        # Join before stripping: a 35-character first part may end in the space between words.
        joined = _raw(block, 52, 70) + _raw(block, 220, 22)
        fields["english_name"] = joined.rstrip(" \x00")
        del fields["english_name_2"]
    card = IdCard(
        card_type=FLAG_TYPES.get(flag, CardType.RESIDENT),
        name=fields.get("name", ""),
        sex=_sex(fields["sex"]),
        birth_date=_date(fields["birth_date"], "birth_date"),
        id_number=fields["id_number"],
        valid_from=_date(fields["valid_from"], "valid_from"),
        valid_to=_valid_to(fields["valid_to"]),
        nation_code=fields.get("nation_code", ""),
        nation=nation_name(fields.get("nation_code", "")),
        address=fields.get("address", ""),
        issuer=fields.get("issuer", ""),
        english_name=fields.get("english_name", ""),
        nationality=fields.get("nationality", ""),
        pass_number=fields.get("pass_number", ""),
        issue_count=_count(fields.get("issue_count", "")),
        type_flag=flag,
        card_version=fields.get("card_version", ""),
        previous_number_link=fields.get("previous_number_link", ""),
    )
    verify(card)
    return card


def _raw(block: bytes, offset: int, size: int) -> str:
    try:
        return block[offset : offset + size].decode("utf-16-le")
    except UnicodeDecodeError as exc:  # a lone surrogate: the block is corrupt
        raise CardDataError(detail=f"field at byte {offset} is not valid UCS-2") from exc


def _text(block: bytes, offset: int, size: int) -> str:
    """A space-padded UCS-2LE field; surrogate pairs decode to one character intact."""
    return _raw(block, offset, size).rstrip(" \x00")


def _sex(code: str) -> str:
    if code not in SEXES:
        raise CardDataError(detail=f"sex code {code!r} is neither 1 nor 2")
    return SEXES[code]


def _date(text: str, what: str) -> dt.date:
    if _DATE.fullmatch(text):
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise CardDataError(detail=f"{what} is not a YYYYMMDD date")


def _valid_to(text: str) -> ValidUntil:
    return LONG_TERM if text == LONG_TERM else _date(text, "valid_to")


def _count(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def verify(card: IdCard) -> None:
    """GB 11643 check digit, and agreement of the number with birth date and sex.

    The 2017 foreign card's 15-character number has no check digit and its date encoding is
    not documented in our sources, so only its shape is checked.
    """
    number = card.id_number
    if card.type_flag == "I":
        if not _ID15.fullmatch(number):
            raise IdNumberError(
                "format", detail="2017 permanent resident number is not AAA+12 digits"
            )
        return
    if not _ID18.fullmatch(number):
        raise IdNumberError(
            "format", detail=f"id number is not 17 digits + check ({len(number)} chars)"
        )
    try:
        facts = parse_id_number(number)
    except ValidationError as exc:
        reason = (
            "check_digit"
            if "check digit" in exc.detail
            else "birth_date"
            if "birth date" in exc.detail
            else "format"
        )
        raise IdNumberError(reason, detail=exc.detail) from exc
    if facts.birth_date != card.birth_date:
        raise IdNumberError("birth_date", detail="id number birth date disagrees with the card")
    if facts.sex != card.sex:
        raise IdNumberError("sex", detail="id number sex digit disagrees with the card")


# ---------------------------------------------------------------------------- card files


def card_from_json(obj: Mapping[str, Any], *, check: bool = True) -> IdCard:
    """A card from the ``to_json(unmasked=True)`` shape (simulator and demo card files).

    ``check=False`` lets a test build a deliberately inconsistent card to feed the simulator.
    """
    try:
        card_type = CardType(obj.get("card_type", "resident"))
        number = str(obj["id_number"])
        flag = str(obj.get("type_flag", ""))
        if card_type is CardType.HMT_RESIDENCE_PERMIT:
            flag = "J"
        elif card_type is CardType.FOREIGN_PERMANENT_RESIDENT and flag not in ("I", "Y"):
            flag = "I" if len(number) == 15 else "Y"
        elif card_type is CardType.RESIDENT:
            flag = ""
        sex = str(obj["sex"])
        nation_code = str(obj.get("nation_code", ""))
        count = obj.get("issue_count")
        card = IdCard(
            card_type=card_type,
            name=str(obj.get("name", "")),
            sex=SEXES.get(sex, sex),
            birth_date=dt.date.fromisoformat(str(obj["birth_date"])),
            id_number=number,
            valid_from=dt.date.fromisoformat(str(obj["valid_from"])),
            valid_to=(
                LONG_TERM
                if obj["valid_to"] == LONG_TERM
                else dt.date.fromisoformat(str(obj["valid_to"]))
            ),
            nation_code=nation_code,
            nation=str(obj.get("nation") or nation_name(nation_code)),
            address=str(obj.get("address", "")),
            issuer=str(obj.get("issuer", "")),
            english_name=str(obj.get("english_name", "")),
            nationality=str(obj.get("nationality", "")),
            pass_number=str(obj.get("pass_number", "")),
            issue_count=None if count is None else int(count),
            type_flag=flag,
            card_version=str(obj.get("card_version", "")),
            previous_number_link=str(obj.get("previous_number_link", "")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise CardDataError(detail=f"card file: {type(exc).__name__}: {exc}") from exc
    if check:
        verify(card)
    return card


def load_card(path: Path | str, *, check: bool = True) -> IdCard:
    with open(path, encoding="utf-8") as fh:
        return card_from_json(json.load(fh), check=check)


def resident_card(name: str, id_number: str, *, address: str = "") -> IdCard:
    """A verified resident card for a known person: the demo's card taps and UI tests.

    Birth date and sex come from the number itself (GB 11643), so the card always agrees
    with it and passes ``verify``.
    """
    birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return card_from_json(
        {
            "card_type": "resident",
            "name": name,
            "sex": "男" if int(id_number[16]) % 2 else "女",
            "nation_code": "01",
            "birth_date": birth.isoformat(),
            "address": address or "广东省广州市南沙区",
            "id_number": id_number,
            "issuer": "广州市公安局南沙分局",
            "valid_from": "2016-05-20",
            "valid_to": LONG_TERM,
        }
    )
