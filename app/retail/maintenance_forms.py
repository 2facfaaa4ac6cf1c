"""The maintainable modules of the retail 360 page (P02): their fields, and the checks on what users type.

A module is either the customer's own fields (R04, R06), or records of one kind that users add,
change and remove (R09, R10, R16, R23, R25, and rating adjustments in R18). Fields a source
system delivers are listed as ``locked``: the form shows them and never sends them. Who entered
a record and on which day are added by the maintenance routes, never typed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app import labels
from app.filters import money
from app.text_input import clean_prose, clean_text

#: The largest amount a form accepts, in yuan.
MAX_AMOUNT = Decimal("1000000000000")
#: An amount as users type it once thousands separators are removed: digits, and at most two decimals.
AMOUNT_TEXT = re.compile(r"^\d+(\.\d{1,2})?$")


class Kind(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    DATE = "date"
    DATETIME = "datetime"
    AMOUNT = "amount"
    YEAR = "year"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int = 30
    choices: Mapping[str, str] = field(default_factory=dict)
    #: A date or moment that cannot be later than today (an event that happened, a contact made).
    not_future: bool = False

    def cleaned(self, raw: object) -> str:
        """Return what the user typed, normalised: prose keeps its punctuation, codes and numbers fold."""
        return clean_prose(raw) if self.kind in (Kind.TEXT, Kind.LONG_TEXT) else clean_text(raw)

    def shown(self, value: Any) -> str:
        """Return the stored ``value`` as the page shows it."""
        if value in (None, ""):
            return "—"
        if self.kind is Kind.CHOICE:
            return labels.label(self.choices, value)
        if self.kind is Kind.DATETIME:
            return str(value).replace("T", " ")[:16]
        if self.kind is Kind.AMOUNT:
            try:
                return money(float(value))
            except ValueError:
                return str(value)
        return str(value)


@dataclass(frozen=True)
class LockedField:
    name: str
    label: str
    shown: Callable[[Any], str] = lambda value: "—" if value in (None, "") else str(value)


@dataclass(frozen=True)
class MaintainedModule:
    module_id: str
    title: str
    fields: tuple[FormField, ...]
    #: Record kind of ``graph_model.customer_records`` for record modules; None for customer fields.
    record_kind: str | None = None
    locked: tuple[LockedField, ...] = ()

    def field_named(self, name: str) -> FormField | LockedField | None:
        return next((item for item in (*self.fields, *self.locked) if item.name == name), None)


EDUCATION_LEVELS = {
    "DOCTORATE": "博士研究生",
    "MASTER": "硕士研究生",
    "BACHELOR": "大学本科",
    "COLLEGE": "大学专科",
    "SECONDARY": "高中或中专",
    "BELOW_SECONDARY": "初中及以下",
}
MARITAL_STATUSES = {"SINGLE": "未婚", "MARRIED": "已婚", "DIVORCED": "离异", "WIDOWED": "丧偶"}
BANK_RELATIONSHIPS = {
    "NONE": "无特殊关系",
    "EMPLOYEE": "本行员工",
    "EMPLOYEE_RELATIVE": "本行员工近亲属",
    "SHAREHOLDER": "本行股东",
    "RELATED_PARTY": "本行关联方",
}
#: Composite rating grades, best first; a manual adjustment picks one of them.
RATING_GRADES = {grade: grade for grade in ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")}
NEED_STATUSES = {code: labels.RECORD_STATUSES[code] for code in ("OPEN", "FOLLOWING", "MET", "CLOSED")}
AGREEMENT_STATUSES = {code: labels.RECORD_STATUSES[code] for code in ("ACTIVE", "TERMINATED")}


def _choice(name: str, label: str, choices: Mapping[str, str], *, required: bool = False) -> FormField:
    return FormField(name, label, Kind.CHOICE, required=required, choices=choices)


MAINTAINED_MODULES: dict[str, MaintainedModule] = {
    module.module_id: module
    for module in (
        MaintainedModule(
            "R04",
            "客户基本信息",
            (
                _choice("education", "学历", EDUCATION_LEVELS),
                _choice("marital_status", "婚姻状况", MARITAL_STATUSES),
                _choice("bank_relationship", "与我行关系", BANK_RELATIONSHIPS),
                FormField("resume", "个人履历", Kind.LONG_TEXT, max_length=500),
            ),
            locked=(
                LockedField("name", "姓名"),
                LockedField("gender", "性别", lambda value: labels.label(labels.GENDERS, value)),
                LockedField("birth_date", "出生日期"),
                LockedField(
                    "customer_level", "客户等级", lambda value: labels.label(labels.CUSTOMER_LEVELS, value)
                ),
                LockedField("open_date", "开户日期"),
                LockedField("open_branch_name", "开户机构"),
            ),
        ),
        MaintainedModule(
            "R06",
            "客户工作或经营信息",
            (
                FormField("position", "职务"),
                FormField("industry", "所属行业"),
                FormField("annual_income", "年收入（元）", Kind.AMOUNT),
                FormField("business_name", "经营实体名称", max_length=60),
                FormField("business_scope", "经营范围", Kind.LONG_TEXT, max_length=200),
            ),
            locked=(LockedField("occupation", "职业"), LockedField("employer", "工作单位")),
        ),
        MaintainedModule(
            "R09",
            "客户大事记",
            (
                _choice("category", "类别", labels.MAJOR_EVENT_CATEGORIES, required=True),
                FormField("event_date", "日期", Kind.DATE, required=True, not_future=True),
                FormField("description", "事件", Kind.LONG_TEXT, required=True, max_length=200),
            ),
            record_kind="major_events",
        ),
        MaintainedModule(
            "R10",
            "客户偏好",
            (
                _choice("category", "类别", labels.PREFERENCE_CATEGORIES, required=True),
                FormField("preference", "偏好", required=True, max_length=60),
            ),
            record_kind="preferences",
        ),
        MaintainedModule(
            "R16",
            "签约信息",
            (
                _choice("agreement_type", "签约类型", labels.AGREEMENT_TYPES, required=True),
                FormField("product_code", "产品代码", max_length=20),
                FormField("sign_date", "签约日期", Kind.DATE, required=True, not_future=True),
                _choice("status", "状态", AGREEMENT_STATUSES, required=True),
            ),
            record_kind="agreements",
        ),
        MaintainedModule(
            "R18",
            "客户评级信息",
            (
                FormField("rating_date", "评级日期", Kind.DATE, required=True, not_future=True),
                _choice("grade", "调整后等级", RATING_GRADES, required=True),
                FormField("reason", "调整原因", Kind.LONG_TEXT, required=True, max_length=200),
            ),
            record_kind="ratings",
        ),
        MaintainedModule(
            "R23",
            "客户需求信息",
            (
                FormField("need_type", "需求", required=True),
                FormField("description", "说明", Kind.LONG_TEXT, max_length=200),
                _choice("channel", "渠道", labels.SERVICE_CHANNELS, required=True),
                FormField("captured_date", "记录日期", Kind.DATE, required=True, not_future=True),
                _choice("status", "状态", NEED_STATUSES, required=True),
            ),
            record_kind="needs",
        ),
        MaintainedModule(
            "R25",
            "客户接触轨迹",
            (
                _choice("contact_type", "方式", labels.CONTACT_TYPES, required=True),
                FormField("contact_time", "接触时间", Kind.DATETIME, required=True, not_future=True),
                FormField("response", "客户反馈", Kind.LONG_TEXT, max_length=200),
            ),
            record_kind="contacts",
        ),
    )
}


@dataclass(frozen=True)
class CheckedForm:
    """A submitted form: the typed values, a Chinese message per field in error, and the text typed."""

    values: dict[str, Any]
    errors: dict[str, str]
    #: The text the user typed in each field, normalised, to show the form again with its errors.
    typed: dict[str, str]


#: A family member who is not a customer of the bank, recorded on the family page (R07).
FAMILY_PERSON_FIELDS = (
    FormField("name", "姓名", required=True, max_length=20),
    _choice("relation", "与客户的关系", labels.FAMILY_RELATIONS, required=True),
    FormField("birth_year", "出生年份", Kind.YEAR),
    FormField("note", "备注", Kind.LONG_TEXT, max_length=100),
)


def checked_form(fields: tuple[FormField, ...], form: Mapping[str, str], now: datetime) -> CheckedForm:
    """Check the submitted ``form`` against ``fields``; an empty optional field gives None, clearing it.

    ``now`` is the bank's local time, without a time zone: no date or moment that must have
    happened may be later.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    for form_field in fields:
        text = typed[form_field.name] = form_field.cleaned(form.get(form_field.name))
        if not text:
            if form_field.required:
                verb = "选择" if form_field.kind is Kind.CHOICE else "填写"
                errors[form_field.name] = f"请{verb}{form_field.label}。"
            values[form_field.name] = None
            continue
        try:
            values[form_field.name] = _typed(form_field, text, now)
        except ValueError as problem:
            errors[form_field.name] = str(problem)
    return CheckedForm(values, errors, typed)


def _typed(form_field: FormField, text: str, now: datetime) -> Any:
    """Return ``text`` as the field stores it; raises ValueError with the Chinese message."""
    if form_field.kind in (Kind.TEXT, Kind.LONG_TEXT):
        if len(text) > form_field.max_length:
            raise ValueError(f"{form_field.label}不能超过 {form_field.max_length} 个字。")
        return text
    if form_field.kind is Kind.CHOICE:
        if text not in form_field.choices:
            raise ValueError(f"请从列表中选择{form_field.label}。")
        return text
    if form_field.kind is Kind.AMOUNT:
        return _amount(form_field, text)
    if form_field.kind is Kind.YEAR:
        if not (text.isdigit() and 1900 <= int(text) <= now.year):
            raise ValueError(f"{form_field.label}须为 1900 至 {now.year} 之间的年份。")
        return int(text)
    return _moment(form_field, text, now)


def _amount(form_field: FormField, text: str) -> float:
    digits = text.replace(",", "")
    if not AMOUNT_TEXT.match(digits):
        if re.fullmatch(r"\d+\.\d{3,}", digits):
            raise ValueError(f"{form_field.label}最多保留两位小数。")
        raise ValueError(f"{form_field.label}须为金额，例如 120000 或 120000.50。")
    amount = Decimal(digits)
    if amount > MAX_AMOUNT:
        raise ValueError(f"{form_field.label}须在 0 至 1 万亿元之间。")
    return float(amount)


def _moment(form_field: FormField, text: str, now: datetime) -> str:
    try:
        if form_field.kind is Kind.DATE:
            moment = date.fromisoformat(text)
            day = moment
        else:
            moment = datetime.fromisoformat(text).replace(second=0, microsecond=0, tzinfo=None)
            day = moment.date()
    except ValueError:
        example = "2026-03-18" if form_field.kind is Kind.DATE else "2026-03-18 14:30"
        raise ValueError(f"{form_field.label}格式不正确，例如 {example}。") from None
    if form_field.not_future and day > now.date():
        raise ValueError(f"{form_field.label}不能晚于今天。")
    if form_field.not_future and isinstance(moment, datetime) and moment > now:
        raise ValueError(f"{form_field.label}不能晚于现在。")
    if day.year < 1900:
        raise ValueError(f"{form_field.label}不能早于 1900 年。")
    return moment.isoformat(timespec="seconds") if isinstance(moment, datetime) else moment.isoformat()


def stored_form(fields: tuple[FormField, ...], stored: Mapping[str, Any]) -> dict[str, str]:
    """Return the stored values of ``fields`` as the form's inputs show them."""
    return {form_field.name: form_text(form_field, stored.get(form_field.name)) for form_field in fields}


def form_text(form_field: FormField, value: Any) -> str:
    """Return a stored value as the form's input shows it."""
    if value in (None, ""):
        return ""
    if form_field.kind is Kind.DATETIME:
        return str(value)[:16]
    if form_field.kind is Kind.AMOUNT and isinstance(value, int | float):
        return f"{value:.2f}".removesuffix(".00")
    return str(value)
