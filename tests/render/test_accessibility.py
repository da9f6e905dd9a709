"""JIS X 8341-3:2016 level AA (WCAG 2.0 AA) on every HTML page a build publishes, in a real browser.

One build folder is written as the flow writes it (casebook site under html/, validation.html,
changes.html against a previous build) and every *.html in it is opened once in Debian's
Chromium: axe-core (npm, pinned in package-lock.json) runs its wcag2a + wcag2aa rules, and the
page's language and heading outline are read. Keyboard-only passes go through the index (skip
link, filters, search, a hit to its case) and validation.html. CSP is bypassed in the test's
browser context only, so that axe can be injected; the published pages keep their policy.
"""

from __future__ import annotations

import copy
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from flows.changes import change_files, compare
from flows.files import write_files
from render.html import render_site
from render.validation import validation_files
from tests.paths import PROJECT_ROOT
from transform.export import report_files
from transform.records import DEFAULT_TITLE as TITLE
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import ValidationReport
from transform.validation.output import validation_json
from transform.validation.run import validate_report

from .conftest import ARGS, CHROMIUM
from .test_browser import PHRASE

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa"]
# Every page the flow publishes today; pages added later are audited too (the audit globs *.html).
EXPECTED = {"validation.html", "changes.html", "html/index.html", "html/chapter4.html", "html/appendix.html",
            *(f"html/case-{n}.html" for n in range(1, 30))}

# Reads what the audit needs from a loaded page: lang, headings in document order.
OUTLINE_JS = """() => ({
  lang: document.documentElement.getAttribute('lang'),
  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => [Number(h.tagName[1]), h.textContent.trim()]),
})"""
AXE_JS = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                     targets: v.nodes.map(n => n.target.join(' '))})))"""
# Where an element is in document order (one index per page; the pages have up to ~12,000 elements).
ORDER_JS = """el => {
  if (!window.__order) window.__order = new Map([...document.querySelectorAll('*')].map((e, i) => [e, i]));
  return window.__order.get(el) ?? -1;
}"""
# What a focused element is: where it is in document order, what it is, and whether its focus is drawn.
DESCRIBE_JS = f"""el => {{
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  return {{
    order: ({ORDER_JS})(el),
    tag: el.tagName.toLowerCase(), name: el.getAttribute('name'), href: el.getAttribute('href'),
    text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
    shown: el.checkVisibility() && r.width > 0 && r.height > 0,
  }};
}}"""
FOCUS_JS = f"() => document.activeElement && document.activeElement !== document.body ? ({DESCRIBE_JS})(document.activeElement) : null"
# Records every focus move in the page, so that a long Tab walk costs one read instead of one per stop.
RECORD_JS = f"() => {{ window.__stops = []; document.addEventListener('focusin', e => window.__stops.push(({DESCRIBE_JS})(e.target))); }}"
# Everything a keyboard user should be able to reach: visible links and controls, in document order.
FOCUSABLE_JS = f"""() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => !el.disabled && el.checkVisibility())
  .map({ORDER_JS})"""


@dataclass
class PageAudit:
    """What one published page showed in the browser."""

    name: str
    violations: list[dict]
    lang: str | None
    headings: list[tuple[int, str]]


@pytest.fixture(scope="module")
def published(
    report: Report, corrections: list[AppliedCorrection], build: BuildInfo, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A build folder with the files the flow publishes, from the real validation of the shipped PDF
    and a change report against a previous build (one step edited, one case and one check differ)."""
    editorial = PROJECT_ROOT / "editorial"
    checked: ValidationReport = validate_report(
        report, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml",
        proofreading=editorial / "proofreading.yaml",
    )
    validation = json.loads(validation_json(checked))
    root = tmp_path_factory.mktemp("a11y")
    previous = copy.deepcopy(report)
    previous.cases[0].steps[0].sections[0].items[0].text += "（旧版）"
    previous.cases.pop()
    old = copy.deepcopy(validation)
    old["checks"][0]["status"] = "mismatch"
    write_files(root / "builds" / "prev", report_files(previous) | {
        "validation.json": json.dumps(old, ensure_ascii=False).encode("utf-8")})
    changes = compare(root / "builds" / "prev", report, validation, corrections)
    assert [c.no for c in changes.cases_added] == [29] and len(changes.cases_changed) == 1 and changes.checks_changed
    files = {f"html/{name}": data for name, data in render_site(report, checked, corrections, build).items()}
    files |= validation_files(checked, report, casebook_base="html/") | change_files(changes)
    write_files(root / "builds" / "this", files)
    return root / "builds" / "this"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("chromium not installed (make setup)")
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make setup` (npm ci) in the project root")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser):
    # bypass_csp: the pages forbid every script but their own; axe is injected by the test only.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture(scope="module")
def audits(context, published: Path) -> dict[str, PageAudit]:
    """Every published page opened once: axe violations, lang and headings."""
    page = context.new_page()
    out = {}
    started = time.monotonic()
    for path in sorted(published.rglob("*.html")):
        name = path.relative_to(published).as_posix()
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE))
        outline = page.evaluate(OUTLINE_JS)
        out[name] = PageAudit(name, page.evaluate(AXE_JS, TAGS), outline["lang"],
                              [tuple(h) for h in outline["headings"]])
    page.close()
    print(f"axe audit of {len(out)} pages: {time.monotonic() - started:.1f} s")
    return out


def test_every_published_page_is_audited(audits: dict[str, PageAudit]) -> None:
    assert EXPECTED <= set(audits), sorted(EXPECTED - set(audits))


def test_no_axe_violations_wcag2a_wcag2aa(audits: dict[str, PageAudit]) -> None:
    found = [
        f"{v['rule']} ({v['impact']}) on {page.name}: {v['help']} — {len(v['targets'])} nodes: "
        + ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
        for page in audits.values() for v in page.violations
    ]
    assert found == [], "\n".join(found)


def test_every_page_is_japanese_with_one_h1_and_no_skipped_heading_level(audits: dict[str, PageAudit]) -> None:
    problems = []
    for page in audits.values():
        if page.lang != "ja":
            problems.append(f"{page.name}: <html lang={page.lang!r}>, expected 'ja'")
        levels = [level for level, _ in page.headings]
        if levels.count(1) != 1 or levels[:1] != [1]:
            first = f"h{levels[0]}" if levels else "missing"
            problems.append(f"{page.name}: {levels.count(1)} h1, the first heading is {first}")
        problems += [f"{page.name}: h{level} 「{text}」 follows h{before} (a level skipped)"
                     for (before, _), (level, text) in zip(page.headings, page.headings[1:], strict=False)
                     if level > before + 1]
    assert problems == [], "\n".join(problems)
    assert audits["html/index.html"].headings[:2] == [(1, TITLE), (2, "目次")]


def _tab(page: Page) -> dict | None:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUS_JS)


def _tab_through(page: Page, presses: int) -> list[dict]:
    """Every Tab stop from the top of the page until focus comes round to the first stop again."""
    page.evaluate(RECORD_JS)
    for _ in range(presses):
        page.keyboard.press("Tab")
    stops: list[dict] = page.evaluate("() => window.__stops")
    orders = [s["order"] for s in stops]
    return stops[:orders.index(orders[0], 1)] if orders.count(orders[0]) > 1 else stops


def _assert_sensible(stops: list[dict], focusable: list[int]) -> None:
    """Focus reaches every visible control, in document order, and always shows where it is."""
    orders = [s["order"] for s in stops]
    assert orders == sorted(orders), "Tab order departs from document order"
    assert orders == focusable, f"not reached by Tab: {sorted(set(focusable) - set(orders))[:10]}"
    assert [s for s in stops if not s["ring"] or not s["shown"]] == []


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    page.close()


def _shown(page: Page) -> list[int]:
    return [int(n) for n in page.locator("#cases tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.case)")]


def test_keyboard_only_through_the_index(page: Page, published: Path) -> None:
    page.goto((published / "html" / "index.html").as_uri())
    focusable = page.evaluate(FOCUSABLE_JS)
    stops = _tab_through(page, len(focusable) + 2)
    _assert_sensible(stops, focusable)
    assert stops[0]["text"] == "本文へ移動"
    finder = [s["name"] for s in stops if s["tag"] in ("select", "input", "button")]
    assert finder == ["category", "pref", "business", "q", None]

    # The skip link moves the keyboard to the main content.
    page.goto((published / "html" / "index.html").as_uri())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/index.html#main")
    # Filters: Tab to 分類 and choose its first category with the arrow key.
    while (stop := _tab(page)) and stop["name"] != "category":
        pass
    page.keyboard.press("ArrowDown")
    expect(page.locator("#cases tbody tr[hidden]")).to_have_count(29 - 18)
    assert _shown(page) == list(range(1, 19))
    # Clear it from the keyboard (Tab to 条件をクリア, Enter), then search.
    while (stop := _tab(page)) and stop["tag"] != "button":
        pass
    page.keyboard.press("Enter")
    expect(page.locator("#cases tbody tr[hidden]")).to_have_count(0)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUS_JS)["name"] == "q"
    page.keyboard.type(PHRASE)
    # A hit links to the case page with the terms to highlight (case-1.html?q=…#step-5).
    expect(page.locator("#hits a[href^='case-1.html'][href$='#step-5']")).to_be_visible()
    # Onwards by Tab to the hit (past the reset button); Enter follows it to the case and step.
    while (stop := _tab(page)) and stop["tag"] != "a":
        pass
    assert stop["href"].startswith("case-1.html") and stop["href"].endswith("#step-5") and stop["ring"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-1.html*#step-5")
    assert PHRASE in page.locator("#step-5").inner_text()
    assert page.errors == []


def test_keyboard_only_through_validation_html(page: Page, published: Path) -> None:
    page.goto((published / "validation.html").as_uri())
    focusable = page.evaluate(FOCUSABLE_JS)
    stops = _tab_through(page, len(focusable) + 2)
    _assert_sensible(stops, focusable)
    assert len(stops) > 29  # at least the case links of its checks
    # A case link reached by keyboard opens the casebook page from Enter.
    link = next(i for i, s in enumerate(stops) if (s["href"] or "").startswith("html/case-"))
    page.goto((published / "validation.html").as_uri())
    for _ in range(link + 1):
        page.keyboard.press("Tab")
    href = page.evaluate(FOCUS_JS)["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{href}")
    assert page.errors == []
