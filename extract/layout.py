"""Page model: one pdfplumber page → text runs and ruling segments, as plain picklable values.

A *run* is a horizontal line of glyphs that crosses no vertical ruling, so a visual line that spans
two table columns becomes two runs. Rulings come from stroked lines and from thin filled rectangles
(browsers draw table borders that way); larger filled rectangles are kept apart as *fills* (cell
backgrounds of a table drawn with shading only). Nothing here knows about the report's content.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any, NamedTuple

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTPage, LTRect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter

from extract import fastpath
from extract.content import FastInterpreter

# Glyphs the PDF gives no text for: pdfminer writes "(cid:N)" for a code its font cannot map; a
# mapping to U+FFFD says the same. Either means lost text (a damaged or stripped ToUnicode map).
UNMAPPED = re.compile(r"\(cid:\d+\)|\ufffd")

# Font weight is a hint only: a re-typeset edition may use a font with no bold face.
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|w[6-9]\b", re.IGNORECASE)

# A filled rectangle thinner than this is a drawn border, not a shaded area.
_RULE_THICKNESS = 2.5
# A gap between two glyphs of a run at least this wide (× font size) is wider than any letter or
# word spacing: it may be the gap between two table columns that have no ruling between them.
_WIDE_GAP = 0.6


@dataclass(frozen=True)
class Segment:
    """A horizontal or vertical ruling; for vertical ones x0 == x1, for horizontal top == bottom."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return self.bottom - self.top > self.x1 - self.x0


@dataclass(frozen=True)
class Fill:
    """A filled, unstroked rectangle wider and taller than a ruling: shading, maybe a cell's."""

    x0: float
    top: float
    x1: float
    bottom: float


class Break(NamedTuple):
    """A wide gap inside a run, where a table strategy may cut it into two runs."""

    offset: int  # index in `text` where the part right of the gap starts
    left_x1: float  # right edge of the glyph before the gap
    right_x0: float  # left edge of the glyph after it
    right_x_second: float  # x of the glyph after that (the right part's `x_second`)


@dataclass
class TextRun:
    """Glyphs on one baseline between two rulings (or page edges)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    # x of the second visible glyph: where text starts after a leading bullet glyph.
    x_second: float
    # The line ended in a space glyph: a wrap at a word boundary (Latin words keep a space).
    space_after: bool = False
    # Wide gaps inside the run, left to right.
    breaks: tuple[Break, ...] = ()

    @property
    def line_text(self) -> str:
        """The text as a wrapped line, with the space it ended in (if any) for joining."""
        return self.text + " " if self.space_after else self.text

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageLayout:
    """Everything later stages need from one page; built once, in a worker process."""

    number: int
    width: float
    height: float
    runs: list[TextRun] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    char_count: int = 0
    marks: int = 0  # drawn shapes and images: a page with neither these nor text is empty
    figures: int = 0  # images and curved paths (a chart): what a 図表 caption without a table captions
    unmapped: int = 0  # glyphs the PDF gives no text for: pdfminer's "(cid:N)", or U+FFFD
    unmapped_sample: str = ""
    fills: list[Fill] = field(default_factory=list)  # shaded areas (cell backgrounds among them)


def page_layout(page: Any, fast: bool | None = None) -> PageLayout:
    """Build the layout of a pdfplumber page (the caller closes the page), on the fast path or
    with pdfminer's own interpreter (`fast=False`; the same layout, more slowly); by default as
    extract/fastpath.py decides.

    Reads pdfminer's layout objects (see `_layout`) rather than `page.chars`: pdfplumber
    would turn every glyph into a dict of twenty attributes, of which we need eight.
    """
    if fast is None:
        fast = fastpath.refusal() is None
    chars, shapes, images, curves = _objects(page, fast)
    unmapped = [c["text"] for c in chars if UNMAPPED.search(c["text"])]
    segments = _segments(shapes)
    verticals = [s for s in segments if s.vertical]
    chars = _dedupe([c for c in chars if c["upright"]])
    runs: list[TextRun] = []
    for line in _group_lines(chars):
        runs.extend(_split_runs(line, verticals, page.page_number))
    return PageLayout(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        runs=runs,
        segments=segments,
        fills=_fills(shapes),
        char_count=len(chars),
        marks=len(shapes) + images,
        figures=images + curves,
        unmapped=len(unmapped),
        unmapped_sample="".join(unmapped[:3]),
    )


def keeps_wrap_spaces(layouts: list[PageLayout]) -> bool:
    """Whether the PDF's producer keeps the space glyph at the end of a line that wraps at a
    space (LibreOffice does, browsers do not): then a wrap without one is inside a word."""
    return any(run.space_after for lay in layouts for run in lay.runs)


Box = tuple[float, float, float, float, bool, bool]  # x0, top, x1, bottom, stroked, filled


Glyph = tuple[str, float, float, float, float, float, bool, Any]  # text, x0, y0, x1, y1, size, upright, font


class _GlyphAggregator(PDFPageAggregator):
    """The fast path's aggregator, keeping each glyph as a tuple instead of an `LTChar` in the
    tree: the arithmetic of `LTChar.__init__` (bounding box, size, upright) without building the
    object, which cost more than reading the content stream. Only without layout analysis
    (laparams None: then the tree is never regrouped, and glyphs in emission order are all that is
    lost). A copy of pdfminer's code, so used only with the release it was checked against
    (extract/fastpath.py); `_PlainAggregator` is what it must equal."""

    def __init__(self, rsrcmgr: Any, pageno: int) -> None:
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.glyphs: list[Glyph] = []

    def render_char(
        self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
        ncs: Any, graphicstate: Any,
    ) -> float:
        # PDFLayoutAnalyzer.render_char, then LTChar.__init__, statement for statement.
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        textwidth = font.char_width(cid)
        textdisp = font.char_disp(cid)
        adv = textwidth * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            assert isinstance(textdisp, tuple)
            (vx, vy) = textdisp
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = _descent(font) * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        # apply_matrix_rect(matrix, bbox), inlined term for term (five calls per glyph otherwise).
        (bx0, by0, bx1, by1) = bbox
        left1, bottom1 = a * bx0 + c * by0 + e, b * bx0 + d * by0 + f
        right1, bottom2 = a * bx1 + c * by0 + e, b * bx1 + d * by0 + f
        right2, top1 = a * bx1 + c * by1 + e, b * bx1 + d * by1 + f
        left2, top2 = a * bx0 + c * by1 + e, b * bx0 + d * by1 + f
        x0, y0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
        x1, y1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
        if x1 < x0:
            (x0, x1) = (x1, x0)
        if y1 < y0:
            (y0, y1) = (y1, y0)
        size = x1 - x0 if vertical else y1 - y0
        self.glyphs.append((text, x0, y0, x1, y1, size, upright, font.fontname))
        return adv


# Where a glyph's box sits against its baseline comes from the descent its font declares (as a
# fraction of the em). Some producers declare one far outside type's range — cairo writes about
# -1.05 em for CJK fonts — which hangs the whole box below the baseline, so a table row's last line
# reads as lying in the next row. A descent outside [-0.5 em, 0] is taken as the ideographic em
# box's, -0.12 em; every declared value inside that range is kept as it is.
_DESCENT_RANGE = (-0.5, 0.0)
_IDEOGRAPHIC_DESCENT = -0.12


def _descent(font: Any) -> float:
    declared = font.get_descent()
    low, high = _DESCENT_RANGE
    return declared if low <= declared <= high else _IDEOGRAPHIC_DESCENT


class _TypeDescent:
    """A font as pdfminer reads it, declaring the descent `_descent` takes: what `LTChar` places
    a glyph's box by, so pdfminer's own code boxes glyphs as the fast path does."""

    __slots__ = ("_font",)

    def __init__(self, font: Any) -> None:
        self._font = font

    def __getattr__(self, name: str) -> Any:
        return getattr(self._font, name)

    def __repr__(self) -> str:
        return repr(self._font)

    def get_descent(self) -> float:
        return _descent(self._font)


class _PlainAggregator(PDFPageAggregator):
    """pdfminer's own aggregator (every glyph an `LTChar` in the tree), with fonts' descents
    taken as `_descent` takes them: the layout policy, not a copy of pdfminer's code."""

    def render_char(self, matrix: Any, font: Any, *args: Any, **kwargs: Any) -> float:
        return super().render_char(matrix, _TypeDescent(font), *args, **kwargs)


def _layout(page: Any, fast: bool) -> tuple[LTPage, list[Glyph]]:
    """pdfminer's layout objects of a pdfplumber page, as `page.layout` builds them but with
    pdfminer's plain aggregator: pdfplumber's also tags every glyph with its marked-content id,
    which nothing here reads (a tenth of the page's time). On the fast path, the content stream
    is tokenized by `extract.content` (half of the page's time) and glyphs are kept apart, as
    tuples, in the order they were drawn; otherwise pdfminer's own interpreter and `LTChar`s."""
    rsrcmgr, laparams = page.pdf.rsrcmgr, page.pdf.laparams
    device: PDFPageAggregator
    if fast and laparams is None:
        device = _GlyphAggregator(rsrcmgr, page.page_number)
    else:
        device = _PlainAggregator(rsrcmgr, pageno=page.page_number, laparams=laparams)
    interpreter = FastInterpreter if fast else PDFPageInterpreter
    interpreter(rsrcmgr, device).process_page(page.page_obj)
    return device.get_result(), getattr(device, "glyphs", [])


def _objects(page: Any, fast: bool) -> tuple[list[dict], list[Box], int, int]:
    """Glyphs (as small dicts) and drawn shapes (as boxes), in page coordinates (top-down), and
    the number of images and of curved paths (neither lines nor rectangles)."""
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    height = float(page.height)
    chars: list[dict] = []
    shapes: list[Box] = []
    images = curves = 0
    tree, glyphs = _layout(page, fast)
    stack = list(tree)
    # The tree is walked from its last object back, so glyphs come last drawn first.
    for text, gx0, gy0, gx1, gy1, gsize, upright, fontname in reversed(glyphs):
        size = float(gsize)
        chars.append({
            "text": text, "x0": gx0 + mb_x0, "x1": gx1 + mb_x0,
            "top": height - gy1 + mb_top, "bottom": height - gy0 + mb_top,
            "size": size, "em": max(size, 1.0), "upright": upright, "bold": _bold(fontname),
        })
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            stack.extend(obj)
            continue
        if isinstance(obj, LTImage):
            images += 1
            continue
        x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
        top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
        if isinstance(obj, LTChar):  # pdfminer's own interpreter, or layout analysis
            size = float(obj.size)
            chars.append({
                "text": obj.get_text(), "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                "size": size, "em": max(size, 1.0), "upright": obj.upright, "bold": _bold(obj.fontname),
            })
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            # Only a rectangle's fill may be a cell's background; a filled curve is a figure's.
            filled = bool(obj.fill) and isinstance(obj, LTRect)
            shapes.append((x0, top, x1, bottom, bool(obj.stroke), filled))
            curves += not isinstance(obj, LTLine | LTRect)
    return chars, shapes, images, curves


@cache
def _bold(fontname: str | bytes) -> bool:
    """Whether a font's name says bold (once per font, not per glyph)."""
    name = fontname.decode("latin-1") if isinstance(fontname, bytes) else fontname
    return bool(_BOLD_FONT.search(name.split("+")[-1]))


def _segments(shapes: list[Box]) -> list[Segment]:
    """Rulings: lines, thin filled rectangles, and the sides of stroked rectangles (a cell drawn
    as a framed box). A filled area without a stroke is shading, not a ruling."""
    found: list[Segment] = []
    for x0, top, x1, bottom, stroked, _filled in shapes:
        w, h = x1 - x0, bottom - top
        if w < _RULE_THICKNESS and h > w:
            mid = (x0 + x1) / 2
            found.append(Segment(mid, top, mid, bottom))
        elif h < _RULE_THICKNESS and w > h:
            mid = (top + bottom) / 2
            found.append(Segment(x0, mid, x1, mid))
        elif stroked:
            found += [
                Segment(x0, top, x1, top), Segment(x0, bottom, x1, bottom),
                Segment(x0, top, x0, bottom), Segment(x1, top, x1, bottom),
            ]
    return found


def _fills(shapes: list[Box]) -> list[Fill]:
    """Filled rectangles that are neither rulings nor framed boxes (those give segments)."""
    return [
        Fill(x0, top, x1, bottom)
        for x0, top, x1, bottom, stroked, filled in shapes
        if filled and not stroked and min(x1 - x0, bottom - top) >= _RULE_THICKNESS
    ]


def _dedupe(chars: list[dict]) -> list[dict]:
    """Drop glyphs painted twice at (almost) the same place, as synthetic bold sometimes does."""
    seen: dict[tuple[str, int, int], dict] = {}
    out = []
    for c in chars:
        key = (c["text"], round(c["x0"] * 2), round(c["top"] * 2))
        if key in seen:
            continue
        seen[key] = c
        out.append(c)
    return out


def _group_lines(chars: list[dict]) -> list[list[dict]]:
    """Cluster glyphs into visual lines by vertical centre; CJK and Latin fonts differ in bbox."""
    lines: list[list[dict]] = []
    centres: list[float] = []
    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        mid = (c["top"] + c["bottom"]) / 2
        tol = 0.4 * c["em"]
        if lines and abs(mid - centres[-1]) <= tol:
            lines[-1].append(c)
            continue
        lines.append([c])
        centres.append(mid)
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _split_runs(line: list[dict], verticals: list[Segment], page_no: int) -> list[TextRun]:
    top = min(c["top"] for c in line)
    bottom = max(c["bottom"] for c in line)
    walls = sorted(
        v.x0 for v in verticals if v.top <= bottom - 1 and v.bottom >= top + 1
    )
    runs: list[list[dict]] = [[line[0]]]
    for prev, cur in pairwise(line):
        size = max(prev["em"], cur["em"])
        if cur["x0"] - prev["x1"] > 2.5 * size or _wall_between(walls, prev["x1"] - 0.5, cur["x0"] + 0.5):
            runs.append([cur])
        else:
            runs[-1].append(cur)
    return [r for r in (_make_run(chars, page_no) for chars in runs) if r is not None]


def _wall_between(walls: list[float], low: float, high: float) -> bool:
    """Whether a wall of the sorted `walls` lies in [low, high]."""
    i = bisect_left(walls, low)
    return i < len(walls) and walls[i] <= high


def _make_run(chars: list[dict], page_no: int) -> TextRun | None:
    visible = [c for c in chars if not c["text"].isspace()]
    if not visible:
        return None
    parts: list[str] = []
    length = 0
    wide: list[tuple[int, int]] = []  # (text offset, index in visible) of glyphs after a wide gap
    prev = None
    n_visible = 0
    for c in chars:
        blank = c["text"].isspace()
        if prev is not None and not blank and not prev["text"].isspace():
            gap = c["x0"] - prev["x1"]
            if gap > 0.25 * c["em"]:
                parts.append(" ")
                length += 1
        if not blank:
            if n_visible and c["x0"] - visible[n_visible - 1]["x1"] >= _WIDE_GAP * c["em"]:
                wide.append((length, n_visible))
            n_visible += 1
        parts.append(c["text"])
        length += len(c["text"])
        prev = c
    raw = "".join(parts)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    bold = sum(1 for c in visible if c["bold"])
    return TextRun(
        text=text,
        x0=float(visible[0]["x0"]),
        x1=float(visible[-1]["x1"]),
        top=float(min(c["top"] for c in visible)),
        bottom=float(max(c["bottom"] for c in visible)),
        size=float(max(c["size"] for c in visible)),
        bold=bold * 2 > len(visible),
        page=page_no,
        x_second=float(visible[1]["x0"]) if len(visible) > 1 else float(visible[0]["x1"]),
        space_after=chars[-1]["text"].isspace(),
        breaks=tuple(_break(visible, offset - lead, i) for offset, i in wide),
    )


def _break(visible: list[dict], offset: int, i: int) -> Break:
    after = visible[i + 1]["x0"] if i + 1 < len(visible) else visible[i]["x1"]
    return Break(offset, float(visible[i - 1]["x1"]), float(visible[i]["x0"]), float(after))
