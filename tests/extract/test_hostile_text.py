"""Hostile text end to end: a Chromium edition whose items hold templates, quotes and markup,
wrapped between Latin characters → records → HTML casebook and items.csv, character for character.

Chromium writes no space glyph where it wraps a line at a space; the records must still read
`{% raw %}` and `"引用" 'single'`, not `{% raw%}` and `"引用"'single'`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from itertools import pairwise
from pathlib import Path

import lxml.html
import pdfplumber
import pytest

from extract.layout import page_layout
from flows.pipeline import extract_pdf
from render.html import render_site
from tests.editions import chromium_edition
from tests.editions.hostile import HOSTILE_HEADING, HOSTILE_ITEMS, HOSTILE_NOTE, QUOTES, RAW, hostile_cases
from transform.export import report_files
from transform.records import BuildInfo, Report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chromium_edition(hostile_cases(), tmp_path_factory.mktemp("hostile") / "hostile.pdf", paper="A5")


@pytest.fixture(scope="module")
def hostile(edition: Path) -> Report:
    return extract_pdf(edition)


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def test_the_edition_wraps_lines_between_latin_characters_without_a_space_glyph(edition: Path) -> None:
    wraps = []
    with pdfplumber.open(edition) as pdf:
        for page in pdf.pages:
            runs = sorted(page_layout(page).runs, key=lambda r: (r.top, r.x0))
            wraps += [(a, b) for a, b in pairwise(runs)
                      if b.top > a.top and _latin(a.text[-1]) and _latin(b.text[0])]
            page.close()
    assert len(wraps) >= 5
    assert not any(a.space_after for a, _ in wraps)


def _step_one(report: Report):
    return report.cases[0].steps[0]


def test_records_keep_every_latin_space(hostile: Report) -> None:
    step = _step_one(hostile)
    section = step.sections[-1]
    assert section.heading == HOSTILE_HEADING
    assert [i.text for i in section.items] == list(HOSTILE_ITEMS)
    assert step.notes[-1] == HOSTILE_NOTE
    assert section.items[0].text.count(RAW) == 6 and "{% raw%}" not in section.items[0].text
    assert section.items[1].text.count(QUOTES) == 10


def test_html_shows_the_text_as_printed(hostile: Report) -> None:
    build = BuildInfo("第1版", "2026-03-01T09:00:00+09:00", hostile.source, hostile.sha256)
    site = render_site(hostile, None, [], build)
    page = lxml.html.fromstring(site[f"case-{hostile.cases[0].no}.html"])
    text = unicodedata.normalize("NFC", page.text_content())
    for item in HOSTILE_ITEMS:
        assert item in text
    assert HOSTILE_HEADING in text and HOSTILE_NOTE in text
    assert not page.xpath("//script[contains(., 'alert')]") and not page.xpath("//b[.='太字']")


def test_items_csv_keeps_the_text(hostile: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(report_files(hostile)["items.csv"].decode("utf-8"))))
    texts = [r["text"] for r in rows if r["case"] == str(hostile.cases[0].no) and r["section"] == HOSTILE_HEADING]
    assert texts == list(HOSTILE_ITEMS)
