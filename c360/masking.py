"""Masking of personal financial information on pages, in the graph, in exports and in logs.

Identity numbers, mobile numbers, account and card numbers, addresses and e-mail addresses are
class C2 or above under JR/T 0171-2020 and are always shown masked. Each kind of value keeps a
configurable number of leading and trailing characters and replaces the rest with ``*``. The
rules come from ``config/masking.toml`` unless ``C360_MASKING_FILE`` names another file; a kind
the file leaves out keeps its built-in rule.

A value too short for its rule to hide anything shows at most half of its characters: a
four-digit account number keeps its last two digits only.
"""

from __future__ import annotations

import hashlib
import hmac
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MASK_CHARACTER = "*"
ID_NUMBER = "id_number"
MOBILE = "mobile"
ACCOUNT = "account"
ADDRESS = "address"
EMAIL = "email"


@dataclass(frozen=True)
class MaskRule:
    keep_head: int
    keep_tail: int


DEFAULT_RULES: dict[str, MaskRule] = {
    ID_NUMBER: MaskRule(3, 4),
    MOBILE: MaskRule(3, 4),
    ACCOUNT: MaskRule(6, 4),
    ADDRESS: MaskRule(6, 0),
    # Applied to the part before the @; the domain stays readable.
    EMAIL: MaskRule(1, 0),
}


class MaskingConfigError(ValueError):
    """The masking file names an unknown kind or gives a rule that is not two counts."""


def load_masking_rules(path: Path | None) -> dict[str, MaskRule]:
    """Return the built-in rules overridden by the TOML file at ``path``, when there is one."""
    rules = dict(DEFAULT_RULES)
    if path is None or not path.exists():
        return rules
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    for kind, entry in table.items():
        if kind not in DEFAULT_RULES:
            raise MaskingConfigError(f"{path}: unknown kind {kind!r}; known: {', '.join(DEFAULT_RULES)}")
        head, tail = (
            entry.get(name) if isinstance(entry, Mapping) else None for name in ("keep_head", "keep_tail")
        )
        if not all(
            isinstance(count, int) and not isinstance(count, bool) and count >= 0 for count in (head, tail)
        ):
            raise MaskingConfigError(f"{path}: [{kind}] needs keep_head and keep_tail as counts of 0 or more")
        rules[kind] = MaskRule(head, tail)
    return rules


def mask_value(value: object, kind: str, rules: Mapping[str, MaskRule] = DEFAULT_RULES) -> str:
    """Return ``value`` masked by the rule of ``kind``; an empty value stays empty."""
    if value is None:
        return ""
    text = str(value)
    if not text:
        return text
    if kind == EMAIL and "@" in text:
        local, _, domain = text.partition("@")
        return f"{_masked(local, rules[EMAIL])}@{domain}"
    if kind == ACCOUNT and "/" in text:
        # A counterparty account is keyed "bank/account": the bank code stays readable.
        bank, _, number = text.rpartition("/")
        return f"{bank}/{_masked(number, rules[ACCOUNT])}"
    return _masked(text, rules[kind])


def _masked(text: str, rule: MaskRule) -> str:
    head, tail = rule.keep_head, rule.keep_tail
    if head + tail >= len(text):
        tail = min(tail, len(text) // 2)
        head = min(head, len(text) // 2 - tail)
    hidden = len(text) - head - tail
    return text[:head] + MASK_CHARACTER * hidden + (text[len(text) - tail :] if tail else "")


def opaque_reference(secret: str, value: str) -> str:
    """Return a stable reference to ``value`` that reveals nothing of it, for pages to send back."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:20]
