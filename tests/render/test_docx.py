"""The Word casebook, read back with python-docx; and converted by LibreOffice (mark `office`)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from pypdf import PdfReader

from render.docx import FONT, LIST_STYLES, render_docx
from transform.records import Case, Report

from .conftest import ARTIFACTS, SCRIPT


@pytest.fixture(scope="module")
def document(docx_bytes: bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def _case_headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1" and p.text.startswith("事例")
            and p.text != "事例一覧"]


def test_all_29_case_headings_in_order(document, report: Report) -> None:
    assert _case_headings(document) == [f"事例{c.no} {c.name}" for c in report.cases]


def test_every_item_in_order_at_its_nesting_level(document, report: Report) -> None:
    expected = [(item.text, LIST_STYLES[level - 1]) for c in report.cases for *_, item, level in c.iter_items()]
    found = [(p.text, p.style.name) for p in document.paragraphs if p.style.name in LIST_STYLES]
    # The by-prefecture list after the cases uses List Bullet too: compare the case chapters only.
    assert found[: len(expected)] == expected


def test_sub_headings_and_notes_in_order(document, report: Report) -> None:
    expected = [s.heading for c in report.cases for st in c.steps for s in st.sections if s.heading]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 4"] == expected
    notes = [n for c in report.cases for st in c.steps for n in st.notes]
    body = [p.text for p in document.paragraphs if p.style.name == "Note"]
    assert all(n in body for n in notes) and notes


def test_list_paragraphs_hold_only_record_text(document, report: Report) -> None:
    """Nothing but items in the item lists (the by-prefecture list links to cases)."""
    items = {item.text for c in report.cases for *_, item, _ in c.iter_items()}
    names = [f"事例{c.no} {c.name}" for c in report.cases]
    for p in document.paragraphs:
        if p.style.name in LIST_STYLES and p.text not in items:
            assert any(name in p.text for name in names), p.text


def test_each_case_is_its_own_section_with_a_running_header(document, report: Report) -> None:
    by_heading = {}
    for section in document.sections:
        first = next(section.iter_inner_content(), None)
        if first is not None and getattr(first, "style", None) is not None and first.style.name == "Heading 1":
            by_heading[first.text] = section
    for case in report.cases:
        section = by_heading[f"事例{case.no} {case.name}"]
        assert section.start_type == WD_SECTION.NEW_PAGE
        assert f"事例{case.no} {case.name}" in section.header.paragraphs[0].text


def test_overview_links_to_a_bookmark_on_each_case_heading(document, report: Report) -> None:
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
    for case in report.cases:
        assert f"case_{case.no}" in bookmarks and f"case_{case.no}" in anchors
    assert anchors <= bookmarks  # no dangling internal link


def test_styles_carry_an_east_asian_font_and_no_theme_fonts(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == FONT, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None, name


def test_toc_field_and_page_numbers(docx_bytes: bytes, document) -> None:
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml").decode()
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert document.settings.element.find(qn("w:updateFields")) is not None


def test_cover_names_source_build_and_hash(document, report: Report) -> None:
    cover = "\n".join(p.text for p in document.paragraphs[:12])
    assert "介護事業所の協働化 事例集" in cover and "第1版" in cover
    assert "株式会社NTTデータ経営研究所" in cover and "2026年3月1日" in cover
    assert report.sha256 in cover


def test_members_markers_and_appendix(document) -> None:
    overview = next(t for t in document.tables if t.rows[0].cells[1].text == "事例名")
    row5 = [c.text for c in overview.rows[5].cells]
    assert row5[:5] == ["5", "社会福祉連携推進法人いーまーる", "沖縄県", "緊密な連携", "6"]
    assert row5[5:11] == ["", "", "●", "●", "●", ""]  # 経営支援, 貸付, 人材確保等 (see business_of)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一致 1件、不一致（要確認） 1件、エラー 0件" in text
    corrections = next(t for t in document.tables if t.rows[0].cells[0].text == "事例")
    assert [c.text for c in corrections.rows[1].cells] == ["事例1", "⑤", "定期的で開催し", "定期的に開催し", "助詞の誤り"]


def test_markup_in_records_is_text(hostile_report: Report, validation, corrections, build) -> None:
    data = render_docx(hostile_report, validation, corrections, build)
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert SCRIPT in texts  # the item and the sub-heading, verbatim
    assert f"注 {SCRIPT}" in texts
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and SCRIPT not in xml


@pytest.mark.office
def test_libreoffice_converts_it_to_pdf(docx_bytes: bytes, cases: dict[int, Case], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (make setup)")
    source = tmp_path / "casebook.docx"
    source.write_bytes(docx_bytes)
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "casebook.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "casebook.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) > 29 + 4  # a page or more per case, plus front matter and views
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert f"事例29{cases[29].name}" in text
    assert "年間約140万円のコスト削減" in text
