"""Villages (村社) from home addresses, and clans (家族) as families of one surname in a village.

Pure functions; no database, no Flask.

- A **village** gathers the customers whose address names the same village (村) or residential
  community (社区) within the same division code. Fewer than ``min_members`` is no community to
  speak of; more than ``max_members`` is a town, not a village.
- A **clan** gathers, within one village, the households of one surname, when there are two or
  more. A household is a group of customers joined by family links. Its surname is the one most
  of its members carry, and a tie goes to the surname more common in the village, because the
  spouses who married in carry other surnames.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from mining.mined_link import MinedLink

VILLAGE = re.compile(r"^(?P<village>.+?(?:村|社区))(?=\d|[一二三四五六七八九十]+组|$)")
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
    }
)


@dataclass(frozen=True)
class Resident:
    customer_id: str
    name: str | None
    address: str | None
    division_code: str | None


@dataclass(frozen=True)
class Community:
    community_id: str
    kind: str
    name: str
    division_code: str
    members: tuple[str, ...]
    #: For a clan, its surname and the households it gathers.
    surname: str | None = None
    households: tuple[tuple[str, ...], ...] = ()


def surname_of(name: str | None) -> str | None:
    if not name:
        return None
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]


def villages(
    residents: Iterable[Resident], *, min_members: int = 5, max_members: int = 500
) -> list[Community]:
    """Return the villages and residential communities named in the residents' addresses."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for resident in residents:
        match = VILLAGE.match("".join((resident.address or "").split()))
        if match and resident.division_code:
            found[(resident.division_code, match["village"])].append(resident.customer_id)
    return [
        Community(f"village:{division}:{name}", "village", name, division, tuple(sorted(members)))
        for (division, name), members in sorted(found.items())
        if min_members <= len(members) <= max_members
    ]


def clans(
    found_villages: Iterable[Community], family_pairs: Iterable[tuple[str, str]], names: dict[str, str | None]
) -> list[Community]:
    """Return, per village, the clans of two or more households of one surname."""
    family = nx.Graph()
    family.add_edges_from(family_pairs)
    result = []
    for village in found_villages:
        households = [
            tuple(sorted(component))
            for component in nx.connected_components(family.subgraph(village.members))
            if len(component) >= 2
        ]
        common = Counter(surname_of(names.get(member)) for member in village.members)
        by_surname: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for household in households:
            counts = Counter(surname_of(names.get(member)) for member in household)
            surname = max(
                counts, key=lambda candidate: (counts[candidate], common[candidate], candidate or "")
            )
            if surname:
                by_surname[surname].append(household)
        for surname, members_of in sorted(by_surname.items()):
            if len(members_of) >= 2:
                result.append(
                    Community(
                        f"clan:{village.division_code}:{village.name}:{surname}",
                        "clan",
                        f"{village.name}{surname}氏家族",
                        village.division_code,
                        tuple(sorted(member for household in members_of for member in household)),
                        surname=surname,
                        households=tuple(sorted(members_of)),
                    )
                )
    return result


def community_links(communities: Iterable[Community]) -> list[MinedLink]:
    """Link every member to its community; the basis names the community and, for a clan, its households."""
    links = []
    for community in communities:
        confidence = 0.9 if community.kind == "village" else 0.75
        basis = (
            (community.name,)
            if community.kind == "village"
            else (community.name, f"households {len(community.households)}")
        )
        for member in community.members:
            links.append(
                MinedLink(
                    source=member,
                    target=community.community_id,
                    link_type=community.kind,
                    confidence=confidence,
                    evidence_count=len(community.members),
                    evidence_amount=0.0,
                    first_date=None,
                    last_date=None,
                    basis=basis,
                )
            )
    return links
