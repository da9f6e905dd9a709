"""Fixtures for the renderers: a fixed build, a synthetic validation report (so that markers
and the appendix do not depend on the codebook's current rules), and both outputs rendered once."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from casebook.vocabulary import BUSINESSES
from render.docx import PrintedCasebook, render_print
from render.html import render_site
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import Check, Coding, Stated, ValidationReport

SCRIPT = "<script>alert(1)</script>"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored


def business_of(no: int) -> set[str]:
    """The synthetic 業務 of case `no`: 経営支援業務 for odd cases, 貸付業務 for multiples of 5,
    人材確保等業務 for every case."""
    out = {"人材確保等業務"}
    if no % 2:
        out.add("経営支援業務")
    if no % 5 == 0:
        out.add("貸付業務")
    return out


@pytest.fixture(scope="session")
def build(report: Report) -> BuildInfo:
    return BuildInfo("第1版", "2026-03-01T09:00:00+09:00", report.source, report.sha256)


@pytest.fixture(scope="session")
def validation(report: Report) -> ValidationReport:
    codings = [Coding(c.no, "members", c.no + 1, "reviewed") for c in report.cases]
    codings += [
        Coding(c.no, f"business:{b}", b in business_of(c.no), "auto")
        for c in report.cases for b in BUSINESSES
    ]
    checks = [
        Check("hearing.count", "ヒアリング件数と事例数", "mechanical", "pass",
              Stated(29, 7, "29件"), 29, "mechanical"),
        Check("members.bin.3", "社員法人数「3法人」の件数", "coded", "mismatch",
              Stated(8, 58, "3法人8件"), 6, "reviewed 29", "記載 8 に対し、事例からは 6"),
    ]
    return ValidationReport(report.source, report.sha256, "2026-03-01T09:00:00+00:00", checks, codings)


@pytest.fixture(scope="session")
def corrections() -> list[AppliedCorrection]:
    return [
        AppliedCorrection(1, 5, "定期的で開催し", "定期的に開催し", "助詞の誤り", note="原文の誤り",
                          where="p.10（PDF 13）", updated=["レビュー済みコーディングの引用（事例1 business:人材確保等業務）"]),
        AppliedCorrection(None, None, "关系性", "関係性", "簡体字", section="3.3.(4)", where="p.57（PDF 60）"),
    ]


@pytest.fixture(scope="session")
def printed(report, validation, corrections, build) -> PrintedCasebook:
    """The casebook laid out by LibreOffice once per session: .docx and PDF."""
    out = render_print(report, validation, corrections, build)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "casebook.pdf").write_bytes(out.pdf)
    (ARTIFACTS / "casebook.docx").write_bytes(out.docx)
    return out


@pytest.fixture(scope="session")
def docx_bytes(printed: PrintedCasebook) -> bytes:
    return printed.docx


@pytest.fixture(scope="session")
def site(report, validation, corrections, build) -> dict[str, bytes]:
    return render_site(report, validation, corrections, build)


@pytest.fixture(scope="session")
def site_dir(site: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site written to disk (for the browser)."""
    root = tmp_path_factory.mktemp("site") / "html"
    for name, data in site.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture(scope="session")
def hostile_report(report: Report) -> Report:
    """A deep copy whose records carry markup: an item, a sub-heading, a note and a case name."""
    hostile = copy.deepcopy(report)
    case = hostile.cases[0]
    case.name = f"{case.name}{SCRIPT}"
    step = case.steps[0]
    step.sections[0].heading = SCRIPT
    step.sections[0].items[0].text = SCRIPT
    step.notes.append(f"注 {SCRIPT}")
    return hostile


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API allows one instance at a time, and the test editions
    # start their own to print PDFs.
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("chromium not installed (make setup)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    page.close()
