"""Template filters for amounts and ages."""

from __future__ import annotations

from datetime import date

from flask import Flask


def money(value: float | None, decimals: int = 2) -> str:
    """Format an amount with thousands separators; a missing value shows a dash."""
    if value is None:
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


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(age)
