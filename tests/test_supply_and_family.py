"""Payment cadence, supply-chain links and family links (pure miners)."""

from __future__ import annotations

import pytest

from mining.cadence import payment_cadence
from mining.communities import Resident, clans, surname_of, villages
from mining.family import Declared, Person, family_links
from mining.flows import Payment
from mining.supply_chain import supply_links


@pytest.mark.parametrize(
    ("dates", "cadence"),
    [
        (["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"], "weekly"),
        (["2026-11-02", "2026-11-08", "2026-11-16", "2026-11-23"], "weekly"),
        (["2026-09-05", "2026-10-05", "2026-11-04"], "monthly"),
        (["2026-10-01", "2026-10-31"], "monthly"),
        (["2026-10-01", "2026-10-10"], None),
        (["2026-11-02", "2026-11-03", "2026-11-23"], None),
        (["2026-11-02"], None),
    ],
)
def test_cadence_of_payment_dates(dates, cadence):
    assert payment_cadence(dates) == cadence


def _weekly(payer: str, payee: str, amount: float, weeks: int = 5) -> list[Payment]:
    return [Payment(payer, payee, f"2026-11-{2 + 7 * week:02d}", amount) for week in range(weeks)]


def test_supply_weekly_payments_to_company():
    payments = _weekly("C-buyer", "C-supplier", 100_000.0) + [
        Payment("C-buyer", "C-other", "2026-11-05", 5.0)
    ]

    links = supply_links(payments, {"C-buyer", "C-supplier", "C-other"})

    assert len(links) == 1
    link = links[0]
    assert (link.source, link.target, link.link_type) == ("C-supplier", "C-buyer", "supplies")
    assert link.evidence_count == 5
    assert link.evidence_amount == 500_000.0
    assert link.basis == ("weekly", "share 100%")
    assert link.confidence == 0.9


def test_wages_and_irregular_payments_are_not_supply():
    wages = [Payment("C-employer", "P-worker", f"2026-{month:02d}-09", 8000.0) for month in (9, 10, 11)]
    irregular = [Payment("C-a", "C-b", day, 10.0) for day in ("2026-11-01", "2026-11-02", "2026-11-30")]

    assert supply_links(wages + irregular, {"C-employer", "C-a", "C-b"}) == []


def test_supply_hub_shop_keeps_company_buyers():
    payments = [payment for number in range(60) for payment in _weekly(f"P{number}", "C-shop", 50.0)]
    payments += _weekly("C-restaurant", "C-shop", 2000.0)

    links = supply_links(payments, {"C-shop", "C-restaurant"}, hub_payer_limit=50)

    assert [(link.source, link.target) for link in links] == [("C-shop", "C-restaurant")]


def test_household_members_are_joined_through_the_head():
    address = "河北省保定市清苑区东闾镇东闾村3组52号"
    persons = [
        Person("head", address, "13800000001"),
        Person("spouse", address, None),
        Person("child", address, None),
        Person("neighbour", "河北省保定市清苑区东闾镇东闾村3组53号", None),
    ]
    transfers = [
        Payment("head", "child", "2026-10-02", 1500.0),
        Payment("head", "child", "2026-11-01", 1500.0),
    ]
    declared = [Declared("head", "spouse", "SPOUSE")]

    links = {
        (link.source, link.target): link
        for link in family_links(persons, transfers=transfers, declared=declared)
    }

    assert set(links) == {("head", "spouse"), ("child", "head"), ("child", "spouse")}
    assert links[("head", "spouse")].basis == ("declared SPOUSE", "same_address")
    assert links[("child", "head")].basis == ("regular_transfer monthly", "same_address")
    assert links[("child", "head")].evidence_amount == 3000.0
    assert links[("child", "spouse")].basis == ("same_address", "same_household head")
    assert links[("child", "spouse")].confidence == 0.84


def test_family_address_alone_is_not_enough():
    persons = [Person(f"P{number}", "北京市朝阳区建国路88号", None) for number in range(2)]

    assert family_links(persons) == []


def test_family_dormitory_address_ignored():
    persons = [Person(f"P{number}", "深圳市宝安区工业园宿舍", None) for number in range(8)]
    transfers = [Payment("P0", "P1", "2026-10-02", 500.0), Payment("P0", "P1", "2026-11-01", 500.0)]

    assert family_links(persons, transfers=transfers) == []


def test_joint_account_links_its_holders():
    persons = [Person("A", None, None), Person("B", None, None)]

    links = family_links(persons, account_holders={"6222000012345678": ["A", "B"]})

    assert [(link.source, link.target, link.confidence) for link in links] == [("A", "B", 0.9)]
    assert links[0].basis == ("joint_account 6222000012345678",)


def test_village_residents_and_clans():
    village = "河北省保定市清苑区东闾镇东闾村"
    residents = [
        Resident("a1", "白建国", f"{village}3组52号", "130608"),
        Resident("a2", "王秀英", f"{village}3组52号", "130608"),
        Resident("b1", "白立新", f"{village}5组11号", "130608"),
        Resident("b2", "白晓东", f"{village}5组11号", "130608"),
        Resident("c1", "欧阳明", f"{village}1组2号", "130608"),
        Resident("d1", "刘洋", "北京市朝阳区建国路88号", "110105"),
    ]
    found = villages(residents, min_members=3)

    assert [(v.name, v.division_code, v.members) for v in found] == [
        (village, "130608", ("a1", "a2", "b1", "b2", "c1"))
    ]
    # Household a has a Bai and a Wang; the surname more common in the village decides.
    names = {resident.customer_id: resident.name for resident in residents}
    found_clans = clans(found, [("a1", "a2"), ("b1", "b2")], names)
    assert [(c.surname, c.households, c.name) for c in found_clans] == [
        ("白", (("a1", "a2"), ("b1", "b2")), f"{village}白氏家族")
    ]
    assert surname_of("欧阳明") == "欧阳"


def test_town_addresses_make_no_village():
    residents = [Resident(f"p{n}", "张三", f"浙江省杭州市西湖区文三路{n}号", "330106") for n in range(10)]

    assert villages(residents, min_members=3) == []


def test_tooltip_says_the_evidence_in_chinese():
    from app.retail.network_view import link_tooltip

    family = link_tooltip(
        {
            "link_type": "family",
            "origin": "mined",
            "confidence": 0.92,
            "basis": ["declared SPOUSE", "regular_transfer monthly", "same_address"],
        }
    )
    control = link_tooltip(
        {
            "link_type": "actual_controller",
            "origin": "mined",
            "basis": ["1000000001>2000000002", "majority 68.5"],
        }
    )

    assert "依据：客户申报（配偶）、定期转账（每月）、同一住址" in family
    assert "关系类型：家庭成员" in family
    assert "依据：持股路径 1000000001 → 2000000002、持股 68.5%（过半数）" in control
    clan = link_tooltip({"link_type": "clan", "origin": "mined", "basis": ["东闾村白氏家族", "households 3"]})
    assert "依据：东闾村白氏家族、3 户" in clan
