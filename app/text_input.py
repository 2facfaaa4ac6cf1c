"""Normalising text that users type into forms and JSON requests."""

from __future__ import annotations

import unicodedata


def clean_text(value: object) -> str:
    """Return ``value`` NFKC-normalised and trimmed, without control characters; a non-string gives ""."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value).strip()
    return "".join(character for character in text if unicodedata.category(character)[0] != "C")
