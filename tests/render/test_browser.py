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
    assert hits.first.get_attribute("href") == "case-1.html#step-5"
    assert "事例1" in hits.first.inner_text() and "⑤成果の検証と評価" in hits.first.inner_text()
    assert page.locator("#hits mark").first.inner_text() == PHRASE
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"index-search-{mode}.png"))

    hits.first.click()
    page.wait_for_url("**/case-1.html#step-5")
    step = page.locator("#step-5")
    assert PHRASE in step.inner_text()
    assert step.evaluate("el => el.matches(':target')")
    assert page.evaluate("window.scrollY") > 0  # the browser moved to the step
    page.screenshot(path=str(ARTIFACTS / f"case-1-step-5-{mode}.png"))
    assert page.errors == []


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
