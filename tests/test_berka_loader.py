"""The Berka loader on the real files: counts, derived fields, reloading, and rejected rows."""

from __future__ import annotations

import csv
import shutil

import pytest

from graph_model.bookkeeping import graph_statistics, recent_load_runs
from graph_model.customers import customer_accounts, customer_overview
from graph_model.scope import WHOLE_BANK
from loaders.berka import SourceFilesMissing, load_berka
from loaders.berka_rows import birth_details
from loaders.rejects import RowRejected
from tests.conftest import BERKA_DIR


def test_load_counts_match_the_files(berka_store):
    stats = graph_statistics(berka_store)

    assert stats["nodes"]["Customer"] == 5369
    assert stats["nodes"]["Account"] == 4500
    assert stats["nodes"]["Transaction"] == 49102
    assert stats["nodes"]["StandingOrder"] == 6471
    assert stats["nodes"]["Loan"] == 682
    assert stats["nodes"]["Card"] == 892
    assert stats["nodes"]["District"] == 77
    assert stats["relationships"]["HOLDS"] == 5369
    assert "LoadRun" not in stats["nodes"]


def test_reload_changes_no_count(berka_store, base_settings):
    before = graph_statistics(berka_store)

    report = load_berka(
        berka_store, BERKA_DIR, runs_dir=base_settings.data_dir / "load-runs", batch_size=5000
    )

    after = graph_statistics(berka_store)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
    assert report.loaded["transaction"] == 49102
    assert sum(report.rejected.values()) == 0


def test_load_run_is_recorded(berka_store):
    run = recent_load_runs(berka_store, limit=1)[0]

    assert run["source"] == "berka"
    assert run["loaded_client"] == 5369
    assert run["loaded_transaction"] == 49102
    assert run["rows_rejected"] == 0
    assert run["started_at"]


def test_client_2_overview_and_accounts(berka_store):
    overview = customer_overview(berka_store, "2", WHOLE_BANK)
    accounts = customer_accounts(berka_store, "2", WHOLE_BANK)

    # birth_number 450204: a man born on 1945-02-04, living in district 1 (Prague).
    assert overview["customer"]["gender"] == "M"
    assert overview["customer"]["birth_date"] == "1945-02-04"
    assert overview["customer"]["address_area"] == "Hl.m. Praha, Prague"
    assert [row["account"]["account_id"] for row in accounts] == ["2"]
    assert accounts[0]["role"] == "owner"
    assert accounts[0]["co_holders"] == [{"customer_id": "3", "role": "authorised"}]
    assert accounts[0]["transaction_count"] == 76
    # Two postings on 1994-03-31: interest 129.20, then a 14.60 fee, although the fee has the lower id.
    assert accounts[0]["latest_date"] == "1994-03-31"
    assert accounts[0]["balance"] == 31041.5
    assert overview["loan_count"] == 1


def test_client_3_is_an_authorised_user(berka_store):
    accounts = customer_accounts(berka_store, "3", WHOLE_BANK)

    assert accounts[0]["role"] == "authorised"
    assert accounts[0]["co_holders"] == [{"customer_id": "2", "role": "owner"}]


@pytest.mark.parametrize(
    ("birth_number", "gender", "born"),
    [("706213", "F", "1970-12-13"), ("450204", "M", "1945-02-04"), ("355101", "F", "1935-01-01")],
)
def test_birth_number_gives_gender_and_date(birth_number, gender, born):
    parsed_gender, parsed_date = birth_details(birth_number)

    assert parsed_gender == gender
    assert parsed_date.isoformat() == born


@pytest.mark.parametrize("birth_number", ["701332", "7062", "70621x", "706200"])
def test_bad_birth_number_is_rejected(birth_number):
    with pytest.raises(RowRejected):
        birth_details(birth_number)


def test_bad_rows_are_set_aside(scratch_store, tmp_path):
    source = tmp_path / "berka"
    shutil.copytree(BERKA_DIR, source)
    with open(source / "client.asc", "a", newline="") as handle:
        handle.write('99001;"709999";1\r\n')  # day 99 is not a date
        handle.write('99002;"700101";999\r\n')  # no such district
        handle.write('99003;"700101"\r\n')  # a field is missing
    with open(source / "disp.asc", "a", newline="") as handle:
        handle.write('99004;99001;1;"OWNER"\r\n')  # its client was rejected
        handle.write('99005;1;1;"BOSS"\r\n')  # unknown disposition type

    report = load_berka(scratch_store, source, runs_dir=tmp_path / "runs", batch_size=2000)

    assert report.loaded["client"] == 5369
    assert report.rejected["client"] == 3
    assert report.rejected["disposition"] == 2
    with open(report.rejects_path, newline="", encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(row["source_file"], row["row_number"]) for row in rejects] == [
        ("client.asc", "5371"),
        ("client.asc", "5373"),
        ("client.asc", "5372"),
        ("disp.asc", "5372"),
        ("disp.asc", "5371"),
    ]
    reasons = {row["row_number"] + row["source_file"]: row["reason"] for row in rejects}
    assert "not a valid date" in reasons["5371client.asc"]
    assert "district_id '999' has no district row" in reasons["5372client.asc"]
    assert "different number of fields" in reasons["5373client.asc"]
    assert "client" in reasons["5371disp.asc"]
    assert "'BOSS'" in reasons["5372disp.asc"]
    assert graph_statistics(scratch_store)["nodes"]["Customer"] == 5369


def test_missing_file_stops_before_writing(scratch_store, tmp_path):
    source = tmp_path / "berka"
    shutil.copytree(BERKA_DIR, source)
    (source / "loan.asc").unlink()

    with pytest.raises(SourceFilesMissing, match="loan.asc"):
        load_berka(scratch_store, source, runs_dir=tmp_path / "runs", batch_size=2000)

    assert graph_statistics(scratch_store)["nodes"] == {}
