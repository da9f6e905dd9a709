"""Round trip through re-typeset editions: records → other PDF → extract → the same records.

Each edition changes what a new printing of the report could change: paper size, margins, fonts
(one with no bold face), column widths, page breaks, bullet glyphs, the PDF producer (Chromium
draws borders as filled rectangles and none where a row breaks; LibreOffice strokes lines), and
look-alike Kangxi code points in the text layer, and the table style (ruled grids, row rules only,
shading only, or white space only). Extraction must give the same records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.pipeline import extract_pdf
from tests.editions import chromium_edition, libreoffice_edition
from transform.records import Case, Item, Report
from transform.text import compact


def _item_tree(item: Item) -> Any:
    return (compact(item.text), [_item_tree(c) for c in item.children])


def _comparable(case: Case) -> Any:
    """Everything the transcription compares, blind to whitespace and pages."""
    return (
        case.no, compact(case.name), compact(case.region), case.prefectures, case.category,
        [
            (
                s.step, compact(s.label),
                [(compact(sec.heading or ""), [_item_tree(i) for i in sec.items]) for sec in s.sections],
                [compact(n) for n in s.notes],
            )
            for s in case.steps
        ],
    )


EDITIONS: dict[str, Callable[[list[Case], Path], Path]] = {
    "chromium-b5-kangxi": lambda cases, out: chromium_edition(
        cases, out, paper="B5", font="IPAexGothic", label_col="24%", kangxi=True, bold=True
    ),
    "chromium-letter-nobold": lambda cases, out: chromium_edition(
        cases, out, paper="Letter", font="Noto Sans CJK JP", label_col="18%", kangxi=False, bold=False
    ),
    "chromium-a5-landscape-noto-nobold": lambda cases, out: chromium_edition(
        cases, out, paper="A5-landscape", font="Noto Sans CJK JP", bold=False, markers=("•", "➢", "・")
    ),
    "chromium-letter-mincho-wide-labels": lambda cases, out: chromium_edition(
        cases, out, paper="Letter", font="IPAexMincho", label_col="30%", repeat_header=False
    ),
    # Open tables: row rules only, no vertical rules, no shading, the header not repeated — the
    # text-aligned strategy has to find the columns and the rows broken over pages.
    "chromium-letter-noto-open-tables": lambda cases, out: chromium_edition(
        cases, out, paper="Letter", font="Noto Sans CJK JP", table_style="open", repeat_header=False, bold=False
    ),
    # White space only: no borders, no fills; rows apart by padding, columns by the gap between
    # the label and the content text; the header not repeated, so a page may start mid-row.
    "chromium-a4-noto-borderless": lambda cases, out: chromium_edition(
        cases, out, paper="A4", font="Noto Sans CJK JP", table_style="none", repeat_header=False
    ),
    # Shading only: no borders; cell backgrounds with a gap between rows.
    "chromium-b5-ipaex-shaded": lambda cases, out: chromium_edition(
        cases, out, paper="B5", font="IPAexGothic", table_style="shaded"
    ),
    "libreoffice-a5-ipaex": lambda cases, out: libreoffice_edition(
        cases, out, paper=(148, 210), font="IPAexGothic", label_col_cm=2.6
    ),
    "libreoffice-letter-mincho-repeated-header": lambda cases, out: libreoffice_edition(
        cases, out, paper="Letter", font="IPAexMincho", repeat_header=True, label_col_cm=4.0
    ),
}


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request: pytest.FixtureRequest, report: Report, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Report]:
    name = request.param
    pdf = EDITIONS[name](report.cases, tmp_path_factory.mktemp(name) / f"{name}.pdf")
    return name, extract_pdf(pdf)


@pytest.mark.browser
@pytest.mark.office
def test_edition_gives_the_same_records(edition: tuple[str, Report], report: Report) -> None:
    name, again = edition
    assert [c.no for c in again.cases] == [c.no for c in report.cases], name
    for original, reread in zip(report.cases, again.cases, strict=True):
        assert _comparable(reread) == _comparable(original), f"{name}: 事例{original.no}"


@pytest.mark.browser
@pytest.mark.office
def test_edition_pages_are_its_own(edition: tuple[str, Report]) -> None:
    name, again = edition
    firsts = [min(c.pages) for c in again.cases]
    assert firsts == sorted(firsts), name
    assert all(max(c.pages) <= again.page_count for c in again.cases)
    for case in again.cases:
        for step in case.steps:
            assert set(step.pages) <= set(case.pages)
