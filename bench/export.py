"""Measure the export of one retail customer's profile to CSV, Excel and PDF.

Usage: python bench/export.py [--customers 300] [--extra-records 1000] [--repeat 3] [--keep DIR]

Generates a bank, loads it into a fresh embedded FalkorDB and picks the retail customer with the
most kinds of records. It adds ``--extra-records`` records to each of that customer's record
modules and as many transactions in the last 30 days, so each table of the export reaches its
row limit. Then it exports the whole-bank view (every module) through the web application, as a
head-office manager, ``--repeat`` times per format, and prints the median time and the size of
each file. ``--keep DIR`` writes the last file of each format into DIR. It counts the PDF's pages
with pypdf, from the ``test`` extra.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402 (the project root must be on the path first)
from app.database import EXTENSION_KEY  # noqa: E402
from bench.generated_bank import BUSINESS_DATE, write_generated_bank  # noqa: E402
from c360.config import Settings  # noqa: E402
from graph_model.customer_records import RECORD_KINDS  # noqa: E402
from graph_model.schema import NODE_KEYS  # noqa: E402
from graph_model.store import open_store  # noqa: E402
from graph_model.users import save_user  # noqa: E402
from loaders.feeds.runner import load_feed_folder  # noqa: E402

RICHEST_RETAIL_CUSTOMER = """
MATCH (c:Customer {customer_type: 'retail'})-[r]->()
WITH c, count(DISTINCT type(r)) AS kinds, count(r) AS links
RETURN c.customer_id AS customer_id
ORDER BY kinds DESC, links DESC, customer_id
LIMIT 1
"""

# Labels and relationship types come from RECORD_KINDS, never from input.
ONE_RECORD = """
MATCH (:Customer {{customer_id: $customer_id}})-[:{relationship}]->(n:{label})
RETURN n {{.*}} AS record
LIMIT 1
"""

ADD_RECORDS = """
MATCH (c:Customer {{customer_id: $customer_id}})
UNWIND $rows AS row
CREATE (c)-[:{relationship}]->(n:{label})
SET n = row
"""

ADD_TRANSACTIONS = """
MATCH (c:Customer {customer_id: $customer_id})-[:HOLDS {role: 'owner'}]->(a:Account)
WITH a ORDER BY a.account_id LIMIT 1
UNWIND $rows AS row
CREATE (a)-[:POSTED]->(t:Transaction)
SET t = row
"""

#: Record kinds a customer has one of (its points account) or that are shared nodes (its managers).
SINGLE_RECORD_KINDS = {"points", "managers"}
USERNAME = "bench_export"
PASSWORD = "bench-export-password"
FILE_FORMATS = ("csv", "xlsx", "pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300, help="customers in the generated bank")
    parser.add_argument("--seed", type=int, default=11, help="seed of the generated bank")
    parser.add_argument(
        "--extra-records", type=int, default=1000, help="records added per record module, and transactions"
    )
    parser.add_argument("--repeat", type=int, default=3, help="exports per format; the median is printed")
    parser.add_argument("--keep", type=Path, help="folder to write the last file of each format into")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="c360-bench-export-"))
    try:
        write_generated_bank(args.customers, args.seed, work / "feeds")
        settings = Settings(data_dir=work / "db", graph_name="bench", secret_key="bench-export")
        store = open_store(settings)
        try:
            load_feed_folder(
                store, work / "feeds", runs_dir=work / "runs", batch_size=2000, max_reject_ratio=0.05
            )
            customer_id = store.read(RICHEST_RETAIL_CUSTOMER)[0]["customer_id"]
            _add_records(store, customer_id, args.extra_records)
            save_user(store, USERNAME, generate_password_hash(PASSWORD), "基准测试", "head_office_manager")
            _measure(settings, customer_id, args)
        finally:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _add_records(store, customer_id: str, count: int) -> None:
    """Add ``count`` copies of one of the customer's records of each kind, and ``count`` transactions."""
    keys = {node_key.label: node_key.key for node_key in NODE_KEYS}
    for name, kind in RECORD_KINDS.items():
        if name in SINGLE_RECORD_KINDS:
            continue
        found = store.read(
            ONE_RECORD.format(relationship=kind.relationship, label=kind.label), {"customer_id": customer_id}
        )
        sample = found[0]["record"] if found else {}
        rows = [
            sample
            | {
                kind.newest_first_by: f"2026-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
                keys[kind.label]: f"BENCH-{index}",
            }
            for index in range(count)
        ]
        cypher = ADD_RECORDS.format(relationship=kind.relationship, label=kind.label)
        store.write(cypher, {"customer_id": customer_id, "rows": rows})
    transactions = [
        {"transaction_id": f"BENCH-T{index}", "date": BUSINESS_DATE.replace(day=1 + index % 3).isoformat(),
         "direction": "debit" if index % 2 else "credit", "amount": 10.0 + index, "balance": 5000.0 + index,
         "sequence": index, "operation": "transfer_out", "purpose": "insurance"}
        for index in range(count)
    ]  # fmt: skip
    store.write(ADD_TRANSACTIONS, {"customer_id": customer_id, "rows": transactions})


def _measure(settings: Settings, customer_id: str, args: argparse.Namespace) -> None:
    app = create_app(settings, {"TESTING": True})
    try:
        client = app.test_client()
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
        ).group(1)
        client.post("/login", data={"csrf_token": token, "username": USERNAME, "password": PASSWORD})
        print(f"customer {customer_id}, whole-bank view, {args.extra_records} records added per module")
        for file_format in FILE_FORMATS:
            _measure_format(client, customer_id, file_format, args)
    finally:
        # The application opened a store of its own; the embedded server stops with the last one.
        app.extensions[EXTENSION_KEY].close()


def _measure_format(client, customer_id: str, file_format: str, args: argparse.Namespace) -> None:
    seconds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.get(
            f"/customers/{customer_id}/export.{file_format}", query_string={"view": "whole_bank"}
        )
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"export.{file_format} failed with HTTP {response.status_code}")
    detail = _pages(response.data) if file_format == "pdf" else ""
    print(
        f"{file_format:>4}: median {statistics.median(seconds):.2f} s of {args.repeat}, "
        f"{len(response.data) / 1024:.0f} KiB{detail}"
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / f"customer-{customer_id}.{file_format}").write_bytes(response.data)


def _pages(pdf: bytes) -> str:
    from pypdf import PdfReader

    return f", {len(PdfReader(io.BytesIO(pdf)).pages)} pages"


if __name__ == "__main__":
    main()
