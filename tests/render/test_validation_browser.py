"""The triage page in a real browser (Debian chromium + Playwright, from file://): order, the
filters by severity, cause and state, and the CSV export of what is shown."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from render.validation import validation_files
from transform.records import Report
from transform.validation.model import ValidationReport
from transform.validation.review import apply_decisions, decide, findings_of

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def triage_page(shipped: ValidationReport, report: Report, tmp_path_factory: pytest.TempPathFactory) -> str:
    vr = copy.deepcopy(shipped)
    done = decide(findings_of(vr), [], by="QA", note="確認済み", check_ids=["area.single", "area.multiple"])
    apply_decisions(vr, done.decisions)
    root = tmp_path_factory.mktemp("triage")
    for name, data in validation_files(vr, report, casebook_base="html/").items():
        (root / name).write_bytes(data)
    return (root / "validation.html").as_uri()


def _visible_ids(page) -> list[str]:
    return page.locator("article.finding:visible .id").all_inner_texts()


def test_order_filters_and_csv_export(page, triage_page: str, shipped: ValidationReport) -> None:
    page.goto(triage_page)
    total = len(shipped.findings())
    status = page.locator("#shown")
    expect(status).to_have_text(f"{total}件中 {total}件を表示")
    first = page.locator("article.finding").first
    assert first.get_attribute("data-severity") == "high"
    assert page.locator("#decided").get_attribute("open") is None  # decided findings are folded away
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "validation-triage.png"))

    page.select_option("#filter-severity", "high")
    expect(status).to_have_text(f"{total}件中 7件を表示")
    assert len(_visible_ids(page)) == 7
    assert "table3-1.names" in _visible_ids(page)

    page.select_option("#filter-severity", "")
    page.select_option("#filter-cause", "counting-rule")
    counting = [c.id for c in shipped.findings() if c.cause == "counting-rule"]
    assert sorted(_visible_ids(page)) == sorted(counting)

    with page.expect_download() as info:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["重要度", "原因", "状態", "チェックID"]
    assert sorted(r[3] for r in rows[1:]) == sorted(counting)
    assert {r[1] for r in rows[1:]} == {"数え方の違い"}

    page.select_option("#filter-cause", "")
    page.select_option("#filter-state", "accepted")
    expect(status).to_have_text(f"{total}件中 2件を表示")
    assert page.locator("#decided").get_attribute("open") is not None
    assert sorted(_visible_ids(page)) == ["area.multiple", "area.single"]
    assert page.errors == []
