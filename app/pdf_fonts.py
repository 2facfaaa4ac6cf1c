"""The font PDF exports write Chinese in: a TrueType CJK font embedded, else a standard CID font.

An embedded font shows the same on every reader. reportlab embeds TrueType outlines only, so a
font with PostScript (CFF) outlines, such as Noto Sans CJK, cannot be used; WenQuanYi Micro Hei
(Debian's ``fonts-wqy-microhei``), WenQuanYi Zen Hei, Droid Sans Fallback or SimSun can. The font
is the file named by ``C360_PDF_FONT``, else the first usable Chinese font fontconfig lists.
Without one, text is set in the CID font ``STSong-Light``, which the file names but does not
contain: the reader substitutes a Song font it has, and a reader without Chinese fonts shows boxes.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

EMBEDDED_FONT = "C360-CJK"
CID_FONT = "STSong-Light"
#: Characters a font must have for Chinese pages: the confidentiality line and common digits.
REQUIRED_CHARACTERS = "内部资料注意保密客户号0123456789"
FONT_LIST_TIMEOUT_SECONDS = 10


@functools.cache
def chinese_font(configured: Path | None) -> str:
    """Register the font for Chinese text and return its reportlab name.

    ``configured`` is tried first; a file that cannot be used is logged and skipped.
    """
    candidates = [configured] if configured else []
    candidates += _fontconfig_chinese_fonts()
    for path in candidates:
        font = _truetype_font(path)
        if font is not None:
            pdfmetrics.registerFont(font)
            logger.info("PDF exports embed the Chinese font %s", path)
            return EMBEDDED_FONT
        if path == configured:
            logger.warning("C360_PDF_FONT=%s is not a TrueType font with Chinese characters; ignored", path)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    logger.warning(
        "No TrueType Chinese font found; PDF exports name %s, and readers without Chinese fonts show boxes",
        CID_FONT,
    )
    return CID_FONT


def _truetype_font(path: Path) -> TTFont | None:
    """Return the font at ``path`` if reportlab can embed it and it has the Chinese characters needed."""
    try:
        # A collection (.ttc) contains several faces. WenQuanYi Micro Hei's first is the proportional one.
        font = TTFont(EMBEDDED_FONT, str(path), subfontIndex=0)
    except (TTFError, OSError) as error:
        logger.debug("Font %s cannot be embedded: %s", path, error)
        return None
    glyphs = font.face.charToGlyph
    if not all(ord(character) in glyphs for character in REQUIRED_CHARACTERS):
        logger.debug("Font %s lacks Chinese characters", path)
        return None
    return font


def _fontconfig_chinese_fonts() -> list[Path]:
    """Return the font files fontconfig lists for Simplified Chinese, regular weights first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh-cn", "file"],
            capture_output=True, text=True, timeout=FONT_LIST_TIMEOUT_SECONDS, check=False,
        ).stdout  # fmt: skip
    except subprocess.TimeoutExpired:
        logger.warning("fc-list timed out after %d s; no Chinese font found", FONT_LIST_TIMEOUT_SECONDS)
        return []
    paths = sorted({Path(line.strip().rstrip(":")) for line in listed.splitlines() if line.strip()})
    return sorted(paths, key=lambda path: "bold" in path.name.lower())
