"""Text block decoding for the three card types, verification, card files and the dummy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.idcard.base import DummyIdCardReader
from devices.idcard.card import (
    LONG_TERM,
    NATIONS,
    CardType,
    IdCard,
    card_from_json,
    decode_text,
    load_card,
    nation_name,
)
from devices.idcard.errors import CardDataError, IdCardError, IdNumberError, ReadFailed
from devices.idcard.simulator import encode_text

CARDS = Path(__file__).resolve().parents[2] / "devices" / "idcard" / "cards"


def utf16(text: str, units: int) -> bytes:
    """``text`` space-padded to ``units`` UCS-2 code units (a surrogate pair counts two)."""
    raw = text.encode("utf-16-le")
    assert len(raw) <= 2 * units
    return raw + " ".encode("utf-16-le") * (units - len(raw) // 2)


def resident_block(**override: str) -> bytes:
    """Built by hand from the 1.7 table, independently of the simulator's encoder."""
    f = {
        "name": "王䶮",
        "sex": "1",
        "nation": "01",
        "birth": "19680415",
        "address": "广东省广州市南沙区黄阁镇",
        "id": "440115196804150039",
        "issuer": "广州市公安局南沙分局",
        "from": "20160520",
        "to": "长期",
        "flag": " ",
    } | override
    block = (
        utf16(f["name"], 15)
        + utf16(f["sex"], 1)
        + utf16(f["nation"], 2)
        + utf16(f["birth"], 8)
        + utf16(f["address"], 35)
        + utf16(f["id"], 18)
        + utf16(f["issuer"], 15)
        + utf16(f["from"], 8)
        + utf16(f["to"], 8)
        + utf16("", 14)
        + utf16(f["flag"], 1)
        + utf16("", 3)
    )
    assert len(block) == 256
    return block


def test_resident_card_decodes_every_field() -> None:
    card = decode_text(resident_block())
    assert card == IdCard(
        card_type=CardType.RESIDENT,
        name="王䶮",
        sex="男",
        nation_code="01",
        nation="汉",
        birth_date=dt.date(1968, 4, 15),
        address="广东省广州市南沙区黄阁镇",
        id_number="440115196804150039",
        issuer="广州市公安局南沙分局",
        valid_from=dt.date(2016, 5, 20),
        valid_to=LONG_TERM,
    )
    assert card.name.encode("utf-8") == "王䶮".encode()  # U+4DAE survives


def test_resident_with_dated_validity_and_supplementary_name() -> None:
    # U+20BB7 (𠮷) needs a surrogate pair; it must come through as one character.
    card = decode_text(resident_block(name="𠮷野", to="20360520"))
    assert card.name == "𠮷野" and len(card.name) == 2
    assert card.valid_to == dt.date(2036, 5, 20)


def test_private_use_characters_are_kept() -> None:
    assert decode_text(resident_block(name="李\ue000华")).name == "李\ue000华"


def test_nul_padding_is_stripped_like_spaces() -> None:
    block = bytearray(resident_block())
    block[4:30] = bytes(26)
    assert decode_text(bytes(block)).name == "王䶮"


def test_hmt_residence_permit_j() -> None:
    block = bytearray(resident_block(nation="  ", flag="J"))
    block[122:158] = utf16("810000199208150027", 18)
    block[30:32] = utf16("2", 1)
    block[36:52] = utf16("19920815", 8)
    block[220:238] = utf16("H60123456", 9)
    block[238:242] = utf16("02", 2)
    card = decode_text(bytes(block))
    assert card.card_type is CardType.HMT_RESIDENCE_PERMIT and card.type_flag == "J"
    assert (card.sex, card.pass_number, card.issue_count) == ("女", "H60123456", 2)
    assert card.nation_code == "" and card.nation == ""  # the slot is reserved on permits
    assert card.issuer == "广州市公安局南沙分局"


def test_foreign_2017_layout_i() -> None:
    block = (
        utf16("ZHANG, MICHAEL JOHN", 60)
        + utf16("1", 1)
        + utf16("CAN110019810803", 15)
        + utf16("CAN", 3)
        + utf16("张迈克", 15)
        + utf16("20170601", 8)
        + utf16("20270601", 8)
        + utf16("19810803", 8)
        + utf16("01", 2)
        + utf16("1500", 4)
        + utf16("I", 1)
        + utf16("", 3)
    )
    card = decode_text(block)
    assert card.card_type is CardType.FOREIGN_PERMANENT_RESIDENT and card.type_flag == "I"
    assert card.english_name == "ZHANG, MICHAEL JOHN" and card.name == "张迈克"
    assert (card.nationality, card.card_version, card.issuer) == ("CAN", "01", "1500")
    assert card.birth_date == dt.date(1981, 8, 3) and card.sex == "男"
    assert encode_text(card) == block


def y_block(english: str) -> bytes:
    first, second = english[:35], english[35:]
    return (
        utf16("蒙丽莎", 15)
        + utf16("2", 1)
        + utf16("03", 2)
        + utf16("19880304", 8)
        + utf16(first, 35)
        + utf16("944826198803040020", 18)
        + utf16("", 15)
        + utf16("20230601", 8)
        + utf16("20330531", 8)
        + utf16(second, 11)
        + utf16("GBR", 3)
        + utf16("Y", 1)
        + utf16("", 3)
    )


@pytest.mark.parametrize(
    "english",
    [
        "SMITH, ANNA",
        "MONTGOMERY-WHITFIELD, CHARLOTTE ANNE ELIZABETH",
        # a space as character 35 sits at the end of the first field and must survive
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ, ABCDEF GHIJKLM",
    ],
)
def test_foreign_2023_layout_y_joins_the_english_name(english: str) -> None:
    card = decode_text(y_block(english))
    assert card.english_name == english
    assert card.type_flag == "Y" and card.card_type is CardType.FOREIGN_PERMANENT_RESIDENT
    assert (card.name, card.nationality, card.issue_count) == ("蒙丽莎", "GBR", 3)
    assert card.sex == "女" and card.birth_date == dt.date(1988, 3, 4)
    assert encode_text(card) == y_block(english)


def test_nation_table_gb3304() -> None:
    assert len(NATIONS) == 58
    assert [nation_name(c) for c in ("01", "08", "46", "56", "97", "98")] == [
        "汉",
        "壮",
        "德昂",
        "基诺",
        "其他",
        "外国血统中国籍人士",
    ]
    assert nation_name("77") == ""
    card = decode_text(resident_block(nation="77"))
    assert (card.nation_code, card.nation) == ("77", "")


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"id": "440115196804150038"}, "check_digit"),
        ({"id": "44011519680415003"}, "format"),
        ({"id": "44011519680415003Y"}, "format"),
        ({"birth": "19680416"}, "birth_date"),
        ({"sex": "2"}, "sex"),
    ],
)
def test_id_number_disagreement_is_a_typed_error(override: dict[str, str], reason: str) -> None:
    with pytest.raises(IdNumberError) as info:
        decode_text(resident_block(**override))
    assert info.value.reason == reason
    assert "440115" not in info.value.detail and "王" not in info.value.detail


@pytest.mark.parametrize(
    "override",
    [{"sex": "0"}, {"sex": "9"}, {"birth": "19681332"}, {"from": "2016052"}, {"to": "长久"}],
)
def test_malformed_fields_are_card_data_errors(override: dict[str, str]) -> None:
    with pytest.raises(CardDataError):
        decode_text(resident_block(**override))


def test_lone_surrogate_is_a_card_data_error() -> None:
    block = bytearray(resident_block())
    block[0:2] = b"\x00\xd8"
    with pytest.raises(CardDataError):
        decode_text(bytes(block))


def test_wrong_block_size() -> None:
    with pytest.raises(CardDataError):
        decode_text(bytes(255))


@pytest.mark.parametrize("path", sorted(CARDS.glob("*.json")), ids=lambda p: p.stem)
def test_sample_card_files_round_trip_through_the_text_block(path: Path) -> None:
    card = load_card(path)
    assert decode_text(encode_text(card)) == card
    assert card_from_json(card.to_json(unmasked=True)) == card


def test_sample_cards_cover_the_three_types() -> None:
    cards = {p.stem: load_card(p) for p in CARDS.glob("*.json")}
    assert {c.type_flag for c in cards.values()} == {"", "J", "Y"}
    resident = next(c for c in cards.values() if c.card_type is CardType.RESIDENT)
    assert resident.name == "王䶮" and resident.valid_to == LONG_TERM


def test_json_output_keys_and_masking() -> None:
    card = load_card(CARDS / "hmt_permit_chen.json")
    masked = card.to_json()
    assert masked["id_number"] == "810***********0027"
    assert masked["pass_number"] != card.pass_number
    assert set(masked) >= {
        "card_type",
        "name",
        "sex",
        "nation",
        "nation_code",
        "birth_date",
        "address",
        "id_number",
        "issuer",
        "valid_from",
        "valid_to",
        "english_name",
        "nationality",
        "pass_number",
        "issue_count",
    }
    assert card.to_json(unmasked=True)["id_number"] == "810000199208150027"
    resident = load_card(CARDS / "resident_wang_yan.json").to_json()
    assert resident["valid_to"] == "长期" and "english_name" not in resident


def test_repr_is_masked() -> None:
    card = load_card(CARDS / "resident_wang_yan.json")
    assert "王" not in repr(card) and "440115196804150039" not in repr(card)
    assert "0039" in repr(card)


def test_card_file_errors_are_typed() -> None:
    with pytest.raises(CardDataError):
        card_from_json({"name": "x"})
    good = load_card(CARDS / "resident_wang_yan.json").to_json(unmasked=True)
    with pytest.raises(IdNumberError):
        card_from_json(good | {"id_number": "440115196804150038"})
    assert card_from_json(good | {"id_number": "440115196804150038"}, check=False)


def test_dummy_reader_delivers_injected_events() -> None:
    cards: list[IdCard] = []
    errors: list[IdCardError] = []
    dummy = DummyIdCardReader(on_card=cards.append, on_error=errors.append)
    dummy.start()
    assert dummy.status().state is DeviceState.READY
    card = load_card(CARDS / "foreign_2023_montgomery.json")
    dummy.present(card)
    dummy.present_error(ReadFailed())
    assert cards == [card] and isinstance(errors[0], ReadFailed)
    dummy.unplug()
    assert dummy.status().state is DeviceState.DISCONNECTED
    dummy.plug()
    dummy.stop()
    assert dummy.status().state is DeviceState.STOPPED


def test_dummy_survives_a_failing_consumer() -> None:
    def boom(card: IdCard) -> None:
        raise RuntimeError("consumer bug")

    dummy = DummyIdCardReader(on_card=boom)
    dummy.present(load_card(CARDS / "resident_wang_yan.json"))  # logged, not raised


def test_card_is_frozen() -> None:
    card = load_card(CARDS / "resident_wang_yan.json")
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.name = "x"  # type: ignore[misc]
