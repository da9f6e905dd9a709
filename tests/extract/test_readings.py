"""The self-check of a case reading and the settings a failing case is read again with."""

from __future__ import annotations

from dataclasses import replace

from extract.cells import Piece
from extract.ledger import Stray
from extract.readings import changed_settings, check_case, variations
from extract.settings import DEFAULT_SETTINGS, TableSettings
from extract.tables import RawCase, RawStep


def case(labels: list[str], pages: list[list[int]]) -> RawCase:
    steps = [RawStep(i + 1, [Piece(lab, p[0])] if lab else [], [], p) for i, (lab, p) in enumerate(zip(labels, pages, strict=True))]
    return RawCase(1, "名称", "県", None, 1, ["調査項目", "ヒアリング内容"], steps)


LABELS = ["①a", "②b", "③c", "④d", "⑤e", "⑥f"]


def test_a_whole_reading_has_no_problem() -> None:
    assert check_case(case(LABELS, [[1], [1], [1, 2], [2], [2, 3], [3]]), []) == []


def test_each_invariant_names_what_failed_where() -> None:
    problems = check_case(case(["①a", "", "③c", "③c", "⑤e", "⑥f"], [[1], [1], [2], [4], [4], [4]]),
                          [Stray(2, 150.0, 60.0, "本文として読まれた行", 10, 1)])
    assert [str(p) for p in problems] == [
        "each step label present once: 事例1 ② (page 1): its row has no label",
        "each step label present once: 事例1: the label 「③c」 heads 2 rows",
        "no glyph unassigned: 事例1: 10 glyphs unassigned, first on page 2 at (150, 60): 「本文として読まれた行」",
        "rows contiguous across pages: 事例1 ④ starts on page 4 after page 2",
    ]


def test_variations_try_other_strategies_and_one_threshold_at_a_time_nearest_first() -> None:
    tried = list(variations(DEFAULT_SETTINGS))
    assert DEFAULT_SETTINGS not in tried and len(tried) == len(set(tried))
    assert changed_settings(tried[0]) == {"column_gap_em": 0.4}
    assert changed_settings(tried[1]) == {"column_gap_em": 0.8}
    assert {"strategies": ["ruled"]} in [changed_settings(t) for t in tried]
    assert all(len(changed_settings(t)) <= 2 for t in tried)
    assert max(t.fill_page_share for t in tried) == 1.0


def test_variations_search_around_an_edition_s_own_settings() -> None:
    base = TableSettings.from_mapping({"column_gap_em": 0.9})
    assert replace(base, column_gap_em=0.6) in list(variations(base))
