"""Column widths from content (render/columns.py): a figure stays on one line, sentences wrap."""

from __future__ import annotations

import pytest

from render.columns import PROSE, em_width, fit

PT, TOTAL, PAD = 8.5, 17.0, 0.35
EM = PT * 2.54 / 72 * 1.04  # one em in cm, as fit measures it


def test_em_width_counts_full_width_as_one_and_latin_as_narrow() -> None:
    assert em_width("社員法人数") == 5
    assert em_width("p.55") == pytest.approx(4 * 0.55)
    assert em_width("事例本文から\nの集計") == 6  # the longest line


def test_figures_keep_one_line_while_the_prose_columns_share_what_is_left() -> None:
    header = ["項目", "報告書の記載", "事例本文から\nの集計", "一致しない理由"]
    rows = [["地域福祉支援業務の実施件数（緩やかな連携）", "22（p.56（PDF 59））", "9",
             "報告書はヒアリング結果から集計しており、事例本文に記述のない事例を含む"]]
    widths = fit(header, rows, PT, TOTAL, PAD, wrap={0: PROSE, 3: PROSE})
    assert sum(widths) == pytest.approx(TOTAL, abs=0.05)
    assert widths[1] >= em_width("22（p.56（PDF 59））") * EM + PAD - 0.01  # never 「（PDF 5」「9））」
    assert widths[2] == pytest.approx(6 * EM + PAD, abs=0.01)  # as wide as its head's longer line
    assert widths[3] > widths[0] > em_width("一致しない理由") * EM  # each prose column in proportion


def test_a_separator_column_breaks_only_after_its_separator() -> None:
    header = ["No.", "地域"]
    rows = [["1", "北海道・東京都・神奈川県"]]
    widths = fit(header, rows, PT, 3.0, PAD, wrap={1: "・"})
    assert widths[1] >= em_width("神奈川県") * EM + PAD - 0.01  # the widest piece, whole
