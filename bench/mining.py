"""Measure the miners against the structures planted in a generated bank.

Usage: python bench/mining.py [--customers 2000] [--seed 7] [--json]

Generates a bank, loads it into a fresh embedded FalkorDB, runs every miner and compares the
mined links with ``ground_truth.json``. Prints, per link type, the precision (share of mined
links that are planted), the recall (share of planted links that were mined) and the time of the
miner that produced it. With ``--json`` the last line is one JSON object with those figures.

Link types and the planted facts they are compared with:

- ``actual_controller``: (controller, company) for every company whose control was planted;
- ``beneficial_owner``: (owner, company);
- ``group_member``: (member, controller) for each company of a planted group;
- ``guarantee_circle``: (guarantor, borrower) for each guarantee of a planted circle;
- ``family``: unordered pairs of customers in one planted household, against the mined
  ``household`` links (and any later family link types);
- ``upstream_downstream``: (supplier, buyer) for consecutive companies of a planted supply chain,
  against mined links whose source is paid by their target;
- ``village``: (resident, village) for every resident of a planted village;
- ``clan``: (member, village, surname) for every member of a planted clan's households.

It then picks the unusual transfers (split, or out of the payer's profile) out of the AMLSim sample
(20,000 accounts, 200 planted cycles and 200 planted fan-ins, accounts labelled) and looks for
cycles and fan-ins among them. It prints how many it finds, how many of those lie wholly among
labelled accounts, and how many labelled and other accounts they cover.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generated_bank import write_generated_bank  # noqa: E402
from c360.config import Settings  # noqa: E402 (the project root must be on the path first)
from c360.mining_run import MINERS  # noqa: E402
from graph_model.store import open_store  # noqa: E402
from loaders.feeds.runner import load_feed_folder  # noqa: E402
from mining.aml_patterns import (  # noqa: E402
    SPLIT,
    Transfer,
    transfer_cycles,
    transfer_fan_ins,
    transfer_groups,
    unusual_transfers,
)

#: The AMLSim sample; its metadata.txt states that 200 cycles and 200 fan-ins are planted in it.
AMLSIM_DIR = ROOT.parent / "shared" / "data" / "amlsim" / "20K_fanin200cycle200"

MINED_LINKS = """
MATCH (a:Customer)-[r:RELATED_TO]->(b:Customer)
WHERE r.origin = 'mined'
RETURN a.customer_id AS source, b.customer_id AS target, r.link_type AS link_type, r.miner AS miner
"""

MINED_COMMUNITIES = """
MATCH (a:Customer)-[r:RELATED_TO]->(c:Community)
WHERE r.origin = 'mined'
RETURN a.customer_id AS member, c.kind AS kind, c.community_id AS community_id
"""

#: Mined link types that count as a family link.
FAMILY_TYPES = {"family"}
#: Mined link types between companies meaning the source supplies the target, and those meaning
#: the source pays the target (so the target supplies the source).
SUPPLIES_TYPES = {"supplies"}
PAYS_TYPES = {"regular_transfer"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000, help="retail customers to generate")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="c360-bench-mining-"))
    try:
        feeds = work / "feeds"
        write_generated_bank(args.customers, args.seed, feeds)
        truth = json.loads((feeds / "ground_truth.json").read_text(encoding="utf-8"))
        results = _measure(work, feeds, truth)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.customers} customers; miner time in seconds")
    print(f"{'link type':<22} {'planted':>8} {'mined':>8} {'precision':>10} {'recall':>8} {'time':>7}")
    for link_type, figures in results["link_types"].items():
        print(
            f"{link_type:<22} {figures['planted']:>8} {figures['mined']:>8} "
            f"{_ratio(figures['precision']):>10} {_ratio(figures['recall']):>8} {figures['seconds']:>7.2f}"
        )
    aml = _amlsim_patterns(AMLSIM_DIR)
    print(
        f"AMLSim: {aml['planted_cycles']} cycles and {aml['planted_fan_ins']} fan-ins planted among "
        f"{aml['labelled_accounts']} labelled accounts.\n"
        f"  unusual transfers: {aml['unusual_transfers']} ({aml['unusual_split']} split, the rest out of "
        f"profile), made or received by {aml['unusual_labelled_accounts']} labelled accounts and "
        f"{aml['unusual_unlabelled_accounts']} others, in {aml['groups']} connected groups "
        f"({aml['groups_all_labelled']} wholly among labelled accounts)\n"
        f"  found {aml['cycles']} cycles ({aml['cycles_all_labelled']} wholly among labelled accounts) "
        f"and {aml['fan_ins']} fan-ins ({aml['fan_ins_all_labelled']}), covering "
        f"{aml['labelled_accounts_covered']} labelled accounts and "
        f"{aml['unlabelled_accounts_covered']} others"
    )
    if args.json:
        print(json.dumps({"customers": args.customers, **results, "amlsim": aml}, sort_keys=True))


def _measure(work: Path, feeds: Path, truth: dict) -> dict:
    store = open_store(Settings(data_dir=work / "db", graph_name="bench"))
    try:
        load_feed_folder(store, feeds, runs_dir=work / "runs", batch_size=2000, max_reject_ratio=0.05)
        _wait_until_indexed(store)
        seconds = {}
        for name, miner in MINERS.items():
            started = time.perf_counter()
            miner(store, batch_size=2000)
            seconds[name] = round(time.perf_counter() - started, 2)
        mined = store.read(MINED_LINKS)
        communities = store.read(MINED_COMMUNITIES)
    finally:
        store.close()

    by_type: dict[str, set] = {}
    miner_of: dict[str, str] = {}
    for row in mined:
        by_type.setdefault(row["link_type"], set()).add((row["source"], row["target"]))
        miner_of[row["link_type"]] = row["miner"]

    planted = _planted(truth)
    found = {
        "actual_controller": by_type.get("actual_controller", set()),
        "beneficial_owner": by_type.get("beneficial_owner", set()),
        "group_member": by_type.get("group_member", set()),
        "guarantee_circle": by_type.get("guarantee_circle", set()) | by_type.get("mutual_guarantee", set()),
        "family": {frozenset(pair) for link_type in FAMILY_TYPES for pair in by_type.get(link_type, set())},
        "upstream_downstream": {
            pair for link_type in SUPPLIES_TYPES for pair in by_type.get(link_type, set())
        }
        | {(payee, payer) for link_type in PAYS_TYPES for payer, payee in by_type.get(link_type, set())},
    }
    # Community ids read village:<division>:<village> and clan:<division>:<village>:<surname>.
    found["village"] = {
        (row["member"], row["community_id"].split(":")[2]) for row in communities if row["kind"] == "village"
    }
    found["clan"] = {
        (row["member"], *row["community_id"].split(":")[2:4]) for row in communities if row["kind"] == "clan"
    }
    time_of = {
        "actual_controller": seconds["ownership"],
        "beneficial_owner": seconds["ownership"],
        "group_member": seconds["ownership"],
        "guarantee_circle": seconds["guarantees"],
        "family": seconds["flows"],
        "upstream_downstream": seconds["flows"],
        "village": seconds["flows"],
        "clan": seconds["flows"],
    }
    figures = {}
    for link_type, expected in planted.items():
        got = found[link_type]
        if link_type == "upstream_downstream":
            # Only links between companies of some planted chain or none are judged.
            got = {pair for pair in got if pair[0].startswith("2") and pair[1].startswith("2")}
        hits = len(got & expected)
        figures[link_type] = {
            "planted": len(expected),
            "mined": len(got),
            "precision": round(hits / len(got), 4) if got else None,
            "recall": round(hits / len(expected), 4) if expected else None,
            "seconds": time_of[link_type],
        }
    return {"link_types": figures, "miner_seconds": seconds}


def _wait_until_indexed(store, timeout_s: float = 600) -> None:
    """Wait for the indexes FalkorDB builds in the background after a bulk load, so they do not
    compete with the miners for the machine's cores."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        statuses = {row["status"] for row in store.read("CALL db.indexes() YIELD status RETURN status")}
        statuses |= {row["status"] for row in store.read("CALL db.constraints() YIELD status RETURN status")}
        if statuses <= {"OPERATIONAL"}:
            return
        time.sleep(0.5)
    print(f"indexes still building after {timeout_s:.0f} s; mining anyway")


def _amlsim_patterns(folder: Path) -> dict[str, int]:
    """Count the cycles and fan-ins of unusual transfers found in the AMLSim sample, against its labels."""
    with open(folder / "nodes.csv", newline="") as handle:
        labelled = {row["nodeid"] for row in csv.DictReader(handle) if row["isFraud"] == "1"}
    with open(folder / "transactions.csv", newline="") as handle:
        transfers = [
            Transfer(row["sourceNodeId"], row["targetNodeId"], float(row["value"]), int(row["time"]))
            for row in csv.DictReader(handle)
        ]
    unusual = unusual_transfers(transfers)
    cycles = transfer_cycles(unusual)
    fan_ins = transfer_fan_ins(unusual)
    groups = transfer_groups(unusual)
    in_unusual = {account for item in unusual for account in (item.transfer.source, item.transfer.target)}
    covered = {account for accounts in cycles for account in accounts}
    covered |= {account for fan_in in fan_ins for account in (fan_in.target, *fan_in.sources)}
    return {
        "planted_cycles": 200,
        "planted_fan_ins": 200,
        "labelled_accounts": len(labelled),
        "unusual_transfers": len(unusual),
        "unusual_split": sum(item.reason == SPLIT for item in unusual),
        "unusual_labelled_accounts": len(in_unusual & labelled),
        "unusual_unlabelled_accounts": len(in_unusual - labelled),
        "groups": len(groups),
        "groups_all_labelled": sum(set(accounts) <= labelled for accounts in groups),
        "cycles": len(cycles),
        "cycles_all_labelled": sum(set(accounts) <= labelled for accounts in cycles),
        "fan_ins": len(fan_ins),
        "fan_ins_all_labelled": sum({fan_in.target, *fan_in.sources} <= labelled for fan_in in fan_ins),
        "labelled_accounts_covered": len(covered & labelled),
        "unlabelled_accounts_covered": len(covered - labelled),
    }


def _planted(truth: dict) -> dict[str, set]:
    groups = {
        (member, group["controller"])
        for group in truth["groups"]
        for member in group["members"]
        if member != group["controller"]
    }
    circles = {
        (members[index], members[(index + 1) % len(members)])
        for circle in truth["guarantee_circles"]
        for members in [circle["members"]]
        for index in range(len(members))
    }
    families = {
        frozenset((first, second))
        for household in truth["households"]
        for index, first in enumerate(household["members"])
        for second in household["members"][index + 1 :]
    }
    chains = {
        (chain[index], chain[index + 1])
        for chain in truth["supply_chains"]
        for index in range(len(chain) - 1)
    }
    return {
        "actual_controller": {
            (entry["controller"], entry["company"]) for entry in truth["actual_controllers"]
        },
        "beneficial_owner": {(entry["owner"], entry["company"]) for entry in truth["beneficial_owners"]},
        "group_member": groups,
        "guarantee_circle": circles,
        "family": families,
        "upstream_downstream": chains,
        "village": {
            (member, village["village"]) for village in truth["villages"] for member in village["members"]
        },
        "clan": {
            (member, clan["village"], clan["surname"])
            for clan in truth["clans"]
            for household in clan["households"]
            for member in household
        },
    }


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    main()
