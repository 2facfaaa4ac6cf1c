"""Guarantee circles (担保圈) and mutual guarantees in the graph of who guarantees whose loans.

Pure functions; no database, no Flask. A circle is a strongly connected set of two or more
customers: each of them is, through some chain of guarantees, a guarantor of every other. Within
it every elementary cycle is listed, so circles nested in a larger one are reported, and two
customers guaranteeing each other form a mutual guarantee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import networkx as nx

from mining.mined_link import MinedLink

MINER_NAME = "guarantees"
MINER_VERSION = "1"

#: Cycles listed per circle at most; a dense circle has more than anyone could review.
MAX_CYCLES_PER_CIRCLE = 200


@dataclass(frozen=True)
class GuaranteeEdge:
    """One guarantee: ``guarantor`` guarantees a loan of ``borrower``."""

    guarantee_id: str
    guarantor: str
    borrower: str
    amount: float


@dataclass(frozen=True)
class GuaranteeCircle:
    members: tuple[str, ...]
    #: Each cycle lists its members in guarantee order, from its smallest customer id.
    cycles: tuple[tuple[str, ...], ...]
    #: Whether more cycles exist than ``MAX_CYCLES_PER_CIRCLE``.
    cycles_truncated: bool
    #: Guarantees given between members, and their total amount.
    guarantee_ids: tuple[str, ...]
    total_amount: float

    @property
    def is_mutual(self) -> bool:
        return len(self.members) == 2


def guarantee_circles(
    edges: Iterable[GuaranteeEdge], *, max_cycles: int = MAX_CYCLES_PER_CIRCLE
) -> list[GuaranteeCircle]:
    """Return every guarantee circle, largest first, with its cycles and total guaranteed amount."""
    graph = nx.MultiDiGraph()
    for edge in edges:
        if edge.guarantor and edge.borrower and edge.guarantor != edge.borrower:
            graph.add_edge(edge.guarantor, edge.borrower, key=edge.guarantee_id, amount=edge.amount)

    circles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        inner = graph.subgraph(component)
        simple = nx.DiGraph(inner)
        found = [_from_smallest(cycle) for cycle in islice(nx.simple_cycles(simple), max_cycles + 1)]
        guarantees = sorted(inner.edges(keys=True, data="amount"), key=lambda edge: edge[2])
        circles.append(
            GuaranteeCircle(
                members=tuple(sorted(component)),
                cycles=tuple(sorted(found[:max_cycles], key=lambda cycle: (len(cycle), cycle))),
                cycles_truncated=len(found) > max_cycles,
                guarantee_ids=tuple(key for _guarantor, _borrower, key, _amount in guarantees),
                total_amount=round(sum(amount for *_ends, amount in guarantees), 2),
            )
        )
    return sorted(circles, key=lambda circle: (-len(circle.members), circle.members))


def _from_smallest(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


def circle_links(circles: Iterable[GuaranteeCircle], edges: Iterable[GuaranteeEdge]) -> list[MinedLink]:
    """Mark each guarantee inside a circle as a link from guarantor to borrower.

    Two customers guaranteeing each other get ``mutual_guarantee``; other circles
    ``guarantee_circle``. The amount is the circle's total, the basis its members.
    """
    circle_of = {member: circle for circle in circles for member in circle.members}
    pairs: dict[tuple[str, str], list[GuaranteeEdge]] = {}
    for edge in edges:
        circle = circle_of.get(edge.guarantor)
        if circle is not None and circle_of.get(edge.borrower) is circle:
            pairs.setdefault((edge.guarantor, edge.borrower), []).append(edge)
    links = []
    for (guarantor, borrower), given in sorted(pairs.items()):
        circle = circle_of[guarantor]
        links.append(
            MinedLink(
                source=guarantor,
                target=borrower,
                link_type="mutual_guarantee" if circle.is_mutual else "guarantee_circle",
                confidence=1.0,
                evidence_count=len(circle.guarantee_ids),
                evidence_amount=circle.total_amount,
                first_date=None,
                last_date=None,
                basis=(*circle.members, *(edge.guarantee_id for edge in given)),
            )
        )
    return links
