"""The link every miner produces, with the evidence that supports it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MinedLink:
    """A link with why it exists: how many facts, their total amount and the period they span.

    ``basis`` names the facts themselves: shared accounts, counterparties, guarantee ids, or
    shareholding paths written as ``holder>company>...``.
    """

    source: str
    target: str
    link_type: str
    confidence: float
    evidence_count: int
    evidence_amount: float
    first_date: str | None
    last_date: str | None
    basis: tuple[str, ...] = field(default=())
