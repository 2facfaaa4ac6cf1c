"""Thresholds of the reminder rules (maturity, birthday, overdue, large outflow, level change).

The values come from ``config/reminders.toml`` unless ``C360_REMINDERS_FILE`` names another file.
Each TOML table configures one rule. A table or key the file leaves out keeps its built-in
default, and an unknown table or key, or a value below its minimum, raises
``ReminderConfigError`` when the application starts.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Maximum number of days a rule may look ahead or back: ten years.
MAX_DAYS = 3660


def _at_least(minimum: float, default: Any, maximum: float | None = None) -> Any:
    return field(default=default, metadata={"minimum": minimum, "maximum": maximum})


def _days(minimum: int, default: int) -> Any:
    return _at_least(minimum, default, MAX_DAYS)


@dataclass(frozen=True)
class MaturityRule:
    #: Days after the reference date within which a holding or credit line matures.
    days_ahead: int = _days(0, 30)


@dataclass(frozen=True)
class BirthdayRule:
    #: Days after the reference date within which the customer's birthday falls.
    days_ahead: int = _days(0, 7)


@dataclass(frozen=True)
class OverdueRule:
    #: Overdue days from which a credit card is reported.
    card_min_days: int = _days(1, 1)


@dataclass(frozen=True)
class LargeOutflowRule:
    #: Days up to and including the reference date whose debits are checked.
    days_back: int = _days(1, 7)
    #: A single debit of at least this amount, in the account's currency, is always reported.
    amount: float = _at_least(0.01, 50_000.0)
    #: Days up to the reference date whose debits give the customer's usual (median) debit.
    usual_days: int = _days(1, 90)
    #: Minimum number of debits in ``usual_days`` for a usual debit to be computed at all.
    usual_min_debits: int = _at_least(1, 5)
    #: A debit of at least this multiple of the usual debit is reported when it also reaches
    #: ``min_amount_vs_usual``.
    multiple_of_usual: float = _at_least(1.0, 5.0)
    #: Minimum amount of a debit reported for its multiple of the usual debit.
    min_amount_vs_usual: float = _at_least(0.0, 10_000.0)


@dataclass(frozen=True)
class LevelChangeRule:
    #: Days up to the reference date within which a rating or customer level change is reported.
    days_back: int = _days(1, 60)


@dataclass(frozen=True)
class ReminderThresholds:
    maturity: MaturityRule = MaturityRule()
    birthday: BirthdayRule = BirthdayRule()
    overdue: OverdueRule = OverdueRule()
    large_outflow: LargeOutflowRule = LargeOutflowRule()
    level_change: LevelChangeRule = LevelChangeRule()


class ReminderConfigError(ValueError):
    """The reminders file names an unknown rule or setting, or gives a value that cannot work."""


def load_reminder_thresholds(path: Path | None) -> ReminderThresholds:
    """Return the built-in thresholds overridden by the TOML file at ``path``, when there is one.

    :raises ReminderConfigError: naming the file, the table and the key that is wrong.
    """
    thresholds = ReminderThresholds()
    if path is None:
        return thresholds
    if not path.exists():
        logger.warning("Reminders file %s not found; the built-in thresholds apply", path)
        return thresholds
    try:
        with path.open("rb") as handle:
            tables = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ReminderConfigError(f"{path}: not valid TOML: {error}") from None
    rules = {rule.name: rule for rule in fields(ReminderThresholds)}
    for name, table in tables.items():
        if name not in rules:
            raise ReminderConfigError(f"{path}: unknown rule [{name}]; known: {', '.join(rules)}")
        if not isinstance(table, Mapping):
            raise ReminderConfigError(f"{path}: [{name}] must be a table of settings")
        rule = _overridden(path, name, getattr(thresholds, name), table)
        thresholds = replace(thresholds, **{name: rule})
    return thresholds


def _overridden(path: Path, name: str, rule: Any, table: Mapping[str, Any]) -> Any:
    settings = {setting.name: setting for setting in fields(rule)}
    changes = {}
    for key, value in table.items():
        setting = settings.get(key)
        if setting is None:
            known = ", ".join(settings)
            raise ReminderConfigError(f"{path}: [{name}] has no setting {key!r}; known: {known}")
        number_types = (int,) if setting.type == "int" else (int, float)
        minimum, maximum = setting.metadata["minimum"], setting.metadata["maximum"]
        if (
            isinstance(value, bool)
            or not isinstance(value, number_types)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            kind = "a whole number" if setting.type == "int" else "a number"
            limit = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
            raise ReminderConfigError(f"{path}: [{name}] {key} = {value!r} must be {kind} {limit}")
        changes[key] = float(value) if setting.type == "float" else value
    return replace(rule, **changes)
