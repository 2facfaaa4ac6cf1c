"""Export of a retail customer's profile to Excel and PDF: the chosen view's modules, masked, audited.

A small bank is written by hand: branch 0101 with managers M1 and M9 in different grids.
Customer C1 (managed by M1) has an account with a transaction, a product holding, a rating and a
need whose text looks like an Excel formula; C9 is managed by M9, outside the relationship
manager's scope. The files are opened with openpyxl and pypdf, as a user's tools would.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from werkzeug.security import generate_password_hash

from app import create_app
from app.pdf_fonts import CID_FONT, EMBEDDED_FONT, chinese_font
from app.retail.page_views import BUILT_IN_VIEWS, RETAIL_MODULES
from app.retail.profile_xlsx import sheet_name
from graph_model.users import save_user
from tests.conftest import logged_in_client
from tests.test_views_in_browser import _populated_customer

PASSWORD = "correct-horse-export"
ID_NUMBER = "110105199001011234"
MOBILE = "13812345678"
ADDRESS = "北京市朝阳区建国路88号院3号楼"
ACCOUNT = "6228480012345678901"
OTHER_ID_NUMBER = "220102198503033456"
FORMULA_NEED = '=HYPERLINK("http://127.0.0.1/","点此")'
MASKED = {
    "id_number": "110***********1234",
    "mobile": "138****5678",
    "account": "622848*********8901",
    "address": "北京市朝阳区" + "*" * 10,
}
#: username: (role, manager record)
USERS = {
    "rm": ("relationship_manager", "M1"),
    "analyst": ("head_office_analyst", None),
    "risk": ("risk_officer", None),
    "hom": ("head_office_manager", None),
    "admin_export": ("admin", None),
}
SIMPLE_VIEW_SHEETS = [
    "导出说明",
    "客户概况",
    "客户提醒信息",
    "标签画像",
    "账户信息",
    "产品持有信息",
    "客户评级信息",
    "客户需求信息",
]

BANK = """
CREATE (b:Branch {branch_code: '0101', name: '第1支行', level: 'SUB_BRANCH'}),
       (m1:Manager {manager_id: 'M1', name: '经理一', branch_code: '0101', grid_code: 'G1'}),
       (m9:Manager {manager_id: 'M9', name: '经理九', branch_code: '0101', grid_code: 'G9'}),
       (c1:Customer {customer_id: 'C1', customer_type: 'retail', name: '赵一', gender: 'M',
                     id_type: 'ID_CARD', id_number: $id_number, mobile: $mobile, address: $address,
                     open_branch: '0101'}),
       (c9:Customer {customer_id: 'C9', customer_type: 'retail', name: '周九', id_number: $other_id_number,
                     open_branch: '0101'}),
       (c1)-[:MANAGED_BY {role: 'primary'}]->(m1),
       (c9)-[:MANAGED_BY {role: 'primary'}]->(m9),
       (c1)-[:HOLDS {role: 'owner'}]->(a:Account {account_id: $account, account_type: 'savings',
                                                 currency: 'CNY', balance: 1000.0}),
       (a)-[:POSTED]->(:Transaction {transaction_id: 'T1', date: '2026-12-01', direction: 'debit',
                                     amount: 171.27, balance: 828.73}),
       (c1)-[:HAS_HOLDING]->(h:Holding {holding_id: 'H1', balance: 50000.0, income: 1234.5,
                                        start_date: '2026-01-05'}),
       (h)-[:OF_PRODUCT]->(:Product {product_code: 'P1', name: '稳健理财一号', category_l1: '理财',
                                     category_l2: '固收'}),
       (c1)-[:HAS_RATING]->(:Rating {rating_id: 'RT1', rating_date: '2026-11-01', grade: 'AA', score: 88.5}),
       (c1)-[:EXPRESSED]->(:Need {need_id: 'N1', captured_date: '2026-11-02', need_type: '+稳健理财',
                                  description: $formula_need, channel: 'MANAGER', status: 'OPEN'})
"""


@pytest.fixture
def bank(scratch_store, scratch_settings):
    scratch_store.write(
        BANK,
        {
            "id_number": ID_NUMBER,
            "mobile": MOBILE,
            "address": ADDRESS,
            "account": ACCOUNT,
            "other_id_number": OTHER_ID_NUMBER,
            "formula_need": FORMULA_NEED,
        },
    )
    for username, (role, manager) in USERS.items():
        save_user(
            scratch_store, username, generate_password_hash(PASSWORD), f"用户{username}", role,
            branch_code="0101", manager_id=manager,
        )  # fmt: skip
    return create_app(scratch_settings, {"TESTING": True}), scratch_store


def _workbook(client, customer_id: str = "C1", view: str = "simple"):
    response = client.get(f"/customers/{customer_id}/export.xlsx", query_string={"view": view})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)), response.data


def _pdf_text(client, customer_id: str = "C1", view: str = "simple") -> str:
    response = client.get(f"/customers/{customer_id}/export.pdf", query_string={"view": view})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _row_of(sheet, first_cell: str) -> list:
    """Return the values of the first row starting with ``first_cell``, without the empty cells at its end."""
    values = next([cell.value for cell in row] for row in sheet.iter_rows() if row[0].value == first_cell)
    while values and values[-1] is None:
        values.pop()
    return values


def _audit_rows(store, action: str) -> list[dict]:
    rows = store.read(
        "MATCH (e:AuditEvent {action: $action}) RETURN e {.*} AS event ORDER BY e.at", {"action": action}
    )
    return [row["event"] for row in rows]


def test_xlsx_sheets_follow_view(bank):
    app, _store = bank
    client = logged_in_client(app, "rm", PASSWORD)

    simple, _data = _workbook(client, view="simple")
    branch, _data = _workbook(client, view="branch")

    assert simple.sheetnames == SIMPLE_VIEW_SHEETS
    # The branch view puts the reminders and the business overview after the overview, and has the
    # knowledge graph, which is left out.
    assert branch.sheetnames[:5] == ["导出说明", "客户概况", "客户提醒信息", "客户业务概览", "标签画像"]
    assert "知识图谱" not in branch.sheetnames
    cover = {row[0].value: row[1].value for row in branch["导出说明"].iter_rows(min_row=3)}
    assert cover["未导出的模块"].startswith("知识图谱：知识图谱是交互式关系图")
    assert cover["视图"] == "支行版视图"
    assert cover["导出人"] == "用户rm（rm）"
    assert "任何角色导出均不含完整信息" in cover["脱敏说明"]
    assert cover["密级"] == "内部资料 注意保密"


def test_xlsx_has_reminders_recommendations_and_maintained_fields(bank):
    app, store = bank
    store.write(
        "MATCH (c:Customer {customer_id: 'C1'}) SET c.education = 'MASTER' "
        "CREATE (c)-[:HAS_HOLDING]->(:Holding {holding_id: 'H2', balance: 20000.0, start_date: '2026-06-10', "
        "maturity_date: '2026-12-15'})"
    )
    store.write(
        "MATCH (c:Customer {customer_id: 'C1'}), (p:Product {product_code: 'P1'}) "
        "CREATE (o:SalesOpportunity {opportunity_id: 'OPP-1', status: 'open', reason: '到期资金续作', "
        "created_by: 'rm', created_at: '2026-12-01T02:00:00+00:00'})-[:TARGETS]->(c), (o)-[:OFFERS]->(p)"
    )

    workbook, _data = _workbook(logged_in_client(app, "rm", PASSWORD), view="whole_bank")

    assert _row_of(workbook["客户基本信息"], "学历") == ["学历", "硕士研究生"]
    reminders = workbook["客户提醒信息"]
    assert [cell.value for cell in reminders[2]] == ["级别", "类别", "日期", "提醒内容"]
    assert [cell.value for cell in reminders[3]][:3] == ["重要", "到期", "2026-12-15"]
    offers = workbook["产品推荐"]
    assert _row_of(offers, "销售商机") == [
        "销售商机", "OPP-1", "稳健理财一号", "P1", "到期资金续作", "rm", "2026-12-01 10:00:00",
    ]  # fmt: skip


def test_xlsx_headers_bold_and_frozen(bank):
    app, _store = bank
    workbook, _data = _workbook(logged_in_client(app, "rm", PASSWORD))
    accounts = workbook["账户信息"]
    records = workbook["产品持有信息"]

    assert [cell.value for cell in accounts[1]] == [
        "账号", "账户类型", "持有身份", "开户日期", "开户地区/网点", "对账频率", "最新余额", "余额日期",
        "已加载交易笔数", "共同持有人", "贷款", "银行卡",
    ]  # fmt: skip
    assert all(cell.font.bold for cell in accounts[1])
    assert accounts.freeze_panes == "A2"
    assert [cell.value for cell in records[1]] == [
        "产品", "产品大类", "产品类别", "持有余额", "累计收益", "起始日", "到期日",
    ]  # fmt: skip
    # The overview starts with the facts table under its caption.
    assert workbook["客户概况"]["A1"].value == "基本情况"
    assert workbook["客户概况"].freeze_panes == "A3"
    # Chinese characters count double, so the header 开户地区/网点 is 13 units wide before the margin.
    assert accounts.column_dimensions["E"].width >= 14


def test_xlsx_masks_personal_values(bank):
    app, _store = bank
    workbook, data = _workbook(logged_in_client(app, "rm", PASSWORD))
    overview = workbook["客户概况"]

    assert _row_of(overview, "证件号码") == ["证件号码", MASKED["id_number"]]
    assert _row_of(overview, "手机号码") == ["手机号码", MASKED["mobile"]]
    assert _row_of(overview, "地址") == ["地址", MASKED["address"]]
    assert workbook["账户信息"]["A2"].value == MASKED["account"]
    for raw in (ID_NUMBER, MOBILE, ACCOUNT, ADDRESS):
        assert raw.encode() not in _unzipped(data)


def test_xlsx_amounts_are_numbers(bank):
    app, _store = bank
    workbook, _data = _workbook(logged_in_client(app, "rm", PASSWORD))
    balance = workbook["账户信息"]["G2"]
    holding = workbook["产品持有信息"]["D2"]
    income = workbook["产品持有信息"]["E2"]
    score = workbook["客户评级信息"]["C2"]

    assert (balance.value, balance.data_type, balance.number_format) == (1000, "n", "#,##0.00")
    assert (holding.value, holding.data_type, holding.number_format) == (50000, "n", "#,##0.00")
    assert income.value == 1234.5
    assert income.number_format == "#,##0.00"
    assert (score.value, score.data_type, score.number_format) == (88.5, "n", "General")


def test_xlsx_formula_text_stays_text(bank):
    app, _store = bank
    workbook, data = _workbook(logged_in_client(app, "rm", PASSWORD))
    needs = workbook["客户需求信息"]

    assert [cell.value for cell in needs[1]] == ["记录日期", "需求", "说明", "渠道", "状态"]
    assert needs["B2"].value == "+稳健理财"
    assert needs["C2"].value == FORMULA_NEED
    assert needs["C2"].data_type == "s"
    # No sheet of the file contains a formula element.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name), name


def test_pdf_masked_with_customer_number(bank):
    app, _store = bank
    text = _pdf_text(logged_in_client(app, "rm", PASSWORD))

    assert "客户号 C1" in text
    assert "赵一" in text
    for masked in MASKED.values():
        assert masked in text
    for raw in (ID_NUMBER, MOBILE, ACCOUNT, ADDRESS):
        assert raw not in text
    assert "内部资料 注意保密" in text
    assert "导出人：用户rm（rm）" in text
    assert "第 1 / " in text
    assert "50,000.00" in text
    assert FORMULA_NEED in text


def test_pdf_embeds_truetype_font(bank):
    app, _store = bank
    chinese_font.cache_clear()
    if chinese_font(None) != EMBEDDED_FONT:
        pytest.skip("no TrueType Chinese font on this machine (Debian: fonts-wqy-microhei)")
    response = logged_in_client(app, "rm", PASSWORD).get(
        "/customers/C1/export.pdf", query_string={"view": "simple"}
    )

    fonts = _page_fonts(response.data)
    assert any("FontFile2" in font for font in fonts), fonts
    assert "零售客户资料" in PdfReader(io.BytesIO(response.data)).pages[0].extract_text()


def test_pdf_falls_back_to_cid_font(bank, monkeypatch, tmp_path):
    app, _store = bank
    # Without fc-list on the PATH and no font configured, no TrueType font can be found.
    monkeypatch.setenv("PATH", str(tmp_path))
    chinese_font.cache_clear()
    try:
        response = logged_in_client(app, "rm", PASSWORD).get("/customers/C1/export.pdf")
    finally:
        chinese_font.cache_clear()

    assert response.status_code == 200
    fonts = _page_fonts(response.data)
    assert any(CID_FONT in font for font in fonts), fonts
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "C1" in text
    assert MASKED["id_number"] in text


def test_pdf_long_text_splits_rows(bank):
    app, store = bank
    store.write(
        "MATCH (c:Customer {customer_id: 'C1'}) "
        "CREATE (c)-[:EXPRESSED]->(:Need {need_id: 'N2', captured_date: '2026-11-03', description: $text})",
        {"text": "需求说明" * 1500},
    )

    text = _pdf_text(logged_in_client(app, "rm", PASSWORD))

    # The 6,000 characters do not fit one page, so the row continues on the next.
    assert text.count("需求说明") >= 1000
    assert "2026-11-03" in text


@pytest.mark.parametrize("username", ["rm", "analyst", "risk", "hom"])
def test_every_role_exports_masked(bank, username):
    app, _store = bank
    client = logged_in_client(app, username, PASSWORD)

    _workbook_file, xlsx = _workbook(client, view="whole_bank")
    pdf = _pdf_text(client, view="whole_bank")
    csv = client.get("/customers/C1/export.csv", query_string={"view": "whole_bank"}).get_data(as_text=True)

    for raw in (ID_NUMBER, MOBILE, ACCOUNT, ADDRESS):
        assert raw.encode() not in _unzipped(xlsx), f"{raw} in the Excel file of {username}"
        assert raw not in pdf, f"{raw} in the PDF of {username}"
        assert raw not in csv, f"{raw} in the CSV of {username}"
    for masked in MASKED.values():
        assert masked in pdf
        assert masked in csv


def test_export_audited_with_format(bank):
    app, store = bank
    client = logged_in_client(app, "rm", PASSWORD)

    for file_format in ("csv", "xlsx", "pdf"):
        assert client.get(f"/customers/C1/export.{file_format}").status_code == 200

    exports = _audit_rows(store, "export_customer")
    assert [(event["user"], event["customer_id"], event["detail"]) for event in exports] == [
        ("rm", "C1", "csv"),
        ("rm", "C1", "xlsx"),
        ("rm", "C1", "pdf"),
    ]


def test_export_refusals_audited(bank):
    app, store = bank
    manager = logged_in_client(app, "rm", PASSWORD)
    admin = logged_in_client(app, "admin_export", PASSWORD)

    out_of_scope = [manager.get(f"/customers/C9/export.{file_format}") for file_format in ("xlsx", "pdf")]
    without_permission = [admin.get(f"/customers/C1/export.{file_format}") for file_format in ("xlsx", "pdf")]

    assert [response.status_code for response in out_of_scope + without_permission] == [403] * 4
    refused = _audit_rows(store, "access_refused")
    assert [(event["user"], event["customer_id"], event["detail"]) for event in refused] == [
        ("rm", "C9", "export"),
        ("rm", "C9", "export"),
    ]
    lacking = _audit_rows(store, "permission_refused")
    assert [(event["user"], event["customer_id"], event["detail"]) for event in lacking] == [
        ("admin_export", "C1", "export"),
        ("admin_export", "C1", "export"),
    ]
    assert _audit_rows(store, "export_customer") == []
    assert OTHER_ID_NUMBER not in repr(refused)


def test_export_links_need_permission(bank):
    app, _store = bank

    manager_page = (
        logged_in_client(app, "rm", PASSWORD).get("/customers/C1?view=simple").get_data(as_text=True)
    )
    admin_page = logged_in_client(app, "admin_export", PASSWORD).get("/customers/C1").get_data(as_text=True)

    assert 'href="/customers/C1/export.xlsx?view=simple">Excel</a>' in manager_page
    assert 'href="/customers/C1/export.pdf?view=simple">PDF</a>' in manager_page
    assert "/export." not in admin_page


def test_closed_customer_noted_on_cover(bank):
    app, store = bank
    store.write("MATCH (c:Customer {customer_id: 'C1'}) SET c.closed_on = '2026-11-30'")

    workbook, _data = _workbook(logged_in_client(app, "rm", PASSWORD))
    text = _pdf_text(logged_in_client(app, "rm", PASSWORD))

    status = _row_of(workbook["导出说明"], "客户状态")[1]
    assert status == "该客户已于 2026-11-30 从源系统客户清单中消失（已关闭），导出的是关闭前的数据。"
    assert "2026-11-30" in text


def test_whole_bank_view_of_generated_customer(scratch_store, scratch_settings, tmp_path):
    customer_id = _populated_customer(scratch_store, tmp_path)
    save_user(scratch_store, "hom", generate_password_hash(PASSWORD), "总行业务管理员", "head_office_manager")
    client = logged_in_client(create_app(scratch_settings, {"TESTING": True}), "hom", PASSWORD)
    modules = dict((view_id, modules) for view_id, _name, modules in BUILT_IN_VIEWS)["whole_bank"]

    workbook, _data = _workbook(client, customer_id, view="whole_bank")
    text = _pdf_text(client, customer_id, view="whole_bank")
    csv = client.get(f"/customers/{customer_id}/export.csv", query_string={"view": "whole_bank"}).get_data(
        as_text=True
    )

    expected = [RETAIL_MODULES[module_id] for module_id in modules if module_id != "R03"]
    assert workbook.sheetnames == ["导出说明", *expected]
    for title in expected:
        sheet = workbook[title]
        # Each module has data, so each sheet has a table with a bold header row.
        assert any(cell.font.bold for row in sheet.iter_rows() for cell in row), title
        assert title in text
        assert title in csv
    channel_sheet = [row[0].value for row in workbook["线上渠道行为信息"].iter_rows()]
    assert "各渠道行为次数" in channel_sheet
    assert "行为记录" in channel_sheet


def test_sheet_names_accepted_by_excel():
    taken = {"导出说明"}

    long_name = sheet_name("客户" * 20, taken)
    forbidden = sheet_name("a/b:c*d?e[f]g\\h", taken)
    taken |= {long_name, forbidden}
    repeated = sheet_name("客户" * 20, taken)

    assert long_name == "客户" * 15 + "客"
    assert len(long_name) == 31
    assert forbidden == "a_b_c_d_e_f_g_h"
    assert repeated == "客户" * 14 + "(2)"
    assert len(repeated) == 31


def _unzipped(xlsx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def _page_fonts(pdf: bytes) -> list[str]:
    """Return each font of the first page as text: its base name and the keys of its descriptor."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    described = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        keys = sorted(descriptor.get_object().keys()) if descriptor else []
        described.append(f"{font['/BaseFont']} {' '.join(keys)}")
    return described
