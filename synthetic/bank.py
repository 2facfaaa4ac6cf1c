"""Generate a synthetic Chinese bank with known structures planted in it.

The bank has branches, managers, retail and corporate customers with valid identity numbers and
credit codes, accounts, 35 days of postings, manager assignments and ratings. These structures are
planted and listed in the ground truth:

- households: a shared address and monthly living-expense transfers;
- villages: a shared village address; clans: households of one surname in one village;
- supply chains: weekly payments from each buyer to its supplier;
- hubs: employers' payroll, a supermarket and a power company, paid by or paying many customers.

The same seed gives the same bank.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from loaders.feeds.catalogue import OWN_BANK_CODE
from loaders.identity_codes import (
    resident_id_check_character,
)
from synthetic import vocabulary as words
from synthetic.records import add_business_records, add_corporate_records, random_credit_code

HISTORY_DAYS = 35
#: Companies per retail customer.
COMPANY_SHARE = 0.1
HOUSEHOLD_SHARE = 0.4
VILLAGE_SHARE = 0.25


@dataclass
class SyntheticBank:
    """Rows of every feed, keyed by the feed's column names, and the planted ground truth."""

    business_date: date
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    truth: dict[str, list] = field(default_factory=lambda: defaultdict(list))


def generate_bank(
    customers: int,
    *,
    seed: int,
    business_date: date,
    divisions: list[tuple[str, str]],
    industries: list[tuple[str, str]],
) -> SyntheticBank:
    """Generate a bank of ``customers`` retail customers and a tenth as many companies."""
    if customers < 10:
        raise ValueError(f"customers must be at least 10, got {customers}")
    builder = _BankBuilder(random.Random(seed), business_date, divisions, industries)
    builder.organisation(customers)
    builder.companies(max(4, int(customers * COMPANY_SHARE)))
    builder.retail_customers(customers)
    builder.hubs()
    builder.postings()
    add_business_records(builder.rng, builder.bank, builder.retail, builder.companies_list, builder.managers)
    add_corporate_records(builder.rng, builder.bank, builder.retail, builder.companies_list, builder.managers)
    return builder.bank


class _BankBuilder:
    def __init__(self, rng: random.Random, business_date: date, divisions, industries) -> None:
        self.rng = rng
        self.bank = SyntheticBank(business_date)
        self.divisions = divisions
        self.industries = industries
        self.first_day = business_date - timedelta(days=HISTORY_DAYS - 1)
        self.branches: list[str] = []
        self.managers: list[str] = []
        self.accounts: dict[str, dict] = {}  # account number -> state used while posting
        self.retail: list[dict] = []
        self.companies_list: list[dict] = []
        self.planned: list[
            tuple[datetime, str, str, float, str, str]
        ] = []  # time, payer, payee, amount, purpose, channel
        self.sequence = 0

    # Organisation

    def organisation(self, customers: int) -> None:
        rows = self.bank.rows
        rows["org_branch"].append(
            {"branch_code": "0000", "branch_name": "总行", "parent_code": "", "branch_level": "HEAD"}
        )
        for index in range(1, 2 + customers // 5000):
            branch = f"{index:02d}00"
            rows["org_branch"].append(
                {
                    "branch_code": branch,
                    "branch_name": f"第{index}分行",
                    "parent_code": "0000",
                    "branch_level": "BRANCH",
                }
            )
            for sub in range(1, 4):
                code = f"{index:02d}{sub:02d}"
                rows["org_branch"].append(
                    {
                        "branch_code": code,
                        "branch_name": f"第{index}分行第{sub}支行",
                        "parent_code": branch,
                        "branch_level": "SUB_BRANCH",
                    }
                )
                self.branches.append(code)
        for index in range(3 + customers // 300):
            manager = f"M{index + 1:05d}"
            rows["crm_manager"].append(
                {
                    "manager_id": manager,
                    "manager_name": self._person_name(),
                    "branch_code": self.rng.choice(self.branches),
                    "grid_code": f"G{self.rng.randint(1, 40):03d}",
                }
            )
            self.managers.append(manager)

    # Customers

    def companies(self, count: int) -> None:
        for index in range(count):
            division_code, place = self.rng.choice(self.divisions)
            industry_code, industry = self.rng.choice(self.industries)
            name = f"{self._city(place)}{self._brand()}{self.rng.choice(words.TRADE_WORDS)}有限公司"
            customer_no = f"2{index + 1:09d}"
            company = {
                "customer_no": customer_no,
                "customer_name": name,
                "credit_code": random_credit_code(self.rng, division_code),
                "industry_code": industry_code,
                "registered_capital": f"{self.rng.choice([100, 500, 1000, 3000, 5000, 10000]) * 10000:.2f}",
                "legal_representative": self._person_name(),
                "enterprise_size": self.rng.choice(["L", "M", "S", "S", "XS"]),
                "open_branch": self.rng.choice(self.branches),
                "open_date": self._past_date(10),
            }
            self.bank.rows["cbs_corporate_customer"].append(company)
            company["account"] = self._open_account(
                customer_no, "CORPORATE", company["open_branch"], 200_000, 5_000_000
            )
            self.companies_list.append(company)
            self._assign_and_rate(customer_no)
        self._supply_chains()

    def retail_customers(self, count: int) -> None:
        remaining = count
        village_budget = int(count * VILLAGE_SHARE)
        household_budget = int(count * HOUSEHOLD_SHARE)
        while remaining > 0:
            if village_budget > 0 and remaining >= 15:
                size = min(remaining, self.rng.randint(15, 40))
                self._village(size)
                village_budget -= size
            elif household_budget > 0 and remaining >= 2:
                size = min(remaining, self.rng.randint(2, 4))
                self._household(size, self._urban_address())
                household_budget -= size
            else:
                size = 1
                self._person(self._surname(), self._urban_address())
            remaining -= size

    def _village(self, size: int) -> None:
        division_code, place = self.rng.choice(self.divisions)
        town = self.rng.choice(words.TOWN_WORDS) + self.rng.choice(words.TOWN_WORDS)
        village = f"{place}{town}镇{self._brand()}村"
        clan_surnames = self.rng.sample(words.SURNAMES, 2)
        members: list[str] = []
        clans: dict[str, list[list[str]]] = defaultdict(list)
        while len(members) < size:
            household_size = min(size - len(members), self.rng.randint(2, 4))
            surname = self.rng.choice(clan_surnames)
            address = (f"{village}{self.rng.randint(1, 9)}组{self.rng.randint(1, 80)}号", division_code)
            household = self._household(household_size, address, surname=surname, occupation="农民")
            members += household
            clans[surname].append(household)
        self.bank.truth["villages"].append(
            {"village": village, "division_code": division_code, "members": members}
        )
        for surname, households in clans.items():
            if len(households) >= 2:
                self.bank.truth["clans"].append(
                    {"surname": surname, "village": village, "households": households}
                )

    def _household(
        self,
        size: int,
        address: tuple[str, str],
        *,
        surname: str | None = None,
        occupation: str | None = None,
    ) -> list[str]:
        surname = surname or self._surname()
        members = [
            self._person(surname if i != 1 else self._surname(), address, occupation) for i in range(size)
        ]
        if size >= 2:
            self.bank.truth["households"].append(
                {"members": [m["customer_no"] for m in members], "address": address[0]}
            )
            # The first member supports the others with a monthly transfer.
            for dependant in members[1:]:
                for day in (1, 1 + 30):
                    if day < HISTORY_DAYS:
                        self._plan(
                            self.first_day + timedelta(days=day),
                            members[0]["account"],
                            dependant["account"],
                            self.rng.choice([1000, 1500, 2000, 3000]),
                            "生活费",
                            "MOBILE",
                        )
        return [member["customer_no"] for member in members]

    def _person(self, surname: str, address: tuple[str, str], occupation: str | None = None) -> dict:
        customer_no = f"1{len(self.retail) + 1:09d}"
        born = date(self.rng.randint(1950, 2003), self.rng.randint(1, 12), self.rng.randint(1, 28))
        male = self.rng.random() < 0.5

        age = (self.bank.business_date - born).days // 365
        if occupation is None:
            working = [name for name in words.OCCUPATIONS if name != "退休"]
            occupation = "退休" if age >= 60 else self.rng.choice(working)
        employed = occupation not in ("退休", "农民", "个体经营者")
        employer = self.rng.choice(self.companies_list)
        # Accounts are opened at 18 at the earliest.
        opened = max(self._past_day(15), date(born.year + 18, born.month, born.day))

        person = {
            "customer_no": customer_no,
            "customer_name": surname + self._given_name(male),
            "id_type": "RESIDENT_ID",
            "id_number": self._resident_id(address[1], born, male),
            "mobile": f"1{self.rng.choice('3589')}{self.rng.randint(0, 999_999_999):09d}",
            "address": address[0],
            "division_code": address[1],
            "occupation": occupation,
            "employer": employer["customer_name"] if employed else "",
            "customer_level": self.rng.choices(words.CUSTOMER_LEVELS, weights=(60, 20, 12, 6, 2))[0],
            "open_branch": self.rng.choice(self.branches),
            "open_date": opened.strftime("%Y%m%d"),
        }
        self.bank.rows["cbs_retail_customer"].append(person)

        person["account"] = self._open_account(customer_no, "SAVINGS", person["open_branch"], 500, 200_000)
        person["employer_account"] = employer["account"] if employed else None
        self.retail.append(person)
        self._assign_and_rate(customer_no)
        return person

    # Planted structures

    def _supply_chains(self) -> None:
        pool = self.companies_list[:]
        self.rng.shuffle(pool)
        # About a third of the companies stay outside any chain.
        while len(pool) >= 3 and len(pool) > len(self.companies_list) // 3:
            chain = [pool.pop() for _ in range(min(len(pool), self.rng.randint(3, 5)))]
            # chain[0] supplies chain[1], which supplies chain[2]...: each buyer pays its supplier weekly.
            self.bank.truth["supply_chains"].append([company["customer_no"] for company in chain])
            for supplier, buyer in zip(chain, chain[1:], strict=False):
                amount = self.rng.randint(20, 200) * 1000
                for week in range(HISTORY_DAYS // 7):
                    self._plan(
                        self.first_day + timedelta(days=week * 7 + 2),
                        buyer["account"],
                        supplier["account"],
                        amount * self.rng.uniform(0.8, 1.2),
                        "货款",
                        "CORP_BANK",
                    )

    def hubs(self) -> None:
        """Plant hub counterparties: payroll from employers, a supermarket and a power company."""
        supermarket = ("UNIONPAY", "8888000000000001", "永辉超市")
        power = ("SGCC", "9999000000000001", "国网电力")
        self.bank.truth["hub_counterparties"] += [
            f"{supermarket[0]}/{supermarket[1]}",
            f"{power[0]}/{power[1]}",
        ]
        for person in self.retail:
            if person["employer_account"]:
                for payday in (9, 9 + 30):
                    if payday < HISTORY_DAYS:
                        self._plan(
                            self.first_day + timedelta(days=payday),
                            person["employer_account"],
                            person["account"],
                            self.rng.choice([4500, 6000, 8000, 12000, 20000]),
                            "工资",
                            "BATCH",
                        )
            for _ in range(self.rng.randint(2, 6)):
                day = self.first_day + timedelta(days=self.rng.randrange(HISTORY_DAYS))
                self._plan_external(
                    day, person["account"], supermarket, self.rng.uniform(30, 800), "消费", "POS"
                )
            self._plan_external(
                self.first_day + timedelta(days=15),
                person["account"],
                power,
                self.rng.uniform(60, 400),
                "电费",
                "AUTO_DEBIT",
            )

    def postings(self) -> None:
        """Post every planned payment in time order, keeping balances non-negative."""
        self.planned.sort(key=lambda payment: payment[0])
        rows = self.bank.rows["cbs_transaction"]
        for when, payer, payee, amount, purpose, channel in self.planned:
            amount = round(amount, 2)
            payer_state = self.accounts.get(payer)
            if payer_state is not None:
                if payer_state["balance"] < amount:
                    continue
                payer_state["balance"] = round(payer_state["balance"] - amount, 2)
                rows.append(self._posting(when, payer, "debit", amount, payer_state, payee, purpose, channel))
            payee_state = self.accounts.get(payee)
            if payee_state is not None:
                payee_state["balance"] = round(payee_state["balance"] + amount, 2)
                rows.append(
                    self._posting(when, payee, "credit", amount, payee_state, payer, purpose, channel)
                )
        for account in self.bank.rows["cbs_account"]:
            account["balance"] = f"{self.accounts[account['account_no']]['balance']:.2f}"

    # Helpers

    def _posting(self, when, account_no, direction, amount, state, other, purpose, channel) -> dict:
        self.sequence += 1
        bank, number, name = (
            other if isinstance(other, tuple) else (OWN_BANK_CODE, other, self.accounts[other]["name"])
        )
        return {
            "transaction_no": f"T{self.sequence:012d}",
            "account_no": account_no,
            "posted_at": when.strftime("%Y%m%d%H%M%S"),
            "direction": direction,
            "amount": f"{amount:.2f}",
            "balance": f"{state['balance']:.2f}",
            "channel": channel,
            "transaction_code": "TR01" if direction == "debit" else "TR02",
            "branch_code": state["branch"],
            "counterparty_name": name,
            "counterparty_bank": bank,
            "counterparty_account": number,
            "purpose": purpose,
        }

    def _plan(self, day: date, payer: str, payee: str, amount: float, purpose: str, channel: str) -> None:
        when = datetime.combine(day, datetime.min.time()) + timedelta(
            seconds=self.rng.randint(8 * 3600, 20 * 3600)
        )
        self.planned.append((when, payer, payee, amount, purpose, channel))

    def _plan_external(
        self,
        day: date,
        payer: str,
        counterparty: tuple[str, str, str],
        amount: float,
        purpose: str,
        channel: str,
    ) -> None:
        when = datetime.combine(day, datetime.min.time()) + timedelta(
            seconds=self.rng.randint(8 * 3600, 22 * 3600)
        )
        self.planned.append((when, payer, counterparty, amount, purpose, channel))

    def _open_account(self, customer_no: str, account_type: str, branch: str, low: int, high: int) -> str:
        account_no = f"6222{branch}{len(self.accounts) + 1:011d}"
        self.bank.rows["cbs_account"].append(
            {
                "account_no": account_no,
                "customer_no": customer_no,
                "account_type": account_type,
                "product_code": "D001",
                "currency": "CNY",
                "balance": "",
                "open_date": self._past_date(10),
                "branch_code": branch,
            }
        )
        name = next(row["customer_name"] for row in reversed(self._customer_rows(customer_no)))
        self.accounts[account_no] = {
            "balance": round(self.rng.uniform(low, high), 2),
            "branch": branch,
            "name": name,
        }
        return account_no

    def _customer_rows(self, customer_no: str) -> list[dict]:
        feed = "cbs_retail_customer" if customer_no.startswith("1") else "cbs_corporate_customer"
        return self.bank.rows[feed][-1:]

    def _assign_and_rate(self, customer_no: str) -> None:
        rows = self.bank.rows
        primary, assisting = self.rng.sample(self.managers, 2)
        rows["crm_manager_assignment"].append(
            {"customer_no": customer_no, "manager_id": primary, "role": "primary"}
        )
        if self.rng.random() < 0.2:
            rows["crm_manager_assignment"].append(
                {"customer_no": customer_no, "manager_id": assisting, "role": "assisting"}
            )
        rows["crm_rating"].append(
            {
                "customer_no": customer_no,
                "rating_date": (self.bank.business_date - timedelta(days=30)).strftime("%Y%m%d"),
                "grade": self.rng.choice(words.RATING_GRADES),
                "score": f"{self.rng.uniform(50, 99):.1f}",
                "rated_by": "SYSTEM",
            }
        )

    def _resident_id(self, division_code: str, born: date, male: bool) -> str:
        sequence = self.rng.randint(0, 99) * 10 + self.rng.choice(
            [1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8]
        )
        body = f"{division_code}{born:%Y%m%d}{sequence:03d}"
        return body + resident_id_check_character(body)

    def _urban_address(self) -> tuple[str, str]:
        division_code, place = self.rng.choice(self.divisions)
        street = self.rng.choice(words.STREET_WORDS)
        return (
            f"{place}{street}路{self.rng.randint(1, 999)}号{self.rng.randint(1, 30)}栋"
            f"{self.rng.randint(101, 2808)}室",
            division_code,
        )

    def _person_name(self) -> str:
        return self._surname() + self._given_name(self.rng.random() < 0.5)

    def _surname(self) -> str:
        return self.rng.choices(words.SURNAMES, weights=words.SURNAME_WEIGHTS)[0]

    def _given_name(self, male: bool) -> str:
        characters = words.MALE_NAME_CHARACTERS if male else words.FEMALE_NAME_CHARACTERS
        return "".join(self.rng.choice(characters) for _ in range(self.rng.choice([1, 2])))

    @staticmethod
    def _city(place: str) -> str:
        """Return the first two characters of the place's last city or county name."""
        for marker in ("市", "县", "区"):
            head = place.rsplit(marker, 1)[0] if marker in place else ""
            if head:
                return head[-2:]
        return place[:2]

    def _brand(self) -> str:
        return "".join(self.rng.sample(words.BRAND_CHARACTERS, 2))

    def _past_day(self, max_years: int) -> date:
        return self.bank.business_date - timedelta(days=self.rng.randint(60, max_years * 365))

    def _past_date(self, max_years: int) -> str:
        return self._past_day(max_years).strftime("%Y%m%d")
