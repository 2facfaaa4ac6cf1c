"""Upstream and downstream links from steady payments to companies.

Pure functions; no database, no Flask. A customer who pays a company steadily (weekly,
monthly...) at least ``min_payments`` times is taken as its buyer, and the company as the
customer's supplier: the link ``supplies`` runs from supplier to buyer. Wages run the other
way (company to person) and are never read as supply. A company paid steadily by more than
``hub_payer_limit`` customers sells to the public, such as a supermarket: only its company
buyers are linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from mining.cadence import payment_cadence
from mining.flows import Payment
from mining.mined_link import MinedLink

#: Share of a buyer's payments to customers above which a supplier counts as a main supplier.
MAIN_SUPPLIER_SHARE = 0.1


def supply_links(
    payments: Iterable[Payment],
    companies: Collection[str],
    *,
    min_payments: int = 3,
    hub_payer_limit: int = 50,
) -> list[MinedLink]:
    """Return ``supplies`` links (supplier -> buyer) with cadence, count, amount and amount share."""
    history: dict[tuple[str, str], list[Payment]] = defaultdict(list)
    paid_out: dict[str, float] = defaultdict(float)
    for payment in payments:
        if payment.payer == payment.payee:
            continue
        paid_out[payment.payer] += payment.amount
        if payment.payee in companies:
            history[(payment.payer, payment.payee)].append(payment)

    steady: dict[tuple[str, str], str] = {}
    for pair, paid in history.items():
        cadence = payment_cadence(payment.date for payment in paid)
        if cadence is not None and len(paid) >= min_payments:
            steady[pair] = cadence
    payers_of: dict[str, int] = defaultdict(int)
    for _payer, payee in steady:
        payers_of[payee] += 1

    links = []
    for (payer, payee), cadence in sorted(steady.items()):
        if payers_of[payee] > hub_payer_limit and payer not in companies:
            continue
        paid = history[(payer, payee)]
        total = sum(payment.amount for payment in paid)
        share = total / paid_out[payer] if paid_out[payer] else 0.0
        confidence = 0.6 + 0.05 * (len(paid) - min_payments) + (0.2 if share >= MAIN_SUPPLIER_SHARE else 0.0)
        dates = sorted(payment.date for payment in paid)
        links.append(
            MinedLink(
                source=payee,
                target=payer,
                link_type="supplies",
                confidence=round(min(0.95, confidence), 2),
                evidence_count=len(paid),
                evidence_amount=round(total, 2),
                first_date=dates[0],
                last_date=dates[-1],
                basis=(cadence, f"share {share:.0%}"),
            )
        )
    return links
