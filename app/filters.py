"""Template filters for amounts, ages, times and masked personal information."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from zoneinfo import ZoneInfo

from flask import Flask

from app.access import mask, reference

#: Time zone pages show times in; load runs are stored in UTC.
DISPLAY_TIME_ZONE = "Asia/Shanghai"


def money(value: float | None, decimals: int = 2) -> str:
    """Format an amount with thousands separators; a missing value (or one not a number) shows a dash."""
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return "—"
    return f"{value:,.{decimals}f}"


def age(birth_date: str | None, today: date | None = None) -> str:
    """Return the age in whole years on ``today`` for an ISO birth date, or a dash."""
    if not birth_date:
        return "—"
    born = date.fromisoformat(birth_date)
    today = today or date.today()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years} 岁"


def local_time(iso_timestamp: str | None, zone: str = DISPLAY_TIME_ZONE) -> str:
    """Show an ISO timestamp with offset in the bank's time zone, to the second."""
    if not iso_timestamp:
        return "—"
    moment = datetime.fromisoformat(iso_timestamp)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


#: Names in the division code list that stand for a level a city does not have.
EMPTY_DIVISION_LEVELS = frozenset({"直辖", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def division_name(division: dict | None) -> str:
    """Name an administrative division as province, prefecture and county, or a dash."""
    if not division:
        return "—"
    parts = [division.get(level) for level in ("province", "prefecture", "name")]
    named = [part for part in dict.fromkeys(parts) if part and part not in EMPTY_DIVISION_LEVELS]
    return " ".join(named) or "—"


def file_name(path: str | None) -> str:
    return PurePath(path).name if path else "—"


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(age)
    app.add_template_filter(local_time)
    app.add_template_filter(file_name)
    app.add_template_filter(division_name)
    app.add_template_filter(mask)
    app.add_template_filter(reference)
