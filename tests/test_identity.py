from __future__ import annotations

import pytest

from kiosk.errors import ValidationError
from kiosk.identity import (
    check_digit,
    mask_id,
    mask_name,
    mask_phone,
    normalize_phone,
    parse_id_number,
    spoken_tail,
)
from tests.factories import id_number


def test_known_check_digits() -> None:
    # The worked example of GB 11643: 11010519491231002X.
    assert check_digit("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x").sex == "女"


def test_parse_gives_birth_and_sex() -> None:
    number = id_number("19400708", seq=123)  # odd 17th digit: male
    facts = parse_id_number(number)
    assert facts.birth_date is not None and facts.birth_date.isoformat() == "1940-07-08"
    assert facts.sex == "男"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12345", "18位"),
        ("44011519800101123Y", "18位"),
        ("440115198001011231", "校验"),
    ],
)
def test_bad_numbers_get_a_plain_chinese_message(raw: str, fragment: str) -> None:
    if fragment == "校验":
        good = id_number("19800101", seq=123)
        raw = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        parse_id_number(raw)
    assert fragment in err.value.message
    assert raw not in err.value.detail  # never the number in logs


def test_impossible_birth_date_is_refused() -> None:
    first17 = "44011519801301123"  # month 13
    with pytest.raises(ValidationError, match="出生日期"):
        parse_id_number(first17 + check_digit(first17))


def test_hk_macau_taiwan_permit_and_foreign_ids_are_accepted() -> None:
    permit = "81000019900101123"
    assert parse_id_number(permit + check_digit(permit)).sex == "男"
    foreign2023 = "93244019900101123"
    assert parse_id_number(foreign2023 + check_digit(foreign2023)).birth_date is not None
    assert parse_id_number("USA123490010100").sex is None


def test_masks() -> None:
    number = "440115198003121234"
    assert mask_id(number) == "440***********1234"
    assert mask_id(number, staff=True) == "440115********1234"
    assert mask_name("张晓英") == "张*英"
    assert mask_name("李伯") == "李*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("王䶮") == "王*"
    assert mask_phone("13812341234") == "138****1234"
    assert spoken_tail("13812341234") == "尾号1234"


def test_phone_validation() -> None:
    assert normalize_phone(" 138 1234 1234 ") == "13812341234"
    assert normalize_phone("020-84981234") == "020-84981234"
    with pytest.raises(ValidationError, match="电话"):
        normalize_phone("12345")
