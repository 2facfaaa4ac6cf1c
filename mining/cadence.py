"""The rhythm of a series of payments between the same two parties."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from statistics import median

#: Gaps may differ from the typical gap by this share of it and still count as steady.
GAP_TOLERANCE = 0.4


def payment_cadence(dates: Iterable[str]) -> str | None:
    """Return ``weekly``, ``fortnightly``, ``monthly`` or ``periodic`` for steady payments, else None.

    Three or more payments are steady when every gap between them lies within
    ``GAP_TOLERANCE`` of the median gap. Two payments count as monthly when 25 to 35 days apart,
    because a month of history contains no more. Callers weigh that weaker evidence themselves.
    """
    days = sorted(date.fromisoformat(value).toordinal() for value in dates)
    if len(days) < 2:
        return None
    gaps = [later - earlier for earlier, later in zip(days, days[1:], strict=False)]
    if len(days) == 2:
        return "monthly" if 25 <= gaps[0] <= 35 else None
    typical = median(gaps)
    if typical < 5 or any(abs(gap - typical) > GAP_TOLERANCE * typical for gap in gaps):
        return None
    if typical <= 10:
        return "weekly"
    if typical <= 20:
        return "fortnightly"
    if typical <= 45:
        return "monthly"
    return "periodic"
