"""Editions of kinds the report's own layout never shows, generated from the shipped text
(tests/editions/kinds.py), must extract to 100% of their cases, fields, labels, sub-headings,
items and notes, with no glyph of a case left unassigned, and no refusal:

- a row run over three and four pages under every table strategy — ruled, row rules only (the
  reported failure: a browser-printed edition with row rules only, a case over three pages,
  read as ①–③), shaded, white space only — and by LibreOffice;
- rows continuing at a page head with no rule above; header rows repeated on every page;
- narrow label columns that wrap the label (「④協働活動の実」/「行」), label cells split over a page;
- Latin text at wraps: a URL and a word wider than the column, ASCII symbols, templates;
- a layout the default settings cannot read (label cells two characters wide, white space only),
  which the self-check reads again with other settings.

A hypothesis test draws further layouts (paper, font, label column, table style, header repeated,
long rows, Latin text); the default run keeps to a few derandomized examples, `-m sweep` runs more.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.editions.kinds import FONTS, LATIN_HEADING, LATIN_ITEMS, LONG_STEP, Kind, complete, recovery
from tests.extract.conftest import Generated

pytestmark = pytest.mark.browser

KINDS = {
    # The reported failure: row rules only, a row over three pages, pages inside it rule-less.
    "open-row-over-3-pages": Kind(paper="B5", font="Noto Sans CJK JP", table_style="open", long_row=3),
    "open-row-over-4-pages-header-repeated": Kind(paper="A5", table_style="open", long_row=4, repeat_header=True),
    "shaded-row-over-4-pages": Kind(paper="Letter", table_style="shaded", long_row=4),
    "borderless-row-over-3-pages": Kind(paper="A4", font="Noto Sans CJK JP", table_style="none", long_row=3),
    "ruled-narrow-labels-split-over-pages": Kind(paper="B5", label_col="12%", long_row=3, split_labels=True),
    "libreoffice-row-over-3-pages": Kind(producer="libreoffice", paper="B5", long_row=3),
    "latin-at-wraps": Kind(paper="A5", latin=True),
    "borderless-labels-two-characters-wide": Kind(paper="B5", table_style="none", label_col="13mm"),
}
PARAMS = [pytest.param(k, marks=pytest.mark.office) if k.startswith("libreoffice") else k for k in KINDS]


def _is_whole(edition: Generated) -> None:
    counts = recovery(edition.cases, edition.report)
    assert complete(counts), f"{edition.kind.name}: {counts}"
    strays = edition.report.extraction.case_strays()
    assert not strays, f"{edition.kind.name}: unassigned glyphs {strays[:3]}"
    case_pages = {p for c in edition.report.cases for p in c.pages}
    assert all(p.unassigned == 0 and p.twice == 0 for p in edition.report.extraction.pages if p.page in case_pages)


@pytest.mark.parametrize("name", PARAMS)
def test_generated_edition_extracts_whole(name: str, generated: Callable[[Kind], Generated]) -> None:
    _is_whole(generated(KINDS[name]))


@pytest.mark.parametrize("name", [n for n in PARAMS if "row-over" in str(n) or "split" in str(n)])
def test_the_long_row_really_runs_over_the_pages_it_claims(name: str, generated: Callable[[Kind], Generated]) -> None:
    edition = generated(KINDS[name])
    step = edition.report.cases[0].steps[LONG_STEP - 1]
    assert len(step.pages) >= edition.kind.long_row + 1, step.pages  # starts mid-page, ends mid-page


def test_pages_inside_a_row_with_row_rules_only_are_read_as_its_continuation(
    generated: Callable[[Kind], Generated],
) -> None:
    reading = generated(KINDS["open-row-over-3-pages"]).report.extraction.readings[0]
    assert reading.strategies == ["aligned", "continued"]
    assert (reading.settings, reading.tried, reading.failed) == ({}, 1, [])


def test_a_narrow_label_wraps_and_splits_over_a_page_and_reads_as_one_label(
    generated: Callable[[Kind], Generated],
) -> None:
    edition = generated(KINDS["ruled-narrow-labels-split-over-pages"])
    labels = [s.label for c in edition.raw.cases for s in c.steps]
    assert any(len(lab) > 1 for lab in labels)  # a label printed on two lines or more
    assert any(len({p.page for p in lab}) > 1 for lab in labels), "no label cell split over a page"
    assert [s.label for s in edition.report.cases[0].steps][LONG_STEP - 1] == "④協働活動の実行"


def test_latin_text_at_wraps_keeps_its_spaces_and_its_words(generated: Callable[[Kind], Generated]) -> None:
    section = generated(KINDS["latin-at-wraps"]).report.cases[0].steps[0].sections[-1]
    assert section.heading == LATIN_HEADING
    assert [i.text for i in section.items] == list(LATIN_ITEMS)
    assert "{% raw%}" not in section.items[3].text and section.items[3].text.count("{% raw %}") == 5


def test_a_layout_the_defaults_cannot_read_is_read_again_and_says_how(
    generated: Callable[[Kind], Generated],
) -> None:
    readings = generated(KINDS["borderless-labels-two-characters-wide"]).report.extraction.readings
    assert {r.settings.get("min_column_em") for r in readings} == {1.5}
    assert all(r.tried > 1 and r.failed == ["no case table after the case heading"] for r in readings)
    assert all("satisfies every invariant" in r.why for r in readings)


# --- layouts drawn by hypothesis --------------------------------------------------------------

kinds = st.builds(
    Kind,
    producer=st.just("chromium"),
    paper=st.sampled_from(["A4", "A5", "B5", "B5-ISO", "Letter", "Legal", "A5-landscape"]),
    font=st.sampled_from(FONTS),
    label_col=st.integers(min_value=16, max_value=32).map(lambda n: f"{n}%"),
    table_style=st.sampled_from(["grid", "open", "shaded", "none"]),
    repeat_header=st.booleans(),
    long_row=st.sampled_from([0, 3, 4]),
    latin=st.booleans(),
    split_labels=st.booleans(),
)
SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# Each example prints a PDF (seconds): report a failing layout as drawn, without shrinking it.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]


@settings(max_examples=4, derandomize=True, deadline=None, suppress_health_check=SLOW, database=None,
          phases=PHASES)
@given(kind=kinds)
def test_drawn_layouts_extract_whole(kind: Kind, generated: Callable[[Kind], Generated]) -> None:
    _is_whole(generated(kind))


@pytest.mark.sweep
@settings(max_examples=40, deadline=None, suppress_health_check=SLOW, database=None, phases=PHASES)
@given(kind=kinds)
def test_sweep_of_drawn_layouts_extract_whole(kind: Kind, generated: Callable[[Kind], Generated]) -> None:
    _is_whole(generated(kind))


@pytest.mark.parametrize("name", PARAMS)
def test_both_interpreters_read_every_page_of_the_kind_the_same(
    name: str, generated: Callable[[Kind], Generated]
) -> None:
    """The fast path's equivalence with pdfminer's own interpreter holds on every generated kind,
    not only on the editions test_fastpath.py prints."""
    import pdfplumber

    from extract.layout import page_layout

    with pdfplumber.open(generated(KINDS[name]).pdf) as doc:
        differ = [page.page_number for page in doc.pages if page_layout(page, fast=True) != page_layout(page, fast=False)]
    assert differ == []
