"""A page lost among the case tables is refused: the page numbers printed on the pages around it
skip one, even where the rows left still read as whole steps."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest

from extract.errors import CaseTableError
from extract.run import check_case_pages
from flows.pipeline import extract_pdf


def test_a_page_removed_from_a_case_table_is_refused_naming_the_case(source_pdf: Path, tmp_path: Path) -> None:
    with pikepdf.open(source_pdf) as pdf:
        del pdf.pages[18]  # PDF page 19: the middle of 事例5's table (printed 16)
        pdf.save(tmp_path / "lost-page.pdf")
    with pytest.raises(CaseTableError) as err:
        extract_pdf(tmp_path / "lost-page.pdf", workers=2)
    assert str(err.value) == (
        f"{tmp_path / 'lost-page.pdf'}: 事例 5 社会福祉連携推進法人いーまーる: the page numbers printed on its "
        "pages jump from 15 to 17 (PDF pages 18–19): a page of the case tables is missing — use a complete copy "
        "of the PDF (download or export it again)"
    )


def _region(heading_page: int, *pages: int, name: str = "事例1 法人A【東京都】") -> SimpleNamespace:
    run = SimpleNamespace(page=heading_page)
    return SimpleNamespace(heading=[SimpleNamespace(text=name, run=run)],
                           fragments=[SimpleNamespace(page=p) for p in pages])


def test_a_number_misread_in_one_margin_is_not_a_lost_page() -> None:
    regions = [_region(10, 10, 11, 12, 13)]
    labels = {9: "6", 10: "7", 11: "3", 12: "9", 13: "10", 14: "11"}  # 「3」: a table cell near the foot
    check_case_pages(regions, labels, Path("x.pdf"))


def test_pages_without_numbers_and_gaps_outside_the_case_tables_are_left_alone() -> None:
    regions = [_region(10, 10, 11), _region(12, 12, 13, name="事例2 法人B【大阪府】")]
    check_case_pages(regions, {10: "7", 12: "9", 13: "10", 20: "30"}, Path("x.pdf"))
    with pytest.raises(CaseTableError, match=r"事例2 法人B: the page numbers printed on its pages jump from 9 to 11"):
        check_case_pages(regions, {11: "8", 12: "9", 13: "11", 14: "12"}, Path("x.pdf"))
