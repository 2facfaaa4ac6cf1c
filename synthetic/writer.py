"""Write a synthetic bank as day-end feed files, with its ground truth beside them."""

from __future__ import annotations

import json
from pathlib import Path

from loaders.feeds.catalogue import FEEDS
from synthetic.bank import SyntheticBank

GROUND_TRUTH_FILE = "ground_truth.json"


def write_feed_files(bank: SyntheticBank, out_dir: Path) -> dict[str, int]:
    """Write one file per feed for the bank's business date; returns the rows written per feed.

    Every file follows its feed's declaration: header line, ``|`` separators and the declared
    encoding. The ground truth goes to ``ground_truth.json``, which no feed pattern matches.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for spec in FEEDS:
        rows = bank.rows.get(spec.name, [])
        names = [column.name for column in spec.columns]
        lines = [spec.delimiter.join(names)]
        lines += [spec.delimiter.join(str(row.get(name, "")) for name in names) for row in rows]
        path = out_dir / f"{spec.name}_{bank.business_date:%Y%m%d}.csv"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(spec.python_encoding))
        written[spec.name] = len(rows)
    truth = {"business_date": bank.business_date.isoformat(), **bank.truth}
    (out_dir / GROUND_TRUTH_FILE).write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return written
