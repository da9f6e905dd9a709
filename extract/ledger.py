"""The glyph ledger: every glyph of the report assigned to exactly one place, or counted as not.

A page's glyphs are those of its text runs (extract/layout.py; spaces are not glyphs). Each run
goes to a place as extraction reads it:

- in a case's part of the report (from its heading to the next heading, caption or case heading,
  extract/report.py `CaseRegion.holds`): case-heading, table-header, label, sub-heading, item,
  note — the places of the case's records;
- anywhere: running-header, running-footer, page-number (extract/running.py);
- elsewhere: caption and table (a 図表, or a table without a caption), outline (headings and
  body text of the report), front-matter (cover and contents: lines before the outline's first
  heading), footnote (under a footnote rule).

A glyph no place took is *unassigned*, and so is one inside a case's part that went anywhere but
the case's own places or the running heads (body text where a row of the case table should have
been read): its case, page, position and text are kept (`Stray`). Table strategies cut runs in
two where a label and its text share a baseline; the pieces are found back under the run they
were cut from by position (same page and baseline, inside the run's extent), so a glyph read
twice shows too (`twice`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.layout import PageLayout, TextRun
from extract.report import CaseRegion, Regions
from extract.running import PAGE_NUMBER

CASE_PLACES = ("case-heading", "table-header", "label", "sub-heading", "item", "note")
RUNNING_PLACES = ("running-header", "running-footer", "page-number")
OTHER_PLACES = ("caption", "table", "outline", "front-matter", "footnote")
PLACES = CASE_PLACES + RUNNING_PLACES + OTHER_PLACES

Placed = tuple[TextRun, str]


@dataclass
class Stray:
    """Glyphs of one run that no place took (or, in a case's part, no place of the case)."""

    page: int
    x0: float
    top: float
    text: str
    glyphs: int
    case: int | None  # the case whose part of the report holds it


@dataclass
class PageCount:
    """One page's glyphs: how many, how many each place took, how many none did (or two did)."""

    page: int
    glyphs: int
    places: dict[str, int] = field(default_factory=dict)
    unassigned: int = 0
    twice: int = 0

    @property
    def assigned(self) -> int:
        return sum(self.places.values())


@dataclass
class Ledger:
    pages: list[PageCount]
    strays: list[Stray]

    def case_strays(self, no: int) -> list[Stray]:
        return [s for s in self.strays if s.case == no]


def glyph_count(text: str) -> int:
    """Glyphs of a run's text: every character but spaces."""
    return len("".join(text.split()))


def running_places(regions: Regions, layouts: list[PageLayout]) -> list[Placed]:
    """Running heads, footers and page numbers, each by its band and form."""
    height = {lay.number: lay.height for lay in layouts}
    out: list[Placed] = []
    for runs in regions.running:
        for run in runs:
            if PAGE_NUMBER.match(run.text):
                out.append((run, "page-number"))
            else:
                top_band = run.top < height.get(run.page, 0.0) / 2
                out.append((run, "running-header" if top_band else "running-footer"))
    return out


def report_places(regions: Regions) -> list[Placed]:
    """The runs of the outline (headings and body text) and of the captioned tables."""
    out: list[Placed] = []
    for node in regions.outline:  # flat: each node holds the paragraphs under it
        out.append((node.line.run, "outline"))
        out += [(line.run, "outline") for p in node.paragraphs for line in p.lines]
    for table in regions.tables:
        out.append((table.caption.run, "caption"))
        out += [(r, "table") for grid in table.fragments for cell in grid.cells for r in cell.runs]
    out += [(r, "table") for grid in regions.uncaptioned for cell in grid.cells for r in cell.runs]
    out += [(line.run, "front-matter") for line in regions.front]
    out += [(run, "footnote") for run in regions.footnotes]
    return out


def build_ledger(
    layouts: list[PageLayout], placed: list[Placed], cases: list[tuple[int, CaseRegion]]
) -> Ledger:
    """Count every page's glyphs by place; keep the runs (or parts) no place took."""
    found = _by_origin(layouts, placed)
    last = layouts[-1].number if layouts else 0
    on_page: dict[int, list[tuple[int, CaseRegion]]] = {}
    for no, region in cases:
        for page in range(region.start[0], (region.end[0] if region.end else last) + 1):
            on_page.setdefault(page, []).append((no, region))
    pages: list[PageCount] = []
    strays: list[Stray] = []
    for lay in layouts:
        count = PageCount(lay.number, 0)
        owners = on_page.get(lay.number, [])
        for run in lay.runs:
            total = glyph_count(run.text)
            count.glyphs += total
            owner = _owner(owners, run) if owners else None
            took = 0
            for place, glyphs in found.get(id(run), {}).items():
                if owner is not None and place not in CASE_PLACES + RUNNING_PLACES:
                    continue  # body text where the case's rows should be: not the case's
                count.places[place] = count.places.get(place, 0) + glyphs
                took += glyphs
            count.twice += max(0, took - total)
            missing = total - min(total, took)
            if missing:
                count.unassigned += missing
                where = (lay.number, round(run.x0, 1), round(run.top, 1))
                strays.append(Stray(*where, run.text, missing, owner))
        pages.append(count)
    return Ledger(pages, strays)


def case_strays(layouts: list[PageLayout], placed: list[Placed], no: int, region: CaseRegion) -> list[Stray]:
    """The strays of one case's part of the report, given the places its reading took."""
    first, last = region.start[0], region.end[0] if region.end else layouts[-1].number
    span = [lay for lay in layouts if first <= lay.number <= last]
    ledger = build_ledger(span, [p for p in placed if first <= p[0].page <= last], [(no, region)])
    return ledger.case_strays(no)


def _owner(cases: list[tuple[int, CaseRegion]], run: TextRun) -> int | None:
    for no, region in cases:
        if region.holds(run.page, run.top):
            return no
    return None


def _by_origin(layouts: list[PageLayout], placed: list[Placed]) -> dict[int, dict[str, int]]:
    """Per page run (by id): glyphs each place took of it, pieces of a cut run summed."""
    lines: dict[tuple[int, float], list[TextRun]] = {}
    for lay in layouts:
        for run in lay.runs:
            lines.setdefault((run.page, round(run.top, 2)), []).append(run)
    out: dict[int, dict[str, int]] = {}
    for piece, place in placed:
        origin = _origin(lines.get((piece.page, round(piece.top, 2)), []), piece)
        if origin is None:
            continue
        took = out.setdefault(id(origin), {})
        took[place] = took.get(place, 0) + glyph_count(piece.text)
    return out


def _origin(candidates: list[TextRun], piece: TextRun) -> TextRun | None:
    for run in candidates:
        if run is piece:
            return run
    for run in candidates:
        if run.x0 - 0.5 <= piece.x0 and piece.x1 <= run.x1 + 0.5:
            return run
    return None


__all__ = [
    "CASE_PLACES", "PLACES", "Ledger", "PageCount", "Stray", "build_ledger", "case_strays",
    "glyph_count", "report_places", "running_places",
]
