"""The flow miner's pure functions on small hand-made records."""

from __future__ import annotations

from mining.flows import (
    MinedLink,
    Payment,
    StandingOrder,
    common_payee_links,
    household_links,
    regular_payments,
)


def test_household_links_pairs_each_shared_account():
    links = household_links(
        {"10": ["a", "b"], "11": ["c"], "12": ["b", "a"]}, {"10": "1993-01-05", "12": "1994-02-01"}
    )

    assert len(links) == 1
    link = links[0]
    assert (link.source, link.target, link.link_type) == ("a", "b", "household")
    assert link.confidence == 0.95
    assert link.evidence_count == 2
    assert link.first_date == "1993-01-05"
    assert link.basis == ("10", "12")


def test_household_links_three_holders_make_three_pairs():
    links = household_links({"10": ["c", "a", "b"]})

    assert [(link.source, link.target) for link in links] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert {link.confidence for link in links} == {0.9}


def test_regular_payments_need_three_months():
    payments = [
        Payment("a", "X/1", "1993-01-10", 100.0),
        Payment("a", "X/1", "1993-02-10", 100.0),
        Payment("b", "X/1", "1993-01-10", 50.0),
        Payment("b", "X/1", "1993-02-10", 50.0),
        Payment("b", "X/1", "1993-03-10", 50.0),
        Payment("b", "X/1", "1993-03-20", 25.5),
    ]

    links = regular_payments(payments)

    assert [(link.source, link.target) for link in links] == [("b", "X/1")]
    link = links[0]
    assert link.confidence == 0.5
    assert link.evidence_count == 4
    assert link.evidence_amount == 175.5
    assert (link.first_date, link.last_date) == ("1993-01-10", "1993-03-20")


def test_standing_order_alone_makes_a_regular_payee():
    links = regular_payments([], [StandingOrder("a", "X/1", 300.0)])

    assert len(links) == 1
    assert links[0].confidence == 0.7
    assert links[0].evidence_count == 0
    assert links[0].basis == ("standing_order",)


def test_standing_order_raises_payment_confidence():
    payments = [Payment("a", "X/1", f"1993-0{month}-01", 10.0) for month in range(1, 6)]

    links = regular_payments(payments, [StandingOrder("a", "X/1", 10.0)])

    assert links[0].confidence == 0.9


def test_payment_to_oneself_is_ignored():
    payments = [Payment("a", "a", f"1993-0{month}-01", 10.0) for month in range(1, 6)]

    assert regular_payments(payments, [StandingOrder("a", "a", 1.0)]) == []


def _payee_link(payer: str, payee: str, confidence: float = 0.7) -> MinedLink:
    return MinedLink(payer, payee, "regular_payee", confidence, 3, 30.0, "1993-01-01", "1993-03-01", ())


def test_common_payee_links_customers_sharing_a_payee():
    links = common_payee_links(
        [_payee_link("a", "X/1"), _payee_link("b", "X/1", 0.5), _payee_link("c", "Y/2")]
    )

    assert len(links) == 1
    link = links[0]
    assert (link.source, link.target, link.link_type) == ("a", "b", "common_payee")
    assert link.confidence == 0.4
    assert link.evidence_count == 6
    assert link.basis == ("X/1",)


def test_common_payee_skips_hub_accounts():
    hub = [_payee_link(f"p{i:02d}", "HUB/1") for i in range(21)]

    assert common_payee_links(hub, hub_payer_limit=20) == []
    assert len(common_payee_links(hub[:3], hub_payer_limit=20)) == 3


def test_two_shared_payees_strengthen_one_link():
    links = common_payee_links(
        [_payee_link("a", "X/1"), _payee_link("b", "X/1"), _payee_link("a", "Y/2"), _payee_link("b", "Y/2")]
    )

    assert len(links) == 1
    assert links[0].basis == ("X/1", "Y/2")
    assert links[0].confidence == 0.61
    assert links[0].evidence_count == 12
