"""casebook.pdf checked as a reader would look at it: pages rendered to images (pdftoppm), text and
fonts read back from the PDF (pdfplumber, pdffonts, the outline). Laid out once per session."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pytest
from pypdf import PdfReader

from casebook.vocabulary import BUSINESSES
from render.docx import BODY_PT, HEAD_LINES, MEMBERS_HEAD, PrintedCasebook
from transform.records import Report

from .conftest import ARTIFACTS

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def pdf(printed: PrintedCasebook):
    with pdfplumber.open(io.BytesIO(printed.pdf)) as document:
        yield document


def _page_of(pdf, text: str, start: int = 0) -> int:
    """The first page (1-based) whose text, spaces removed, contains `text`."""
    for page in pdf.pages[start:]:
        if text in re.sub(r"\s", "", page.extract_text() or ""):
            return page.page_number
    raise AssertionError(f"{text!r} not found")


def test_toc_page_numbers_ascend_and_match_where_each_case_starts(
    pdf, printed: PrintedCasebook, docx_bytes: bytes, report: Report
) -> None:
    toc = dict(printed.toc)
    cases = [f"事例{c.no} {c.name}" for c in report.cases]
    pages = [toc[name] for name in cases]
    assert pages == sorted(pages) and len(set(pages)) == 29
    for name, page in zip(cases, pages, strict=True):
        # The case heading is the first line of its page (after the running header).
        assert _page_of(pdf, re.sub(r"\s", "", name), start=3) == page, name
    # The Word file carries the same numbers as the PDF's table of contents.
    document = docx.Document(io.BytesIO(docx_bytes))
    in_word = [p.text.split("\t") for p in document.paragraphs if p.style.name == "toc 1" and p.text]
    assert [(t, int(n)) for t, n in in_word] == printed.toc
    # And the printed contents page shows them (the TOC is filled in the PDF too).
    contents = re.sub(r"\s", "", pdf.pages[1].extract_text())
    last = re.escape(re.sub(r"\s", "", report.cases[28].name))
    assert re.search(rf"事例29{last}\.+{pages[-1]}", contents)


def test_every_case_has_a_pdf_bookmark_to_its_page(printed: PrintedCasebook, report: Report) -> None:
    reader = PdfReader(io.BytesIO(printed.pdf))
    top = {item.title: reader.get_destination_page_number(item) + 1
           for item in reader.outline if not isinstance(item, list)}
    toc = dict(printed.toc)
    for case in report.cases:
        assert top[f"事例{case.no} {case.name}"] == toc[f"事例{case.no} {case.name}"]


def test_overview_header_cells_never_break_inside_a_word(pdf) -> None:
    page = pdf.pages[_page_of(pdf, "事例一覧", start=3) - 1]
    table = page.find_tables()[0]
    header = table.rows[0].cells
    lines = []
    for bbox in header:
        text = page.within_bbox(bbox).extract_text() or ""
        lines.append([line.replace(" ", "") for line in text.splitlines()])
    expected = [["No."], ["事例名"], ["地域"], ["分類"], MEMBERS_HEAD.split("\n"),
                *(HEAD_LINES[b].split("\n") for b in BUSINESSES), ["頁"]]
    assert lines == expected


def test_body_is_set_in_mincho_and_headings_in_gothic(pdf, printed: PrintedCasebook, tmp_path: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("poppler-utils not installed (make setup)")
    source = tmp_path / "casebook.pdf"
    source.write_bytes(printed.pdf)
    listing = subprocess.run([pdffonts, str(source)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows)  # every font embedded
    assert any("Mincho" in row[0] for row in rows)
    # The text of an item is drawn in the Mincho face, the case heading in the Gothic one.
    page = pdf.pages[_page_of(pdf, "秋田県は全国で最も少子高齢化", start=3) - 1]
    fonts = {c["fontname"].split("+")[-1] for c in page.chars
             if c["text"] in "秋田県は全国で最も少子高齢化" and abs(c["size"] - BODY_PT) < 0.1}
    assert fonts and all("Mincho" in f for f in fonts), fonts
    heading = {c["fontname"].split("+")[-1] for c in page.chars if c["size"] > 14}
    assert heading and all("Sans" in f or "Gothic" in f for f in heading), heading


def test_pages_render_as_a_reader_sees_them(printed: PrintedCasebook, pdf, tmp_path: Path) -> None:
    """Contents and overview rendered to images (kept in test-artifacts/ to look at): the overview
    is landscape, the contents portrait, neither blank."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler-utils not installed (make setup)")
    source = tmp_path / "casebook.pdf"
    source.write_bytes(printed.pdf)
    overview = _page_of(pdf, "事例一覧", start=3)
    ARTIFACTS.mkdir(exist_ok=True)
    sizes = {}
    for name, number in (("contents", 2), ("overview", overview)):
        out = ARTIFACTS / f"casebook-{name}"
        subprocess.run([pdftoppm, "-r", "40", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(source), str(out)], check=True)
        data = (out.with_suffix(".png")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000  # drawn, not blank
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        sizes[name] = (width, height)
    assert sizes["contents"][0] < sizes["contents"][1] and sizes["overview"][0] > sizes["overview"][1]
    assert printed.pages == len(pdf.pages) > 29 + 4
