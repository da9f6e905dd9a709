"""Table finding: one seam in front of the strategies, chosen per table by the page's evidence.

- ruled (extract/rulings.py): rulings that cross each other (vertical and horizontal borders)
  make a grid; cells where a border is absent merge.
  A table drawn with shading only (no borders) goes the same way: the edges of its cell
  backgrounds are its rulings (`fill_rulings`), taken only from fills no drawn table holds.
- aligned (extract/aligned.py): horizontal rules of one extent with no vertical rule through them
  (a "booktabs" table); columns come from the aligned text between the rules. On a page
  with nothing drawn at all, tables of white space only (`spaced_tables`).

Rulings go to the ruled strategy first; the horizontal rules no ruled table claimed go to the
aligned strategy. The choice is made per table from what is drawn on the page, never per
edition: an edition may only tune the thresholds, in data (`TableSettings.from_mapping`).
"""

from __future__ import annotations

from extract.aligned import aligned_tables, cut_runs, spaced_tables
from extract.grid import TableGrid
from extract.layout import PageLayout
from extract.rulings import fill_rulings, merge_rulings, ruled_tables
from extract.settings import DEFAULT_SETTINGS, TableSettings


def find_tables(page: PageLayout, settings: TableSettings = DEFAULT_SETTINGS) -> list[TableGrid]:
    """The tables on a page, top to bottom, their cells filled with the runs inside them."""
    verticals, horizontals = merge_rulings(page.segments, settings)
    tables: list[TableGrid] = []
    claimed: set[int] = set()
    if "ruled" in settings.strategies:
        for grid, rules in ruled_tables(verticals, horizontals, page.number, settings):
            grid.strategy = "ruled"
            grid.fill(page.runs)
            tables.append(grid)
            claimed |= {id(r) for r in rules}
        fills = [f for f in page.fills if not _inside_any((f.top + f.bottom) / 2, f.x0, f.x1, tables)]
        fill_vs, fill_hs = merge_rulings(fill_rulings(fills, page, settings), settings)
        for grid, _rules in ruled_tables(fill_vs, fill_hs, page.number, settings):
            # No border splits a line at a column edge: cut runs at their wide gaps over one.
            grid.strategy = "shaded"
            grid.fill(cut_runs(page.runs, [(x - 1, x + 1) for x in grid.xs[1:-1]]))
            tables.append(grid)
    if "aligned" in settings.strategies:
        free = [h for h in horizontals if id(h) not in claimed and not _inside_any(h.top, h.x0, h.x1, tables)]
        tables += _named("aligned", aligned_tables(free, page, settings))
        if not page.segments and not page.fills:  # nothing drawn: columns and rows of white space
            tables += _named("spaced", spaced_tables(page, tables, settings))
    return sorted(tables, key=lambda t: t.top)


def _named(strategy: str, grids: list[TableGrid]) -> list[TableGrid]:
    for grid in grids:
        grid.strategy = strategy
    return grids


def _inside_any(y: float, x0: float, x1: float, tables: list[TableGrid]) -> bool:
    return any(t.top - 2 <= y <= t.bottom + 2 and x0 < t.x1 and x1 > t.x0 for t in tables)


__all__ = ["TableSettings", "find_tables"]
