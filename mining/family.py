"""Family links between persons, from everything that points to one household.

Pure functions; no database, no Flask. Each fact about a pair of persons is evidence with a
weight. The pair's confidence is the chance that at least one fact is right, 1 - product of
(1 - weight), and a pair at ``min_confidence`` or above is linked as ``family``:

- the same home address, shared by at most ``max_address_sharers`` customers (more is a dormitory
  or a company address), 0.6;
- the same mobile number, shared by at most four customers, 0.7;
- an account held together, 0.9;
- steady transfers from one to the other, 0.5, or 0.65 with three or more. Alone they stay
  under the default threshold of 0.7, because rent is paid steadily too;
- a family member the customer declared, 0.95;
- the same address as a third person both are already linked to, 0.6: this joins the members of
  one household who have no fact of their own in common.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from mining.cadence import payment_cadence
from mining.flows import Payment
from mining.mined_link import MinedLink

WEIGHTS = {
    "same_address": 0.6,
    "same_mobile": 0.7,
    "joint_account": 0.9,
    "regular_transfer": 0.5,
    "steady_transfers": 0.65,
    "declared": 0.95,
    "same_household": 0.6,
}


@dataclass(frozen=True)
class Person:
    customer_id: str
    address: str | None
    mobile: str | None


@dataclass(frozen=True)
class Declared:
    customer_id: str
    member_id: str
    relation: str


def family_links(
    persons: Iterable[Person],
    *,
    account_holders: Mapping[str, Sequence[str]] | None = None,
    transfers: Iterable[Payment] = (),
    declared: Iterable[Declared] = (),
    max_address_sharers: int = 6,
    min_confidence: float = 0.7,
) -> list[MinedLink]:
    """Return one ``family`` link per pair of persons whose evidence reaches ``min_confidence``."""
    people = {person.customer_id: person for person in persons}
    evidence: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    amounts: dict[tuple[str, str], list[Payment]] = defaultdict(list)

    by_address = _sharers(people.values(), "address", max_address_sharers)
    for sharers in by_address.values():
        for pair in combinations(sharers, 2):
            evidence[pair]["same_address"] = "same_address"
    for sharers in _sharers(people.values(), "mobile", 4).values():
        for pair in combinations(sharers, 2):
            evidence[pair]["same_mobile"] = "same_mobile"
    for account_id, holders in (account_holders or {}).items():
        for pair in combinations(sorted({h for h in holders if h in people}), 2):
            evidence[pair]["joint_account"] = f"joint_account {account_id}"
    for payment in transfers:
        if payment.payer in people and payment.payee in people and payment.payer != payment.payee:
            amounts[_pair(payment.payer, payment.payee)].append(payment)
    for pair, paid in amounts.items():
        cadence = payment_cadence(payment.date for payment in paid)
        if cadence is not None:
            kind = "steady_transfers" if len(paid) >= 3 else "regular_transfer"
            evidence[pair][kind] = f"{kind} {cadence}"
    for declaration in declared:
        if declaration.customer_id in people and declaration.member_id in people:
            pair = _pair(declaration.customer_id, declaration.member_id)
            evidence[pair]["declared"] = f"declared {declaration.relation}"

    linked = {pair for pair, facts in evidence.items() if _confidence(facts) >= min_confidence}
    _join_households(by_address, linked, evidence)

    links = []
    for pair, facts in sorted(evidence.items()):
        confidence = _confidence(facts)
        if confidence < min_confidence:
            continue
        paid = sorted(amounts.get(pair, []), key=lambda payment: payment.date)
        links.append(
            MinedLink(
                source=pair[0],
                target=pair[1],
                link_type="family",
                confidence=round(confidence, 2),
                evidence_count=len(facts),
                evidence_amount=round(sum(payment.amount for payment in paid), 2),
                first_date=paid[0].date if paid else None,
                last_date=paid[-1].date if paid else None,
                basis=tuple(sorted(facts.values())),
            )
        )
    return links


def _join_households(
    by_address: Mapping[str, list[str]], linked: set[tuple[str, str]], evidence: dict[tuple[str, str], dict]
) -> None:
    """Add ``same_household`` to pairs at one address who are both linked to a third person there."""
    for sharers in by_address.values():
        for first, second in combinations(sharers, 2):
            if (first, second) in linked:
                continue
            for third in sharers:
                if third not in (first, second) and {_pair(first, third), _pair(second, third)} <= linked:
                    evidence[(first, second)]["same_household"] = f"same_household {third}"
                    break


def _sharers(people: Iterable[Person], attribute: str, limit: int) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for person in people:
        value = getattr(person, attribute)
        if value:
            groups["".join(value.split())].append(person.customer_id)
    return {value: sorted(ids) for value, ids in groups.items() if 2 <= len(ids) <= limit}


def _confidence(facts: Mapping[str, str]) -> float:
    doubt = 1.0
    for kind in facts:
        doubt *= 1 - WEIGHTS[kind]
    return 1 - doubt


def _pair(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)
