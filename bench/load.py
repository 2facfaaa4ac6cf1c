"""Benchmark the feed loader against a plain UNWIND/MERGE script and FalkorDB's bulk loader.

Usage: python bench/load.py [--customers 10000] [--seed 7]

All load the same generated day-end files into an empty graph of a fresh embedded FalkorDB:

- ours, first load: ``load_feed_folder``, which parses, types, validates and records every row,
  and builds a graph without feed data in one pass with ``GRAPH.BULK``;
- ours, by queries: the same with the first-load path turned off, as every later day loads;
- plain: the same nodes and relationships written with batched ``UNWIND ... MERGE`` from the raw
  text, with no conversion or validation;
- bulk: ``falkordb-bulk-insert`` (package falkordb-bulk-loader) from CSV files prepared
  beforehand; preparing them is not timed, and the bulk loader only fills an empty graph.

Prints rows per second, the ratios and the server's memory per 10,000 customers.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generated_bank import BUSINESS_DATE, write_generated_bank  # noqa: E402
from c360.config import Settings  # noqa: E402 (the project root must be on the path first)
from graph_model.feed_writes import upsert_feed_links, upsert_feed_nodes  # noqa: E402
from graph_model.store import open_store  # noqa: E402
from loaders.delimited import read_delimited  # noqa: E402
from loaders.feeds.catalogue import FEEDS  # noqa: E402
from loaders.feeds.runner import load_feed_folder  # noqa: E402

BATCH_SIZE = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000, help="retail customers to generate")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="c360-bench-"))
    try:
        feeds = work / "feeds"
        rows = write_generated_bank(args.customers, args.seed, feeds)
        print(f"{args.customers} customers, {rows} feed rows in {feeds}")

        first_s, memory = _timed_load(work / "first", lambda store: _load_ours(store, feeds, work, bulk=True))
        queries_s, _ = _timed_load(work / "queries", lambda store: _load_ours(store, feeds, work, bulk=False))
        plain_s, _ = _timed_load(work / "plain", lambda store: _load_plain(store, feeds))
        bulk_s = _load_bulk(work / "bulk", feeds)

        results = {
            "customers": args.customers,
            "rows": rows,
            "ours_first_load_rows_per_s": round(rows / first_s),
            "ours_by_queries_rows_per_s": round(rows / queries_s),
            "plain_rows_per_s": round(rows / plain_s),
            "bulk_rows_per_s": round(rows / bulk_s) if bulk_s else None,
            "ours_by_queries_vs_plain": round(plain_s / queries_s, 2),
            "ours_first_load_time_vs_bulk": round(first_s / bulk_s, 2) if bulk_s else None,
            "memory_mb_per_10k_customers": round(memory / 1024 / 1024 / (args.customers / 10_000), 1),
        }
        print(f"ours, first load  {first_s:7.2f} s  {results['ours_first_load_rows_per_s']:>8} rows/s")
        print(f"ours, by queries  {queries_s:7.2f} s  {results['ours_by_queries_rows_per_s']:>8} rows/s")
        print(f"plain             {plain_s:7.2f} s  {results['plain_rows_per_s']:>8} rows/s")
        if bulk_s:
            print(f"bulk              {bulk_s:7.2f} s  {results['bulk_rows_per_s']:>8} rows/s")
        print(
            f"ours by queries / plain throughput: {results['ours_by_queries_vs_plain']} (target at least 0.9)"
        )
        print(f"ours first load / bulk time: {results['ours_first_load_time_vs_bulk']} (target at most 2)")
        print(
            f"server memory after our load: {results['memory_mb_per_10k_customers']} MB per 10,000 customers"
        )
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _timed_load(data_dir: Path, load) -> tuple[float, int]:
    store = open_store(Settings(data_dir=data_dir, graph_name="bench"))
    try:
        store.ensure_schema()
        started = time.perf_counter()
        load(store)
        elapsed = time.perf_counter() - started
        memory = int(store.server.client().info("memory")["used_memory"])
    finally:
        store.close()
    return elapsed, memory


def _load_ours(store, feeds: Path, work: Path, *, bulk: bool) -> None:
    load_feed_folder(
        store,
        feeds,
        runs_dir=work / "runs",
        batch_size=BATCH_SIZE,
        max_reject_ratio=0.05,
        bulk_first_load=bulk,
    )


def _load_plain(store, feeds: Path) -> None:
    """Write the same nodes and links from the raw text: no types, no checks, no run record."""
    for spec in FEEDS:
        path = feeds / f"{spec.name}_{BUSINESS_DATE:%Y%m%d}.csv"
        records = [
            record
            for _line, _raw, record, _problem in read_delimited(
                path, delimiter="|", encoding=spec.python_encoding
            )
        ]
        rows = [_raw_properties(spec, record) for record in records]
        options = {"feed": spec.name, "business_date": BUSINESS_DATE.isoformat(), "batch_size": BATCH_SIZE}
        if spec.node is not None:
            node_rows = [{"key": row[spec.node.key], "props": row} for row in rows]
            upsert_feed_nodes(store, spec.node.label, spec.node.key, node_rows, **options)
        for link in spec.links:
            link_rows = [
                {
                    "source": row[link.source_property],
                    "target": row[link.target_property],
                    "rel_key": {name: row.get(name) for name in link.key_properties},
                    "props": {},
                    "target_props": {},
                }
                for row in rows
                if row.get(link.source_property) and row.get(link.target_property)
            ]
            description = {
                "rel_type": link.rel_type, "source_label": link.source.label, "source_key": link.source.key,
                "target_label": link.target.label, "target_key": link.target.key,
                "key_properties": link.key_properties, "create_target": link.create_target,
            }  # fmt: skip
            upsert_feed_links(store, description, link_rows, **options)


def _raw_properties(spec, record: dict) -> dict:
    row = {column.property: record.get(column.name) or None for column in spec.columns}
    # The few derived keys the links need, computed without any check.
    if spec.name == "cbs_transaction":
        if row.get("bank_code") and row.get("account_number"):
            row["counterparty_key"] = f"{row['bank_code']}/{row['account_number']}"
            row["own_account_no"] = row["account_number"] if row["bank_code"] == "C360" else None
    if spec.name == "crm_rating":
        row["rating_id"] = f"{row['customer_no']}:{row['rating_date']}"
    return row


def _load_bulk(data_dir: Path, feeds: Path) -> float | None:
    """Time falkordb-bulk-insert on CSVs of the same nodes and links; None when it is not installed."""
    command = shutil.which("falkordb-bulk-insert") or str(
        Path(sys.executable).parent / "falkordb-bulk-insert"
    )
    if not Path(command).exists():
        print("bulk  skipped: falkordb-bulk-insert is not installed (pip install falkordb-bulk-loader)")
        return None
    csv_dir = data_dir / "csv"
    arguments = _bulk_csv_files(feeds, csv_dir)
    store = open_store(Settings(data_dir=data_dir, graph_name="unused"))
    try:
        url = f"unix://{store.server.socket_path}"
        started = time.perf_counter()
        subprocess.run([command, "bench", "-u", url, *arguments], check=True, capture_output=True)
        return time.perf_counter() - started
    finally:
        store.close()


def _bulk_csv_files(feeds: Path, csv_dir: Path) -> list[str]:
    """Write one CSV per label and per relationship type in the bulk loader's format."""
    csv_dir.mkdir(parents=True)
    nodes: dict[str, dict[str, dict]] = {}
    links: dict[str, list[tuple[str, str]]] = {}
    for spec in FEEDS:
        path = feeds / f"{spec.name}_{BUSINESS_DATE:%Y%m%d}.csv"
        for _line, _raw, record, _problem in read_delimited(
            path, delimiter="|", encoding=spec.python_encoding
        ):
            row = _raw_properties(spec, record)
            if spec.node is not None:
                nodes.setdefault(spec.node.label, {})[row[spec.node.key]] = row
            for link in spec.links:
                source, target = row.get(link.source_property), row.get(link.target_property)
                if source and target:
                    if link.create_target:
                        nodes.setdefault(link.target.label, {}).setdefault(target, {link.target.key: target})
                    links.setdefault(link.rel_type, []).append(
                        (f"{link.source.label}:{source}", f"{link.target.label}:{target}")
                    )
    arguments = []
    for label, by_key in nodes.items():
        path = csv_dir / f"{label}.csv"
        names = sorted({name for row in by_key.values() for name in row})
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["_id", *names])
            for key, row in by_key.items():
                writer.writerow([f"{label}:{key}", *[row.get(name) or "" for name in names]])
        arguments += ["-N", label, str(path)]
    known = {f"{label}:{key}" for label, by_key in nodes.items() for key in by_key}
    for rel_type, pairs in links.items():
        path = csv_dir / f"{rel_type}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["src", "dst"])
            writer.writerows(pair for pair in dict.fromkeys(pairs) if pair[0] in known and pair[1] in known)
        arguments += ["-R", rel_type, str(path)]
    return arguments


if __name__ == "__main__":
    main()
