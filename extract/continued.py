"""Tables that run on over pages showing none of their structure.

A row long enough to fill a page leaves that page with text only: no rule crosses it (a table
with row rules only draws one above each row, and the row began on an earlier page), its cell
backgrounds reach off the page's edges (a shaded table), and no second column shows a gap (white
space only: the label cell is empty). No per-page strategy can see a table there, yet the page is
the table's. The evidence is across pages:

1. the page before ends with a table: no body text follows its last table down to the running
   foot (the table ran to the page's foot);
2. this page's body text, from the top (below the running head) down, keeps to that table's
   columns: every line lies within its extent and crosses none of its column edges (a label and
   its text on one baseline are cut where a wide gap meets the edge), starts no further left in
   its column than the table's text did there, is set no larger, and starts no step or numbered
   heading in the first column (「(2) 緩やかな連携」 after a table that ended at a page's foot).

Such lines are the next piece of the table, a grid with the columns of the page before. A rule
across the table's width between two of them starts a new row (the next step, begun at the page's
foot, its label a step number); the piece ends at a blank wider than `table_gap_em`, at the first
line that crosses a column edge or does not fit a cell (body text or a heading after the table),
and where the backgrounds of continued cells end. A
table the page's own strategy found lower down ends them too, which then reads the rest.
A continued piece may end a page again: the next page is tried against it in turn, so a row may
run over any number of pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from extract.aligned import cut_runs
from extract.grid import Cell, TableGrid
from extract.layout import PageLayout, TextRun
from extract.settings import TableSettings


@dataclass
class PageTables:
    """One page's tables and the body runs no table holds (running heads and footnotes left out)."""

    layout: PageLayout
    grids: list[TableGrid]
    body: list[TextRun]


def continue_tables(pages: list[PageTables], st: TableSettings) -> None:
    """Add to each page the piece of a table continued from the page before, in place."""
    known: dict[int, _Look] = {}  # what a continued piece's table looked like where it showed text
    for before, page in pairwise(pages):
        last = _ending_table(before)
        if last is None or page.layout.number != before.layout.number + 1:
            continue
        look = _look(last).over(known.get(id(last)))
        grid = _continuation(last, look, page, st)
        if grid is not None:
            known[id(grid)] = look
            page.grids.insert(0, grid)
            page.body = [r for r in page.body if not grid.contains(r)]


@dataclass
class _Look:
    """Where each column's text starts and the largest type in a table: a continued row's lines
    start where the cell's lines did (never left of them) and are set no larger."""

    starts: list[float | None]
    size: float
    header: str = ""  # the text of the table's first row (a header row a page may repeat)

    def over(self, earlier: _Look | None) -> _Look:
        """This look, with what an earlier piece showed where this one shows nothing."""
        if earlier is None:
            return self
        starts = [a if a is not None else b for a, b in zip(self.starts, earlier.starts, strict=False)]
        return _Look(starts, max(self.size, earlier.size), earlier.header or self.header)


def _look(grid: TableGrid) -> _Look:
    starts: list[float | None] = []
    for c in range(grid.ncols):
        xs = [r.x0 for cell in grid.cells if cell.col == c for r in cell.runs]
        starts.append(min(xs) if xs else None)
    sizes = [r.size for cell in grid.cells for r in cell.runs]
    first = [r for cell in grid.cells if cell.row == 0 for r in cell.runs]
    return _Look(starts, max(sizes, default=0.0), _text(first))


def _text(runs: list[TextRun]) -> str:
    return "".join(r.text for r in sorted(runs, key=lambda r: (r.top, r.x0))).replace(" ", "")


def _ending_table(page: PageTables) -> TableGrid | None:
    """The table a page ends with: its lowest table, with no body text below it."""
    if not page.grids:
        return None
    last = max(page.grids, key=lambda g: g.bottom)
    if any(r.top > last.bottom - 1 for r in page.body):
        return None
    return last


@dataclass
class _Row:
    runs: list[TextRun]

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)


def _baselines(runs: list[TextRun]) -> list[_Row]:
    rows: list[_Row] = []
    for run in sorted(runs, key=lambda r: r.mid_y):
        if rows and abs(run.mid_y - (rows[-1].top + rows[-1].bottom) / 2) <= 0.4 * run.size:
            rows[-1].runs.append(run)
        else:
            rows.append(_Row([run]))
    return rows


def _continuation(last: TableGrid, look: _Look, page: PageTables, st: TableSettings) -> TableGrid | None:
    """The continued piece of `last` at the head of `page`, or None."""
    lay = page.layout
    first = min((g.top for g in page.grids), default=lay.height)
    edges = last.xs[1:-1]
    strips = [(x - 1.0, x + 1.0) for x in edges]
    taken: list[_Row] = []
    cuts: list[float] = []  # rules between rows the piece holds
    rows = _baselines([r for r in page.body if r.bottom <= first + 1])
    stop = _stops(last, lay, rows[0].top) if rows else []
    for row in rows:
        size = median(r.size for r in row.runs)
        if taken and row.top - taken[-1].bottom > st.table_gap_em * size:
            break
        # A rule above the page's first line (the row's top border) or between two lines.
        ruled = [y for y in stop if (taken[-1].bottom if taken else 0.0) < y < row.bottom]
        pieces = cut_runs(row.runs, strips)
        # Below a rule a new row may start (its label a step number): the row after the one
        # continued, begun at the page's foot. Without one, a step number ends the piece.
        if not all(_keeps_to(p, last, st) and _fits(p, last, look, st, bool(ruled)) for p in pieces):
            break
        if ruled and taken:
            cuts.append(ruled[0])
        elif taken and _text(taken[-1].runs) == look.header and len(taken) == 1:
            cuts.append((taken[-1].bottom + row.top) / 2)  # the header row repeated atop the page
        taken.append(_Row(pieces))
    if not taken:
        return None
    top = taken[0].top - 1
    bottom = taken[-1].bottom + 1
    xs = list(last.xs)
    ys = [top, *cuts, bottom]
    cells = [Cell(r, c, 1, 1, xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(len(ys) - 1)
             for c in range(len(xs) - 1)]
    grid = TableGrid(lay.number, xs[0], top, xs[-1], bottom, xs, ys, cells, list(last.loose))
    grid.strategy = "continued"
    grid.fill([p for row in taken for p in row.runs])
    return grid


def _keeps_to(piece: TextRun, grid: TableGrid, st: TableSettings) -> bool:
    """Whether a piece of text lies inside one column of the grid (a line's last glyph may reach
    a little past a white-space table's right end, which the widest line of its page set)."""
    tol = st.edge_tolerance
    reach = grid.xs[-1] + (piece.size if not grid.loose else 2 * piece.size)
    if piece.x0 < grid.xs[0] - tol or piece.x1 > reach:
        return False
    return not any(piece.x0 < x - tol and piece.x1 > x + tol for x in grid.xs[1:-1])


# A label that starts a step or an enumerated heading: 「④」, 「(2)」, 「2.」 — a new row or a
# heading after the table (「(2) 緩やかな連携」), never the rest of a row.
_STARTS = re.compile(r"^(?:[\u2460-\u2473]|[(]?\s*[0-9]{1,2}\s*[).])")


def _fits(piece: TextRun, grid: TableGrid, look: _Look, st: TableSettings, new_row: bool = False) -> bool:
    """Whether a piece of text may continue a cell of the table: it starts no step or heading in
    the first column (unless it opens a new row below a rule), starts no further left than the
    column's text did, and is no larger."""
    column = max(i for i, x in enumerate(grid.xs[:-1]) if piece.x0 >= x - st.edge_tolerance) \
        if piece.x0 >= grid.xs[0] - st.edge_tolerance else 0
    start = look.starts[column] if column < len(look.starts) else None
    if start is not None and piece.x0 < start - st.edge_tolerance:
        return False
    folded = unicodedata.normalize("NFKC", piece.text)
    if column == 0 and not new_row and (_STARTS.match(piece.text) or _STARTS.match(folded)):
        return False
    return not look.size or piece.size <= look.size * 1.05


def _stops(grid: TableGrid, lay: PageLayout, head: float) -> list[float]:
    """Heights where rows end: rules across most of the table's width (one above the page's
    first line is the top border of a row begun on this page), and the lower edges of
    backgrounds that begin above the page's first line (cells begun on an earlier page)."""
    width = grid.x1 - grid.x0
    found = [
        s.top for s in lay.segments
        if not s.vertical and min(s.x1, grid.x1) - max(s.x0, grid.x0) >= 0.5 * width
    ]
    found += [f.bottom for f in lay.fills if f.top <= head and f.x0 < grid.x1 and f.x1 > grid.x0]
    return sorted(found)


__all__ = ["PageTables", "continue_tables"]
