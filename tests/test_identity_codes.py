"""Resident identity numbers (GB 11643) and unified social credit codes (GB 32100)."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.identity_codes import (
    InvalidIdentityCode,
    credit_code_check_character,
    parse_credit_code,
    parse_resident_id,
    resident_id_check_character,
)
from loaders.reference_data import read_divisions
from tests.conftest import SHARED_DATA

AREACODES_DIR = SHARED_DATA / "cn-areacodes"


@pytest.fixture(scope="module")
def known_divisions() -> set[str]:
    return {row.values["code"] for row in read_divisions(AREACODES_DIR) if row.values}


def test_standard_example_is_valid():
    parsed = parse_resident_id("11010519491231002X")

    assert parsed.division_code == "110105"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"


def test_lowercase_x_is_accepted():
    assert parse_resident_id("11010519491231002x").number == "11010519491231002X"


def test_wrong_check_character_is_named():
    with pytest.raises(InvalidIdentityCode, match="check character 3, expected X"):
        parse_resident_id("110105194912310023")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1101051949123100", "16 characters"),
        ("11010519491331002X", None),  # month 13; the check character is recomputed below
        ("1101A519491231002X", "17 digits"),
    ],
)
def test_malformed_numbers_are_rejected(number, message):
    if message is None:
        number = number[:17] + resident_id_check_character(number[:17])
        message = "invalid birth date 19491331"

    with pytest.raises(InvalidIdentityCode, match=message):
        parse_resident_id(number)


def test_future_birth_date_is_rejected():
    body = "11010520300101001"

    with pytest.raises(InvalidIdentityCode, match="future"):
        parse_resident_id(body + resident_id_check_character(body), today=date(2026, 12, 4))


def test_retired_division_code_is_accepted(known_divisions):
    # 110103 was Chongwen District of Beijing, merged into Dongcheng (110101) in 2010.
    body = "11010319800101001"

    parsed = parse_resident_id(body + resident_id_check_character(body), known_divisions)

    assert parsed.division_code == "110103"
    assert parsed.gender == "M"


def test_unknown_division_code_is_rejected(known_divisions):
    body = "99999919800101001"

    with pytest.raises(InvalidIdentityCode, match="unknown division code 999999"):
        parse_resident_id(body + resident_id_check_character(body), known_divisions)


def test_old_15_digit_number():
    parsed = parse_resident_id("110105491231002")

    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"


def test_credit_code_parts():
    parsed = parse_credit_code("91350100M000100Y43")

    assert parsed.registration_authority == "9"
    assert parsed.entity_category == "1"
    assert parsed.division_code == "350100"
    assert parsed.organisation_code == "M000100Y4"


def test_credit_code_check_is_mod_31():
    assert credit_code_check_character("91350100M000100Y4") == "3"
    with pytest.raises(InvalidIdentityCode, match="expected 3"):
        parse_credit_code("91350100M000100Y4A")


@pytest.mark.parametrize(
    ("code", "message"), [("91350100M000100Y4", "17 characters"), ("91350100M000100I43", "I")]
)
def test_malformed_credit_codes_are_rejected(code, message):
    with pytest.raises(InvalidIdentityCode, match=message):
        parse_credit_code(code)
