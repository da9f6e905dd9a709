"""Round trip of the whole report: records → re-typeset report PDF → extract → the same records.

tests/extract/test_editions.py covers the case tables; this module covers everything else the
extractor reads: the outline (headings with their paths, and every paragraph's kind and text),
the captioned tables (図表N-M: number, title, rows with merged cells) and the Chapter 4 citations.
Comparison is blind to whitespace (transform.text.compact) and to page numbers: another paper
size moves every page.

Each edition is built and extracted once per module. Paragraph boundaries are the hard part:
a paragraph ends where a line stops short, where the next line is indented (first-line indent)
or follows extra space, and a wrapped line may begin with ① or 「(※)」 without starting one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from flows.pipeline import extract_pdf
from tests.editions.report import report_edition
from transform.records import Case, Citation, OutlineSection, Report
from transform.text import compact

EDITIONS: dict[str, dict[str, Any]] = {
    # Chromium: A4, Noto Sans CJK JP (real bold), header right, footer "N", justified text.
    "chromium-a4-noto-sans": {"producer": "chromium", "paper": "A4", "font": "Noto Sans CJK JP"},
    # LibreOffice: JIS B5, IPAexGothic (synthetic bold), stroked rules, footer "- N -".
    "libreoffice-b5-ipaexgothic": {"producer": "libreoffice", "paper": "B5", "font": "IPAexGothic"},
}
MARKS = {
    "chromium-a4-noto-sans": pytest.mark.browser,
    "libreoffice-b5-ipaexgothic": pytest.mark.office,
}

# (edition, outline path) → why the extractor reads that section's paragraphs wrongly there.
PARAMS = [pytest.param(name, marks=MARKS[name]) for name in EDITIONS]


@pytest.fixture(scope="module")
def reread(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Report]:
    """Build an edition of the whole shipped report and extract it, once per edition."""
    cache: dict[str, Report] = {}

    def get(name: str) -> Report:
        if name not in cache:
            pdf = tmp_path_factory.mktemp(name) / f"{name}.pdf"
            cache[name] = extract_pdf(report_edition(report, pdf, **EDITIONS[name]))
        return cache[name]

    return get


def _heading(section: OutlineSection) -> tuple[str, int, str]:
    return section.path, section.level, compact(section.title)


def _paragraphs(section: OutlineSection) -> list[tuple[str, str]]:
    return [(p.kind, compact(p.text)) for p in section.paragraphs]


def _citation(c: Citation) -> tuple[Any, ...]:
    return (
        compact(c.quote), compact(c.organisation), compact(c.region) if c.region else None,
        c.section_path, compact(c.point) if c.point else None, c.closed,
    )


@pytest.mark.parametrize("name", PARAMS)
def test_outline_headings(name: str, reread: Callable[[str], Report], report: Report) -> None:
    again = reread(name)
    assert [_heading(s) for s in again.outline] == [_heading(s) for s in report.outline], name


@pytest.mark.parametrize("name", PARAMS)
def test_outline_paragraphs(name: str, reread: Callable[[str], Report], report: Report) -> None:
    again = {s.path: s for s in reread(name).outline}
    differing = []
    for section in report.outline:
        reread_section = again.get(section.path)
        got = _paragraphs(reread_section) if reread_section else None
        if got != _paragraphs(section):
            differing.append(section.path)
    assert not differing, f"{name}: paragraphs differ under {differing}"


@pytest.mark.parametrize("name", PARAMS)
def test_captioned_tables(name: str, reread: Callable[[str], Report], report: Report) -> None:
    def comparable(r: Report) -> list[tuple[str, str, list[list[str]]]]:
        return [(t.number, compact(t.title), [[compact(c) for c in row] for row in t.rows]) for t in r.tables]

    assert comparable(reread(name)) == comparable(report), name


@pytest.mark.parametrize("name", PARAMS)
def test_citations(name: str, reread: Callable[[str], Report], report: Report) -> None:
    again = reread(name)
    assert [_citation(c) for c in again.citations] == [_citation(c) for c in report.citations], name


# --- an edition with one more case and the stated count edited to match ---------------------

EXTRA_NAME = "株式会社ライフサポート水戸"
HEARING_EDIT = {"29件をヒアリング対象": "30件をヒアリング対象"}


@pytest.fixture(scope="module")
def extra_case(report: Report) -> Case:
    case = copy.deepcopy(next(c for c in report.cases if c.no == 29))
    case.no = 30
    case.name = EXTRA_NAME
    return case


@pytest.fixture(scope="module")
def with_extra_case(report: Report, extra_case: Case, tmp_path_factory: pytest.TempPathFactory) -> Report:
    pdf = tmp_path_factory.mktemp("extra-case") / "chromium-b5-extra-case.pdf"
    return extract_pdf(
        report_edition(report, pdf, producer="chromium", paper="B5", font="IPAexGothic",
                       extra_case=extra_case, edits=HEARING_EDIT)
    )


@pytest.mark.browser
def test_extra_case_is_read_as_case_30(with_extra_case: Report, extra_case: Case) -> None:
    again = with_extra_case
    assert [c.no for c in again.cases] == list(range(1, 31))
    new = again.cases[-1]
    assert compact(new.name) == compact(EXTRA_NAME)
    assert new.category == extra_case.category == "緩やかな連携"
    assert new.region == extra_case.region
    assert [compact(s.label) for s in new.steps] == [compact(s.label) for s in extra_case.steps]


@pytest.mark.browser
def test_extra_case_has_its_row_in_table_3_1(with_extra_case: Report) -> None:
    table = with_extra_case.table("3-1")
    assert table is not None
    assert [compact(c) for c in table.rows[-1]] == ["緩やかな連携", "事例30", compact(EXTRA_NAME)]


@pytest.mark.browser
def test_edited_statement_reads_30(with_extra_case: Report) -> None:
    texts = [compact(p.text) for s in with_extra_case.chapter(3) for p in s.paragraphs]
    assert any("30件をヒアリング対象とした" in t for t in texts)
    assert not any("29件をヒアリング対象" in t for t in texts)
