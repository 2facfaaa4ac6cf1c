"""Writes of retail banking records: customers, accounts and what hangs off them.

Every write is an ``UNWIND $rows`` with ``MERGE`` on the business key, so loading the same rows
again leaves the graph as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph_model.store import GraphStore, write_in_batches

UPSERT_DISTRICTS = """
UNWIND $rows AS row
MERGE (d:District {district_id: row.district_id})
SET d.name = row.name, d.region = row.region, d.inhabitants = row.inhabitants,
    d.average_salary = row.average_salary
"""

UPSERT_CUSTOMERS = """
UNWIND $rows AS row
MERGE (c:Customer {customer_id: row.customer_id})
SET c.customer_type = row.customer_type, c.gender = row.gender, c.birth_date = row.birth_date,
    c.source = row.source
WITH c, row
MATCH (d:District {district_id: row.district_id})
SET c.address_area = d.name + ', ' + d.region
MERGE (c)-[:LIVES_IN]->(d)
"""

UPSERT_ACCOUNTS = """
UNWIND $rows AS row
MERGE (a:Account {account_id: row.account_id})
SET a.statement_frequency = row.statement_frequency, a.opened_date = row.opened_date,
    a.account_type = row.account_type, a.currency = row.currency, a.source = row.source
WITH a, row
MATCH (d:District {district_id: row.district_id})
MERGE (a)-[:OPENED_IN]->(d)
"""

LINK_ACCOUNT_HOLDERS = """
UNWIND $rows AS row
MATCH (c:Customer {customer_id: row.customer_id})
MATCH (a:Account {account_id: row.account_id})
MERGE (c)-[h:HOLDS {disposition_id: row.disposition_id}]->(a)
SET h.role = row.role
"""

UPSERT_STANDING_ORDERS = """
UNWIND $rows AS row
MATCH (a:Account {account_id: row.account_id})
MERGE (o:StandingOrder {order_id: row.order_id})
SET o.amount = row.amount, o.purpose = row.purpose
MERGE (a)-[:HAS_ORDER]->(o)
MERGE (p:CounterpartyAccount {account_key: row.counterparty_key})
ON CREATE SET p.bank_code = row.bank_code, p.account_number = row.account_number
MERGE (o)-[:PAYS_TO]->(p)
"""

UPSERT_TRANSACTIONS = """
UNWIND $rows AS row
MATCH (a:Account {account_id: row.account_id})
MERGE (t:Transaction {transaction_id: row.transaction_id})
SET t.date = row.date, t.direction = row.direction, t.operation = row.operation,
    t.amount = row.amount, t.balance = row.balance, t.purpose = row.purpose,
    t.account_id = row.account_id, t.sequence = row.sequence
MERGE (a)-[:POSTED]->(t)
WITH t, row
WHERE row.counterparty_key IS NOT NULL
MERGE (p:CounterpartyAccount {account_key: row.counterparty_key})
ON CREATE SET p.bank_code = row.bank_code, p.account_number = row.account_number
MERGE (t)-[:WITH_COUNTERPARTY]->(p)
"""

UPSERT_LOANS = """
UNWIND $rows AS row
MATCH (a:Account {account_id: row.account_id})
MERGE (l:Loan {loan_id: row.loan_id})
SET l.granted_date = row.granted_date, l.amount = row.amount, l.duration_months = row.duration_months,
    l.monthly_payment = row.monthly_payment, l.status = row.status
MERGE (a)-[:HAS_LOAN]->(l)
"""

UPSERT_CARDS = """
UNWIND $rows AS row
MATCH (c:Customer {customer_id: row.customer_id})-[:HOLDS]->(a:Account {account_id: row.account_id})
MERGE (k:Card {card_id: row.card_id})
SET k.card_type = row.card_type, k.issued_date = row.issued_date, k.disposition_id = row.disposition_id
MERGE (c)-[:CARDHOLDER_OF]->(k)
MERGE (k)-[:ISSUED_ON]->(a)
"""

UPSERTS_BY_ENTITY: Mapping[str, str] = {
    "district": UPSERT_DISTRICTS,
    "client": UPSERT_CUSTOMERS,
    "account": UPSERT_ACCOUNTS,
    "disposition": LINK_ACCOUNT_HOLDERS,
    "order": UPSERT_STANDING_ORDERS,
    "transaction": UPSERT_TRANSACTIONS,
    "loan": UPSERT_LOANS,
    "card": UPSERT_CARDS,
}


def upsert_records(store: GraphStore, entity: str, rows: Iterable[Mapping[str, Any]], batch_size: int) -> int:
    """Write one entity's rows in batches; returns how many rows were sent."""
    return write_in_batches(store, UPSERTS_BY_ENTITY[entity], rows, batch_size)
