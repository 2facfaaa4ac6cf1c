"""Equity penetration, control, beneficial owners, groups, guarantee circles and AML shapes (pure miners)."""

from __future__ import annotations

import pytest

from mining.aml_patterns import (
    OUT_OF_PROFILE,
    SPLIT,
    FanIn,
    Transfer,
    transfer_cycles,
    transfer_fan_ins,
    transfer_groups,
    unusual_transfers,
)
from mining.guarantees import GuaranteeEdge, guarantee_circles
from mining.ownership import (
    Holding,
    actual_controllers,
    beneficial_owners,
    direct_controllers,
    effective_stakes,
    groups,
)


def test_stakes_multiply_along_paths_and_add_across():
    # Li holds 60% of A and 20% of B directly; A holds 50% of B.
    holdings = [Holding("li", "A", 60), Holding("li", "B", 20), Holding("A", "B", 50)]

    stakes = effective_stakes(holdings)

    assert stakes["B"]["li"].percent == pytest.approx(20 + 60 * 0.5)
    assert stakes["B"]["li"].paths == (("li", "A", "B"), ("li", "B"))
    assert stakes["B"]["A"].percent == 50


def test_ownership_loop_is_counted_once():
    # A holds 60% of B and B holds 30% of A; Wang holds the other 70% of A.
    holdings = [Holding("wang", "A", 70), Holding("A", "B", 60), Holding("B", "A", 30)]

    stakes = effective_stakes(holdings)

    # Wang -> A is direct; Wang reaches B only through A. No path passes A twice.
    assert stakes["A"]["wang"].percent == 70
    assert stakes["B"]["wang"].percent == pytest.approx(70 * 0.6)
    assert stakes["B"]["wang"].paths == (("wang", "A", "B"),)
    # B's stake in itself through A is not a stake.
    assert "B" not in stakes["B"]
    assert stakes["A"]["B"].percent == 30
    controls = actual_controllers(direct_controllers(holdings))
    assert controls["A"].controller == "wang"
    assert controls["B"].controller == "wang"
    assert controls["B"].chain == ("wang", "A", "B")


def test_circle_of_control_names_no_controller():
    holdings = [Holding("A", "B", 60), Holding("B", "A", 60)]

    assert actual_controllers(direct_controllers(holdings)) == {}


def test_relative_control_needs_the_largest_stake():
    holdings = [
        Holding("zhao", "C", 35),
        Holding("qian", "C", 20),
        Holding("sun", "D", 30),
        Holding("li", "D", 30),
    ]

    direct = direct_controllers(holdings)

    assert direct["C"] == ("zhao", "largest 35")
    assert "D" not in direct


def test_beneficial_owners_by_stake_or_by_control():
    holdings = [
        Holding("zhou", "E", 80),
        Holding("E", "F", 55),
        Holding("F", "G", 51),
        Holding("wu", "G", 26),
    ]
    stakes = effective_stakes(holdings)
    controls = actual_controllers(direct_controllers(holdings))

    owners = {(o.owner, o.company): o for o in beneficial_owners(stakes, controls, {"zhou", "wu"})}

    assert owners[("zhou", "E")].basis == "ownership"
    assert owners[("zhou", "F")].percent == pytest.approx(44)
    # Zhou's stake in G is 80% x 55% x 51% = 22.4%, under 25%; Wu's 26% qualifies.
    assert ("zhou", "G") not in owners
    assert owners[("wu", "G")].basis == "ownership"


def test_controller_named_when_nobody_owns_enough():
    holdings = [Holding("zheng", "H", 60), Holding("H", "I", 40), Holding("I", "J", 40)]
    stakes = effective_stakes(holdings)
    controls = actual_controllers(direct_controllers(holdings))

    owners = beneficial_owners(stakes, controls, {"zheng"})

    by_company = {o.company: o for o in owners}
    assert by_company["J"].owner == "zheng"
    assert by_company["J"].basis == "control"
    assert by_company["J"].percent == pytest.approx(60 * 0.4 * 0.4)
    assert by_company["J"].paths == (("zheng", "H", "I", "J"),)


def test_groups_gather_companies_under_one_controller():
    holdings = [
        Holding("feng", "K", 70),
        Holding("K", "L", 60),
        Holding("feng", "M", 51),
        Holding("N", "O", 90),
    ]
    controls = actual_controllers(direct_controllers(holdings))

    found = {group.controller: group.members for group in groups(controls, {"feng"})}

    assert found == {"feng": ("K", "L", "M"), "N": ("N", "O")}


def test_seven_company_ring_is_one_circle():
    ring = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    edges = [
        GuaranteeEdge(f"G{index}", guarantor, borrower, 1_000_000.0 * (index + 1))
        for index, (guarantor, borrower) in enumerate(zip(ring, ring[1:] + ring[:1], strict=True))
    ]
    # A guarantee into the ring from outside is not part of the circle.
    edges.append(GuaranteeEdge("G-out", "X", "C1", 5_000_000.0))

    circles = guarantee_circles(edges)

    assert len(circles) == 1
    circle = circles[0]
    assert circle.members == tuple(ring)
    assert circle.cycles == (tuple(ring),)
    assert circle.total_amount == 28_000_000.0
    assert len(circle.guarantee_ids) == 7
    assert not circle.is_mutual


def test_nested_cycles_and_mutual_guarantees_are_reported():
    edges = [
        GuaranteeEdge("g1", "A", "B", 1.0),
        GuaranteeEdge("g2", "B", "C", 1.0),
        GuaranteeEdge("g3", "C", "A", 1.0),
        GuaranteeEdge("g4", "B", "A", 2.0),  # A and B also guarantee each other
        GuaranteeEdge("g5", "D", "E", 3.0),
        GuaranteeEdge("g6", "E", "D", 4.0),
    ]

    circles = guarantee_circles(edges)

    assert [circle.members for circle in circles] == [("A", "B", "C"), ("D", "E")]
    assert circles[0].cycles == (("A", "B"), ("A", "B", "C"))
    assert circles[0].total_amount == 5.0
    assert circles[1].is_mutual
    assert circles[1].total_amount == 7.0


def test_aml_shapes_among_unusual_transfers():
    # Every account pays about 200 as a rule; five earlier payments each set that profile.
    transfers = [
        Transfer(account, f"shop-{day}", 200.0 + day, day)
        for account in ("A", "B", "C", "D", "P", "Q", "X", "Y", "W")
        for day in range(5)
    ]
    # A ring whose amount changes at each hop, out of every payer's profile.
    transfers += [
        Transfer("A", "B", 9.5, 10),
        Transfer("B", "C", 9.1, 12),
        Transfer("C", "D", 8.7, 11),
        Transfer("D", "A", 8.2, 14),
    ]
    # A fan-in of split transfers: each sender pays Z twice on one day, at ordinary amounts.
    transfers += [Transfer(sender, "Z", 190.0, 20) for sender in ("P", "Q") for _ in range(2)]
    # Ordinary payments closing a ring and converging on one payee: nothing unusual.
    transfers += [
        Transfer("X", "Y", 210.0, 21),
        Transfer("Y", "W", 190.0, 22),
        Transfer("W", "X", 205.0, 23),
        Transfer("X", "shop-0", 199.0, 24),
    ]

    unusual = unusual_transfers(transfers)

    assert {(item.transfer.source, item.transfer.target, item.reason) for item in unusual} == {
        ("A", "B", OUT_OF_PROFILE),
        ("B", "C", OUT_OF_PROFILE),
        ("C", "D", OUT_OF_PROFILE),
        ("D", "A", OUT_OF_PROFILE),
        ("P", "Z", SPLIT),
        ("Q", "Z", SPLIT),
    }
    assert transfer_cycles(unusual) == [("A", "B", "C", "D")]
    assert transfer_fan_ins(unusual) == [FanIn("Z", ("P", "Q"))]
    assert transfer_groups(unusual) == [("A", "B", "C", "D"), ("P", "Q", "Z")]


def test_aml_profile_ignores_split_transfers():
    transfers = [Transfer("S", "T", amount, 3) for amount in (3.1, 3.4, 3.9, 4.2)]
    transfers += [Transfer("S", "T", amount, 7) for amount in (2.9, 3.3)]
    transfers += [Transfer("S", f"shop-{day}", 180.0, day) for day in range(3)]

    unusual = unusual_transfers(transfers)

    assert {item.transfer.target for item in unusual} == {"T"}
    assert {item.reason for item in unusual} == {SPLIT}
