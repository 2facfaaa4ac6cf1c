"""Typed columns of a feed, and the conversion of one raw value to a property value.

Identity, account and code columns stay strings, so leading zeros and a trailing X survive.
Amounts are parsed as exact decimals, then stored rounded to cents.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from loaders.identity_codes import InvalidIdentityCode, parse_credit_code, parse_resident_id


class FieldRejected(ValueError):
    """A value that does not fit its column; carries the column's name."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"  # identifiers and codes: kept as written, leading zeros included
    RESIDENT_ID = "resident_id"
    CREDIT_CODE = "credit_code"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """One column of a feed file and the property it fills."""

    name: str
    property: str
    kind: Kind = Kind.TEXT
    required: bool = False
    #: strptime format of DATE and DATETIME columns.
    format: str = "%Y%m%d"
    #: Allowed values of a CODE column, where the feed has a closed list.
    allowed: frozenset[str] | None = None


def convert(column: Column, raw: str | None, known_divisions: Container[str] | None) -> object:
    """Convert one raw value; an empty optional value becomes None.

    :raises FieldRejected: when the value is missing, malformed or outside the allowed values.
    """
    value = (raw or "").strip()
    if not value:
        if column.required:
            raise FieldRejected(column.name, "is missing")
        return None
    if "\x00" in value:
        # No source system means a NUL byte, and the engines' bulk paths end strings at one.
        raise FieldRejected(column.name, "contains a NUL character")
    try:
        return CONVERTERS[column.kind](column, value, known_divisions)
    except (ValueError, InvalidOperation, InvalidIdentityCode) as error:
        if isinstance(error, FieldRejected):
            raise
        raise FieldRejected(column.name, str(error)) from None


def _code(column: Column, value: str, _divisions) -> str:
    if column.allowed is not None and value not in column.allowed:
        raise FieldRejected(column.name, f"{value!r} is not one of {', '.join(sorted(column.allowed))}")
    return value


def _decimal(column: Column, value: str, _divisions) -> float:
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise FieldRejected(column.name, f"{value!r} is not a number") from None
    if not amount.is_finite():
        raise FieldRejected(column.name, f"{value!r} is not a finite number")
    if amount.as_tuple().exponent < -2:
        # Rounding would change the amount the source system sent.
        raise FieldRejected(column.name, f"{value!r} has more than two decimal places")
    return float(amount)


def _integer(column: Column, value: str, _divisions) -> int:
    if not value.lstrip("-").isdigit():
        raise FieldRejected(column.name, f"{value!r} is not a whole number")
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise FieldRejected(column.name, f"{value!r} is beyond the 64-bit range the graph stores")
    return number


def _date(column: Column, value: str, _divisions) -> str:
    try:
        # strptime is slow, and feeds carry hundreds of thousands of compact dates.
        if column.format == "%Y%m%d" and len(value) == 8 and value.isdigit():
            return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
        return datetime.strptime(value, column.format).date().isoformat()
    except ValueError:
        raise FieldRejected(
            column.name, f"{value!r} is not a valid date in the form {_readable(column.format)}"
        ) from None


def _datetime(column: Column, value: str, _divisions) -> str:
    try:
        if column.format == "%Y%m%d%H%M%S" and len(value) == 14 and value.isdigit():
            parts = (value[:4], value[4:6], value[6:8], value[8:10], value[10:12], value[12:])
            return datetime(*map(int, parts)).isoformat(timespec="seconds")
        return datetime.strptime(value, column.format).isoformat(timespec="seconds")
    except ValueError:
        raise FieldRejected(
            column.name, f"{value!r} is not a valid time in the form {_readable(column.format)}"
        ) from None


def _readable(strptime_format: str) -> str:
    """Spell a strptime format the way feed specifications do, such as YYYYMMDD."""
    for directive, letters in (
        ("%Y", "YYYY"),
        ("%m", "MM"),
        ("%d", "DD"),
        ("%H", "hh"),
        ("%M", "mm"),
        ("%S", "ss"),
    ):
        strptime_format = strptime_format.replace(directive, letters)
    return strptime_format


CONVERTERS: dict[Kind, Callable[[Column, str, Container[str] | None], object]] = {
    Kind.TEXT: lambda column, value, divisions: value,
    Kind.CODE: _code,
    Kind.RESIDENT_ID: lambda column, value, divisions: parse_resident_id(value, divisions).number,
    Kind.CREDIT_CODE: lambda column, value, divisions: parse_credit_code(value).code,
    Kind.DECIMAL: _decimal,
    Kind.INTEGER: _integer,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
}
