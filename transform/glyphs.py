"""Which kanji look alike: the overlap of their glyphs as a Japanese font draws them.

A typo that swaps a kanji for one that looks like it (社会福祉 → 社会福社, 士業 → 土業, 参画 →
参面) comes from the eye, not the keyboard, so the measure is visual: both characters are drawn
in IPAex Gothic (the casebook's Japanese face, installed by `make setup` as fonts-ipaexfont) at
32 × 32 pixels, and their similarity is the share of inked pixels they have in common
(intersection over union). Measured over every pair of the 2,136 常用漢字: half the pairs score
below 0.26, 99 % below 0.42 — so 0.42 and above means "more alike than 99 in 100 pairs of kanji"
(社/祉 0.47, 面/画 0.46, 十/半 0.46, 土/士 0.92; 後/代 0.33, 峰/機 0.34).
"""

from __future__ import annotations

from functools import cache

from casebook.errors import CasebookError

LOOK_ALIKE = 0.42
_SIZE = 32
_FONTS = ("ipaexg.ttf", "ipag.ttf", "NotoSansCJK-Regular.ttc")  # Pillow searches the system's font folders


class FontMissingError(CasebookError):
    """No Japanese font to draw glyphs with (proofreading compares kanji by their shapes)."""


@cache
def _font() -> object:
    from PIL import ImageFont  # imported here: only proofreading draws glyphs

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, _SIZE)
        except OSError:
            continue
    raise FontMissingError(
        f"no Japanese font ({', '.join(_FONTS)}) to compare kanji shapes — "
        "install fonts-ipaexfont (make setup)"
    )


@cache
def _glyph(ch: str) -> int:
    """The character drawn in black and white, its pixels as the bits of one integer."""
    from PIL import Image, ImageDraw

    image = Image.new("1", (_SIZE, _SIZE), 0)
    ImageDraw.Draw(image).text((0, 0), ch, fill=1, font=_font())
    return int.from_bytes(image.tobytes(), "big")


def similarity(a: str, b: str) -> float:
    """How much two characters' glyphs overlap: 1.0 the same shape, 0.0 nothing in common."""
    x, y = _glyph(a), _glyph(b)
    union = (x | y).bit_count()
    return (x & y).bit_count() / union if union else 0.0


def look_alike(a: str, b: str) -> bool:
    """Two different characters a reader could take one for the other (see the module doc)."""
    return a != b and similarity(a, b) >= LOOK_ALIKE
