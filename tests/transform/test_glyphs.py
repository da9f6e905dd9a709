"""Look-alike kanji from their glyphs in the casebook's Japanese font."""

from __future__ import annotations

from transform.glyphs import LOOK_ALIKE, look_alike, similarity


def test_look_alike_kanji_overlap_more_than_99_percent_of_pairs() -> None:
    assert round(similarity("土", "士"), 2) == 0.92
    assert [look_alike(a, b) for a, b in ("社祉", "面画", "土士")] == [True, True, True]
    assert [look_alike(a, b) for a, b in ("峰機", "後代", "土土")] == [False, False, False]
    assert similarity("社", "社") == 1.0 and LOOK_ALIKE == 0.42
