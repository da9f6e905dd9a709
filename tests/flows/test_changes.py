"""The change report against the previous build, without Prefect."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from flows.changes import change_files, changes_markdown, compare
from flows.files import write_files
from flows.paths import PROJECT_ROOT
from render.validation import validation_files
from transform.export import report_files
from transform.records import AppliedCorrection, Report
from transform.validation.model import ValidationReport
from transform.validation.output import validation_json
from transform.validation.run import validate_report


@pytest.fixture(scope="module")
def checked(report: Report) -> ValidationReport:
    editorial = PROJECT_ROOT / "editorial"
    return validate_report(report, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml")


@pytest.fixture(scope="module")
def validation(checked: ValidationReport) -> dict:
    """validation.json data, as the flow compares it."""
    return json.loads(validation_json(checked))


@pytest.fixture
def previous(tmp_path: Path, report: Report, checked: ValidationReport) -> Path:
    build = tmp_path / "builds" / "20260101T000000-prev"
    write_files(build, report_files(report) | validation_files(checked, report))
    return build


def test_no_previous_build(report: Report, validation: dict) -> None:
    assert compare(None, report, validation, []).summary() == "first published build: nothing to compare with"


def test_unchanged(previous: Path, report: Report, validation: dict) -> None:
    changes = compare(previous, report, validation, [])
    assert changes.empty and changes.summary() == "no changes since 20260101T000000-prev"
    assert changes.status_before == changes.status_after == validation["summary"]


def test_changed_item_named_by_case_and_step_with_a_diff(
    previous: Path, report: Report, validation: dict
) -> None:
    new = copy.deepcopy(report)
    item = new.cases[10].steps[3].sections[0].items[0]
    old_text = item.text
    item.text = "改訂後の文。"
    changes = compare(previous, new, validation, [AppliedCorrection(11, 4, old_text, "改訂後の文。", "誤記")])
    (case,) = changes.cases_changed
    assert (case.no, [s.step for s in case.steps], case.fields) == (11, [4], [])
    assert f"-・{old_text}" in case.steps[0].diff and "+・改訂後の文。" in case.steps[0].diff
    assert changes.summary().endswith("0 cases added, 0 removed, 1 changed (1 steps); 0 checks changed")
    files = change_files(changes)
    html = files["changes.html"].decode("utf-8")
    assert "事例11" in html and "改訂後の文。" in html and "誤記" in html
    assert json.loads(files["changes.json"])["cases_changed"][0]["steps"][0]["step"] == 4
    markdown = changes_markdown(changes)
    assert "## 事例11" in markdown and "+・改訂後の文。" in markdown and "誤記" in markdown


def test_html_escapes_extracted_text(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    new.cases[0].steps[0].sections[0].items[0].text = "<script>alert(1)</script>"
    html = change_files(compare(previous, new, validation, []))["changes.html"].decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_removed_step_is_listed(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    new.cases[4].steps = new.cases[4].steps[:-1]
    (case,) = compare(previous, new, validation, []).cases_changed
    assert [s.step for s in case.steps] == [6] and all(line.startswith(("-", "@", "---", "+++")) for line in case.steps[0].diff)


def test_added_and_removed_cases(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    extra = copy.deepcopy(new.cases[-1])
    extra.no = 30
    new.cases = [*new.cases[1:], extra]
    changes = compare(previous, new, validation, [])
    assert (changes.cases_added, changes.cases_removed) == ([30], [1])


def test_changed_check_is_listed(previous: Path, report: Report, validation: dict) -> None:
    changed = copy.deepcopy(validation)
    check = changed["checks"][0]
    check["status"] = "error" if check["status"] != "error" else "pass"
    check["derived"] = 999
    changes = compare(previous, report, changed, [])
    assert [c.id for c in changes.checks_changed] == [check["id"]]
    assert changes.checks_changed[0].after == {**changes.checks_changed[0].before, "status": check["status"], "derived": 999}
