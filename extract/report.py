"""Report regions: walk the pages in reading order and cut out what later stages need.

The walk sees a stream of events — free text lines (outside tables, running heads removed) and
ruled table fragments — and recognises, by pattern and structure rather than page numbers:
- a case: a heading line 「事例N 名称【地域】」 immediately followed by a two-column table, whose
  fragments continue on the following pages until free text interrupts;
- a captioned table: a line 「図表N-M 題」 followed by table fragments;
- the outline: 第N章 / N. / (N) headings and the body paragraphs under them;
- 【参考となる事例】 citations: the bullet paragraphs after that marker.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from extract.cells import ITEM_GLYPHS, NOTE_PREFIXES
from extract.continued import PageTables, continue_tables
from extract.geometry import right_edge
from extract.grid import TableGrid
from extract.layout import PageLayout, TextRun
from extract.running import running_runs
from extract.settings import DEFAULT_SETTINGS, TableSettings
from extract.strategies import find_tables

_CASE_HEADING = re.compile(r"^事例\s*(\d+)\s*(.*)$")
_ORPHAN = re.compile(r"^事例\s*\d+\s*\S.*【[^】]+】\s*$")
_CAPTION = re.compile(r"^図表\s*(\d+)\s*[-－‐―−–]\s*(\d+)\s*(.*)$")
_CHAPTER = re.compile(r"^第\s*(\d+)\s*章[.．\s]*(.*)$")
_SECTION = re.compile(r"^(\d+)\s*[.．]\s*(\S.*)$")
_SUBSECTION = re.compile(r"^[(（]\s*(\d+)\s*[)）]\s*(\S.*)$")


def fold(text: str) -> str:
    """Width-fold digits and brackets for *matching* only; stored text keeps its glyphs."""
    return unicodedata.normalize("NFKC", text)


@dataclass
class Line:
    """A free text line (outside tables) in reading order."""

    run: TextRun
    full: bool  # reaches the text column's right edge: the next line may continue it
    indented: bool = False  # starts right of the page's text margin (a first-line indent)
    gap_before: bool = False  # more space above it than between the lines of a paragraph

    @property
    def text(self) -> str:
        return self.run.text


@dataclass
class CaseRegion:
    """A case heading and the table fragments that follow it."""

    heading: list[Line]
    category_heading: Line | None
    fragments: list[TableGrid] = field(default_factory=list)
    # Where the case's part of the report ends: the (page, top) of the next heading, caption or
    # case heading after it (None: the document's end). Every glyph from its heading to there
    # belongs to the case (the glyph ledger, extract/ledger.py).
    end: tuple[int, float] | None = None

    @property
    def number(self) -> int:
        return _case_number(self.heading)

    @property
    def start(self) -> tuple[int, float]:
        return self.heading[0].run.page, self.heading[0].run.top

    def holds(self, page: int, top: float) -> bool:
        """Whether a point lies in the case's part of the report."""
        return self.start <= (page, top) and (self.end is None or (page, top) < self.end)


@dataclass
class TableRegion:
    """A captioned table (図表N-M) and its fragments."""

    number: str
    title: str
    caption: Line
    fragments: list[TableGrid] = field(default_factory=list)


@dataclass
class RawParagraph:
    """Body text under one outline position, joined from wrapped lines by the caller."""

    lines: list[Line]
    kind: str  # "text" | "bullet" | "bracket" | "note"

    @property
    def pages(self) -> list[int]:
        return sorted({ln.run.page for ln in self.lines})


@dataclass
class OutlineNode:
    """A heading of the report (第N章, N., (N), ①…) with the paragraphs under it."""

    level: int  # 1 chapter, 2 section, 3 subsection, 4 lower (1), ①
    number: str
    title: str
    line: Line
    paragraphs: list[RawParagraph] = field(default_factory=list)


@dataclass
class Regions:
    cases: list[CaseRegion]
    tables: list[TableRegion]
    outline: list[OutlineNode]
    # Lines shaped like a case heading 「事例N 名称【地域】」 with no case table after them: a case
    # the extractor cannot read, which must not vanish silently.
    orphans: list[Line] = field(default_factory=list)
    # Per page, its running header/footer/page-number runs (what integrity checks compare).
    running: list[list[TextRun]] = field(default_factory=list)
    # Caption lines 「図表N-M …」 with no table after them: a figure's, or a table that was lost.
    bare_captions: list[Line] = field(default_factory=list)
    # The category heading each orphan sits under (by the orphan's id), for reading it again.
    orphan_categories: dict[int, Line | None] = field(default_factory=dict)
    # Kept for the glyph ledger only: tables with no caption and no case heading before them, the
    # lines before the outline's first heading (cover, contents) and the footnotes.
    uncaptioned: list[TableGrid] = field(default_factory=list)
    front: list[Line] = field(default_factory=list)
    footnotes: list[TextRun] = field(default_factory=list)


def find_regions(
    layouts: list[PageLayout], categories: tuple[str, ...], settings: TableSettings = DEFAULT_SETTINGS,
    running: set[int] | None = None,
) -> Regions:
    """Split the whole report into case, table and outline regions. `running`: the ids of the
    runs that are running heads, when known (a re-reading of a few pages cannot tell them by
    repetition); found by repetition otherwise."""
    events, heads, footnotes = _events(layouts, settings, running)
    cases: list[CaseRegion] = []
    tables: list[TableRegion] = []
    outline: list[OutlineNode] = []
    category: Line | None = None
    orphans: list[Line] = []
    orphan_categories: dict[int, Line | None] = {}
    bare_captions: list[Line] = []
    uncaptioned: list[TableGrid] = []
    front: list[Line] = []
    current: CaseRegion | TableRegion | None = None
    open_case: CaseRegion | None = None  # the last case, until a heading ends its part
    i = 0
    while i < len(events):
        ev = events[i]
        if isinstance(ev, TableGrid):
            if current is not None:
                current.fragments.append(ev)
            else:
                uncaptioned.append(ev)
            i += 1
            continue
        current = None
        heading, consumed = _case_heading(events, i)
        if heading:
            if cases and _case_number(heading) == _case_number(cases[-1].heading):
                current = cases[-1]  # heading repeated over a continued table (「事例1（続き）」)
            else:
                _end(open_case, ev)
                current = open_case = CaseRegion(heading, category)
                cases.append(current)
            i += consumed
            continue
        text = fold(ev.text)
        if _ORPHAN.match(text):
            orphans.append(ev)
            orphan_categories[id(ev)] = category
        if (m := _CAPTION.match(text)) and _next_is_table(events, i + 1):
            current = TableRegion(f"{m[1]}-{m[2]}", m[3].strip(), ev)
            tables.append(current)
            _end(open_case, ev)
            open_case = None
        else:
            if m and _looks_like_heading(ev, text):
                bare_captions.append(ev)
            boundary = _category_heading(ev, text, categories)
            if boundary:
                category = ev
            if _add_heading(outline, ev):
                boundary = True
            elif outline:
                _add_body_line(outline[-1], ev)
            else:
                front.append(ev)
            if boundary:
                _end(open_case, ev)
                open_case = None
        i += 1
    return Regions(cases, tables, outline, orphans, heads, bare_captions, orphan_categories, uncaptioned,
                   front, footnotes)


def _end(case: CaseRegion | None, line: Line) -> None:
    """End a case's part of the report at a line (a heading after it)."""
    if case is not None and case.end is None:
        case.end = (line.run.page, line.run.top)


def _events(
    layouts: list[PageLayout], settings: TableSettings, known: set[int] | None = None
) -> tuple[list[Line | TableGrid], list[list[TextRun]], list[TextRun]]:
    """Free lines and table fragments of all pages in reading order, running heads removed; the
    running heads of each page (`known`: their ids, when given); and the footnotes' runs."""
    per_page = []
    below: list[TextRun] = []  # runs under a footnote rule
    outside: list[tuple[PageLayout, list[TextRun]]] = []  # free runs, footnotes included
    for lay in layouts:
        grids = find_tables(lay, settings)
        free = [r for r in lay.runs if not any(g.contains(r) for g in grids)]
        outside.append((lay, free))
        rule = _footnote_rule(lay, grids)
        below += [r for r in free if rule is not None and r.top >= rule]
        free = [r for r in free if rule is None or r.top < rule]
        per_page.append((lay, grids, free))
    running = known if known is not None else running_runs([(lay, free) for lay, _, free in per_page])
    pages = [
        PageTables(lay, grids, [r for r in free if id(r) not in running]) for lay, grids, free in per_page
    ]
    continue_tables(pages, settings)  # pages inside a long row show no table of their own
    events: list[Line | TableGrid] = []
    for page in pages:
        kept = sorted(page.body, key=lambda r: (r.top, r.x0))
        items: list[tuple[float, Line | TableGrid]] = [(ln.run.top, ln) for ln in _lines(kept)]
        items += [(g.top, g) for g in page.grids if any(c.runs for c in g.cells)]
        items.sort(key=lambda t: (t[0], t[1].run.x0 if isinstance(t[1], Line) else 0.0))
        events.extend(ev for _, ev in items)
    # A page number below a footnote rule is still the page's number: look for heads among all free runs.
    heads = known if known is not None else running_runs(outside)
    footnotes = [r for r in below if id(r) not in heads]
    return events, [[r for r in free if id(r) in heads] for _, free in outside], footnotes


def _lines(runs: list[TextRun]) -> list[Line]:
    """Free runs of one page as lines, with the cues that separate paragraphs: how far a line
    reaches right, whether it is indented from the text margin, and the space above it."""
    if not runs:
        return []
    right = right_edge([r.x1 for r in runs])
    left = _mode([round(r.x0) for r in runs])
    pitches = [b.top - a.top for a, b in pairwise(runs) if b.top - a.top > 0.5 * a.size]
    pitch = median(pitches) if pitches else 0.0
    lines = []
    for prev, run in zip([None, *runs], runs, strict=False):
        gap = prev is not None and pitch > 0 and run.top - prev.top > 1.35 * pitch
        lines.append(
            Line(
                run,
                full=run.x1 >= right - 1.5 * run.size,
                indented=run.x0 - left > 0.6 * run.size,
                gap_before=gap,
            )
        )
    return lines


def _mode(values: list[int]) -> int:
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda v: (counts[v], -v))


def _footnote_rule(lay: PageLayout, grids: list[TableGrid]) -> float | None:
    """The y of a footnote separator: a short free-standing rule in the lower half of the page
    (not a piece of a longer one: a browser draws a row's top border cell by cell)."""
    flat = [s for s in lay.segments if not s.vertical]
    for seg in flat:
        short = seg.x1 - seg.x0 < 0.4 * lay.width
        in_table = any(g.top - 2 <= seg.top <= g.bottom + 2 for g in grids)
        joined = any(o is not seg and abs(o.top - seg.top) < 1 and o.x0 <= seg.x1 + 1 and seg.x0 <= o.x1 + 1
                     for o in flat)
        if short and not in_table and not joined and seg.top > lay.height / 2:
            return seg.top
    return None


def _next_is_table(events: list[Line | TableGrid], i: int) -> bool:
    return i < len(events) and isinstance(events[i], TableGrid)


def _case_heading(events: list[Line | TableGrid], i: int) -> tuple[list[Line], int]:
    """A case heading is 「事例N …」 (possibly wrapped, ending in 】) right before a table."""
    first = events[i]
    if not isinstance(first, Line) or not _CASE_HEADING.match(fold(first.text)):
        return [], 0
    lines = [first]
    j = i + 1
    while "】" not in fold(lines[-1].text) and j < len(events) and len(lines) < 4:
        nxt = events[j]
        if not isinstance(nxt, Line):
            break
        lines.append(nxt)
        j += 1
    if not _next_is_table(events, j):
        return [], 0
    grid = events[j]
    assert isinstance(grid, TableGrid)
    if grid.ncols != 2:
        return [], 0
    return lines, j - i


def _category_heading(line: Line, text: str, categories: tuple[str, ...]) -> bool:
    """A short heading line naming a category, e.g. 「(1) <category>」 or 「2 <category>（…）」."""
    body = _strip_enumerator(text).replace(" ", "")
    return not line.full and any(
        body.startswith(c) and len(body) <= len(c) + 20 and "。" not in body for c in categories
    )


def _case_number(heading: list[Line]) -> int:
    m = _CASE_HEADING.match(fold(heading[0].text))
    return int(m[1]) if m else -1


def _strip_enumerator(text: str) -> str:
    return re.sub(r"^(?:[(（]\s*\d+\s*[)）]|\d+\s*[.．)]|[①-⑳])\s*", "", text).strip()


def _add_heading(outline: list[OutlineNode], line: Line) -> bool:
    text = fold(line.text)
    for level, pattern in ((1, _CHAPTER), (2, _SECTION), (3, _SUBSECTION)):
        m = pattern.match(text)
        if m and _looks_like_heading(line, text):
            outline.append(OutlineNode(level, m[1], m[2].strip(), line))
            return True
    return False


def _looks_like_heading(line: Line, text: str) -> bool:
    # A heading is a short line that does not run on to the next line; body sentences that happen
    # to start with "1." or "(2)" wrap to the right edge or end with a full stop.
    return not line.full and len(text) <= 60 and not text.endswith("。")


def _add_body_line(node: OutlineNode, line: Line) -> None:
    paras = node.paragraphs
    prev = paras[-1] if paras else None
    if prev is None or _starts_paragraph(line, prev):
        paras.append(RawParagraph([line], _paragraph_kind(line.text)))
    else:
        prev.lines.append(line)


def _starts_paragraph(line: Line, prev: RawParagraph) -> bool:
    """Whether a line begins a new paragraph rather than continuing `prev`.

    A bullet glyph always begins one. Otherwise a line continues a paragraph whose last line ran
    to the right edge — unless there is extra space above it, or it is indented where `prev` is
    running text (a first-line indent). A line opening with 【 that is not a 【…】 heading is the
    wrapped credit of a citation (the bracket may not end a line). A short line opening with an
    enumerator (①, 1), (1)) and not ending a sentence is a point heading; otherwise enumerators
    and ※ only start a paragraph after a line that ended short: inside a sentence they are text.
    """
    text = line.text
    if text[0] in ITEM_GLYPHS or _paragraph_kind(text) == "bracket" or _is_point_heading(line):
        return True
    last = prev.lines[-1]
    if line.gap_before or (prev.kind == "text" and line.indented and not last.indented):
        return True
    if text.startswith("【") and not text.rstrip().endswith("】"):
        return False
    return not last.full


_POINT = re.compile(r"^(?:[①-⑳]|\d+\s*[)）]|[(（]\d+[)）])")


def _is_point_heading(line: Line) -> bool:
    text = line.text.rstrip()
    return bool(_POINT.match(text)) and not line.full and not text.endswith("。")


def _paragraph_kind(text: str) -> str:
    if text[0] in ITEM_GLYPHS:
        return "bullet"
    if text.startswith("【") and text.rstrip().endswith("】"):
        return "bracket"
    if text.startswith(NOTE_PREFIXES):
        return "note"
    return "text"


__all__ = ["CaseRegion", "Regions", "TableRegion", "find_regions"]
