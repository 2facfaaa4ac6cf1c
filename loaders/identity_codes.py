"""Check Chinese resident identity numbers (GB 11643) and unified social credit codes (GB 32100).

Both checks are pure functions. The caller passes in the administrative division codes an
identity number may start with. A number keeps the division code of its place and time of
issue, and many of those codes have since been retired.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date

# GB 11643: weights of the first 17 digits, and the check character for each remainder mod 11.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARACTERS = "10X98765432"

# GB 32100: the 31 characters of the code (no I, O, S, V or Z), their values 0..30 by position.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidIdentityCode(ValueError):
    """An identity number or credit code fails its format or check. The message names the part."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    division_code: str
    birth_date: date
    gender: str  # "M" or "F"


@dataclass(frozen=True)
class CreditCode:
    code: str
    registration_authority: str
    entity_category: str
    division_code: str
    organisation_code: str


def parse_resident_id(
    number: str, known_divisions: Container[str] | None = None, today: date | None = None
) -> ResidentId:
    """Check an 18-character (or old 15-digit) resident identity number and return its parts.

    :param known_divisions: division codes accepted as the first six digits, retired ones
        included; ``None`` skips that check.
    :raises InvalidIdentityCode: naming the first part that is wrong.
    """
    number = number.strip().upper()
    subject = f"identity number {number!r}"
    if len(number) == 15:
        if not number.isdigit():
            raise InvalidIdentityCode(f"15-digit {subject} contains a non-digit")
        birth_text, sequence = "19" + number[6:12], number[12:15]
    elif len(number) == 18:
        if not number[:17].isdigit() or number[17] not in RESIDENT_ID_CHECK_CHARACTERS:
            raise InvalidIdentityCode(f"{subject} must be 17 digits and a digit or X")
        expected = resident_id_check_character(number[:17])
        if number[17] != expected:
            raise InvalidIdentityCode(f"{subject} has check character {number[17]}, expected {expected}")
        birth_text, sequence = number[6:14], number[14:17]
    else:
        raise InvalidIdentityCode(f"{subject} has {len(number)} characters, expected 18 or 15")

    division_code = number[:6]
    if known_divisions is not None and division_code not in known_divisions:
        raise InvalidIdentityCode(f"{subject} starts with unknown division code {division_code}")
    birth_date = _birth_date(subject, birth_text)
    if birth_date > (today or date.today()):
        raise InvalidIdentityCode(f"{subject} has a birth date in the future: {birth_date}")
    gender = "M" if int(sequence[-1]) % 2 == 1 else "F"
    return ResidentId(number, division_code, birth_date, gender)


def resident_id_check_character(first_17_digits: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character of the first 17 digits."""
    pairs = zip(first_17_digits, RESIDENT_ID_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    return RESIDENT_ID_CHECK_CHARACTERS[total % 11]


def parse_credit_code(code: str) -> CreditCode:
    """Check an 18-character unified social credit code and return its parts.

    :raises InvalidIdentityCode: for a wrong length, a character outside the code's alphabet or a
        wrong check character.
    """
    code = code.strip().upper()
    if len(code) != 18:
        raise InvalidIdentityCode(f"credit code {code!r} has {len(code)} characters, expected 18")
    invalid = sorted({character for character in code if character not in CREDIT_CODE_ALPHABET})
    if invalid:
        raise InvalidIdentityCode(
            f"credit code {code!r} contains {''.join(invalid)}, outside 0-9 and A-Y without I, O, S, V and Z"
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise InvalidIdentityCode(f"credit code {code!r} has check character {code[17]}, expected {expected}")
    return CreditCode(code, code[0], code[1], code[2:8], code[8:17])


def credit_code_check_character(first_17: str) -> str:
    """Return the mod-31 check character of the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(character) * weight
        for character, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _birth_date(subject: str, birth_text: str) -> date:
    try:
        return date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise InvalidIdentityCode(f"{subject} has an invalid birth date {birth_text}") from None
