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
    TAG_CUSTOMER,
    EXT_SHAREHOLDING,
    CRM_FAMILY_MEMBER,
)
