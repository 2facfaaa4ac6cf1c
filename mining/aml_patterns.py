"""Money-laundering shapes in transfers between accounts: cycles and fan-ins of unusual transfers.

Pure functions; no database, no Flask. Two transaction-monitoring rules first pick the unusual
transfers out of the ordinary ones:

- a split transfer: the payer paid the same payee more than once on one day;
- an amount out of profile: the payer has a history of transfers that are not split, and this one
  is more than ``PROFILE_FACTOR`` times smaller or larger than their median amount. Split
  transfers stay out of the profile so that an account which mostly splits does not make its
  ordinary payments look unusual.

The shapes are then looked for among the unusual transfers only: a cycle of accounts that passed
money around back to where it started, and a fan-in where several accounts sent unusual transfers
to one. The hops of a laundering pattern may change amount and need not run in order, so neither
is required. Ordinary payments form cycles and fan-ins all the time; looking only among unusual
transfers keeps them out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from statistics import median

import networkx as nx

#: An amount this many times below or above the payer's median is out of profile.
PROFILE_FACTOR = 5.0
#: Transfers a payer needs before its median amount is taken as its profile.
MIN_PROFILE_TRANSFERS = 3
#: Maximum length of a cycle looked for, in accounts.
MAX_CYCLE_LENGTH = 12
#: Cycles listed at most; past this, the unusual transfers are too dense for cycles to mean much.
MAX_CYCLES = 10_000

SPLIT = "split"
OUT_OF_PROFILE = "out_of_profile"


@dataclass(frozen=True)
class Transfer:
    source: str
    target: str
    amount: float
    #: The day (or simulation step) of the transfer.
    step: int


@dataclass(frozen=True)
class UnusualTransfer:
    transfer: Transfer
    #: ``SPLIT`` or ``OUT_OF_PROFILE``; a split transfer is reported as split even when its amount
    #: is also out of profile.
    reason: str


@dataclass(frozen=True)
class FanIn:
    target: str
    sources: tuple[str, ...]


def unusual_transfers(
    transfers: Iterable[Transfer],
    *,
    profile_factor: float = PROFILE_FACTOR,
    min_profile_transfers: int = MIN_PROFILE_TRANSFERS,
) -> list[UnusualTransfer]:
    """Return the split and out-of-profile transfers, in the order given."""
    transfers = [transfer for transfer in transfers if transfer.source != transfer.target]
    same_day = Counter((transfer.source, transfer.target, transfer.step) for transfer in transfers)
    amounts: dict[str, list[float]] = defaultdict(list)
    for transfer in transfers:
        if same_day[transfer.source, transfer.target, transfer.step] == 1:
            amounts[transfer.source].append(transfer.amount)
    profile = {payer: median(paid) for payer, paid in amounts.items() if len(paid) >= min_profile_transfers}
    found = []
    for transfer in transfers:
        usual = profile.get(transfer.source)
        if same_day[transfer.source, transfer.target, transfer.step] > 1:
            found.append(UnusualTransfer(transfer, SPLIT))
        elif usual and not usual / profile_factor <= transfer.amount <= usual * profile_factor:
            found.append(UnusualTransfer(transfer, OUT_OF_PROFILE))
    return found


def transfer_cycles(
    unusual: Iterable[UnusualTransfer], *, max_length: int = MAX_CYCLE_LENGTH
) -> list[tuple[str, ...]]:
    """Return every cycle of at least three accounts, each written from its smallest account."""
    graph = nx.DiGraph([(item.transfer.source, item.transfer.target) for item in unusual])
    found = []
    for cycle in islice(nx.simple_cycles(graph, length_bound=max_length), MAX_CYCLES):
        if len(cycle) >= 3:
            start = cycle.index(min(cycle))
            found.append(tuple(cycle[start:] + cycle[:start]))
    return sorted(found)


def transfer_fan_ins(unusual: Iterable[UnusualTransfer], *, min_sources: int = 2) -> list[FanIn]:
    """Return every account that received unusual transfers from at least ``min_sources`` accounts.

    Two senders are enough by default: each transfer counted is already unusual on its own.
    """
    sources: dict[str, set[str]] = defaultdict(set)
    for item in unusual:
        sources[item.transfer.target].add(item.transfer.source)
    return [
        FanIn(target, tuple(sorted(senders)))
        for target, senders in sorted(sources.items())
        if len(senders) >= min_sources
    ]


def transfer_groups(unusual: Iterable[UnusualTransfer]) -> list[tuple[str, ...]]:
    """Return the accounts joined by unusual transfers, one sorted tuple per connected group.

    A group is one case for an investigator: the cycles and fan-ins lie within groups, and a
    pattern whose hops did not all happen yet still shows as a group.
    """
    graph = nx.Graph([(item.transfer.source, item.transfer.target) for item in unusual])
    return sorted(tuple(sorted(group)) for group in nx.connected_components(graph))
