"""The ruled strategy: rulings → grid → cells (merged where a border is absent).

The table's vertical extent comes from its vertical rulings, not from top/bottom borders, because a
browser draws no border where a row breaks across a page. Cells spanning several grid rows or
columns (図表3-1's 分類, 図表4-2's header) come out as one cell with a span.
"""

from __future__ import annotations

from collections.abc import Callable

from extract.grid import Cell, TableGrid
from extract.layout import Fill, PageLayout, Segment
from extract.settings import DEFAULT_SETTINGS, TableSettings


def merge_rulings(
    segments: list[Segment], settings: TableSettings = DEFAULT_SETTINGS
) -> tuple[list[Segment], list[Segment]]:
    """(verticals, horizontals), each ruling's collinear pieces joined into one."""
    return (
        _merge([s for s in segments if s.vertical], vertical=True, st=settings),
        _merge([s for s in segments if not s.vertical], vertical=False, st=settings),
    )


def fill_rulings(fills: list[Fill], page: PageLayout, st: TableSettings = DEFAULT_SETTINGS) -> list[Segment]:
    """Rulings of a table drawn with shading only: the edges of its cell backgrounds.

    A cell background is a fill that is not the page's and holds text, or touches one that does
    (an empty label cell beside a row's rest). Two parallel edges less than `fill_gap` apart (the
    spacing between two cells) are one boundary, drawn at their middle.
    """
    # A fill reaching off the page is a background clipped by the page's margins (the rest of a
    # cell drawn on the page before): where it shows is unknown, so it is no cell's edge.
    fills = [
        f for f in fills
        if not _background(f, fills, page, st)
        and f.x0 >= 0 and f.top >= 0 and f.x1 <= page.width and f.bottom <= page.height
    ]
    texty = [f for f in fills if any(_holds(f, r.x0, r.x1, r.mid_y) for r in page.runs)]
    cells = [f for f in fills if f in texty or any(_touch(f, t, st.fill_gap) for t in texty)]
    xs = _snap_to_middles([p for f in cells for p in (f.x0, f.x1)], st.fill_gap)
    ys = _snap_to_middles([p for f in cells for p in (f.top, f.bottom)], st.fill_gap)
    out: list[Segment] = []
    for f in cells:
        x0, x1, top, bottom = xs[f.x0], xs[f.x1], ys[f.top], ys[f.bottom]
        out += [
            Segment(x0, top, x1, top), Segment(x0, bottom, x1, bottom),
            Segment(x0, top, x0, bottom), Segment(x1, top, x1, bottom),
        ]
    return out


def _background(f: Fill, fills: list[Fill], page: PageLayout, st: TableSettings) -> bool:
    """Whether a fill is the page's background: it covers more than `fill_page_share` of the page
    and lies under another fill or spans all of the page's text from left to right. (A long
    table cell may cover most of a page too, but beside its label cell, not under it.)"""
    if (f.x1 - f.x0) * (f.bottom - f.top) <= st.fill_page_share * page.width * page.height:
        return False
    under = any(g is not f and f.x0 <= g.x0 and g.x1 <= f.x1 and f.top <= g.top and g.bottom <= f.bottom
                for g in fills)
    runs = page.runs
    spans = bool(runs) and f.x0 <= min(r.x0 for r in runs) and max(r.x1 for r in runs) <= f.x1
    return under or spans


def _holds(f: Fill, x0: float, x1: float, y: float) -> bool:
    return f.x0 <= (x0 + x1) / 2 <= f.x1 and f.top <= y <= f.bottom


def _touch(a: Fill, b: Fill, gap: float) -> bool:
    return a.x0 <= b.x1 + gap and b.x0 <= a.x1 + gap and a.top <= b.bottom + gap and b.top <= a.bottom + gap


def _snap_to_middles(values: list[float], gap: float) -> dict[float, float]:
    """Each value → the middle of its chain of values less than `gap` apart."""
    out: dict[float, float] = {}
    chain: list[float] = []
    for v in [*sorted(set(values)), float("inf")]:
        if chain and v - chain[-1] >= gap:
            mid = (chain[0] + chain[-1]) / 2
            out.update((c, mid) for c in chain)
            chain = []
        chain.append(v)
    return out


def ruled_tables(
    verticals: list[Segment],
    horizontals: list[Segment],
    page: int,
    settings: TableSettings = DEFAULT_SETTINGS,
) -> list[tuple[TableGrid, list[Segment]]]:
    """Grids of the groups of touching rulings that have columns, each with its horizontal rulings."""
    found = []
    for vs, hs in _components(verticals, horizontals, settings):
        grid = _grid(vs, hs, page, settings)
        if grid is not None:
            found.append((grid, hs))
    return found


def _merge(segs: list[Segment], *, vertical: bool, st: TableSettings) -> list[Segment]:
    """Join pieces of one ruling: same position (within `snap`) and touching or overlapping spans."""

    def pos(s: Segment) -> float:
        return s.x0 if vertical else s.top

    def span(s: Segment) -> tuple[float, float]:
        return (s.top, s.bottom) if vertical else (s.x0, s.x1)

    def make(p: float, a: float, b: float) -> Segment:
        return Segment(p, a, p, b) if vertical else Segment(a, p, b, p)

    out: list[Segment] = []
    for line in _by_position(sorted(segs, key=pos), pos, st.snap):
        p = pos(line[0])
        pieces = sorted(span(s) for s in line)
        start, end = pieces[0]
        for a, b in pieces[1:]:
            if a <= end + st.join_gap:
                end = max(end, b)
            else:
                out.append(make(p, start, end))
                start, end = a, b
        out.append(make(p, start, end))
    return [s for s in out if (span(s)[1] - span(s)[0]) > 3]


def _by_position(segs: list[Segment], pos: Callable[[Segment], float], snap: float) -> list[list[Segment]]:
    """Segments grouped by position: a group holds those within `snap` of its first member."""
    groups: list[list[Segment]] = []
    for s in segs:
        if groups and pos(s) - pos(groups[-1][0]) <= snap:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _components(
    vs: list[Segment], hs: list[Segment], st: TableSettings
) -> list[tuple[list[Segment], list[Segment]]]:
    """Group rulings that touch each other (or, for verticals, run side by side) into tables."""
    items = vs + hs
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    nv = len(vs)
    for i, v in enumerate(vs):
        for j, h in enumerate(hs):
            gap = st.join_gap
            if (h.x0 - gap <= v.x0 <= h.x1 + gap) and (v.top - gap <= h.top <= v.bottom + gap):
                union(i, nv + j)
        for k in range(i + 1, nv):
            w = vs[k]
            overlap = min(v.bottom, w.bottom) - max(v.top, w.top)
            if overlap > 0.5 * min(v.bottom - v.top, w.bottom - w.top):
                union(i, k)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, s in enumerate(items):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if i < nv else g[1]).append(s)
    return list(groups.values())


def _cluster(values: list[float], snap: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= snap * 2:
            continue
        out.append(v)
    return out


def _grid(vs: list[Segment], hs: list[Segment], page: int, st: TableSettings) -> TableGrid | None:
    xs = _cluster([v.x0 for v in vs], st.snap)
    if len(xs) < 2:
        return None
    top = min(v.top for v in vs)
    bottom = max(v.bottom for v in vs)
    if bottom - top < 8:
        return None
    inner = [h.top for h in hs if top + st.snap * 2 < h.top < bottom - st.snap * 2]
    ys = _cluster([top, *inner, bottom], st.snap)
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], vertical=True, st=st):
                parent[find((r, c))] = find((r, c + 1))
            if r + 1 < nr and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], vertical=False, st=st):
                parent[find((r, c))] = find((r + 1, c))
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        spans.setdefault(find(key), []).append(key)
    cells = []
    for members in spans.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cells.append(
            Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        )
    cells.sort(key=lambda c: (c.row, c.col))
    return TableGrid(page, xs[0], top, xs[-1], bottom, xs, ys, cells)


def _covered(
    segs: list[Segment], pos: float, a: float, b: float, *, vertical: bool, st: TableSettings
) -> bool:
    """Whether rulings at `pos` cover most of the span a..b."""
    covered = 0.0
    for s in segs:
        s_pos, s_a, s_b = (s.x0, s.top, s.bottom) if vertical else (s.top, s.x0, s.x1)
        if abs(s_pos - pos) <= st.snap * 2:
            covered += max(0.0, min(b, s_b) - max(a, s_a))
    return covered >= st.cover * (b - a)
