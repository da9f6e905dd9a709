"""Column widths chosen from a table's content, for tables Word and LibreOffice lay out with fixed
widths (事例一覧): every column as wide as its longest cell where the page allows, so that a name
never leaves one character on a line of its own and a short column is not wider than it needs.

Text is measured in ems: a full-width (East Asian wide, fullwidth or ambiguous) character is 1 em,
any other about 0.55 em (the proportional Latin of the Japanese faces), plus the cell's padding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

CM_PER_PT = 2.54 / 72
NARROW_EM = 0.55
SLACK = 1.04  # measurement is an estimate: a few percent more than it says


def em_width(text: str) -> float:
    """The width of the longest line of `text` in ems."""
    return max((sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else NARROW_EM for ch in line)
                for line in text.split("\n")), default=0.0)


PROSE = ""  # a `wrap` separator: the column holds sentences and may break anywhere


def _pieces(text: str, separator: str) -> list[str]:
    """Where a column may wrap: after each separator (「北海道・」「東京都・」「岐阜県」); a prose
    column anywhere (its pieces are its characters)."""
    if separator == PROSE:
        return list(text)
    parts = text.split(separator)
    return [p + separator for p in parts[:-1]] + parts[-1:]


def fit(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    size_pt: float,
    total_cm: float,
    padding_cm: float,
    *,
    wrap: Mapping[int, str] | None = None,
    fixed: Mapping[int, float] | None = None,
) -> list[float]:
    """Column widths (cm) that add up to `total_cm`.

    Each column wants its natural width (its widest cell on one line; a header breaks only where
    it has line breaks). Columns in `wrap` may break at their separator (PROSE: anywhere) and
    shrink first, in proportion to their width above their widest piece; then, if the table is
    still too wide, the other columns give up width in proportion to what they have above their
    header's width — so a figure such as 「2（p.55（PDF 58））」 stays on one line while the
    sentences beside it wrap. Room left over goes to the columns
    in proportion to their natural width. `fixed` columns keep the width given.
    """
    wrap, fixed = dict(wrap or {}), dict(fixed or {})
    em = size_pt * CM_PER_PT * SLACK
    count = len(header)
    natural, minimum = [], []
    for i in range(count):
        cells = [str(r[i]) for r in rows if i < len(r)]
        head = em_width(header[i]) * em + padding_cm
        widest = max([em_width(c) * em + padding_cm for c in cells] + [head])
        natural.append(widest)
        if i in wrap:
            pieces = [em_width(p) * em + padding_cm for c in cells for p in _pieces(c, wrap[i])]
            minimum.append(max([head, *pieces]))
        else:
            minimum.append(head)
    widths = [fixed.get(i, natural[i]) for i in range(count)]
    free = [i for i in range(count) if i not in fixed]
    excess = sum(widths) - total_cm
    if excess > 0:  # wrapping columns give first, down to their widest piece
        excess = _give(widths, minimum, [i for i in free if i in wrap], excess)
    if excess > 0:  # then everyone
        _give(widths, minimum, free, excess)
    elif excess < 0:
        grow = sum(natural[i] for i in free) or 1.0
        for i in free:
            widths[i] += -excess * natural[i] / grow
    return [round(w, 2) for w in widths]


def _give(widths: list[float], minimum: list[float], columns: list[int], excess: float) -> float:
    """Take up to `excess` from `columns`, each in proportion to its width above its minimum;
    what could not be taken."""
    slack = {i: max(widths[i] - minimum[i], 0.0) for i in columns}
    total = sum(slack.values())
    if total <= 0:
        return excess
    taken = min(excess, total)
    for i in columns:
        widths[i] -= taken * slack[i] / total
    return excess - taken
