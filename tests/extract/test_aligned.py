"""The text-aligned strategy on small synthetic pages (row rules only; x and y in pt, size 10)."""

from __future__ import annotations

import pytest

from extract.layout import Break, PageLayout, Segment, TextRun
from extract.settings import TableSettings
from extract.strategies import find_tables

SIZE = 10.0
RIGHT = 490.0  # where full lines of the text column end


def rule(y: float, x0: float = 50, x1: float = 500) -> Segment:
    return Segment(x0, y, x1, y)


def run(text: str, x0: float, top: float, x1: float | None = None, breaks: tuple[Break, ...] = ()) -> TextRun:
    x1 = x0 + SIZE * len(text) if x1 is None else x1
    return TextRun(text, x0, x1, top, top + SIZE, SIZE, False, 1, x0 + SIZE, breaks=breaks)


def label_and_text(label: str, text: str, top: float, column: float = 160) -> TextRun:
    """A label and the text beside it on one baseline: one run with a wide gap at the column."""
    label_end = 55 + SIZE * len(label)
    joined = f"{label} {text}"
    gap = Break(len(label) + 1, label_end, column, column + SIZE)
    return run(joined, 55, top, RIGHT, (gap,))


def page(runs: list[TextRun], segments: list[Segment]) -> PageLayout:
    return PageLayout(1, 600.0, 800.0, runs, segments)


def texts(cell) -> list[str]:
    return [r.text for r in sorted(cell.runs, key=lambda r: r.top)]


HEADER = [run("項目", 70, 110), run("内容", 300, 110)]


def test_columns_come_from_the_gap_the_text_leaves() -> None:
    body = [label_and_text("①ラベル", "本文の一行目", 140), run("本文の二行目", 160, 160, RIGHT), run("見出し", 160, 180)]
    (grid,) = find_tables(page(HEADER + body, [rule(100), rule(130), rule(200)]))
    assert (grid.ncols, grid.xs[1]) == (2, 160)
    header, row = grid.rows()
    assert [texts(c) for c in header] == [["項目"], ["内容"]]
    assert [texts(c) for c in row] == [["①ラベル"], ["本文の一行目", "本文の二行目", "見出し"]]
    assert row[1].runs[0].x_second == 170  # the cut run starts its own hanging indent


def test_joints_of_rule_pieces_place_the_column_edge() -> None:
    # A browser draws each cell's top border: the rule's pieces meet at the cell border.
    pieces = [s for y in (100, 130, 200) for s in (rule(y, 50, 150), rule(y, 150, 500))]
    body = [run("ラベル", 55, 140), run("続きの行だけ", 172, 140, RIGHT)]
    (grid,) = find_tables(page(HEADER + body, pieces))
    assert grid.xs == [50, 150, 500]


def test_text_crossing_the_columns_between_rules_separates_two_tables() -> None:
    first = [label_and_text("①", "一つ目の表", 140)]
    heading = run("事例2 二つ目の表の見出しは列の間を横切る", 50, 210, 420)
    second = [run("項目", 70, 240), run("内容", 300, 240), label_and_text("①", "二つ目の表", 270)]
    rules = [rule(y) for y in (100, 130, 200, 230, 260, 300)]
    grids = find_tables(page(HEADER + first + [heading, *second], rules))
    assert [(g.top, g.bottom) for g in grids] == [(100, 200), (230, 300)]
    assert not any(g.contains(heading) for g in grids)


def test_a_row_broken_at_the_page_foot_runs_past_the_last_rule() -> None:
    lines = [label_and_text("⑥", "最後の行は次の頁へ続く", 606), run("続きの行", 172, 621, RIGHT)]
    folio = run("12", 295, 760)
    (grid,) = find_tables(page(HEADER + lines + [folio], [rule(100), rule(130), rule(600)]))
    assert grid.bottom == pytest.approx(632)
    assert texts(grid.rows()[-1][1]) == ["最後の行は次の頁へ続く", "続きの行"]
    assert not grid.contains(folio)


def test_body_text_after_the_closing_rule_is_not_the_table() -> None:
    after = run("表の後の本文は左端から右端まで一行に続いて列の間を横切る", 50, 206, 495)
    (grid,) = find_tables(page([*HEADER, label_and_text("①", "本文", 140), after], [rule(100), rule(130), rule(200)]))
    assert grid.bottom == 200 and not grid.contains(after)


def test_a_lone_rule_or_full_width_text_between_rules_is_no_table() -> None:
    assert find_tables(page([run("脚注", 60, 710)], [rule(700, 50, 200)])) == []
    paragraph = [run("本文の段落は列を持たない" * 2, 55, 110, 495), run("二行目も同じ幅", 55, 125, 495)]
    assert find_tables(page(paragraph, [rule(100), rule(140)])) == []


def test_settings_choose_the_strategies_and_reject_bad_values() -> None:
    body = [label_and_text("①ラベル", "本文", 140)]
    open_page = page(HEADER + body, [rule(100), rule(130), rule(200)])
    assert find_tables(open_page, TableSettings.from_mapping({"strategies": ["ruled"]})) == []
    assert len(find_tables(open_page, TableSettings.from_mapping({"column_gap_em": 0.5}))) == 1
    with pytest.raises(ValueError, match="unknown table settings"):
        TableSettings.from_mapping({"colum_gap_em": 1})
    with pytest.raises(ValueError, match="cannot be negative"):
        TableSettings.from_mapping({"snap": -1})
    with pytest.raises(ValueError, match="strategies"):
        TableSettings.from_mapping({"strategies": ["stream"]})


def test_white_space_only_rows_start_at_a_step_number() -> None:
    # Nothing drawn: the header row is its own row; a wrapped label and the content's next lines
    # stay with their step; a body paragraph across the column gap is not part of the table.
    lines = [
        run("本文の段落は表の列の間をまたいで一行に続いている。", 50, 80, RIGHT),
        *HEADER,
        label_and_text("①連携の", "見出し", 130), run("契機", 55, 145), run("・本文", 160, 145, RIGHT),
        run("・次の項目", 160, 160, RIGHT),
        label_and_text("②信頼醸成", "別の見出し", 185),
    ]
    (grid,) = find_tables(page(lines, []))
    assert (grid.xs[1], grid.top) == (160, 109)
    assert [[texts(c) for c in row] for row in grid.rows()] == [
        [["項目"], ["内容"]],
        [["①連携の", "契機"], ["見出し", "・本文", "・次の項目"]],
        [["②信頼醸成"], ["別の見出し"]],
    ]


def test_white_space_only_continuation_page_keeps_its_header_apart() -> None:
    header = [run("調査項目", 70, 110), run("ヒアリング内容", 300, 110)]
    lines = [*header, run("・前の頁からの続き", 160, 130, RIGHT), run("続きの行", 172, 145)]
    (grid,) = find_tables(page(lines, []))
    assert [[texts(c) for c in row] for row in grid.rows()] == [
        [["調査項目"], ["ヒアリング内容"]], [[], ["・前の頁からの続き", "続きの行"]]
    ]


def test_white_space_only_list_with_bullets_apart_is_no_table() -> None:
    # A word processor's bullets set off by a tab: one glyph is no column.
    lines = [run("•", 55, 100), run("一つ目の項目の文", 160, 100), run("•", 55, 120), run("二つ目", 160, 120)]
    assert find_tables(page(lines, [])) == []


def test_white_space_only_page_head_continues_the_row_before() -> None:
    # No header repeated: the page starts with the rest of a row (content column only, below the
    # running head); the table further down shows where that column starts.
    lines = [
        run("株式会社 見出し", 400, 20),
        run("・前の頁の項目の続き", 160, 60, RIGHT), run("続きの行", 172, 75),
        run("事例2 次の事例の見出しは列の間をまたぐ長さがある", 50, 110, 470),
        run("調査項目", 70, 140), run("ヒアリング内容", 300, 140),
        label_and_text("①連携の", "見出し", 160),
    ]
    head, table = find_tables(page(lines, []))
    assert (head.xs[1], table.xs[1]) == (160, 160)
    assert [[texts(c) for c in row] for row in head.rows()] == [[[], ["・前の頁の項目の続き", "続きの行"]]]
    assert [texts(c) for c in table.rows()[1]] == [["①連携の"], ["見出し"]]
