"""Equity penetration: effective stakes, actual controllers, beneficial owners and groups.

Pure functions over shareholdings (holder, company, percent); no database, no Flask.

- An **effective stake** of an owner in a company is the product of the stakes along one path of
  holdings from the owner down to the company, summed over every such path. Paths never visit
  a company twice, so a cross-holding loop (A holds B, B holds A) adds its paths once and does
  not inflate the stake without end.
- A company's **direct controller** is the holder of more than ``majority_percent`` of it, or
  else its largest holder if that holder has at least ``relative_percent`` and no other holder
  has as much. Its **actual controller** is found by following direct controllers up to one
  that nobody controls.
- **Beneficial owners** are persons with an effective stake of at least ``owner_percent``; a
  company without one names its actual controller if that is a person.
- A **group** (集团客户) is the set of companies under one actual controller, when there are two
  or more, with the controller itself when it is a company.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from mining.mined_link import MinedLink

MINER_NAME = "ownership"
MINER_VERSION = "1"

#: Paths deeper than this many holdings are not followed.
MAX_DEPTH = 10
#: Paths whose product falls below this percentage are not followed further.
MIN_PATH_PERCENT = 0.01


@dataclass(frozen=True)
class Holding:
    holder: str
    company: str
    percent: float


@dataclass(frozen=True)
class EffectiveStake:
    """One owner's stake in a company through every path of holdings, with those paths."""

    owner: str
    company: str
    percent: float
    #: Each path runs owner, ..., company.
    paths: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Control:
    """The actual controller of a company, the chain of direct controllers, and why each controls."""

    controller: str
    company: str
    chain: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True)
class BeneficialOwner:
    owner: str
    company: str
    percent: float
    #: ``ownership`` for an effective stake at the threshold, ``control`` for an actual controller.
    basis: str
    paths: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Group:
    controller: str
    members: tuple[str, ...]
    rule: str


def effective_stakes(
    holdings: Iterable[Holding], *, max_depth: int = MAX_DEPTH, min_path_percent: float = MIN_PATH_PERCENT
) -> dict[str, dict[str, EffectiveStake]]:
    """Return company -> owner -> effective stake, for every owner above a company."""
    holders_of: dict[str, list[Holding]] = defaultdict(list)
    for holding in holdings:
        if holding.holder != holding.company and holding.percent > 0:
            holders_of[holding.company].append(holding)

    stakes: dict[str, dict[str, EffectiveStake]] = {}
    for company in sorted(holders_of):
        found: dict[str, tuple[float, list[tuple[str, ...]]]] = {}
        # Each entry: the node reached, the share of the company it holds through this path,
        # and the path from that node down to the company.
        stack = [(company, 1.0, (company,))]
        while stack:
            node, share, path = stack.pop()
            if len(path) > max_depth:
                continue
            for holding in holders_of.get(node, ()):
                if holding.holder in path:
                    continue
                through = share * holding.percent / 100
                if through * 100 < min_path_percent:
                    continue
                owner_path = (holding.holder, *path)
                total, paths = found.get(holding.holder, (0.0, []))
                found[holding.holder] = (total + through, [*paths, owner_path])
                stack.append((holding.holder, through, owner_path))
        stakes[company] = {
            owner: EffectiveStake(owner, company, round(total * 100, 4), tuple(sorted(paths)))
            for owner, (total, paths) in sorted(found.items())
        }
    return stakes


def direct_controllers(
    holdings: Iterable[Holding], *, majority_percent: float = 50.0, relative_percent: float = 30.0
) -> dict[str, tuple[str, str]]:
    """Return company -> (direct controller, rule), for companies that have one.

    The rule reads ``majority <percent>`` or ``largest <percent>``.
    """
    stakes_in: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for holding in holdings:
        if holding.holder != holding.company:
            stakes_in[holding.company][holding.holder] += holding.percent

    controllers = {}
    for company, by_holder in sorted(stakes_in.items()):
        ranked = sorted(by_holder.items(), key=lambda item: (-item[1], item[0]))
        holder, percent = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if percent > majority_percent:
            controllers[company] = (holder, f"majority {percent:g}")
        elif percent >= relative_percent and percent > runner_up:
            controllers[company] = (holder, f"largest {percent:g}")
    return controllers


def actual_controllers(direct: dict[str, tuple[str, str]]) -> dict[str, Control]:
    """Follow direct controllers up to one with no controller of its own; a circle of control names none."""
    controls = {}
    for company in sorted(direct):
        chain, rules = [company], []
        node = company
        while node in direct:
            controller, rule = direct[node]
            if controller in chain:
                break
            chain.append(controller)
            rules.append(rule)
            node = controller
        else:
            controls[company] = Control(node, company, tuple(reversed(chain)), tuple(reversed(rules)))
    return controls


def beneficial_owners(
    stakes: dict[str, dict[str, EffectiveStake]],
    controls: dict[str, Control],
    persons: Collection[str],
    *,
    owner_percent: float = 25.0,
) -> list[BeneficialOwner]:
    """Name the persons owning at least ``owner_percent`` of each company, or else its controller."""
    owners = []
    for company in sorted(set(stakes) | set(controls)):
        by_stake = [
            stake
            for owner, stake in stakes.get(company, {}).items()
            if owner in persons and stake.percent >= owner_percent
        ]
        for stake in by_stake:
            owners.append(BeneficialOwner(stake.owner, company, stake.percent, "ownership", stake.paths))
        control = controls.get(company)
        if not by_stake and control is not None and control.controller in persons:
            stake = stakes.get(company, {}).get(control.controller)
            percent = stake.percent if stake else 0.0
            owners.append(BeneficialOwner(control.controller, company, percent, "control", (control.chain,)))
    return owners


def groups(controls: dict[str, Control], persons: Collection[str]) -> list[Group]:
    """Gather the companies under each actual controller into a group, when there are two or more."""
    under: dict[str, set[str]] = defaultdict(set)
    for company, control in controls.items():
        under[control.controller].add(company)
    found = []
    for controller, companies in sorted(under.items()):
        members = set(companies) if controller in persons else companies | {controller}
        if len(members) >= 2:
            found.append(Group(controller, tuple(sorted(members)), "common actual controller"))
    return found


def control_links(
    controls: dict[str, Control], stakes: dict[str, dict[str, EffectiveStake]]
) -> list[MinedLink]:
    """Link each actual controller to the company it controls; the basis is the chain of control.

    Control through majority stakes all the way is certain (confidence 1.0); a chain that
    relies on a largest-holder stake somewhere is less so (0.8).
    """
    links = []
    for company, control in sorted(controls.items()):
        stake = stakes.get(company, {}).get(control.controller)
        relative = any(rule.startswith("largest") for rule in control.rules)
        links.append(
            MinedLink(
                source=control.controller,
                target=company,
                link_type="actual_controller",
                confidence=0.8 if relative else 1.0,
                evidence_count=len(control.rules),
                evidence_amount=stake.percent if stake else 0.0,
                first_date=None,
                last_date=None,
                basis=(">".join(control.chain), *control.rules),
            )
        )
    return links


def owner_links(owners: Iterable[BeneficialOwner]) -> list[MinedLink]:
    """Link each beneficial owner to the company; the amount is the effective stake in percent."""
    return [
        MinedLink(
            source=owner.owner,
            target=owner.company,
            link_type="beneficial_owner",
            confidence=1.0 if owner.basis == "ownership" else 0.8,
            evidence_count=len(owner.paths),
            evidence_amount=owner.percent,
            first_date=None,
            last_date=None,
            basis=(owner.basis, *(">".join(path) for path in owner.paths)),
        )
        for owner in owners
    ]


def group_links(found: Iterable[Group]) -> list[MinedLink]:
    """Link every other member of a group to its actual controller, naming the rule and members."""
    links = []
    for group in found:
        for member in group.members:
            if member == group.controller:
                continue
            links.append(
                MinedLink(
                    source=member,
                    target=group.controller,
                    link_type="group_member",
                    confidence=1.0,
                    evidence_count=len(group.members),
                    evidence_amount=0.0,
                    first_date=None,
                    last_date=None,
                    basis=(group.rule, *group.members),
                )
            )
    return links
