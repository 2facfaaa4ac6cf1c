"""Money-laundering shapes in transfers between accounts: cycles and fan-ins of one amount.

Pure functions; no database, no Flask. Laundered money tends to travel as one amount: around a
ring of accounts back to where it started (a cycle), or from several accounts into one (a fan-in).
Ordinary payments rarely repeat an amount to the cent along such a shape, so transfers are
grouped by exact amount and each group is searched on its own.

NOTE: on the AMLSim sample in the shared data this finds about a tenth of the planted patterns,
all of them correct. Most planted patterns change their amount along the way, which this rule
does not follow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import networkx as nx

#: Maximum length of a cycle looked for, in accounts.
MAX_CYCLE_LENGTH = 12
#: Cycles listed per amount at most; an amount that forms more is a common price, not a pattern.
MAX_CYCLES_PER_AMOUNT = 20


@dataclass(frozen=True)
class Transfer:
    source: str
    target: str
    #: The amount exactly as the source wrote it, so that equal amounts compare equal.
    amount: str
    step: int


@dataclass(frozen=True)
class FanIn:
    target: str
    sources: tuple[str, ...]
    amount: str


def equal_amount_cycles(
    transfers: Iterable[Transfer], *, max_length: int = MAX_CYCLE_LENGTH
) -> list[tuple[tuple[str, ...], str]]:
    """Return (accounts of the cycle from its smallest, amount) for every cycle of one amount."""
    found = []
    for amount, pairs in _pairs_by_amount(transfers).items():
        graph = nx.DiGraph(list(pairs))
        cycles = list(islice(nx.simple_cycles(graph, length_bound=max_length), MAX_CYCLES_PER_AMOUNT + 1))
        if len(cycles) > MAX_CYCLES_PER_AMOUNT:
            continue
        for cycle in cycles:
            if len(cycle) >= 3:
                start = cycle.index(min(cycle))
                found.append((tuple(cycle[start:] + cycle[:start]), amount))
    return sorted(found)


def equal_amount_fan_ins(transfers: Iterable[Transfer], *, min_sources: int = 3) -> list[FanIn]:
    """Return every account that received one amount from at least ``min_sources`` accounts."""
    found = []
    for amount, pairs in _pairs_by_amount(transfers).items():
        sources: dict[str, set[str]] = defaultdict(set)
        for source, target in pairs:
            sources[target].add(source)
        found += [
            FanIn(target, tuple(sorted(senders)), amount)
            for target, senders in sources.items()
            if len(senders) >= min_sources
        ]
    return sorted(found, key=lambda fan_in: (fan_in.target, fan_in.amount))


def _pairs_by_amount(transfers: Iterable[Transfer]) -> dict[str, set[tuple[str, str]]]:
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for transfer in transfers:
        if transfer.source != transfer.target:
            pairs[transfer.amount].add((transfer.source, transfer.target))
    return pairs
