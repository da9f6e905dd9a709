"""Ruled grids from segments: extent from verticals, merged cells where a border is absent."""

from __future__ import annotations

from extract.grid import TableGrid
from extract.layout import Break, Fill, PageLayout, Segment, TextRun
from extract.strategies import find_tables as find_on_page


def find_tables(segments: list[Segment], runs: list[TextRun], page: int) -> list[TableGrid]:
    return find_on_page(PageLayout(page, 600.0, 800.0, runs, segments))


def v(x: float, top: float, bottom: float) -> Segment:
    return Segment(x, top, x, bottom)


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0, y, x1, y)


def word(text: str, x: float, top: float) -> TextRun:
    return TextRun(text, x, x + 20, top, top + 10, 10.0, False, 1, x + 10)


def test_table_without_top_border_takes_its_extent_from_verticals() -> None:
    # A row continued from the previous page: browsers draw no top border there.
    segs = [v(50, 40, 300), v(150, 40, 300), v(500, 40, 300), h(200, 50, 500), h(300, 50, 500)]
    (grid,) = find_tables(segs, [word("続き", 160, 50)], page=2)
    assert (grid.top, grid.bottom, grid.ncols) == (40, 300, 2)
    assert [len(r) for r in grid.rows()] == [2, 2]
    assert grid.rows()[0][1].runs[0].text == "続き"


def test_missing_inner_border_merges_cells_vertically() -> None:
    # 分類 column spans two rows: no horizontal rule in the first column between them.
    segs = [v(0, 0, 90), v(60, 0, 90), v(200, 0, 90), h(0, 0, 200), h(30, 0, 200), h(60, 60, 200), h(90, 0, 200)]
    (grid,) = find_tables(segs, [], page=1)
    merged = [c for c in grid.cells if c.col == 0 and c.row == 1]
    assert merged and merged[0].rowspan == 2


def test_missing_inner_border_merges_cells_horizontally() -> None:
    segs = [v(0, 0, 60), v(100, 30, 60), v(200, 0, 60), h(0, 0, 200), h(30, 0, 200), h(60, 0, 200)]
    (grid,) = find_tables(segs, [], page=1)
    header = [c for c in grid.cells if c.row == 0]
    assert len(header) == 1 and header[0].colspan == 2


def test_pieces_of_one_border_are_joined() -> None:
    segs = [v(0, 0, 50), v(0, 50.5, 100), v(100, 0, 100), h(0, 0, 100), h(100, 0, 100)]
    (grid,) = find_tables(segs, [], page=1)
    assert (grid.top, grid.bottom, len(grid.cells)) == (0, 100, 1)


def test_lone_rules_are_not_tables() -> None:
    assert find_tables([h(700, 70, 180)], [], page=1) == []


def test_nearby_rulings_of_two_tables_stay_apart() -> None:
    # Two tables one above the other whose column rules are 1.4 pt apart: both must keep them.
    upper = [v(50, 68.6, 200.4), v(262.3, 68.6, 200.4), v(500, 68.6, 200.4), h(68.6, 50, 500), h(200.4, 50, 500)]
    lower = [v(50, 369.5, 721.4), v(260.9, 369.5, 721.4), v(500, 369.5, 721.4), h(369.5, 50, 500), h(721.4, 50, 500)]
    grids = find_tables(upper + lower, [], page=1)
    assert [(g.top, g.ncols) for g in grids] == [(68.6, 2), (369.5, 2)]


def test_cell_backgrounds_without_borders_make_a_grid() -> None:
    # Shading only: label and content fills side by side, rows 1.5pt apart; the empty label fill
    # of the second row still counts (it touches a fill with text); the page's own fill does not.
    fills = [
        Fill(0, 0, 600, 800),
        Fill(50, 40, 150, 100), Fill(150, 40, 500, 100),
        Fill(50, 101.5, 150, 200), Fill(150, 101.5, 500, 200),
    ]
    runs = [TextRun("①計画 本文", 60, 300, 45, 55, 10.0, False, 1, 70, breaks=(Break(4, 110, 160, 170),))]
    runs.append(word("続き", 160, 110))
    (grid,) = find_on_page(PageLayout(1, 600.0, 800.0, runs, [], fills=fills))
    assert (grid.x0, grid.xs, grid.ys) == (50, [50, 150, 500], [40, 100.75, 200])
    assert [[[r.text for r in c.runs] for c in row] for row in grid.rows()] == [
        [["①計画"], ["本文"]], [[], ["続き"]]
    ]


def test_fills_inside_a_ruled_table_add_nothing() -> None:
    segs = [v(50, 40, 200), v(150, 40, 200), v(500, 40, 200), h(40, 50, 500), h(200, 50, 500)]
    fills = [Fill(50, 40, 150, 120), Fill(50, 120, 150, 200)]
    (grid,) = find_on_page(PageLayout(1, 600.0, 800.0, [word("見出し", 60, 50)], segs, fills=fills))
    assert grid.ys == [40, 200]


def test_fills_reaching_off_the_page_are_no_cells() -> None:
    # Chromium draws the rest of a row's background from above the page, clipped by the margin.
    fills = [Fill(150, -200, 500, 57), Fill(50, 60, 150, 100), Fill(150, 60, 500, 100)]
    runs = [word("見出し", 300, 20), word("調査項目", 60, 70), word("内容", 300, 70)]
    (grid,) = find_on_page(PageLayout(1, 600.0, 800.0, runs, [], fills=fills))
    assert (grid.top, grid.bottom) == (60, 100)
