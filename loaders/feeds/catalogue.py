"""The feeds of the day-end batch this product loads, in load order.

File names are ``<feed name>_<YYYYMMDD>.csv`` (or ``.txt``, ``.dat``), fields separated by ``|``
with a header line. The core banking system delivers GB18030 (its GBK files are read as
GB18030); CRM and the organisation system deliver UTF-8.
"""

from __future__ import annotations

from collections.abc import Container

from loaders.feeds.business_feeds import BUSINESS_FEEDS
from loaders.feeds.fields import Column, FieldRejected, Kind
from loaders.feeds.spec import FeedMode, FeedSpec, LinkTarget, NodeTarget
from loaders.identity_codes import InvalidIdentityCode, parse_resident_id

BRANCH = NodeTarget("Branch", "branch_code")
MANAGER = NodeTarget("Manager", "manager_id")
CUSTOMER = NodeTarget("Customer", "customer_id")
ACCOUNT = NodeTarget("Account", "account_id")
TRANSACTION = NodeTarget("Transaction", "transaction_id")
COUNTERPARTY = NodeTarget("CounterpartyAccount", "account_key")
RATING = NodeTarget("Rating", "rating_id")

#: Bank code of this bank in counterparty fields; a counterparty account with it is our own account.
OWN_BANK_CODE = "C360"
ID_TYPES = frozenset({"RESIDENT_ID", "PASSPORT", "HK_MO_PASS", "TW_PASS", "OTHER"})
CURRENCIES = frozenset({"CNY", "USD", "EUR", "HKD", "JPY", "GBP"})


def _retail_identity(row: dict, known_divisions: Container[str] | None) -> dict:
    """Check a resident identity number and take gender and birth date from it.

    Other document types (passports, travel permits) are kept as given.
    """
    if row.get("id_type") != "RESIDENT_ID":
        return {"customer_type": "retail"}
    try:
        parsed = parse_resident_id(row["id_number"], known_divisions)
    except InvalidIdentityCode as error:
        raise FieldRejected("id_number", str(error)) from None
    return {
        "customer_type": "retail",
        "id_number": parsed.number,
        "gender": parsed.gender,
        "birth_date": parsed.birth_date.isoformat(),
    }


def _counterparty_key(row: dict, _divisions=None) -> dict:
    if row.get("bank_code") and row.get("account_number"):
        own_account = row["account_number"] if row["bank_code"] == OWN_BANK_CODE else None
        return {
            "counterparty_key": f"{row['bank_code']}/{row['account_number']}",
            "own_account_no": own_account,
        }
    return {}


ORG_BRANCH = FeedSpec(
    name="org_branch",
    system="organisation",
    description="branches and sub-branches with their parent",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("branch_code", "branch_code", Kind.CODE, required=True),
        Column("branch_name", "name", required=True),
        Column("parent_code", "parent_code", Kind.CODE),
        Column("branch_level", "level", Kind.CODE, allowed=frozenset({"HEAD", "BRANCH", "SUB_BRANCH"})),
    ),
    node=BRANCH,
    links=(LinkTarget("PART_OF", BRANCH, "branch_code", BRANCH, "parent_code"),),
)

CRM_MANAGER = FeedSpec(
    name="crm_manager",
    system="crm",
    description="relationship managers and their branch",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("manager_id", "manager_id", Kind.CODE, required=True),
        Column("manager_name", "name", required=True),
        Column("branch_code", "branch_code", Kind.CODE, required=True),
        Column("grid_code", "grid_code", Kind.CODE),
    ),
    node=MANAGER,
    links=(LinkTarget("WORKS_AT", MANAGER, "manager_id", BRANCH, "branch_code"),),
)

CBS_RETAIL_CUSTOMER = FeedSpec(
    name="cbs_retail_customer",
    system="core_banking",
    description="retail customers (个人客户)",
    mode=FeedMode.SNAPSHOT,
    encoding="gb18030",
    columns=(
        Column("customer_no", "customer_id", Kind.CODE, required=True),
        Column("customer_name", "name", required=True),
        Column("id_type", "id_type", Kind.CODE, required=True, allowed=ID_TYPES),
        Column("id_number", "id_number", Kind.TEXT, required=True),
        Column("mobile", "mobile", Kind.CODE),
        Column("address", "address"),
        Column("division_code", "division_code", Kind.CODE),
        Column("occupation", "occupation"),
        Column("employer", "employer"),
        Column("customer_level", "customer_level", Kind.CODE),
        Column("open_branch", "open_branch", Kind.CODE, required=True),
        Column("open_date", "open_date", Kind.DATE, required=True),
    ),
    node=CUSTOMER,
    links=(LinkTarget("OPENED_AT", CUSTOMER, "customer_id", BRANCH, "open_branch"),),
    derive=_retail_identity,
)

CBS_CORPORATE_CUSTOMER = FeedSpec(
    name="cbs_corporate_customer",
    system="core_banking",
    description="corporate customers (对公客户)",
    mode=FeedMode.SNAPSHOT,
    encoding="gb18030",
    columns=(
        Column("customer_no", "customer_id", Kind.CODE, required=True),
        Column("customer_name", "name", required=True),
        Column("credit_code", "credit_code", Kind.CREDIT_CODE, required=True),
        Column("industry_code", "industry_code", Kind.CODE),
        Column("registered_capital", "registered_capital", Kind.DECIMAL),
        Column("legal_representative", "legal_representative"),
        Column("enterprise_size", "enterprise_size", Kind.CODE, allowed=frozenset({"L", "M", "S", "XS"})),
        Column("open_branch", "open_branch", Kind.CODE, required=True),
        Column("open_date", "open_date", Kind.DATE, required=True),
    ),
    node=CUSTOMER,
    links=(LinkTarget("OPENED_AT", CUSTOMER, "customer_id", BRANCH, "open_branch"),),
    derive=lambda row, _divisions: {"customer_type": "corporate"},
)

CBS_ACCOUNT = FeedSpec(
    name="cbs_account",
    system="core_banking",
    description="accounts with their owner and day-end balance",
    mode=FeedMode.SNAPSHOT,
    encoding="gb18030",
    columns=(
        Column("account_no", "account_id", Kind.CODE, required=True),
        Column("customer_no", "customer_no", Kind.CODE, required=True),
        Column("account_type", "account_type", Kind.CODE, required=True),
        Column("product_code", "product_code", Kind.CODE),
        Column("currency", "currency", Kind.CODE, required=True, allowed=CURRENCIES),
        Column("balance", "balance", Kind.DECIMAL, required=True),
        Column("open_date", "opened_date", Kind.DATE, required=True),
        Column("branch_code", "branch_code", Kind.CODE, required=True),
    ),
    node=ACCOUNT,
    node_properties=("account_type", "product_code", "currency", "balance", "opened_date", "branch_code"),
    links=(LinkTarget("HOLDS", CUSTOMER, "customer_no", ACCOUNT, "account_id", properties=("role",)),),
    derive=lambda row, _divisions: {"role": "owner"},
)

CBS_TRANSACTION = FeedSpec(
    name="cbs_transaction",
    system="core_banking",
    description="the day's postings (交易流水)",
    mode=FeedMode.INCREMENTAL,
    encoding="gb18030",
    columns=(
        Column("transaction_no", "transaction_id", Kind.CODE, required=True),
        Column("account_no", "account_no", Kind.CODE, required=True),
        Column("posted_at", "posted_at", Kind.DATETIME, required=True, format="%Y%m%d%H%M%S"),
        Column("direction", "direction", Kind.CODE, required=True, allowed=frozenset({"credit", "debit"})),
        Column("amount", "amount", Kind.DECIMAL, required=True),
        Column("balance", "balance", Kind.DECIMAL, required=True),
        Column("channel", "channel", Kind.CODE),
        Column("transaction_code", "transaction_code", Kind.CODE),
        Column("branch_code", "branch_code", Kind.CODE),
        Column("counterparty_name", "counterparty_name"),
        Column("counterparty_bank", "bank_code", Kind.CODE),
        Column("counterparty_account", "account_number", Kind.CODE),
        Column("purpose", "purpose"),
    ),
    node=TRANSACTION,
    node_properties=(
        "posted_at",
        "direction",
        "amount",
        "balance",
        "channel",
        "transaction_code",
        "branch_code",
        "counterparty_name",
        "purpose",
        "date",
        "account_id",
    ),  # fmt: skip
    links=(
        LinkTarget("POSTED", ACCOUNT, "account_no", TRANSACTION, "transaction_id"),
        LinkTarget(
            "WITH_COUNTERPARTY",
            TRANSACTION,
            "transaction_id",
            COUNTERPARTY,
            "counterparty_key",
            create_target=True,
            target_properties=("bank_code", "account_number"),
        ),
        # A payment to one of our own accounts links the counterparty to that account.
        LinkTarget("SAME_AS", COUNTERPARTY, "counterparty_key", ACCOUNT, "own_account_no", required=False),
    ),
    derive=lambda row, _divisions: {
        "date": row["posted_at"][:10],
        "account_id": row["account_no"],
        **_counterparty_key(row),
    },
)

CRM_MANAGER_ASSIGNMENT = FeedSpec(
    name="crm_manager_assignment",
    system="crm",
    description="each customer's primary and assisting managers; changes are kept as history",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("customer_no", "customer_no", Kind.CODE, required=True),
        Column("manager_id", "manager_id", Kind.CODE, required=True),
        Column("role", "role", Kind.CODE, required=True, allowed=frozenset({"primary", "assisting"})),
    ),
    links=(
        LinkTarget("MANAGED_BY", CUSTOMER, "customer_no", MANAGER, "manager_id", key_properties=("role",)),
    ),
)

CRM_RATING = FeedSpec(
    name="crm_rating",
    system="crm",
    description="customer ratings; every rating date is kept",
    mode=FeedMode.INCREMENTAL,
    columns=(
        Column("customer_no", "customer_no", Kind.CODE, required=True),
        Column("rating_date", "rating_date", Kind.DATE, required=True),
        Column("grade", "grade", Kind.CODE, required=True),
        Column("score", "score", Kind.DECIMAL),
        Column("rated_by", "rated_by", Kind.CODE),
    ),
    node=RATING,
    node_properties=("rating_date", "grade", "score", "rated_by"),
    links=(LinkTarget("HAS_RATING", CUSTOMER, "customer_no", RATING, "rating_id"),),
    derive=lambda row, _divisions: {"rating_id": f"{row['customer_no']}:{row['rating_date']}"},
)

#: Every feed, in load order: a feed's links point at nodes of feeds before it.
FEEDS: tuple[FeedSpec, ...] = (
    ORG_BRANCH,
    CRM_MANAGER,
    CBS_RETAIL_CUSTOMER,
    CBS_CORPORATE_CUSTOMER,
    CBS_ACCOUNT,
    CBS_TRANSACTION,
    CRM_MANAGER_ASSIGNMENT,
    CRM_RATING,
    *BUSINESS_FEEDS,
)
