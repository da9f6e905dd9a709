"""The static site: every record text on its case page in order, anchors, links, escaping, and no
resource from the network."""

from __future__ import annotations

import re

import lxml.html
import pytest

from render.html import render_site
from transform.records import Report

from .conftest import SCRIPT


def _page(site: dict[str, bytes], name: str):
    return lxml.html.fromstring(site[name])


def _items(page) -> list[str]:
    return [(li.text or "").strip() for li in page.xpath('//ul[@class="items"]/li')]


def test_site_files(site: dict[str, bytes], report: Report) -> None:
    expected = {"index.html", "chapter4.html", "appendix.html", "static/site.css", "static/search.js",
                "static/publication.css",
                "static/search-index.js", *(f"case-{c.no}.html" for c in report.cases)}
    assert set(site) == expected


@pytest.mark.parametrize("no", range(1, 30))
def test_every_item_of_a_case_in_order(site: dict[str, bytes], cases, no: int) -> None:
    page = _page(site, f"case-{no}.html")
    case = cases[no]
    assert _items(page) == [item.text for *_, item, _ in case.iter_items()]
    headings = [s.heading for st in case.steps for s in st.sections if s.heading]
    assert [h.text_content() for h in page.xpath("//section[@class='step']/h4")] == headings
    notes = [n for st in case.steps for n in st.notes]
    assert [p.text_content() for p in page.xpath("//p[@class='note']")] == notes


def test_case_page_structure(site: dict[str, bytes], cases) -> None:
    page = _page(site, "case-11.html")
    assert page.get("lang") == "ja"
    assert [h.text_content() for h in page.xpath("//h1")] == [cases[11].name]
    assert page.xpath("//p[@class='case-no']")[0].text_content() == "事例11"
    assert [s.get("id") for s in page.xpath("//section[@class='step']")] == [f"step-{n}" for n in range(1, 7)]
    assert [h.text_content() for h in page.xpath("//section[@class='step-group']/h2")] == [
        "STEP1 仲間をつくる", "STEP2 協働化を検討する", "STEP3 協働し、PDCAを回す"]
    assert page.xpath("//a[@rel='prev']/@href") == ["case-10.html"] * 2
    assert page.xpath("//a[@rel='next']/@href") == ["case-12.html"] * 2
    assert _page(site, "case-1.html").xpath("//a[@rel='prev']") == []


def test_chapter_4_references_link_both_ways(site: dict[str, bytes]) -> None:
    case1 = _page(site, "case-1.html")
    refs = case1.xpath("//section[@id='references']//p[@class='ref-head']/a")
    assert [a.text_content() for a in refs] == [
        "第4章 1. 協働化の効果・メリット／(3) スケールメリットを活用したコスト削減",
        "第4章 1. 協働化の効果・メリット／(6) 災害時対応力の向上",
    ]
    chapter4 = _page(site, "chapter4.html")
    for a in refs:
        target = a.get("href").split("#")[1]
        [article] = chapter4.xpath(f"//article[@id='{target}']")
        assert article.xpath(".//p[@class='credit']/a/@href") == ["case-1.html#references"]


def test_index_overview_rows_link_to_cases_with_filter_data(site: dict[str, bytes], report: Report) -> None:
    index = _page(site, "index.html")
    rows = index.xpath("//table[@id='cases']/tbody/tr")
    assert [r.xpath("./th/a/@href")[0] for r in rows] == [f"case-{c.no}.html" for c in report.cases]
    row4 = rows[3]
    assert row4.get("data-prefs") == "北海道|東京都|岐阜県"
    assert row4.get("data-business") == "人材確保等業務"
    assert [th.text_content() for th in index.xpath("//table[@id='cases']/thead//th")][:5] == [
        "No.", "事例名", "地域", "分類", "社員法人数"]
    assert len(index.xpath("//svg//rect")) >= 47  # the tile map, inline


def test_search_index_holds_every_item(site: dict[str, bytes], report: Report) -> None:
    script = site["static/search-index.js"].decode()
    assert script.startswith("window.CASEBOOK_INDEX = ")
    for case in report.cases:
        for *_, item, _ in case.iter_items():
            assert item.text.replace("<", "\\u003c").replace(">", "\\u003e") in script


def test_markup_in_records_is_text(hostile_report: Report, validation, corrections, build) -> None:
    site = render_site(hostile_report, validation, corrections, build)
    for name, data in site.items():
        assert SCRIPT.encode() not in data, name
    page = _page(site, "case-1.html")
    assert _items(page)[0] == SCRIPT
    assert page.xpath("//h1")[0].text_content().endswith(SCRIPT)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in site["case-1.html"]
    assert not page.xpath("//script[contains(., 'alert')]")


def test_no_network_resources(site: dict[str, bytes]) -> None:
    for name, data in site.items():
        text = data.decode()
        # xmlns is a namespace name, never fetched; anything else http(s) would be a request.
        urls = re.findall(r"https?://[^\s\"'<>)]+", text.replace('xmlns="http://www.w3.org/2000/svg"', ""))
        assert urls == [], (name, urls)


def test_pages_are_accessible_html(site: dict[str, bytes]) -> None:
    for name in (n for n in site if n.endswith(".html")):
        page = _page(site, name)
        assert page.get("lang") == "ja", name
        assert len(page.xpath("//h1")) == 1, name
        assert page.xpath("//meta[@name='viewport']"), name
        for table in page.xpath("//table"):
            assert table.xpath(".//thead//th[@scope='col']"), name


def test_appendix_tells_readers_what_was_checked_and_lists_the_errata(site: dict[str, bytes]) -> None:
    """付録A is sentences for readers (the worklist stays in validation.html); 付録B the errata,
    in the casebook's words (調査項目⑤, 業務「…」 — never an attribute id)."""
    page = _page(site, "appendix.html")
    checked = [li.text_content() for li in page.xpath("//section[@id='validation']/ul[1]/li")]
    assert checked[0] == "報告書第3章が示す件数と名称2項目を、事例見出しと事例本文から数えた値と照合しました。1項目が一致しました。"
    assert not page.xpath("//table[@class='checks']") and "未判断" not in page.text_content()
    [row] = [[c.text_content() for c in r] for r in page.xpath("//table[contains(@class, 'counts')]/tbody/tr")]
    assert row == ["社員法人数「3法人」の件数", "8（p.55（PDF 58））", "6", "報告書の件数と、事例本文から数えた件数が一致しない"]
    fix = page.xpath("//table[contains(@class, 'corrections')]/tbody/tr")[0]
    assert [c.text_content() for c in fix] == [
        "事例1 調査項目⑤p.10（PDF 13）", "定期的で開催し", "定期的に開催し",
        "助詞の誤り原文の誤りあわせて更新：本事例集の読み取りの根拠とした引用（事例1 業務「人材確保等業務」）"]
    assert fix.xpath(".//a/@href") == ["case-1.html#step-5"]
    section = page.xpath("//table[contains(@class, 'corrections')]/tbody/tr")[1]
    assert section[0].text_content() == "第3章 3.3.(4)p.57（PDF 60）" and not section.xpath(".//a")


def test_codings_are_labelled_and_shown_beside_the_report(site: dict[str, bytes]) -> None:
    """The overview's ● and counts are our reading of the case text, with the report's figures
    beside them; the contents number each case once."""
    page = _page(site, "index.html")
    caption = page.xpath("//table[@id='cases']/caption")[0].text_content()
    assert "●＝事例本文にその業務の記述がある" in caption and "行っている" not in caption
    foot = [[c.text_content() for c in row] for row in page.xpath("//table[@id='cases']/tfoot/tr")]
    assert foot[0][1] == "事例本文からの集計（計）" and foot[0][3:] == ["0", "0", "15", "5", "29", "0"]
    assert foot[1][1] == "報告書の記載（第3章）" and foot[1][3:] == ["—"] * 6
    figures = [[c.text_content() for c in row] for row in page.xpath("//table[@class='figures']/tbody/tr")]
    assert figures == [["3", "8", "6（差あり）", "p.55（PDF 58）"]]
    business = page.xpath("//section[@id='by-business']//dt")[2].text_content()
    assert business == "経営支援業務　事例本文からの集計：15事例"
    assert page.xpath("//ul[@class='toc-cases']/li")[0].text_content() == "事例1 社会福祉連携推進法人秋田圏域社会福祉連携推進会"
    case = _page(site, "case-1.html")
    attributes = dict(zip(case.xpath("//dl[@class='attributes']/dt/text()"),
                          (d.text_content() for d in case.xpath("//dl[@class='attributes']/dd")), strict=True))
    assert attributes["社員法人数"] == "2"
    assert attributes["出典"] == "報告書 p.9–10（PDF 12–13）"
