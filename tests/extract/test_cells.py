"""Cell structure from glyphs and indents, on small synthetic cells (x in pt from the cell's left)."""

from __future__ import annotations

from extract.cells import Fragment, parse_cell
from extract.layout import TextRun

SIZE = 10.0
RIGHT = 200.0


def run(text: str, x: float, top: float, *, full: bool = False, page: int = 1, bold: bool = False) -> TextRun:
    """A line starting at x; `full` lines reach the cell's right edge (they wrap)."""
    x1 = RIGHT if full else x + SIZE * len(text) * 0.5
    second = x + SIZE  # a full-width glyph is one em wide
    return TextRun(text, x, x1, top, top + SIZE, SIZE, bold, page, second)


def frag(*runs: TextRun) -> Fragment:
    return Fragment(0.0, RIGHT + 5, list(runs))


def test_hanging_indent_continues_the_item() -> None:
    (block,) = parse_cell([frag(run("・前半の文が右端まで", 4, 0, full=True), run("続いて終わる。", 14, 12))])
    assert (block.kind, [p.text for p in block.pieces]) == ("item", ["前半の文が右端まで", "続いて終わる。"])


def test_glyph_at_parent_text_indent_is_a_child() -> None:
    (parent,) = parse_cell([frag(run("・親の項目", 4, 0), run("▶子の項目", 14, 12), run("・孫の項目", 24, 24))])
    assert [c.pieces[0].text for c in parent.children] == ["子の項目"]
    assert parent.children[0].children[0].pieces[0].text == "孫の項目"
    assert parent.children[0].children[0].level == 3


def test_same_glyph_at_a_deeper_indent_nests_by_position_not_glyph() -> None:
    (parent,) = parse_cell([frag(run("・親", 4, 0), run("・子", 14, 12))])
    assert parent.children and parent.children[0].level == 2


def test_line_at_base_indent_without_glyph_is_a_heading_even_without_bold() -> None:
    blocks = parse_cell([frag(run("見出し", 4, 0), run("・項目", 4, 12), run("次の見出し", 4, 24))])
    assert [b.kind for b in blocks] == ["heading", "item", "heading"]


def test_full_heading_line_wraps_onto_the_next() -> None:
    blocks = parse_cell([frag(run("とても長い見出しが右端まで", 4, 0, full=True), run("続く", 4, 12), run("・項目", 4, 24))])
    assert [b.kind for b in blocks] == ["heading", "item"]
    assert [p.text for p in blocks[0].pieces] == ["とても長い見出しが右端まで", "続く"]


def test_reference_mark_line_is_a_note() -> None:
    blocks = parse_cell([frag(run("・本文(※)", 4, 0), run("(※) 注記", 4, 12))])
    assert [b.kind for b in blocks] == ["item", "note"]


def test_item_continues_in_the_next_fragment_of_a_broken_row() -> None:
    first = frag(run("・ページをまたぐ項目で右端まで", 4, 700, full=True, page=12))
    second = Fragment(0.0, RIGHT + 5, [run("次のページで終わる。", 14, 80, page=13)])
    (block,) = parse_cell([first, second])
    assert block.pages == [12, 13]
    assert [p.text for p in block.pieces] == ["ページをまたぐ項目で右端まで", "次のページで終わる。"]


def test_fragment_on_a_page_with_other_margins_is_measured_from_its_own_cell() -> None:
    first = frag(run("・項目", 4, 0, page=1))
    shifted = Fragment(30.0, RIGHT + 35, [TextRun("続き", 44, 80, 0, SIZE, SIZE, False, 2, 54)])
    (block,) = parse_cell([first, shifted])
    assert [p.text for p in block.pieces] == ["項目", "続き"]


def test_wrapped_line_starting_with_a_reference_mark_stays_in_its_item() -> None:
    blocks = parse_cell([frag(run("・ファンドレイジング", 4, 0, full=True), run("(※)の方法など", 14, 12), run("(※) 注記", 4, 24))])
    assert [b.kind for b in blocks] == ["item", "note"]
    assert [p.text for p in blocks[0].pieces] == ["ファンドレイジング", "(※)の方法など"]
