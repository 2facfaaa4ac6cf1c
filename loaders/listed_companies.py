"""Load listed companies' top-ten shareholders and their executives (purchased external data).

Two sources, each loadable alone; both key listed companies by their six-digit stock code, so
they meet on the same ``Company`` nodes:

- top-ten holders: ``stockList.csv`` (listed companies) and ``stockHolder_top10_2017.csv``
  (holder name, shares and ratio per company and reporting period);
- executives: ``stock.csv``, ``executive.csv``, ``executive_stock.csv`` and the industry and
  concept files. Its stock codes lost their leading zeros and are padded back to six digits.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from graph_model.corporate_ingest import upsert_corporate_records
from graph_model.store import GraphStore
from loaders.delimited import read_delimited
from loaders.load_run import LoadReport, SourceFilesMissing, begin_run, finish_run
from loaders.rejects import RejectsFile, RowRejected

logger = logging.getLogger(__name__)

HOLDER_FILES = ("stockList.csv", "stockHolder_top10_2017.csv")
EXECUTIVE_FILES = (
    "stock.csv",
    "executive.csv",
    "executive_stock.csv",
    "industry.csv",
    "stock_industry.csv",
    "concept.csv",
    "stock_concept.csv",
)

OWN_FUNDS_MARKERS = ("自有资金", "集团本级")
_ORGANISATION_WORDS = re.compile(
    r"公司|集团|银行|基金|证券|保险|信托|中心|委员会|研究院|合伙|有限|投资|管理|账户|计划|组合|产品"
)
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+$")
_FUND_PRODUCT = re.compile(r"-|基金|计划|组合|产品")


def company_id_for_stock(code: str) -> str:
    """Return the key of a listed company from its stock code, padding lost leading zeros."""
    code = code.strip().split(".")[0]
    if not code.isdigit() or len(code) > 6:
        raise RowRejected(f"stock code {code!r} is not up to six digits")
    return f"stock:{code.zfill(6)}"


def holder_kind(name: str) -> str:
    """Classify a shareholder by its name: ``person``, ``fund_product`` or ``organisation``.

    A name of two to four Chinese characters (or one with a middle dot) and no organisation word
    is taken as a person. Products of fund and insurance companies carry a dash or words such as
    基金 or 计划.
    """
    if _PERSON_NAME.match(name) and not _ORGANISATION_WORDS.search(name):
        return "person"
    if _FUND_PRODUCT.search(name):
        return "fund_product"
    return "organisation"


def institution_of_own_account(holder_name: str) -> str:
    """Return the institution's name for an account holding its own money, else the name unchanged.

    Insurers and groups report shares held with their own funds as accounts such as
    "<institution>-集团本级-自有资金". The shareholder is then the institution itself, and control
    must be traced through it.
    """
    institution, _, account = holder_name.partition("-")
    if account and any(marker in account for marker in OWN_FUNDS_MARKERS):
        return institution
    return holder_name


def load_top_holders(store: GraphStore, folder: Path, *, runs_dir: Path, batch_size: int) -> LoadReport:
    """Load listed companies and their top-ten shareholders with stakes as published."""
    _require_files(folder, HOLDER_FILES)
    store.ensure_schema()
    report = begin_run("top-holders", folder, runs_dir)
    companies = _parsed(folder / "stockList.csv", ",", _listed_company, report.rejects)
    holdings = _parsed(folder / "stockHolder_top10_2017.csv", ",", _holding, report.rejects)
    # A later announcement of the same holding overwrites an earlier one.
    holdings.sort(key=lambda row: row["announced"])

    report.loaded["listed_company"] = upsert_corporate_records(
        store, "listed_company", _clean(companies), batch_size
    )
    people = [row for row in holdings if row["holder_kind"] == "person"]
    others = [row for row in holdings if row["holder_kind"] != "person"]
    report.loaded["shareholding"] = upsert_corporate_records(
        store, "person_shareholding", _clean(people), batch_size
    ) + upsert_corporate_records(store, "company_shareholding", _clean(others), batch_size)
    report.rejected = dict(report.rejects.counts)
    return finish_run(store, report)


def load_executives(store: GraphStore, folder: Path, *, runs_dir: Path, batch_size: int) -> LoadReport:
    """Load executives and directors with their roles, and the companies' industries and concepts."""
    _require_files(folder, EXECUTIVE_FILES)
    store.ensure_schema()
    report = begin_run("executives", folder, runs_dir)
    companies = _parsed(folder / "stock.csv", ",", _executive_data_company, report.rejects)
    people = _parsed(folder / "executive.csv", ",", _executive, report.rejects)
    roles = _parsed(folder / "executive_stock.csv", ",", _executive_role, report.rejects)
    known_companies = {row["company_id"] for row in companies}
    known_people = {row["person_id"] for row in people}
    roles = [
        row
        for row in roles
        if _known_company(row, known_companies, report.rejects, "executive_stock.csv")
        and _known_person(row, known_people, report.rejects)
    ]

    report.loaded["listed_company"] = upsert_corporate_records(
        store, "listed_company", _clean(companies), batch_size
    )
    report.loaded["executive"] = upsert_corporate_records(store, "executive", _clean(people), batch_size)
    report.loaded["executive_role"] = upsert_corporate_records(
        store, "executive_role", _clean(roles), batch_size
    )
    classification = _classification(folder, known_companies, report.rejects)
    report.loaded["classification"] = upsert_corporate_records(
        store, "classification", classification, batch_size
    )
    report.rejected = dict(report.rejects.counts)
    return finish_run(store, report)


def _listed_company(record: dict[str, str]) -> dict:
    return {
        "company_id": company_id_for_stock(record["symbol"]),
        "stock_code": record["symbol"].strip(),
        "ts_code": record["ts_code"].strip(),
        "name": _text(record, "name"),
        "exchange": record["exchange_id"].strip() or None,
        "list_status": record["list_status"].strip() or None,
        "list_date": _date(record, "list_date"),
    }


def _holding(record: dict[str, str]) -> dict:
    account_name = _text(record, "holder_name")
    name = institution_of_own_account(account_name)
    kind = holder_kind(name)
    return {
        "company_id": company_id_for_stock(record["ts_code"]),
        "stock_code": company_id_for_stock(record["ts_code"]).split(":")[1],
        "ts_code": record["ts_code"].strip(),
        "holder_id": f"name:{name}",
        "holder_name": name,
        "holder_account": account_name,
        "holder_kind": kind,
        "period_end": _date(record, "end_date"),
        "announced": _date(record, "ann_date"),
        "shares": _number(record, "hold_amount"),
        "ratio_percent": _number(record, "hold_ratio", maximum=Decimal(100)),
    }


def _executive_data_company(record: dict[str, str]) -> dict:
    company_id = company_id_for_stock(record["code"])
    return {
        "company_id": company_id,
        "stock_code": company_id.split(":")[1],
        "name": _text(record, "name"),
        "ts_code": None,
        "exchange": None,
        "list_status": None,
        "list_date": None,
    }


def _executive(record: dict[str, str]) -> dict:
    age = record.get("age:int", "").strip()
    if age == "-1":
        age = ""  # the source's mark for an unknown age
    if age and not age.isdigit():
        raise RowRejected(f"age {age!r} is not a whole number")
    gender = {"男": "M", "女": "F"}.get(record.get("gender", "").strip())
    return {
        "person_id": _text(record, "person_id:ID(Executive)"),
        "name": _text(record, "name"),
        "gender": gender,
        "age": int(age) if age else None,
    }


def _executive_role(record: dict[str, str]) -> dict:
    title = record.get("jobs", "").strip()
    return {
        "person_id": _text(record, ":START_ID(Executive)"),
        "company_id": company_id_for_stock(record[":END_ID(Stock)"]),
        "title": title,
        "roles": [role for role in title.split("/") if role],
    }


def _classification(folder: Path, known: set[str], rejects: RejectsFile) -> list[dict]:
    """Return each company's industries and concepts (names, from the executives data)."""
    names = {}
    for file_name, id_column in (
        ("industry.csv", "industry_id:ID(Industry)"),
        ("concept.csv", "concept_id:ID(Concept)"),
    ):
        for line in read_delimited(folder / file_name, delimiter=",", encoding="utf-8"):
            if line.row:
                names[line.row[id_column]] = line.row["name"]
    by_company: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"industries": [], "concepts": []})
    for file_name, field in (("stock_industry.csv", "industries"), ("stock_concept.csv", "concepts")):
        for line_number, raw, record, problem in read_delimited(
            folder / file_name, delimiter=",", encoding="utf-8"
        ):
            if record is None:
                rejects.add(file_name, line_number, problem, raw)
                continue
            try:
                company_id = company_id_for_stock(record[":START_ID(Stock)"])
            except RowRejected as reason:
                rejects.add(file_name, line_number, str(reason), raw)
                continue
            name = names.get(record[":END_ID(Industry)" if field == "industries" else ":END_ID(Concept)"])
            if company_id in known and name:
                by_company[company_id][field].append(name)
            else:
                rejects.add(file_name, line_number, "unknown company or classification id", raw)
    return [{"company_id": key, **value} for key, value in sorted(by_company.items())]


def _parsed(path: Path, delimiter: str, parser, rejects: RejectsFile) -> list[dict]:
    rows = []
    for line_number, raw, record, problem in read_delimited(path, delimiter=delimiter, encoding="utf-8-sig"):
        if record is None:
            rejects.add(path.name, line_number, problem, raw)
            continue
        try:
            rows.append(parser(record) | {"_line": line_number, "_raw": raw, "source": path.parent.name})
        except (RowRejected, KeyError) as reason:
            rejects.add(path.name, line_number, str(reason), raw)
    return rows


def _known_company(row: dict, known: set[str], rejects: RejectsFile, file_name: str) -> bool:
    if row["company_id"] in known:
        return True
    rejects.add(
        file_name, row["_line"], f"company {row['company_id']} is not in the company list", row["_raw"]
    )
    return False


def _known_person(row: dict, known: set[str], rejects: RejectsFile) -> bool:
    if row["person_id"] in known:
        return True
    rejects.add(
        "executive_stock.csv", row["_line"], f"person {row['person_id']} is not in executive.csv", row["_raw"]
    )
    return False


def _clean(rows: list[dict]) -> list[dict]:
    return [{key: value for key, value in row.items() if not key.startswith("_")} for row in rows]


def _require_files(folder: Path, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise SourceFilesMissing(f"{folder} lacks {', '.join(missing)}; nothing was loaded")


def _text(record: dict[str, str], column: str) -> str:
    value = (record.get(column) or "").strip()
    if not value:
        raise RowRejected(f"{column} is missing")
    return value


def _date(record: dict[str, str], column: str) -> str:
    value = _text(record, column)
    if not re.fullmatch(r"\d{8}", value):
        raise RowRejected(f"{column} {value!r} is not a YYYYMMDD date")
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def _number(record: dict[str, str], column: str, *, maximum: Decimal | None = None) -> float:
    value = _text(record, column)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowRejected(f"{column} {value!r} is not a number") from None
    if not number.is_finite() or number < 0 or (maximum is not None and number > maximum):
        raise RowRejected(f"{column} {value!r} is out of range")
    return float(number)
