"""The site in a real browser: Debian's chromium driven by Playwright, from file:// and from a
static server on loopback. Filters, search, following a hit to its case and step; no console
errors. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PHRASE = "年間約140万円のコスト削減"  # 事例1, step ⑤


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["file", "http"])
def base(request, site_dir: Path) -> str:
    if request.param == "file":
        return site_dir.as_uri()
    return request.getfixturevalue("server")


def _shown(page) -> list[int]:
    return [int(n) for n in page.locator("#cases tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.case)")]


def test_filter_search_and_follow_a_hit(page, base: str, request) -> None:
    mode = request.node.callspec.params["base"]
    page.goto(f"{base}/index.html")
    assert page.locator("#finder-status").inner_text() == "29事例中 29事例を表示"

    page.select_option("select[name=category]", "緩やかな連携")
    assert _shown(page) == list(range(19, 30))
    page.select_option("select[name=pref]", "東京都")
    assert _shown(page) == [22]
    page.click("button[type=reset]")
    # (wait_for_function would evaluate a string: the site's CSP forbids that, as it should)
    expect(page.locator("#cases tbody tr[hidden]")).to_have_count(0)
    page.select_option("select[name=business]", "貸付業務")
    assert _shown(page) == [5, 10, 15, 20, 25]
    page.click("button[type=reset]")
    expect(page.locator("#cases tbody tr[hidden]")).to_have_count(0)

    page.fill("input[name=q]", PHRASE)
    hits = page.locator("#hits li a")
    assert hits.count() == 1
    assert hits.first.get_attribute("href") == "case-1.html?q=%E5%B9%B4%E9%96%93%E7%B4%84140%E4%B8%87%E5%86%86%E3%81%AE%E3%82%B3%E3%82%B9%E3%83%88%E5%89%8A%E6%B8%9B#step-5"
    assert "事例1" in hits.first.inner_text() and "⑤成果の検証と評価" in hits.first.inner_text()
    assert page.locator("#hits mark").first.inner_text() == PHRASE
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"index-search-{mode}.png"))

    hits.first.click()
    page.wait_for_url("**/case-1.html?q=*#step-5")
    step = page.locator("#step-5")
    assert PHRASE in step.inner_text()
    assert step.locator("mark").all_inner_texts() == [PHRASE]  # the hit, highlighted on the case page
    assert step.evaluate("el => el.matches(':target')")
    assert page.evaluate("window.scrollY") > 0  # the browser moved to the step
    page.screenshot(path=str(ARTIFACTS / f"case-1-step-5-{mode}.png"))
    assert page.errors == []


def test_search_filters_the_case_table_and_marks_the_hits(page, site: dict[str, bytes], base: str) -> None:
    """A search shows only the cases with a hit, each with its number of hits, and says so."""
    import json
    import unicodedata

    data = json.loads(site["static/search-index.js"].decode().removeprefix("window.CASEBOOK_INDEX = ").rstrip(";\n"))
    term = "ICT"
    per_case: dict[int, int] = {}
    for no, _step, _kind, text in data["entries"]:
        if term.lower() in unicodedata.normalize("NFKC", text).lower():
            per_case[no] = per_case.get(no, 0) + 1
    assert 1 < len(per_case) < 29  # a term found in some cases, not all
    page.goto(f"{base}/index.html")
    page.fill("input[name=q]", term)
    expect(page.locator("#cases tbody tr:visible")).to_have_count(len(per_case))
    assert _shown(page) == sorted(per_case)
    status = page.locator("#finder-status").inner_text()
    assert status == f"29事例中 {len(per_case)}事例を表示・「ICT」を含む記述 {sum(per_case.values())}件"  # as typed
    badges = page.locator("#cases tbody tr:visible .hit-count").all_inner_texts()
    assert badges == [f"{per_case[no]}件" for no in sorted(per_case)]
    assert page.locator("#hits li").count() == sum(per_case.values())
    assert {m.upper() for m in page.locator("#hits mark").all_inner_texts()} == {term}
    # With a filter too: the hits of 緩やかな連携 cases only; clearing shows all 29 again.
    page.select_option("select[name=category]", "緩やかな連携")
    assert _shown(page) == [n for n in sorted(per_case) if n >= 19]
    page.click("button[type=reset]")
    expect(page.locator("#cases tbody tr[hidden]")).to_have_count(0)
    assert page.locator("#cases .hit-count:not(:empty)").count() == 0
    assert page.locator("#finder-status").inner_text() == "29事例中 29事例を表示"
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_overview_heads_never_break_inside_a_word(page, site_dir: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site_dir.as_uri()}/index.html")
    heads = page.locator("#cases thead th")
    assert heads.all_inner_texts()[4:11] != []
    lines_per_word = page.locator("#cases thead .w").evaluate_all(
        "words => words.map(w => [w.textContent, new Set(Array.from(w.getClientRects(), r => r.top)).size])")
    assert len(lines_per_word) == 2 + 17  # 社員/法人数 and the words of the six 業務
    assert all(lines == 1 for _, lines in lines_per_word), lines_per_word
    # The heads did wrap (the columns are narrow): between words, as intended.
    tops = page.locator("#cases thead th.business").first.locator(".w").evaluate_all(
        "words => words.map(w => w.getBoundingClientRect().top)")
    assert len(set(tops)) > 1


def test_tile_map_links_filter_the_overview(page, base: str) -> None:
    page.goto(f"{base}/index.html")
    page.locator("svg a[aria-label^='東京都']").click()
    page.wait_for_url("**/index.html?pref=*#overview")
    assert _shown(page) == [3, 4, 10, 18, 22]
    assert page.errors == []


def test_narrow_screen_and_print(page, base: str, request) -> None:
    mode = request.node.callspec.params["base"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/index.html")
    # No horizontal scrolling of the page on a phone (the overview table scrolls in its box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{base}/case-11.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"case-11-phone-{mode}.png"))
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".pager").first.is_hidden()
    assert page.errors == []


@pytest.mark.parametrize("name", ["index.html", "case-4.html", "appendix.html", "chapter4.html"])
def test_readable_on_a_phone_at_390_px(browser, site_dir: Path, name: str) -> None:
    """At 390 px no page is wider than the screen (a wide table scrolls in its own box), 事例一覧
    keeps each case's number and name in view while it scrolls, and the other tables become one
    card per row with each cell labelled."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site_dir / name).as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if name == "index.html":
        wrap = page.locator("#overview .table-wrap").first
        wrap.evaluate("el => el.scrollLeft = 600")
        name_cell = page.locator("#cases tbody tr").first.locator("th")
        box, frame = name_cell.bounding_box(), wrap.bounding_box()
        assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        assert name_cell.evaluate("el => getComputedStyle(el).position") == "sticky"
    if name == "appendix.html":
        cell = page.locator("table.corrections tbody tr").first.locator("td").first
        assert cell.evaluate("el => getComputedStyle(el).display") == "block"
        assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"訂正前"'
        assert cell.bounding_box()["width"] > 300  # a full-width line, not 2–4 characters
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=False)
    page.close()


def test_changes_page_is_readable_on_a_phone(browser, report, validation, corrections, tmp_path: Path) -> None:
    """changes.html at 390 px: the publication bar, and its five-column errata table as cards."""
    from flows.changes import change_files, compare

    files = change_files(compare(None, report, validation.to_dict(), corrections))
    (tmp_path / "changes.html").write_bytes(files["changes.html"])
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((tmp_path / "changes.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("nav.pub-nav a").all_inner_texts()[1:3] == ["PDF版", "Word版"]
    cells = page.locator("table.stack tbody tr").first.locator("td")
    assert all(cells.nth(i).bounding_box()["width"] > 300 for i in range(cells.count()))
    page.screenshot(path=str(ARTIFACTS / "phone-changes.png"))
    page.close()
