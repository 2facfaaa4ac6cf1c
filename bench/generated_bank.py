"""The generated bank the benchmarks load: its day-end files for one business date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synthetic.bank import generate_bank
from synthetic.vocabulary import county_divisions, small_industries
from synthetic.writer import write_feed_files

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BUSINESS_DATE = date(2026, 12, 3)


def write_generated_bank(customers: int, seed: int, folder: Path) -> int:
    """Write a generated bank's feed files and ground truth into ``folder``; returns the rows written.

    The bank itself is not returned: kept in memory, its rows would slow what is measured next.
    """
    bank = generate_bank(
        customers,
        seed=seed,
        business_date=BUSINESS_DATE,
        divisions=county_divisions(SHARED_DATA / "cn-areacodes"),
        industries=small_industries(SHARED_DATA / "cn-industry-gbt4754"),
    )
    return sum(write_feed_files(bank, folder).values())
