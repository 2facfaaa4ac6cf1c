"""The reminder rules and their thresholds file, without a database: facts in, exact reminders out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from c360.config import PROJECT_ROOT
from c360.reminder_rules import (
    CustomerFacts,
    Reminder,
    customer_reminders,
    debits_needed_since,
    pending_reminders,
    reminder_kind,
)
from c360.reminder_thresholds import (
    LargeOutflowRule,
    ReminderConfigError,
    ReminderThresholds,
    load_reminder_thresholds,
)

TODAY = date(2026, 12, 3)
DEFAULTS = ReminderThresholds()


def _reminders(today: date = TODAY, thresholds: ReminderThresholds = DEFAULTS, **facts) -> list[Reminder]:
    return customer_reminders(CustomerFacts(customer_id="C1", **facts), thresholds, today)


def _debit(transaction_id: str, day: str, amount: float, to_own_account: bool = False) -> dict:
    return {"transaction_id": transaction_id, "date": day, "amount": amount, "to_own_account": to_own_account}


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [
        (
            "1954-12-06",
            [
                Reminder(
                    "birthday:C1:2026-12-06",
                    "birthday",
                    "客户 2026-12-06 过 72 岁生日。",
                    "2026-12-06",
                    "normal",
                )
            ],
        ),
        (
            "1990-12-03",
            [
                Reminder(
                    "birthday:C1:2026-12-03",
                    "birthday",
                    "客户 2026-12-03 过 36 岁生日。",
                    "2026-12-03",
                    "normal",
                )
            ],
        ),
        (
            "1990-12-10",
            [
                Reminder(
                    "birthday:C1:2026-12-10",
                    "birthday",
                    "客户 2026-12-10 过 36 岁生日。",
                    "2026-12-10",
                    "normal",
                )
            ],
        ),
        ("1990-12-11", []),
        ("1954-01-12", []),
        ("1990-12-02", []),
        (None, []),
        ("not a date", []),
    ],
)
def test_birthday_within_seven_days(birth_date, expected):
    assert _reminders(birth_date=birth_date) == expected


def test_birthday_in_three_days_not_forty():
    in_three = _reminders(birth_date="1980-12-06")
    in_forty = _reminders(birth_date="1980-01-12")

    assert [reminder.key for reminder in in_three] == ["birthday:C1:2026-12-06"]
    assert in_forty == []


def test_birthday_across_new_year():
    reminders = _reminders(today=date(2026, 12, 29), birth_date="1970-01-02")

    assert reminders == [
        Reminder(
            "birthday:C1:2027-01-02", "birthday", "客户 2027-01-02 过 57 岁生日。", "2027-01-02", "normal"
        )
    ]


def test_leap_day_birthday_on_28_february():
    reminders = _reminders(today=date(2027, 2, 25), birth_date="2000-02-29")

    assert [reminder.due_date for reminder in reminders] == ["2027-02-28"]


def test_dismissed_birthday_hidden_next_year_back():
    facts = {"birth_date": "1954-12-06"}
    dismissed = {"birthday:C1:2026-12-06"}

    this_year = pending_reminders(_reminders(**facts), dismissed)
    later_this_year = pending_reminders(_reminders(today=date(2026, 12, 5), **facts), dismissed)
    next_year = pending_reminders(_reminders(today=date(2027, 12, 1), **facts), dismissed)

    assert this_year == []
    assert later_this_year == []
    assert next_year == [
        Reminder(
            "birthday:C1:2027-12-06", "birthday", "客户 2027-12-06 过 73 岁生日。", "2027-12-06", "normal"
        )
    ]


def test_holding_and_credit_line_maturities():
    holdings = [
        {"holding_id": "H1", "product": "一年定期", "balance": 80000.0, "maturity_date": "2026-12-20"},
        {"holding_id": "H2", "product": "稳享理财30天", "balance": 5000.5, "maturity_date": "2027-01-02"},
        {"holding_id": "H3", "product": "安鑫一年期理财", "balance": 1000.0, "maturity_date": "2027-01-03"},
        {"holding_id": "H4", "product": "终身寿险", "balance": 1000.0, "maturity_date": "2026-12-02"},
        {"holding_id": "H5", "product": None, "balance": None, "maturity_date": "2026-12-03"},
    ]
    credit_lines = [
        {
            "credit_line_id": "CL1",
            "limit_amount": 50000.0,
            "used_amount": 12000.0,
            "end_date": "2026-12-31",
            "status": "ACTIVE",
        },
        {
            "credit_line_id": "CL2",
            "limit_amount": 50000.0,
            "used_amount": 0.0,
            "end_date": "2026-12-15",
            "status": "EXPIRED",
        },
    ]

    reminders = _reminders(holdings=holdings, credit_lines=credit_lines)

    assert reminders == [
        Reminder("maturity:holding:H5:2026-12-03", "maturity", "产品将于 2026-12-03 到期。", "2026-12-03", "important"),
        Reminder(
            "maturity:holding:H1:2026-12-20", "maturity", "一年定期将于 2026-12-20 到期，持有余额 80,000.00。",
            "2026-12-20", "important",
        ),
        Reminder(
            "maturity:credit_line:CL1:2026-12-31", "maturity", "授信额度 50,000.00 将于 2026-12-31 到期，已用 12,000.00。",
            "2026-12-31", "important",
        ),
        Reminder(
            "maturity:holding:H2:2027-01-02", "maturity", "稳享理财30天将于 2027-01-02 到期，持有余额 5,000.50。",
            "2027-01-02", "important",
        ),
    ]  # fmt: skip


def test_overdue_card_keeps_key_as_days_grow():
    card = {"card_id": "REF1", "credit_limit": 20000.0, "overdue_days": 15}

    first = _reminders(credit_cards=[card])
    next_day = _reminders(today=date(2026, 12, 4), credit_cards=[card | {"overdue_days": 16}])
    paid = _reminders(credit_cards=[card | {"overdue_days": 0}])

    assert first == [
        Reminder(
            "overdue:card:REF1:2026-11-19", "overdue", "信用卡已逾期 15 天（自 2026-11-19 起），信用额度 20,000.00。",
            "2026-11-19", "urgent",
        )
    ]  # fmt: skip
    assert [reminder.key for reminder in next_day] == ["overdue:card:REF1:2026-11-19"]
    assert paid == []


def test_overdue_card_minimum_days_configurable():
    thresholds = replace(DEFAULTS, overdue=replace(DEFAULTS.overdue, card_min_days=30))
    cards = [
        {"card_id": "A", "credit_limit": None, "overdue_days": 29},
        {"card_id": "B", "credit_limit": None, "overdue_days": 30},
    ]

    reminders = _reminders(thresholds=thresholds, credit_cards=cards)

    assert [reminder.text for reminder in reminders] == ["信用卡已逾期 30 天（自 2026-11-04 起）。"]


def test_overdue_loans_by_status():
    loans = [
        {"loan_id": "L1", "granted_date": "1997-03-01", "amount": 96396.0, "status": "running_in_debt"},
        {"loan_id": "L2", "granted_date": "1994-01-05", "amount": 80952.0, "status": "finished_unpaid"},
        {"loan_id": "L3", "granted_date": "1996-04-29", "amount": 30276.0, "status": "running_ok"},
        {"loan_id": "L4", "granted_date": "1993-07-05", "amount": 12000.0, "status": "finished_paid"},
        {"loan_id": "L5", "granted_date": "2026-12-04", "amount": 5000.0, "status": "running_in_debt"},
    ]

    reminders = _reminders(loans=loans)

    assert reminders == [
        Reminder(
            "overdue:loan:L1:running_in_debt", "overdue", "贷款（1997-03-01 发放，金额 96,396.00）的源系统状态为还款期内逾期。",
            "2026-12-03", "urgent",
        ),
        Reminder(
            "overdue:loan:L2:finished_unpaid", "overdue", "贷款（1994-01-05 发放，金额 80,952.00）的源系统状态为已到期未还清。",
            "2026-12-03", "urgent",
        ),
    ]  # fmt: skip


def test_large_outflow_by_amount_and_by_usual():
    usual = [_debit(f"U{day}", f"2026-10-{day:02d}", 1000.0) for day in range(10, 20)]
    debits = [
        *usual,
        _debit("T1", "2026-11-30", 50000.0),
        _debit("T2", "2026-12-01", 9000.0),
        _debit("T3", "2026-12-02", 12000.0),
        _debit("T4", "2026-11-26", 90000.0),
        _debit("T5", "2026-12-03", 200000.0, to_own_account=True),
        _debit("T6", "2026-11-27", 60000.0),
    ]

    reminders = _reminders(debits=debits)

    assert reminders == [
        Reminder(
            "large_outflow:T6:2026-11-27", "large_outflow",
            "2026-11-27 单笔支出 60,000.00，达到大额支出标准 50,000.00，请关注资金去向。", "2026-11-27", "important",
        ),
        Reminder(
            "large_outflow:T1:2026-11-30", "large_outflow",
            "2026-11-30 单笔支出 50,000.00，达到大额支出标准 50,000.00，请关注资金去向。", "2026-11-30", "important",
        ),
        Reminder(
            "large_outflow:T3:2026-12-02", "large_outflow",
            "2026-12-02 单笔支出 12,000.00，为近 90 天单笔支出中位数 1,000.00 的 12.0 倍，请关注资金去向。",
            "2026-12-02", "important",
        ),
    ]  # fmt: skip


def test_large_outflow_needs_enough_usual_debits():
    debits = [_debit(f"U{day}", f"2026-11-0{day}", 100.0) for day in range(1, 4)] + [
        _debit("T1", "2026-12-02", 20000.0)
    ]

    few = _reminders(debits=debits)
    enough = _reminders(
        debits=debits + [_debit("U8", "2026-11-08", 100.0), _debit("U9", "2026-11-09", 100.0)]
    )

    assert few == []
    assert [reminder.key for reminder in enough] == ["large_outflow:T1:2026-12-02"]


def test_debit_window_covers_both_periods():
    assert debits_needed_since(LargeOutflowRule(), TODAY) == date(2026, 9, 5)
    assert debits_needed_since(LargeOutflowRule(days_back=120, usual_days=30), TODAY) == date(2026, 8, 6)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        (
            [{"rating_date": "2026-11-03", "grade": "BBB"}, {"rating_date": "2026-08-03", "grade": "AA"}],
            [
                Reminder(
                    "level_change:rating:2026-11-03",
                    "level_change",
                    "客户评级于 2026-11-03 由 AA 下调为 BBB。",
                    "2026-11-03",
                    "important",
                )
            ],
        ),
        (
            [{"rating_date": "2026-11-03", "grade": "AA"}, {"rating_date": "2026-08-03", "grade": "A"}],
            [
                Reminder(
                    "level_change:rating:2026-11-03",
                    "level_change",
                    "客户评级于 2026-11-03 由 A 上调为 AA。",
                    "2026-11-03",
                    "normal",
                )
            ],
        ),
        (
            [{"rating_date": "2026-11-03", "grade": "甲"}, {"rating_date": "2026-08-03", "grade": "AA"}],
            [
                Reminder(
                    "level_change:rating:2026-11-03",
                    "level_change",
                    "客户评级于 2026-11-03 由 AA 变为 甲。",
                    "2026-11-03",
                    "important",
                )
            ],
        ),
        ([{"rating_date": "2026-11-03", "grade": "AA"}, {"rating_date": "2026-08-03", "grade": "AA"}], []),
        ([{"rating_date": "2026-10-04", "grade": "BBB"}, {"rating_date": "2026-08-03", "grade": "AA"}], []),
        ([{"rating_date": "2026-11-03", "grade": "BBB"}], []),
    ],
)
def test_rating_change_between_newest_two(ratings, expected):
    assert _reminders(ratings=ratings) == expected


def test_customer_level_events_within_window():
    events = [
        {"event_id": "KE1", "event_date": "2026-11-20", "detail": "金卡客户升级为白金客户"},
        {"event_id": "KE2", "event_date": "2026-12-01", "detail": None},
        {"event_id": "KE3", "event_date": "2026-09-01", "detail": "普通客户升级为金卡客户"},
        {"event_id": "KE4", "event_date": "2026-11-25", "detail": "白金客户降为金卡客户。"},
    ]

    reminders = _reminders(level_events=events)

    assert reminders == [
        Reminder("level_change:event:KE1:2026-11-20", "level_change", "客户等级变动（2026-11-20）：金卡客户升级为白金客户。", "2026-11-20", "normal"),
        Reminder("level_change:event:KE4:2026-11-25", "level_change", "客户等级变动（2026-11-25）：白金客户降为金卡客户。", "2026-11-25", "normal"),
        Reminder("level_change:event:KE2:2026-12-01", "level_change", "客户等级于 2026-12-01 变动。", "2026-12-01", "normal"),
    ]  # fmt: skip


def test_reminders_ordered_by_severity_then_date():
    reminders = _reminders(
        birth_date="1980-12-04",
        holdings=[{"holding_id": "H1", "product": "一年定期", "balance": 1.0, "maturity_date": "2026-12-05"}],
        credit_cards=[{"card_id": "K", "credit_limit": 1.0, "overdue_days": 3}],
        debits=[_debit("T1", "2026-12-01", 80000.0)],
    )

    assert [(reminder.kind, reminder.severity_label, reminder.kind_label) for reminder in reminders] == [
        ("overdue", "紧急", "逾期"),
        ("large_outflow", "重要", "大额支出"),
        ("maturity", "重要", "到期"),
        ("birthday", "一般", "生日"),
    ]


def test_reminder_kind_from_key():
    assert reminder_kind("overdue:card:REF1:2026-11-19") == "overdue"
    assert reminder_kind("level_change:rating:2026-11-03") == "level_change"
    assert reminder_kind("nonsense") is None


def test_thresholds_file_shipped_matches_defaults():
    assert load_reminder_thresholds(PROJECT_ROOT / "config" / "reminders.toml") == DEFAULTS


def test_thresholds_file_overrides(tmp_path):
    path = tmp_path / "reminders.toml"
    path.write_text("[birthday]\ndays_ahead = 3\n[large_outflow]\namount = 20000\n", encoding="utf-8")

    thresholds = load_reminder_thresholds(path)

    assert thresholds.birthday.days_ahead == 3
    assert thresholds.large_outflow.amount == 20000.0
    assert thresholds.large_outflow.days_back == 7
    assert thresholds.maturity == DEFAULTS.maturity


def test_thresholds_missing_file_defaults(tmp_path):
    assert load_reminder_thresholds(tmp_path / "absent.toml") == DEFAULTS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[holiday]\ndays_ahead = 3\n", "unknown rule [holiday]"),
        ("[birthday]\ndays_before = 3\n", "[birthday] has no setting 'days_before'"),
        ("[birthday]\ndays_ahead = -1\n", "[birthday] days_ahead = -1 must be a whole number from 0 to 3660"),
        ("[birthday]\ndays_ahead = 2.5\n", "[birthday] days_ahead = 2.5 must be a whole number"),
        ("[birthday]\ndays_ahead = 99999\n", "must be a whole number from 0 to 3660"),
        (
            '[large_outflow]\namount = "many"\n',
            "[large_outflow] amount = 'many' must be a number of at least 0.01",
        ),
        ("[overdue]\ncard_min_days = true\n", "[overdue] card_min_days = True must be a whole number"),
        ("birthday = 3\n", "[birthday] must be a table of settings"),
        ("[birthday\n", "not valid TOML"),
    ],
)
def test_thresholds_file_invalid(tmp_path, text, message):
    path = tmp_path / "reminders.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ReminderConfigError) as raised:
        load_reminder_thresholds(path)

    assert message in str(raised.value)
    assert str(path) in str(raised.value)
