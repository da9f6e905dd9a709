"""The Word casebook, read back with python-docx (laid out once per session by LibreOffice)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from render.docx import GOTHIC, LIST_STYLES, MINCHO, render_docx
from transform.records import Report

from .conftest import SCRIPT


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


def test_mincho_body_gothic_headings_and_no_theme_fonts(document, docx_bytes: bytes) -> None:
    expected = {"Normal": MINCHO, "Quote": MINCHO, "Title": GOTHIC, "Heading 1": GOTHIC, "Heading 2": GOTHIC,
                "Heading 3": GOTHIC, "Heading 4": GOTHIC, "Table Head": GOTHIC}
    for name, font in expected.items():
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None, name
    # Declared with their Japanese names, charset and family (so Word substitutes a Mincho / Gothic
    # face should it not read the embedded one), and embedded.
    table = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/fontTable.xml").decode()
    assert re.search(r'w:name="IPAmjMincho"><w:altName w:val="IPAmj明朝"/><w:charset w:val="80"/>'
                     r'<w:family w:val="roman"/><w:pitch w:val="variable"/><w:embedRegular ', table)
    assert re.search(r'w:name="IPAexGothic"><w:altName w:val="IPAexゴシック"/><w:charset w:val="80"/>'
                     r'<w:family w:val="swiss"/><w:pitch w:val="variable"/><w:embedRegular ', table)


def test_toc_opens_with_page_numbers_and_no_update_prompt(docx_bytes: bytes, document, report: Report) -> None:
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml").decode()
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert document.settings.element.find(qn("w:updateFields")) is None
    toc = [p.text for p in document.paragraphs if p.style.name == "toc 1" and p.text]
    assert len(toc) >= 29
    entries = [re.fullmatch(r"(.+)\t(\d+)", line) for line in toc]
    assert all(entries), toc
    cases = [(m[1], int(m[2])) for m in entries if m[1].startswith("事例") and m[1] != "事例一覧"]
    assert [t for t, _ in cases] == [f"事例{c.no} {c.name}" for c in report.cases]  # one numbering
    pages = [int(m[2]) for m in entries]
    assert pages == sorted(pages) and pages[0] >= 3


def test_bullets_are_the_source_glyphs(docx_bytes: bytes, document) -> None:
    numbering = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/numbering.xml").decode()
    num_id = document.styles["List Bullet"].element.pPr.numPr.numId.val
    abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>', numbering)[1]
    body = re.search(rf'<w:abstractNum w:abstractNumId="{abstract}">(.*?)</w:abstractNum>', numbering, re.S)[1]
    assert re.findall(r'w:lvlText w:val="(.)"', body) == ["・", "▶", "・"]


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
    assert re.fullmatch(r"\d+", row5[11])  # its page, filled from the layout
    text = "\n".join(p.text for p in document.paragraphs)
    assert "報告書第3章が示す件数と名称2項目を、事例見出しと事例本文から数えた値と照合しました。" in text
    assert "所見" not in text and "未判断" not in text  # the worklist is validation.html's
    corrections = next(t for t in document.tables if t.rows[0].cells[0].text == "箇所")
    assert [c.text for c in corrections.rows[1].cells] == [
        "事例1 調査項目⑤\np.10（PDF 13）", "定期的で開催し", "定期的に開催し",
        "助詞の誤り\n原文の誤り\nあわせて更新：本事例集の読み取りの根拠とした引用（事例1 業務「人材確保等業務」）"]
    assert corrections.rows[2].cells[0].text == "第3章 3.3.(4)\np.57（PDF 60）"


def test_codings_are_labelled_as_read_from_the_case_text(document) -> None:
    """業務 and 社員法人数 are our reading of the case text: labelled so, never as the report's."""
    text = "\n".join(p.text for p in document.paragraphs)
    assert "●＝事例本文にその業務の記述がある" in text
    assert "その業務を行っている" not in text
    overview = next(t for t in document.tables if t.rows[0].cells[1].text == "事例名")
    assert overview.rows[0].cells[4].text == "社員\n法人数"
    totals = [[c.text for c in row.cells] for row in overview.rows[-2:]]
    assert totals[0][1] == "事例本文からの集計（計）" and totals[1][1] == "報告書の記載（第3章）"
    attributes = next(t for t in document.tables if t.rows[0].cells[0].text == "地域")
    assert attributes.rows[2].cells[1].text == "2"  # one figure, no suffix (the reading guide says what it is)
    assert attributes.rows[4].cells[1].text == "報告書 p.9–10（PDF 12–13）"


def test_markup_in_records_is_text(hostile_report: Report, validation, corrections, build) -> None:
    data = render_docx(hostile_report, validation, corrections, build, paginate=False)
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert SCRIPT in texts  # the item and the sub-heading, verbatim
    assert f"注 {SCRIPT}" in texts
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and SCRIPT not in xml
