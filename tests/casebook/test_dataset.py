"""casebook.dataset: a build's cases, items, tables and findings as pandas DataFrames."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casebook import dataset
from casebook.errors import SourceError
from render.validation import validation_files
from transform.export import report_files
from transform.records import Report
from transform.validation.model import ValidationReport


@pytest.fixture(scope="module")
def build(report: Report, shipped: ValidationReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder as `casebook build` writes it (the records and the validation files)."""
    folder = tmp_path_factory.mktemp("build")
    for name, data in (report_files(report) | validation_files(shipped, report, casebook_base="html/")).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_cases_with_pages_and_coded_attributes(build: Path) -> None:
    cases = dataset.load(build).cases
    assert len(cases) == 29
    first = cases.iloc[0]
    assert (first["no"], first["first_page"], first["first_printed_page"], first["members"], first["area"]) == (
        1, 12, "9", 4, "single")
    assert "business:人材確保等業務" in cases.columns and cases["items"].sum() == 598


def test_items_one_row_per_item_with_step_and_printed_page(build: Path) -> None:
    items = dataset.load(build).items
    assert len(items) == 598
    row = items.iloc[0]
    assert (row["case"], row["step"], row["step_label"], row["section"], row["page"], row["printed_page"]) == (
        1, 1, "①連携の契機と課題の共有", "地域課題に対する共通認識", 12, "9")


def test_tables_with_a_header_and_the_page_of_each_row(build: Path) -> None:
    table = dataset.load(build).tables["3-1"]
    assert table.attrs["title"] == "図表3-1 ヒアリング対象先一覧"
    last = table.iloc[-1]
    assert (last.iloc[1], last.iloc[2], last["page"], last["printed_page"]) == ("事例29", "ライフサポート山野", 11, "8")
    assert len(table) == 29


def test_findings_worst_first_with_japanese_labels(build: Path, shipped: ValidationReport) -> None:
    findings = dataset.load(build).findings
    assert list(findings["id"]) == [c.id for c in shipped.findings()]
    top = findings.iloc[0]
    assert (top["id"], top["重要度"], top["状態"], top["page"], top["printed_page"]) == (
        "table3-1.names", "要対応", "未判断", 10, "7")
    assert findings["severity"].value_counts().to_dict() == {"low": 37, "high": 7, "medium": 3}


def test_report_json_and_validation_json_given_apart(build: Path) -> None:
    data = dataset.load(build / "report.json", build / "validation.json")
    assert len(data.findings) == 47 and len(data.codings) == len(data.validation["codings"])
    records_only = dataset.load(build / "report.json")
    assert records_only.validation is None and records_only.findings.empty and len(records_only.cases) == 29


def test_a_wrong_file_is_a_one_line_error(build: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nothing\.json: no such file — pass a report\.json"):
        dataset.load(tmp_path / "nothing.json")
    with pytest.raises(SourceError, match=r"validation\.json: not a report\.json \(no 'page_count'\)"):
        dataset.load(build / "validation.json")


def test_the_command_line_starts_without_the_data_libraries() -> None:
    """`casebook extract --help` stays fast: pandas, openpyxl, PIL and SudachiPy load only where used."""
    code = ("import sys\nfrom flows.cli import main\ntry:\n    main(['extract', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'openpyxl', 'PIL', 'sudachipy', 'joyokanji') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
