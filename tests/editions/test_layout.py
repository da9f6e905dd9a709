"""The editions themselves: each produced PDF has what the round-trip tests rely on
(running header and page footer on every page, ruled tables, rows split over page breaks,
the paper asked for). Built from the hand-made sample, so these run in a few seconds."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ._common import CHAPTER_HEADING, ORG_HEADER, REPORT_HEADER, paper_mm
from .chromium import chromium_edition
from .libreoffice import libreoffice_edition
from .pdffacts import font_names, inspect_edition, radical_code_points
from .sample import SAMPLE_CASES

MM = 72 / 25.4


def _text(facts) -> str:
    return unicodedata.normalize("NFKC", "\n".join(p.text for p in facts))


def _check_common(pdf: Path, paper, header: str, footer_format: str) -> list:
    facts = inspect_edition(pdf)
    w, h = paper_mm(paper)
    for page in facts:
        assert abs(page.width - w * MM) < 1.5 and abs(page.height - h * MM) < 1.5
        assert page.header == header, page.number
        assert page.footer == footer_format.format(page.number), page.number
        assert page.header_top < 0.12 * page.height and page.footer_top > 0.85 * page.height
        if page.number < len(facts):  # the last page may hold only the closing chapter
            assert page.h_rules and page.v_rules, page.number
    assert any(p.continues_row for p in facts), "no table row split over a page break"
    text = _text(facts)
    assert CHAPTER_HEADING in text and "(1) 緊密な連携" in text and "(2) 緩やかな連携" in text
    assert text.index("(1) 緊密な連携") < text.index("(2) 緩やかな連携")
    return facts


@pytest.mark.browser
def test_chromium_edition(tmp_path: Path) -> None:
    pdf = chromium_edition(SAMPLE_CASES, tmp_path / "c.pdf")
    facts = _check_common(pdf, "B5", ORG_HEADER, "{}")
    assert sum(p.repeats_header_row for p in facts) >= 1
    raw = "\n".join(p.text for p in facts)
    assert "事例1 " in raw and "事例２ " in raw and "事例 12 " in raw  # tight, full width, spaced
    radicals = radical_code_points(pdf)
    assert radicals["\u2f08"] > 0  # ⼈ in the text layer
    assert all("Bold" not in name for name in font_names(pdf))  # IPAexGothic: synthetic bold


@pytest.mark.browser
def test_chromium_edition_without_header_repeat(tmp_path: Path) -> None:
    pdf = chromium_edition(
        SAMPLE_CASES, tmp_path / "c.pdf", paper="A5-landscape", repeat_header=False, bold=False
    )
    facts = _check_common(pdf, "A5-landscape", ORG_HEADER, "{}")
    assert not any(p.repeats_header_row for p in facts)


@pytest.mark.office
def test_libreoffice_edition(tmp_path: Path) -> None:
    pdf = libreoffice_edition(SAMPLE_CASES, tmp_path / "l.pdf")
    facts = _check_common(pdf, "Letter", REPORT_HEADER, "- {} -")
    assert not any(p.repeats_header_row for p in facts)
    raw = "\n".join(p.text for p in facts)
    assert "事例１ " in raw and "事例 2 " in raw and "事例12 " in raw  # full width, spaced, tight
    assert not radical_code_points(pdf)
    assert all("Bold" not in name for name in font_names(pdf))


@pytest.mark.office
def test_libreoffice_edition_a5_landscape(tmp_path: Path) -> None:
    pdf = libreoffice_edition(
        SAMPLE_CASES, tmp_path / "l.pdf", paper=(210, 148), repeat_header=True, label_col_cm=2.4
    )
    facts = _check_common(pdf, (210, 148), REPORT_HEADER, "- {} -")
    assert any(p.repeats_header_row for p in facts)
