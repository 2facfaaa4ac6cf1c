"""Feeds of records that belong to one customer: products held, credit, guarantees, service, tags.

Most follow one shape, built by ``customer_record_feed``: a record node keyed by its id, linked
from its customer. Products, tags, shareholdings and declared family links have shapes of their
own.
"""

from __future__ import annotations

from loaders.feeds.fields import Column, Kind
from loaders.feeds.spec import FeedMode, FeedSpec, LinkTarget, NodeTarget

CUSTOMER = NodeTarget("Customer", "customer_id")
MANAGER = NodeTarget("Manager", "manager_id")
PRODUCT = NodeTarget("Product", "product_code")
TAG = NodeTarget("Tag", "tag_code")

CHANNELS = frozenset({"COUNTER", "MOBILE", "WECHAT", "ONLINE", "CALL_CENTER", "MANAGER", "ATM", "POS"})


def customer_record_feed(
    name: str,
    system: str,
    description: str,
    label: str,
    rel_type: str,
    key_column: str,
    key_property: str,
    columns: tuple[Column, ...],
    mode: FeedMode,
    extra_links: tuple[LinkTarget, ...] = (),
) -> FeedSpec:
    """Declare a feed whose rows are records of one customer, linked ``(Customer)-[rel_type]->(record)``."""
    record = NodeTarget(label, key_property)
    return FeedSpec(
        name=name,
        system=system,
        description=description,
        mode=mode,
        columns=(
            Column(key_column, key_property, Kind.CODE, required=True),
            Column("customer_no", "customer_no", Kind.CODE, required=True),
            *columns,
        ),
        node=record,
        node_properties=tuple(column.property for column in columns),
        links=(LinkTarget(rel_type, CUSTOMER, "customer_no", record, key_property), *extra_links),
    )


PRD_PRODUCT = FeedSpec(
    name="prd_product",
    system="product",
    description="the product catalogue with its three-level hierarchy",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("product_code", "product_code", Kind.CODE, required=True),
        Column("product_name", "name", required=True),
        Column("category_l1", "category_l1", required=True),
        Column("category_l2", "category_l2"),
        Column("category_l3", "category_l3"),
        Column("risk_level", "risk_level", Kind.CODE, allowed=frozenset({"R1", "R2", "R3", "R4", "R5"})),
    ),
    node=PRODUCT,
)

WM_HOLDING = customer_record_feed(
    "wm_holding",
    "wealth",
    "product holdings with balance and income (R13)",
    "Holding",
    "HAS_HOLDING",
    "holding_id",
    "holding_id",
    (
        Column("product_code", "product_code", Kind.CODE, required=True),
        Column("balance", "balance", Kind.DECIMAL, required=True),
        Column("income", "income", Kind.DECIMAL),
        Column("start_date", "start_date", Kind.DATE, required=True),
        Column("maturity_date", "maturity_date", Kind.DATE),
    ),
    FeedMode.SNAPSHOT,
    extra_links=(
        LinkTarget("OF_PRODUCT", NodeTarget("Holding", "holding_id"), "holding_id", PRODUCT, "product_code"),
    ),
)

LCS_CREDIT_LINE = customer_record_feed(
    "lcs_credit_line",
    "credit",
    "credit lines: limit, used, available (R15, C17)",
    "CreditLine",
    "HAS_CREDIT_LINE",
    "credit_line_id",
    "credit_line_id",
    (
        Column("limit_amount", "limit_amount", Kind.DECIMAL, required=True),
        Column("used_amount", "used_amount", Kind.DECIMAL, required=True),
        Column("available_amount", "available_amount", Kind.DECIMAL, required=True),
        Column("start_date", "start_date", Kind.DATE, required=True),
        Column("end_date", "end_date", Kind.DATE),
        Column(
            "status", "status", Kind.CODE, required=True, allowed=frozenset({"ACTIVE", "FROZEN", "EXPIRED"})
        ),
    ),
    FeedMode.SNAPSHOT,
)

GUARANTEE = NodeTarget("Guarantee", "guarantee_id")
LCS_GUARANTEE = customer_record_feed(
    "lcs_guarantee",
    "credit",
    "guarantees of loans: mortgage, pledge, guarantor (R14, C19)",
    "Guarantee",
    "HAS_GUARANTEE",
    "guarantee_id",
    "guarantee_id",
    (
        Column(
            "guarantee_type",
            "guarantee_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"MORTGAGE", "PLEDGE", "GUARANTOR"}),
        ),
        Column("guarantor_no", "guarantor_no", Kind.CODE),
        Column("collateral", "collateral"),
        Column("amount", "amount", Kind.DECIMAL, required=True),
        Column("start_date", "start_date", Kind.DATE, required=True),
        Column("end_date", "end_date", Kind.DATE),
    ),
    FeedMode.SNAPSHOT,
    # A guarantor that is a customer is linked to the guarantee it gives.
    extra_links=(LinkTarget("GUARANTEES", CUSTOMER, "guarantor_no", GUARANTEE, "guarantee_id"),),
)

CBS_AGREEMENT = customer_record_feed(
    "cbs_agreement",
    "core_banking",
    "signed agreements and their status (R16, C18)",
    "Agreement",
    "HAS_AGREEMENT",
    "agreement_id",
    "agreement_id",
    (
        Column(
            "agreement_type",
            "agreement_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"WEALTH", "LOAN", "COOPERATION", "DEPOSIT", "INTERMEDIARY"}),
        ),
        Column("product_code", "product_code", Kind.CODE),
        Column("sign_date", "sign_date", Kind.DATE, required=True),
        Column("status", "status", Kind.CODE, required=True, allowed=frozenset({"ACTIVE", "TERMINATED"})),
    ),
    FeedMode.SNAPSHOT,
)

CBS_CONTRIBUTION = customer_record_feed(
    "cbs_contribution",
    "core_banking",
    "monthly contribution and its breakdown (R19, C22)",
    "Contribution",
    "HAS_CONTRIBUTION",
    "contribution_id",
    "contribution_id",
    (
        Column("period", "period", Kind.CODE, required=True),
        Column("total", "total", Kind.DECIMAL, required=True),
        Column("deposit", "deposit", Kind.DECIMAL),
        Column("loan", "loan", Kind.DECIMAL),
        Column("intermediary", "intermediary", Kind.DECIMAL),
    ),
    FeedMode.INCREMENTAL,
)

CRM_COMPLAINT = customer_record_feed(
    "crm_complaint",
    "crm",
    "complaints from every channel and their outcome (R21)",
    "Complaint",
    "FILED",
    "complaint_id",
    "complaint_id",
    (
        Column("channel", "channel", Kind.CODE, required=True, allowed=CHANNELS),
        Column("category", "category", required=True),
        Column("received_at", "received_at", Kind.DATETIME, required=True, format="%Y%m%d%H%M%S"),
        Column(
            "status", "status", Kind.CODE, required=True, allowed=frozenset({"OPEN", "RESOLVED", "CLOSED"})
        ),
        Column("outcome", "outcome"),
    ),
    FeedMode.INCREMENTAL,
)

MKT_PARTICIPATION = customer_record_feed(
    "mkt_participation",
    "marketing",
    "campaign participation online and offline (R22, C24)",
    "CampaignParticipation",
    "PARTICIPATED",
    "participation_id",
    "participation_id",
    (
        Column("campaign_code", "campaign_code", Kind.CODE, required=True),
        Column("campaign_name", "campaign_name", required=True),
        Column("channel", "channel", Kind.CODE, required=True, allowed=CHANNELS),
        Column("joined_date", "joined_date", Kind.DATE, required=True),
        Column("response", "response", Kind.CODE, allowed=frozenset({"JOINED", "CONVERTED", "DECLINED"})),
    ),
    FeedMode.INCREMENTAL,
)

CRM_NEED = customer_record_feed(
    "crm_need",
    "crm",
    "needs captured on every channel (R23, C25)",
    "Need",
    "EXPRESSED",
    "need_id",
    "need_id",
    (
        Column("channel", "channel", Kind.CODE, required=True, allowed=CHANNELS),
        Column("need_type", "need_type", required=True),
        Column("description", "description"),
        Column("captured_date", "captured_date", Kind.DATE, required=True),
        Column(
            "status",
            "status",
            Kind.CODE,
            required=True,
            allowed=frozenset({"OPEN", "FOLLOWING", "MET", "CLOSED"}),
        ),
    ),
    FeedMode.INCREMENTAL,
)

CONTACT_EVENT = NodeTarget("ContactEvent", "contact_id")
CRM_CONTACT = customer_record_feed(
    "crm_contact",
    "crm",
    "visits, calls and messages by managers, with the response (R25, C28)",
    "ContactEvent",
    "CONTACTED_IN",
    "contact_id",
    "contact_id",
    (
        Column("manager_id", "manager_id", Kind.CODE, required=True),
        Column(
            "contact_type",
            "contact_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"VISIT", "CALL", "SMS", "WECHAT"}),
        ),
        Column("contact_time", "contact_time", Kind.DATETIME, required=True, format="%Y%m%d%H%M%S"),
        Column("response", "response"),
    ),
    FeedMode.INCREMENTAL,
    extra_links=(LinkTarget("MADE_CONTACT", MANAGER, "manager_id", CONTACT_EVENT, "contact_id"),),
)

PTS_POINTS = customer_record_feed(
    "pts_points",
    "loyalty",
    "points, coupons and gifts (R27)",
    "PointsAccount",
    "HAS_POINTS",
    "points_account_id",
    "points_account_id",
    (
        Column("points_balance", "points_balance", Kind.INTEGER, required=True),
        Column("coupons", "coupons", Kind.INTEGER),
        Column("gift_orders", "gift_orders", Kind.INTEGER),
        Column("rights_level", "rights_level", Kind.CODE),
    ),
    FeedMode.SNAPSHOT,
)

CHN_EVENT = customer_record_feed(
    "chn_event",
    "channels",
    "register, login, click and browse events on online channels (R28, C27)",
    "ChannelEvent",
    "ACTED_ON",
    "event_id",
    "event_id",
    (
        Column("channel", "channel", Kind.CODE, required=True, allowed=CHANNELS),
        Column(
            "event_type",
            "event_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"REGISTER", "LOGIN", "CLICK", "BROWSE", "PURCHASE"}),
        ),
        Column("product_code", "product_code", Kind.CODE),
        Column("event_time", "event_time", Kind.DATETIME, required=True, format="%Y%m%d%H%M%S"),
    ),
    FeedMode.INCREMENTAL,
)

CRM_KEY_EVENT = customer_record_feed(
    "crm_key_event",
    "crm",
    "key events: first account, level changes, business handled (R29)",
    "KeyEvent",
    "HAD_EVENT",
    "event_id",
    "event_id",
    (
        Column("event_type", "event_type", Kind.CODE, required=True),
        Column("event_date", "event_date", Kind.DATE, required=True),
        Column("detail", "detail"),
    ),
    FeedMode.INCREMENTAL,
)

CRM_MAJOR_EVENT = customer_record_feed(
    "crm_major_event",
    "crm",
    "major events managers recorded in the CRM, by category (R09, C09)",
    "MajorEvent",
    "HAD_MAJOR_EVENT",
    "event_no",
    "major_event_id",
    (
        Column(
            "category",
            "category",
            Kind.CODE,
            required=True,
            allowed=frozenset({"FAMILY", "CAREER", "HEALTH", "ASSET", "BUSINESS", "OTHER"}),
        ),
        Column("event_date", "event_date", Kind.DATE, required=True),
        Column("description", "description", required=True),
        Column("recorded_by", "recorded_by", Kind.CODE),
    ),
    FeedMode.INCREMENTAL,
    extra_links=(
        LinkTarget(
            "RECORDED_BY",
            NodeTarget("MajorEvent", "major_event_id"),
            "major_event_id",
            MANAGER,
            "recorded_by",
            required=False,
        ),
    ),
)

CRM_PREFERENCE = customer_record_feed(
    "crm_preference",
    "crm",
    "hobbies, investment and service preferences in the CRM (R10)",
    "Preference",
    "HAS_PREFERENCE",
    "preference_no",
    "preference_id",
    (
        Column(
            "category",
            "category",
            Kind.CODE,
            required=True,
            allowed=frozenset({"HOBBY", "INVESTMENT", "CHANNEL", "CONTACT_TIME", "PRODUCT"}),
        ),
        Column("preference", "preference", required=True),
        Column("source", "source", Kind.CODE, allowed=frozenset({"MANAGER", "SURVEY", "SYSTEM"})),
        Column("recorded_on", "recorded_on", Kind.DATE),
    ),
    FeedMode.SNAPSHOT,
)

TAG_CUSTOMER = FeedSpec(
    name="tag_customer",
    system="tag_centre",
    description="system tags of each customer from the tag centre (R02, C02)",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("customer_no", "customer_no", Kind.CODE, required=True),
        Column("tag_code", "tag_code", Kind.CODE, required=True),
        Column("tag_name", "name", required=True),
        Column("tag_category", "category", required=True),
    ),
    node=TAG,
    node_properties=("name", "category"),
    links=(LinkTarget("TAGGED", CUSTOMER, "customer_no", TAG, "tag_code", properties=("tag_source",)),),
    derive=lambda row, _divisions: {"tag_source": "system"},
    duplicates_allowed=True,
)

EXT_SHAREHOLDING = FeedSpec(
    name="ext_shareholding",
    system="external",
    description="shareholdings between customers, from purchased business registration data (X03)",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("holder_no", "holder_no", Kind.CODE, required=True),
        Column("company_no", "company_no", Kind.CODE, required=True),
        Column("ratio_percent", "ratio_percent", Kind.DECIMAL, required=True),
        Column("period_end", "period_end", Kind.DATE, required=True),
    ),
    links=(
        LinkTarget(
            "OWNS_SHARES",
            CUSTOMER,
            "holder_no",
            CUSTOMER,
            "company_no",
            properties=("ratio_percent", "period_end"),
        ),
    ),
)

CRM_FAMILY_MEMBER = FeedSpec(
    name="crm_family_member",
    system="crm",
    description="family members a customer declared (R07)",
    mode=FeedMode.SNAPSHOT,
    columns=(
        Column("customer_no", "customer_no", Kind.CODE, required=True),
        Column("member_no", "member_no", Kind.CODE, required=True),
        Column(
            "relation",
            "relation",
            Kind.CODE,
            required=True,
            allowed=frozenset({"SPOUSE", "PARENT", "CHILD", "SIBLING", "OTHER"}),
        ),
    ),
    links=(
        LinkTarget(
            "DECLARED_FAMILY", CUSTOMER, "customer_no", CUSTOMER, "member_no", properties=("relation",)
        ),
    ),
)


def _records(name, system, description, label, rel_type, key, columns, mode=FeedMode.SNAPSHOT) -> FeedSpec:
    """Declare a customer-record feed whose key column and property share one name."""
    return customer_record_feed(name, system, description, label, rel_type, key, key, columns, mode)


DATE = Kind.DATE
MONEY = Kind.DECIMAL

CRD_CARD = _records(
    "crd_card",
    "cards",
    "credit cards: limit, overdue days, recent spending (R20, C23)",
    "CreditCard",
    "HAS_CARD",
    "card_id",
    (
        Column("card_product", "card_product", Kind.CODE, required=True),
        Column("credit_limit", "credit_limit", MONEY, required=True),
        Column("overdue_days", "overdue_days", Kind.INTEGER, required=True),
        Column("spend_30d", "spend_30d", MONEY),
        Column("issued_date", "issued_date", DATE, required=True),
    ),
)
CRM_ADDRESS = _records(
    "crm_address",
    "crm",
    "business and office addresses of companies (C06)",
    "Address",
    "HAS_ADDRESS",
    "address_id",
    (
        Column(
            "address_type",
            "address_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"REGISTERED", "BUSINESS", "OFFICE", "HOME"}),
        ),
        Column("address", "address", required=True),
        Column("division_code", "division_code", Kind.CODE),
    ),
)
CRM_CONTACT_PERSON = _records(
    "crm_contact_person",
    "crm",
    "contacts of a company by category (C07)",
    "ContactPerson",
    "HAS_CONTACT",
    "contact_person_id",
    (
        Column("contact_name", "name", required=True),
        Column(
            "contact_category",
            "category",
            Kind.CODE,
            required=True,
            allowed=frozenset({"LEGAL_REP", "FINANCE", "ACTUAL_CONTROLLER", "OPERATOR", "OTHER"}),
        ),
        Column("mobile", "mobile", Kind.CODE),
        Column("owner_manager_id", "owner_manager_id", Kind.CODE),
    ),
)
EXT_STOCK_ISSUE = _records(
    "ext_stock_issue",
    "external",
    "stocks the company issued (C08)",
    "StockIssue",
    "ISSUED_STOCK",
    "ticker",
    (
        Column(
            "exchange",
            "exchange",
            Kind.CODE,
            required=True,
            allowed=frozenset({"SSE", "SZSE", "BSE", "HKEX"}),
        ),
        Column("listed_date", "listed_date", DATE, required=True),
    ),
)
EXT_BOND_ISSUE = _records(
    "ext_bond_issue",
    "external",
    "bonds the company issued (C09)",
    "BondIssue",
    "ISSUED_BOND",
    "bond_code",
    (
        Column("bond_name", "name", required=True),
        Column("amount", "amount", MONEY, required=True),
        Column("issue_date", "issue_date", DATE, required=True),
        Column("maturity_date", "maturity_date", DATE),
    ),
)
FIN_STATEMENT = _records(
    "fin_statement",
    "credit",
    "financial statements by period (C10)",
    "FinancialStatement",
    "REPORTED",
    "statement_id",
    (
        Column("period", "period", Kind.CODE, required=True),
        Column("total_assets", "total_assets", MONEY, required=True),
        Column("total_liabilities", "total_liabilities", MONEY, required=True),
        Column("revenue", "revenue", MONEY, required=True),
        Column("net_profit", "net_profit", MONEY, required=True),
        Column("operating_cash_flow", "operating_cash_flow", MONEY),
    ),
)
CRM_PROJECT = _records(
    "crm_project",
    "crm",
    "the company's projects (C11)",
    "Project",
    "RUNS_PROJECT",
    "project_id",
    (
        Column("project_name", "name", required=True),
        Column("investment", "investment", MONEY),
        Column("start_date", "start_date", DATE),
        Column("status", "status", Kind.CODE, allowed=frozenset({"PLANNED", "BUILDING", "DONE"})),
    ),
)
CRM_OTHER_BANK = _records(
    "crm_other_bank",
    "crm",
    "the company's business with other banks (C13)",
    "OtherBankBusiness",
    "BANKS_ELSEWHERE",
    "ledger_id",
    (
        Column("bank_name", "bank_name", required=True),
        Column("business_type", "business_type", required=True),
        Column("amount", "amount", MONEY),
        Column("recorded_date", "recorded_date", DATE, required=True),
    ),
)
EXT_REGISTRATION = _records(
    "ext_registration",
    "external",
    "latest business registration record (X01)",
    "Registration",
    "REGISTERED_AS",
    "registration_id",
    (
        Column("registered_name", "name", required=True),
        Column("legal_representative", "legal_representative", required=True),
        Column("registered_capital", "registered_capital", MONEY),
        Column("established_date", "established_date", DATE, required=True),
        Column(
            "status",
            "status",
            Kind.CODE,
            required=True,
            allowed=frozenset({"ACTIVE", "REVOKED", "CANCELLED", "MOVED_OUT"}),
        ),
        Column("business_scope", "business_scope"),
    ),
)
EXT_REGISTRATION_CHANGE = _records(
    "ext_registration_change",
    "external",
    "changes of the registration record (X01)",
    "RegistrationChange",
    "REGISTRATION_CHANGED",
    "change_id",
    (
        Column("change_date", "change_date", DATE, required=True),
        Column("item", "item", required=True),
        Column("before", "before"),
        Column("after", "after"),
    ),
    FeedMode.INCREMENTAL,
)
EXT_BRANCH_OFFICE = _records(
    "ext_branch_office",
    "external",
    "branch offices (分支机构) in a company's registration record (C05)",
    "BranchOffice",
    "HAS_BRANCH_OFFICE",
    "branch_office_id",
    (
        Column("branch_name", "name", required=True),
        Column("credit_code", "credit_code", Kind.CREDIT_CODE),
        Column("principal", "principal"),
        Column("address", "address"),
        Column("established_date", "established_date", DATE),
        Column(
            "status",
            "status",
            Kind.CODE,
            required=True,
            allowed=frozenset({"ACTIVE", "REVOKED", "CANCELLED"}),
        ),
    ),
)
EXT_UTILITY_BILL = _records(
    "ext_utility_bill",
    "external",
    "water and electricity payments (X04)",
    "UtilityBill",
    "PAID_UTILITY",
    "bill_id",
    (
        Column(
            "utility", "utility", Kind.CODE, required=True, allowed=frozenset({"WATER", "ELECTRICITY", "GAS"})
        ),
        Column("period", "period", Kind.CODE, required=True),
        Column("amount", "amount", MONEY, required=True),
        Column("paid_on_time", "paid_on_time", Kind.CODE, allowed=frozenset({"Y", "N"})),
    ),
    FeedMode.INCREMENTAL,
)
EXT_RATING = _records(
    "ext_rating",
    "external",
    "ratings from outside agencies (X05)",
    "ExternalRating",
    "RATED_BY_AGENCY",
    "rating_id",
    (
        Column("agency", "agency", required=True),
        Column("grade", "grade", Kind.CODE, required=True),
        Column("outlook", "outlook", Kind.CODE, allowed=frozenset({"POSITIVE", "STABLE", "NEGATIVE"})),
        Column("rating_date", "rating_date", DATE, required=True),
    ),
    FeedMode.INCREMENTAL,
)
EXT_RISK_ALERT = _records(
    "ext_risk_alert",
    "external",
    "risk alerts on the customer (X06)",
    "RiskAlert",
    "HAS_RISK_ALERT",
    "alert_id",
    (
        Column("alert_type", "alert_type", required=True),
        Column(
            "severity", "severity", Kind.CODE, required=True, allowed=frozenset({"LOW", "MEDIUM", "HIGH"})
        ),
        Column("alert_date", "alert_date", DATE, required=True),
        Column("detail", "detail"),
    ),
    FeedMode.INCREMENTAL,
)
EXT_RISK_RECORD = _records(
    "ext_risk_record",
    "external",
    "administrative penalties and court records (X07)",
    "RiskRecord",
    "HAS_RISK_RECORD",
    "record_id",
    (
        Column(
            "record_type",
            "record_type",
            Kind.CODE,
            required=True,
            allowed=frozenset({"PENALTY", "JUDGMENT", "HEARING", "ANNOUNCEMENT"}),
        ),
        Column("authority", "authority", required=True),
        Column("record_date", "record_date", DATE, required=True),
        Column("amount", "amount", MONEY),
        Column("summary", "summary"),
    ),
    FeedMode.INCREMENTAL,
)
EXT_SUPPLY_CHAIN = _records(
    "ext_supply_chain",
    "external",
    "upstream and downstream companies from purchased data (X08)",
    "SupplyChainPartner",
    "TRADES_WITH",
    "partner_record_id",
    (
        Column("partner_name", "partner_name", required=True),
        Column("partner_credit_code", "partner_credit_code", Kind.CREDIT_CODE),
        Column(
            "direction", "direction", Kind.CODE, required=True, allowed=frozenset({"UPSTREAM", "DOWNSTREAM"})
        ),
        Column("share_percent", "share_percent", MONEY),
    ),
)

#: In load order; every feed here needs customers, and holdings need products first.
BUSINESS_FEEDS: tuple[FeedSpec, ...] = (
    PRD_PRODUCT,
    WM_HOLDING,
    LCS_CREDIT_LINE,
    LCS_GUARANTEE,
    CBS_AGREEMENT,
    CBS_CONTRIBUTION,
    CRM_COMPLAINT,
    MKT_PARTICIPATION,
    CRM_NEED,
    CRM_CONTACT,
    PTS_POINTS,
    CHN_EVENT,
    CRM_KEY_EVENT,
    CRM_MAJOR_EVENT,
    CRM_PREFERENCE,
    TAG_CUSTOMER,
    EXT_SHAREHOLDING,
    CRM_FAMILY_MEMBER,
    CRD_CARD,
    CRM_ADDRESS,
    CRM_CONTACT_PERSON,
    EXT_STOCK_ISSUE,
    EXT_BOND_ISSUE,
    FIN_STATEMENT,
    CRM_PROJECT,
    CRM_OTHER_BANK,
    EXT_REGISTRATION,
    EXT_REGISTRATION_CHANGE,
    EXT_BRANCH_OFFICE,
    EXT_UTILITY_BILL,
    EXT_RATING,
    EXT_RISK_ALERT,
    EXT_RISK_RECORD,
    EXT_SUPPLY_CHAIN,
)
