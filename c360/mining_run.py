"""One run of the flow miner: read the graph in chunks, infer links, write them back."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime

from graph_model import links as link_repository
from graph_model.store import GraphStore
from mining.flows import (
    MINER_NAME,
    MINER_VERSION,
    MinedLink,
    Payment,
    StandingOrder,
    common_payee_links,
    household_links,
    regular_payments,
)

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]

#: Accounts read per query while collecting the miner's input.
ACCOUNT_PAGE_SIZE = 500


def mine_flow_links(
    store: GraphStore, *, batch_size: int, hub_payer_limit: int = 20, progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Infer household, payee and transfer links; returns the number written per link type.

    A link is written with this run's id, and links of the previous run that were not inferred
    again are removed at the end, so an interrupted run is completed by the next one.
    """
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    holders: dict[str, list[str]] = {}
    opened: dict[str, str] = {}
    to_counterparties: list[Payment] = []
    to_customers: list[Payment] = []
    orders: list[StandingOrder] = []

    pages = list(link_repository.account_id_pages(store, ACCOUNT_PAGE_SIZE))
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

    payees = regular_payments(to_counterparties, orders)
    customer_links = (
        household_links(holders, opened)
        + common_payee_links(payees, hub_payer_limit=hub_payer_limit)
        + regular_payments(to_customers, link_type="regular_transfer")
    )
    if progress:
        progress("writing", 0, 1)
    link_repository.upsert_links(
        store, _link_rows(customer_links, run_id), to_counterparty=False, batch_size=batch_size
    )
    link_repository.upsert_links(
        store, _link_rows(payees, run_id), to_counterparty=True, batch_size=batch_size
    )
    removed = link_repository.remove_stale_links(store, MINER_NAME, run_id, batch_size)
    if progress:
        progress("writing", 1, 1)

    written: dict[str, int] = {}
    for link in customer_links + payees:
        written[link.link_type] = written.get(link.link_type, 0) + 1
    logger.info("Flow miner run %s wrote %s and removed %d stale links", run_id, written, removed)
    return written


def _link_rows(links: list[MinedLink], run_id: str) -> list[dict]:
    rows = []
    for link in links:
        props = asdict(link)
        source, target, link_type = props.pop("source"), props.pop("target"), props.pop("link_type")
        props["basis"] = list(link.basis)
        props.update(origin="mined", miner=MINER_NAME, miner_version=MINER_VERSION, run_id=run_id)
        rows.append({"source": source, "target": target, "link_type": link_type, "props": props})
    return rows
