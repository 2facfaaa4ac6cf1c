"""Node labels, relationship types and business keys of the graph.

Labels and relationship types are the only names ever placed into Cypher text; they come from
these constants, never from input. Every value travels as a query parameter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeKey:
    """A label and the property that identifies its nodes (unique per label)."""

    label: str
    key: str


#: Unique business keys, one per label.
NODE_KEYS: tuple[NodeKey, ...] = (
    NodeKey("Customer", "customer_id"),
    NodeKey("Account", "account_id"),
    NodeKey("CounterpartyAccount", "account_key"),
    NodeKey("Transaction", "transaction_id"),
    NodeKey("StandingOrder", "order_id"),
    NodeKey("Loan", "loan_id"),
    NodeKey("Card", "card_id"),
    NodeKey("District", "district_id"),
    NodeKey("Branch", "branch_code"),
    NodeKey("Manager", "manager_id"),
    NodeKey("Rating", "rating_id"),
    NodeKey("Product", "product_code"),
    NodeKey("Holding", "holding_id"),
    NodeKey("CreditLine", "credit_line_id"),
    NodeKey("Guarantee", "guarantee_id"),
    NodeKey("Agreement", "agreement_id"),
    NodeKey("Contribution", "contribution_id"),
    NodeKey("Complaint", "complaint_id"),
    NodeKey("CampaignParticipation", "participation_id"),
    NodeKey("Need", "need_id"),
    NodeKey("ContactEvent", "contact_id"),
    NodeKey("PointsAccount", "points_account_id"),
    NodeKey("ChannelEvent", "event_id"),
    NodeKey("KeyEvent", "event_id"),
    NodeKey("MajorEvent", "major_event_id"),
    NodeKey("Preference", "preference_id"),
    NodeKey("Tag", "tag_code"),
    NodeKey("CreditCard", "card_id"),
    NodeKey("Address", "address_id"),
    NodeKey("ContactPerson", "contact_person_id"),
    NodeKey("StockIssue", "ticker"),
    NodeKey("BondIssue", "bond_code"),
    NodeKey("FinancialStatement", "statement_id"),
    NodeKey("Project", "project_id"),
    NodeKey("OtherBankBusiness", "ledger_id"),
    NodeKey("Registration", "registration_id"),
    NodeKey("RegistrationChange", "change_id"),
    NodeKey("BranchOffice", "branch_office_id"),
    NodeKey("UtilityBill", "bill_id"),
    NodeKey("ExternalRating", "rating_id"),
    NodeKey("RiskAlert", "alert_id"),
    NodeKey("RiskRecord", "record_id"),
    NodeKey("SupplyChainPartner", "partner_record_id"),
    NodeKey("Company", "company_id"),
    NodeKey("Person", "person_id"),
    NodeKey("AdminDivision", "code"),
    NodeKey("Industry", "code"),
    NodeKey("Community", "community_id"),
    NodeKey("LoadRun", "run_id"),
    NodeKey("AuditEvent", "event_id"),
    NodeKey("ViewConfig", "view_id"),
    NodeKey("RecommendationRule", "rule_id"),
    NodeKey("SalesOpportunity", "opportunity_id"),
    NodeKey("Campaign", "campaign_id"),
    NodeKey("FamilyMember", "member_id"),
    NodeKey("ReminderDismissal", "dismissal_id"),
    NodeKey("User", "username"),
)

#: Non-unique properties that queries filter on.
NODE_INDEXES: tuple[tuple[str, str], ...] = (
    ("Transaction", "date"),
    ("Customer", "name"),
    ("Customer", "id_number"),
    ("Customer", "mobile"),
    ("Customer", "credit_code"),
    ("Company", "name"),
    ("Company", "stock_code"),
    ("Person", "name"),
    ("AuditEvent", "at"),
    ("AuditEvent", "user"),
    ("AuditEvent", "customer_id"),
)

#: A relationship created by the mining job between two customers or a customer and a payee.
MINED_LINK = "RELATED_TO"

#: Maximum number of relationships on a path between two customers; a shared account counts as two.
MAX_PATH_LENGTH = 6
