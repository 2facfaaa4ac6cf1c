"""Normalising text that users type into forms and JSON requests."""

from __future__ import annotations

import unicodedata


def clean_text(value: object) -> str:
    """Return ``value`` NFKC-normalised and trimmed, without control characters; a non-string gives ""."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value).strip()
    return "".join(character for character in text if unicodedata.category(character)[0] != "C")


def clean_prose(value: object) -> str:
    """Return free text as the user wrote it, trimmed, without control characters but line breaks.

    Unlike ``clean_text`` it keeps full-width punctuation (，：（）), which Chinese prose uses and
    NFKC would turn into ASCII; NFC only joins combining marks.
    """
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    return "".join(
        character for character in text if character == "\n" or unicodedata.category(character)[0] != "C"
    )
