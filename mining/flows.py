"""Infer customer links from shared accounts and payer/payee flows.

Pure functions over plain records: no database, no Flask. The job that feeds them reads the
graph in chunks and writes the links back.

Link types produced here:

``household``
    two customers on the same account (owner and authorised user), in either direction.
``regular_payee``
    a customer who pays one counterparty account regularly (a standing order, or payments in at
    least ``min_months`` distinct months); directed customer -> counterparty account.
``common_payee``
    two customers who both pay the same counterparty account regularly. Hub accounts paid by
    more than ``hub_payer_limit`` customers (utilities, tax offices) are left out, because
    sharing them is no evidence of a relationship.
``regular_transfer``
    a customer who pays another customer's account regularly; directed payer -> payee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from mining.mined_link import MinedLink

MINER_NAME = "flows"
MINER_VERSION = "1"


@dataclass(frozen=True)
class Payment:
    """One debit from ``payer`` (a customer) to ``payee`` (a counterparty or customer key)."""

    payer: str
    payee: str
    date: str
    amount: float


@dataclass(frozen=True)
class StandingOrder:
    payer: str
    payee: str
    amount: float


def household_links(
    account_holders: Mapping[str, Sequence[str]], opened_dates: Mapping[str, str] | None = None
) -> list[MinedLink]:
    """Link every pair of customers who hold the same account.

    :param account_holders: account id -> customer ids holding it (owner and authorised users).
    :param opened_dates: account id -> opening date, used as the evidence's first date.

    Confidence is 0.9 for one shared account and rises by 0.05 per further shared account, to 0.99.
    """
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for account_id, holders in account_holders.items():
        for pair in combinations(sorted(set(holders)), 2):
            shared[pair].append(account_id)

    opened_dates = opened_dates or {}
    links = []
    for (first, second), accounts in sorted(shared.items()):
        dates = sorted(opened_dates[a] for a in accounts if opened_dates.get(a))
        links.append(
            MinedLink(
                source=first,
                target=second,
                link_type="household",
                confidence=round(min(0.99, 0.9 + 0.05 * (len(accounts) - 1)), 2),
                evidence_count=len(accounts),
                evidence_amount=0.0,
                first_date=dates[0] if dates else None,
                last_date=None,
                basis=tuple(sorted(accounts)),
            )
        )
    return links


def regular_payments(
    payments: Iterable[Payment],
    standing_orders: Iterable[StandingOrder] = (),
    *,
    link_type: str = "regular_payee",
    min_months: int = 3,
) -> list[MinedLink]:
    """Find payer -> payee pairs paid regularly: by standing order or in ``min_months`` months.

    Confidence grows with the number of distinct months paid: 0.5 at ``min_months``, plus 0.1
    for each further month, up to 0.95. A standing order alone gives 0.7, and adds 0.2 to a
    payment history.
    """
    history: dict[tuple[str, str], list[Payment]] = defaultdict(list)
    for payment in payments:
        if payment.payer != payment.payee:
            history[(payment.payer, payment.payee)].append(payment)
    ordered = {(order.payer, order.payee) for order in standing_orders if order.payer != order.payee}

    links = []
    for pair in sorted(set(history) | ordered):
        paid = history.get(pair, [])
        months = len({payment.date[:7] for payment in paid})
        has_order = pair in ordered
        if months < min_months and not has_order:
            continue
        confidence = 0.0
        if months >= min_months:
            confidence = 0.5 + 0.1 * (months - min_months)
        if has_order:
            confidence = confidence + 0.2 if confidence else 0.7
        dates = sorted(payment.date for payment in paid)
        links.append(
            MinedLink(
                source=pair[0],
                target=pair[1],
                link_type=link_type,
                confidence=round(min(0.95, confidence), 2),
                evidence_count=len(paid),
                evidence_amount=round(sum(payment.amount for payment in paid), 2),
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
                basis=("standing_order",) if has_order else (),
            )
        )
    return links


def common_payee_links(regular_payees: Iterable[MinedLink], *, hub_payer_limit: int = 20) -> list[MinedLink]:
    """Link customers who regularly pay the same counterparty, skipping hub counterparties.

    The pair's confidence is 0.8 times the weaker of the two payment links; its evidence adds
    both customers' payments to that counterparty.
    """
    by_payee: dict[str, list[MinedLink]] = defaultdict(list)
    for link in regular_payees:
        by_payee[link.target].append(link)

    merged: dict[tuple[str, str], MinedLink] = {}
    for payee, payer_links in sorted(by_payee.items()):
        if len(payer_links) > hub_payer_limit:
            continue
        for first, second in combinations(sorted(payer_links, key=lambda link: link.source), 2):
            pair_link = _common_payee_pair(payee, first, second)
            key = (pair_link.source, pair_link.target)
            merged[key] = _stronger_with_basis(merged.get(key), pair_link)
    return [merged[key] for key in sorted(merged)]


def _common_payee_pair(payee: str, first: MinedLink, second: MinedLink) -> MinedLink:
    dates = sorted(d for d in (first.first_date, first.last_date, second.first_date, second.last_date) if d)
    return MinedLink(
        source=first.source,
        target=second.source,
        link_type="common_payee",
        confidence=round(0.8 * min(first.confidence, second.confidence), 2),
        evidence_count=first.evidence_count + second.evidence_count,
        evidence_amount=round(first.evidence_amount + second.evidence_amount, 2),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        basis=(payee,),
    )


def _stronger_with_basis(existing: MinedLink | None, new: MinedLink) -> MinedLink:
    """Merge two common-payee links of one pair: more shared payees add up as evidence."""
    if existing is None:
        return new
    dates = sorted(d for d in (existing.first_date, existing.last_date, new.first_date, new.last_date) if d)
    return MinedLink(
        source=new.source,
        target=new.target,
        link_type=new.link_type,
        confidence=round(min(0.95, max(existing.confidence, new.confidence) + 0.05), 2),
        evidence_count=existing.evidence_count + new.evidence_count,
        evidence_amount=round(existing.evidence_amount + new.evidence_amount, 2),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        basis=tuple(sorted(set(existing.basis) | set(new.basis))),
    )
