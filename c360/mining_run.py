"""Runs of the miners: read the graph in chunks, infer links with pure functions, write them back.

Each run writes its links with its own run id, then removes the links of its miner that it did
not infer again, so an interrupted run is completed by the next one.
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from graph_model import links as link_repository
from graph_model.store import GraphStore
from mining import flows, guarantees, ownership
from mining.communities import Community, Resident, clans, community_links, villages
from mining.family import Declared, Person, family_links
from mining.flows import (
    Payment,
    StandingOrder,
    common_payee_links,
    household_links,
    regular_payments,
)
from mining.guarantees import GuaranteeEdge, circle_links, guarantee_circles
from mining.mined_link import MinedLink
from mining.ownership import (
    Holding,
    actual_controllers,
    beneficial_owners,
    control_links,
    direct_controllers,
    effective_stakes,
    group_links,
    groups,
    owner_links,
)
from mining.supply_chain import supply_links

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]

#: Accounts, companies or guarantees read per query while collecting a miner's input.
READ_PAGE_SIZE = 500


def mine_flow_links(
    store: GraphStore, *, batch_size: int, hub_payer_limit: int = 20, progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Infer household, payee, transfer, supply, family, village and clan links; counts per link type."""
    holders: dict[str, list[str]] = {}
    opened: dict[str, str] = {}
    to_counterparties: list[Payment] = []
    to_customers: list[Payment] = []
    orders: list[StandingOrder] = []

    pages = list(link_repository.account_id_pages(store, READ_PAGE_SIZE))
    for index, account_ids in enumerate(pages, start=1):
        for row in link_repository.account_holders(store, account_ids):
            holders[row["account_id"]] = row["holders"]
            opened[row["account_id"]] = row["opened_date"]
        to_counterparties += [
            Payment(**row) for row in link_repository.payments_to_counterparties(store, account_ids)
        ]
        to_customers += [Payment(**row) for row in link_repository.payments_to_customers(store, account_ids)]
        orders += [StandingOrder(**row) for row in link_repository.standing_orders(store, account_ids)]
        if progress:
            progress("reading", index, len(pages))

    companies = {
        row["customer_id"]
        for page in link_repository.customers_of_type(store, "corporate", READ_PAGE_SIZE)
        for row in page
    }
    residents = [
        row for page in link_repository.customers_of_type(store, "retail", READ_PAGE_SIZE) for row in page
    ]
    persons = [Person(row["customer_id"], row["address"], row["mobile"]) for row in residents]
    declared = [Declared(**row) for row in link_repository.declared_family(store)]
    between_persons = [p for p in to_customers if p.payer not in companies and p.payee not in companies]

    payees = regular_payments(to_counterparties, orders)
    families = family_links(persons, account_holders=holders, transfers=between_persons, declared=declared)
    customer_links = (
        household_links(holders, opened)
        + common_payee_links(payees, hub_payer_limit=hub_payer_limit)
        + regular_payments(between_persons, link_type="regular_transfer")
        + supply_links(to_customers, companies)
        + families
    )
    found_villages = villages(
        Resident(row["customer_id"], row["name"], row["address"], row["division_code"]) for row in residents
    )
    names = {row["customer_id"]: row["name"] for row in residents}
    communities = found_villages + clans(
        found_villages, ((link.source, link.target) for link in families), names
    )
    return _write_run(
        store,
        (flows.MINER_NAME, flows.MINER_VERSION),
        {
            "Customer": customer_links,
            "CounterpartyAccount": payees,
            "Community": community_links(communities),
        },
        batch_size,
        progress,
        communities=communities,
    )


def mine_ownership_links(
    store: GraphStore,
    *,
    batch_size: int,
    owner_percent: float = 25.0,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Infer actual controllers, beneficial owners and groups from the shareholdings between customers."""
    holdings: list[Holding] = []
    persons: set[str] = set()
    for page in link_repository.shareholdings(store, READ_PAGE_SIZE):
        for row in page:
            holdings.append(Holding(row["holder"], row["company"], row["percent"]))
            if row["holder_type"] == "retail":
                persons.add(row["holder"])
    stakes = effective_stakes(holdings)
    controls = actual_controllers(direct_controllers(holdings))
    links = (
        control_links(controls, stakes)
        + owner_links(beneficial_owners(stakes, controls, persons, owner_percent=owner_percent))
        + group_links(groups(controls, persons))
    )
    miner = (ownership.MINER_NAME, ownership.MINER_VERSION)
    return _write_run(store, miner, {"Customer": links}, batch_size, progress)


def mine_guarantee_links(
    store: GraphStore, *, batch_size: int, progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Find guarantee circles and mutual guarantees among customers."""
    edges = [
        GuaranteeEdge(row["guarantee_id"], row["guarantor"], row["borrower"], row["amount"] or 0.0)
        for page in link_repository.guarantees_between_customers(store, READ_PAGE_SIZE)
        for row in page
    ]
    links = circle_links(guarantee_circles(edges), edges)
    miner = (guarantees.MINER_NAME, guarantees.MINER_VERSION)
    return _write_run(store, miner, {"Customer": links}, batch_size, progress)


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a run.

    A run holds millions of small objects without reference cycles, and each full collection
    walks all of them: at 100,000 customers the flow miner took 27 s without, 38 s with.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_run(
    store: GraphStore,
    miner: tuple[str, str],
    links_to: Mapping[str, Sequence[MinedLink]],
    batch_size: int,
    progress: ProgressCallback | None,
    *,
    communities: Sequence[Community] = (),
) -> dict[str, int]:
    """Write one run's communities and links (by target label), remove what it did not find again.

    Returns the number of links written per link type.
    """
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    if progress:
        progress("writing", 0, 1)
    link_repository.upsert_communities(store, _community_rows(communities, miner, run_id), batch_size)
    for target_label, links in links_to.items():
        rows = _link_rows(links, miner, run_id)
        link_repository.upsert_links(store, rows, target_label=target_label, batch_size=batch_size)
    removed = link_repository.remove_stale_links(store, miner[0], run_id, batch_size)
    removed += link_repository.remove_stale_communities(store, miner[0], run_id, batch_size)
    if progress:
        progress("writing", 1, 1)

    written: dict[str, int] = {}
    for link in (link for links in links_to.values() for link in links):
        written[link.link_type] = written.get(link.link_type, 0) + 1
    logger.info(
        "Miner %s run %s wrote %s and removed %d stale links and communities",
        miner[0],
        run_id,
        written,
        removed,
    )
    return written


def _community_rows(communities: Sequence[Community], miner: tuple[str, str], run_id: str) -> list[dict]:
    return [
        {
            "community_id": community.community_id,
            "props": {
                "kind": community.kind,
                "name": community.name,
                "division_code": community.division_code,
                "surname": community.surname,
                "member_count": len(community.members),
                "miner": miner[0],
                "miner_version": miner[1],
                "run_id": run_id,
            },
        }
        for community in communities
    ]


def _link_rows(links: list[MinedLink], miner: tuple[str, str], run_id: str) -> list[dict]:
    return [
        {
            "source": link.source,
            "target": link.target,
            "link_type": link.link_type,
            "props": {
                "confidence": link.confidence,
                "evidence_count": link.evidence_count,
                "evidence_amount": link.evidence_amount,
                "first_date": link.first_date,
                "last_date": link.last_date,
                "basis": list(link.basis),
                "origin": "mined",
                "miner": miner[0],
                "miner_version": miner[1],
                "run_id": run_id,
            },
        }
        for link in links
    ]


#: Every miner by name, in the order ``c360 mine`` queues them, each run with the cyclic garbage
#: collector paused.
MINERS: dict[str, Callable[..., dict[str, int]]] = {
    flows.MINER_NAME: _garbage_collection_paused()(mine_flow_links),
    ownership.MINER_NAME: _garbage_collection_paused()(mine_ownership_links),
    guarantees.MINER_NAME: _garbage_collection_paused()(mine_guarantee_links),
}
