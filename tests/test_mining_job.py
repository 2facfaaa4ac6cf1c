"""The mining job run by a real RQ worker on the embedded server's Redis."""

from __future__ import annotations

from c360.jobs import run_miner_job
from c360.mining_run import mine_flow_links
from c360.queue import QueueWorker, job_queue
from graph_model.links import mined_link_counts
from graph_model.network import related_links
from graph_model.retail_ingest import upsert_records
from graph_model.scope import WHOLE_BANK


def _run_job_in_worker(settings) -> dict[str, int]:
    queue = job_queue(settings)
    try:
        job = queue.enqueue(run_miner_job, "flows", job_timeout=600)
        QueueWorker([queue], connection=queue.connection).work(burst=True)
        assert job.get_status(refresh=True) == "finished", job.latest_result().exc_string
        return job.return_value()
    finally:
        queue.connection.close()


def test_berka_household_link_of_client_2(berka_store):
    links = [
        row
        for row in related_links(berka_store, "2", WHOLE_BANK, 50)
        if row["link"]["link_type"] == "household"
    ]

    assert len(links) == 1
    link = links[0]["link"]
    assert links[0]["node"]["customer_id"] == "3"
    assert link["confidence"] == 0.9
    assert link["evidence_count"] == 1
    assert link["basis"] == ["2"]
    assert link["first_date"] == "1993-02-26"
    assert link["origin"] == "mined"
    assert link["miner"] == "flows"


def test_berka_link_counts(berka_store):
    counts = mined_link_counts(berka_store)

    # 869 accounts have an authorised user besides the owner; every standing order is a regular payee.
    assert counts["household"] == 869
    assert counts["regular_payee"] == 6471
    assert counts["common_payee"] == 13


def test_worker_runs_job_and_rerun_updates(scratch_settings, scratch_store):
    _write_two_customers_paying_each_other(scratch_store)

    first = _run_job_in_worker(scratch_settings)
    second = _run_job_in_worker(scratch_settings)

    # The account a and c share makes them family; a's steady payments to b alone do not.
    assert first == {"household": 1, "regular_transfer": 1, "family": 1}
    assert second == first
    assert mined_link_counts(scratch_store) == {"household": 1, "regular_transfer": 1, "family": 1}
    transfer = [
        row
        for row in related_links(scratch_store, "a", WHOLE_BANK, 10)
        if row["link"]["link_type"] == "regular_transfer"
    ]
    assert transfer[0]["direction"] == "out"
    assert transfer[0]["node"]["customer_id"] == "b"
    assert transfer[0]["link"]["evidence_count"] == 4
    assert transfer[0]["link"]["evidence_amount"] == 400.0
    assert transfer[0]["link"]["first_date"] == "1994-01-15"
    assert transfer[0]["link"]["last_date"] == "1994-04-15"
    assert transfer[0]["link"]["confidence"] == 0.6


def test_links_no_longer_inferred_are_removed(scratch_store):
    _write_two_customers_paying_each_other(scratch_store)
    mine_flow_links(scratch_store, batch_size=100)

    scratch_store.write("MATCH (:Customer {customer_id: 'c'})-[h:HOLDS]->() DELETE h")
    written = mine_flow_links(scratch_store, batch_size=100)

    assert written == {"regular_transfer": 1}
    assert mined_link_counts(scratch_store) == {"regular_transfer": 1}


def _write_two_customers_paying_each_other(store) -> None:
    """Customer a pays customer b's account monthly; customer c is authorised on a's account."""
    upsert_records(
        store,
        "district",
        [
            {
                "district_id": "1",
                "name": "Praha",
                "region": "Prague",
                "inhabitants": 1,
                "average_salary": 1,
                "source": "test",
            }
        ],
        100,
    )

    customers = [
        {
            "customer_id": key,
            "customer_type": "retail",
            "gender": "F",
            "birth_date": "1970-01-01",
            "district_id": "1",
            "source": "test",
        }
        for key in ("a", "b", "c")
    ]
    upsert_records(store, "client", customers, 100)

    accounts = [
        {
            "account_id": key,
            "district_id": "1",
            "statement_frequency": "monthly",
            "opened_date": "1993-01-01",
            "account_type": "current",
            "currency": "CZK",
            "source": "test",
        }
        for key in ("100", "200")
    ]
    upsert_records(store, "account", accounts, 100)

    holders = [
        {"disposition_id": "1", "customer_id": "a", "account_id": "100", "role": "owner", "source": "test"},
        {"disposition_id": "2", "customer_id": "b", "account_id": "200", "role": "owner", "source": "test"},
        {
            "disposition_id": "3",
            "customer_id": "c",
            "account_id": "100",
            "role": "authorised",
            "source": "test",
        },
    ]
    upsert_records(store, "disposition", holders, 100)

    transactions = [
        {
            "transaction_id": f"t{month}",
            "account_id": "100",
            "date": f"1994-0{month}-15",
            "direction": "debit",
            "operation": "transfer_out",
            "amount": 100.0,
            "balance": 1000.0,
            "purpose": "",
            "counterparty_key": "OUR/200",
            "bank_code": "OUR",
            "account_number": "200",
            "source": "test",
        }
        for month in range(1, 5)
    ]
    upsert_records(store, "transaction", transactions, 100)

    # The counterparty account is the bank's own account 200.
    store.write(
        "MATCH (p:CounterpartyAccount {account_key: 'OUR/200'}), (a:Account {account_id: '200'}) "
        "MERGE (p)-[:SAME_AS]->(a)"
    )
