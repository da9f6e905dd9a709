"""Tables continued over pages that show none of their structure (synthetic pages, size 10)."""

from __future__ import annotations

from extract.continued import PageTables, continue_tables
from extract.grid import Cell, TableGrid
from extract.layout import PageLayout, Segment, TextRun
from extract.settings import DEFAULT_SETTINGS

SIZE = 10.0


def run(text: str, x0: float, top: float, page: int) -> TextRun:
    return TextRun(text, x0, x0 + SIZE * len(text), top, top + SIZE, SIZE, False, page, x0 + SIZE)


def table_to_the_foot(page: int) -> TableGrid:
    xs, ys = [50.0, 150.0, 500.0], [100.0, 700.0]
    cells = [Cell(0, c, 1, 1, xs[c], ys[0], xs[c + 1], ys[1]) for c in range(2)]
    grid = TableGrid(page, 50, 100, 500, 700, xs, ys, cells)
    grid.strategy = "aligned"
    return grid


def pages(second: list[TextRun], segments: list[Segment] | None = None) -> list[PageTables]:
    one = PageTables(PageLayout(1, 600, 800, []), [table_to_the_foot(1)], [])
    one.grids[0].cells[0].runs.append(run("④協働活動の実行", 55, 120, 1))
    two = PageTables(PageLayout(2, 600, 800, second, segments or []), [], list(second))
    continue_tables([one, two], DEFAULT_SETTINGS)
    return [one, two]


def test_lines_that_keep_to_the_columns_continue_the_table_of_the_page_before() -> None:
    lines = [run("・前の頁から続く項目の行", 160, 60, 2), run("続きの行", 172, 75, 2), run("見出し", 160, 92, 2)]
    _, two = pages(lines)
    (grid,) = two.grids
    assert (grid.strategy, grid.xs, grid.top, grid.bottom) == ("continued", [50.0, 150.0, 500.0], 59, 103)
    assert [r.text for r in grid.cells[1].runs] == ["・前の頁から続く項目の行", "続きの行", "見出し"]
    assert two.body == []


def test_the_continuation_ends_at_text_across_the_columns_a_rule_or_a_wide_blank() -> None:
    rows = [run("・続きの行", 160, 60, 2)]
    across = run("3. 次の節の見出しは列の境を横切る", 50, 80, 2)
    _, two = pages([*rows, across])
    assert [r.text for r in two.grids[0].cells[1].runs] == ["・続きの行"] and two.body == [across]
    _, closed = pages([*rows, run("3. 次の節", 50, 90, 2)], [Segment(50, 84, 500, 84)])
    assert [r.text for r in closed.grids[0].cells[1].runs] == ["・続きの行"] and closed.grids[0].ys == [59, 71]
    _, blank = pages([*rows, run("・離れた行", 160, 120, 2)])
    assert [r.text for r in blank.grids[0].cells[1].runs] == ["・続きの行"]


def test_no_continuation_after_a_page_that_ends_with_body_text() -> None:
    one = PageTables(PageLayout(1, 600, 800, []), [table_to_the_foot(1)], [run("表の後の本文", 50, 720, 1)])
    lines = [run("・続きの行", 160, 60, 2)]
    two = PageTables(PageLayout(2, 600, 800, lines), [], list(lines))
    continue_tables([one, two], DEFAULT_SETTINGS)
    assert two.grids == []


def test_a_numbered_heading_or_text_left_of_the_cells_after_a_table_at_a_page_s_foot_is_no_row() -> None:
    one = PageTables(PageLayout(1, 600, 800, []), [table_to_the_foot(1)], [])
    label = run("⑥改善と深化", 55, 120, 1)
    one.grids[0].cells[0].runs.append(label)
    heading = run("(2) 緩やかな", 55, 60, 2)
    unindented = run("おわりに", 50, 60, 2)
    for first in (heading, unindented):
        two = PageTables(PageLayout(2, 600, 800, [first]), [], [first])
        continue_tables([one, two], DEFAULT_SETTINGS)
        assert two.grids == [], first.text


def test_a_rule_between_continued_lines_starts_the_next_row_begun_at_the_page_s_foot() -> None:
    one = PageTables(PageLayout(1, 600, 800, []), [table_to_the_foot(1)], [])
    one.grids[0].cells[0].runs.append(run("④協働活動の実行", 55, 120, 1))
    lines = [run("・④の続きの行", 160, 700, 2), run("⑤成果の", 55, 720, 2), run("・⑤の最初の行", 160, 720, 2)]
    two = PageTables(PageLayout(2, 600, 800, lines, [Segment(50, 714, 500, 714)]), [], list(lines))
    continue_tables([one, two], DEFAULT_SETTINGS)
    (grid,) = two.grids
    assert grid.ys == [699, 714, 731]
    assert [[[r.text for r in c.runs] for c in row] for row in grid.rows()] == [
        [[], ["・④の続きの行"]], [["⑤成果の"], ["・⑤の最初の行"]],
    ]


def test_a_row_begun_at_the_page_s_head_below_its_top_border_is_a_new_row() -> None:
    lines = [run("④協働活動の実", 55, 60, 2), run("見出し", 160, 60, 2), run("行", 55, 75, 2), run("・項目", 160, 75, 2)]
    _, two = pages(lines, [Segment(50, 54, 500, 54)])
    (grid,) = two.grids
    assert [[[r.text for r in c.runs] for c in row] for row in grid.rows()] == [
        [["④協働活動の実", "行"], ["見出し", "・項目"]],
    ]


def test_a_header_row_repeated_atop_a_continued_page_is_a_row_of_its_own() -> None:
    one = PageTables(PageLayout(1, 600, 800, []), [table_to_the_foot(1)], [])
    grid = one.grids[0]
    grid.ys = [100.0, 130.0, 700.0]
    grid.cells = [Cell(r, c, 1, 1, grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1]) for r in range(2) for c in range(2)]
    grid.fill([run("調査項目", 55, 110, 1), run("ヒアリング内容", 250, 110, 1), run("④協働活動の実", 55, 140, 1),
               run("見出し", 160, 140, 1)])
    lines = [run("調査項目", 55, 60, 2), run("ヒアリング内容", 250, 60, 2), run("行", 55, 80, 2), run("・続き", 160, 80, 2)]
    two = PageTables(PageLayout(2, 600, 800, lines), [], list(lines))
    continue_tables([one, two], DEFAULT_SETTINGS)
    assert [[[r.text for r in c.runs] for c in row] for row in two.grids[0].rows()] == [
        [["調査項目"], ["ヒアリング内容"]], [["行"], ["・続き"]],
    ]
