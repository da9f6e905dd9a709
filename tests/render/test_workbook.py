"""validation.xlsx: opens in openpyxl (and LibreOffice Calc, marked office) with one row per finding,
worst first, a frozen filtered header, wrapped text, links into the HTML casebook, and old → new
for a reopened finding."""

from __future__ import annotations

import copy
import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from render.validation import finding_views, validation_files
from render.workbook import (
    EVIDENCE_SHEET,
    FINDING_COLUMNS,
    FINDINGS_SHEET,
    XLSX_NAME,
    changed,
    findings_workbook,
)
from transform.records import Report
from transform.validation.model import Previous, Review, ValidationReport

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def xlsx(shipped: ValidationReport, report: Report) -> bytes:
    return validation_files(shipped, report, casebook_base="html/")[XLSX_NAME]


@pytest.fixture(scope="module")
def book(xlsx: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(xlsx))


def test_one_row_per_finding_worst_first(book: Any, shipped: ValidationReport) -> None:
    sheet = book[FINDINGS_SHEET]
    assert book.sheetnames == [FINDINGS_SHEET, EVIDENCE_SHEET] and book.active.title == FINDINGS_SHEET
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == FINDING_COLUMNS
    findings = shipped.findings()
    assert [r[4] for r in rows[1:]] == [c.id for c in findings]  # チェックID, in validation.html's order
    assert len(rows) - 1 == len(findings) == 47  # the shipped PDF, no errata, no typo patterns
    severities = [r[1] for r in rows[1:]]
    assert severities == sorted(severities, key=["要対応", "要確認", "参考"].index)
    assert rows[1][:5] == (1, "要対応", "報告書の誤り", "未判断", "table3-1.names")
    assert rows[1][7] == "p.7（PDF 10）"


def test_header_frozen_filtered_and_cells_wrapped(book: Any) -> None:
    sheet = book[FINDINGS_SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    widths = {sheet.cell(1, i + 1).value: sheet.column_dimensions[chr(ord("A") + i)].width
              for i in range(len(FINDING_COLUMNS))}
    assert widths["内容"] == 60 and widths["No."] < 8  # capped where text wraps; narrow where short
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows(min_row=2, max_row=5) for cell in row)
    assert sheet.row_dimensions[2].height > 13.5  # grown for its wrapped lines
    assert sheet["B2"].fill.fgColor.rgb.endswith("FDE4E4")  # 要対応 in the page's colour


def test_links_open_the_evidence_in_the_html_casebook(book: Any) -> None:
    sheet = book[FINDINGS_SHEET]
    ids = [c.value for c in sheet["E"]]
    row = ids.index("citation.4.1.(3).1") + 1
    link = sheet.cell(row, FINDING_COLUMNS.index("根拠を開く") + 1).hyperlink
    assert (link.target, link.location) == ("html/case-25.html", "step-4")
    assert sheet.cell(row, FINDING_COLUMNS.index("根拠（事例・ページ）") + 1).value == "事例25 ④協働活動の実行 p.48（PDF 51）"
    evidence = list(book[EVIDENCE_SHEET].iter_rows(values_only=True))
    assert evidence[0] == ("所見No.", "チェックID", "事例", "事例名", "ステップ", "ページ", "根拠の文", "開く")
    power = next(r for r in evidence if r[6] and r[6].startswith("例えば、電力会社との大口割引交渉"))
    assert power[1:6] == ("citation.4.1.(3).1", "事例25", "一般社団法人福智町社会福祉連携協議会", "⑤成果の検証と評価",
                          "p.48（PDF 51）")


def test_a_reopened_finding_shows_old_and_new_values(shipped: ValidationReport, report: Report) -> None:
    vr = copy.deepcopy(shipped)
    check = vr.check("members.bin.3法人")
    check.review = Review("reopened", "accepted", "山田", "2026-12-01T09:00:00+00:00", "確認済み")
    check.review.previous = Previous(7, 5)  # as apply_decisions keeps them
    assert changed(check) == f"報告書の記載: 7 → {check.stated.value}\n事例からの値: 5 → {check.derived}"
    book = openpyxl.load_workbook(io.BytesIO(findings_workbook(vr, report, finding_views(vr, report))))
    row = next(r for r in book[FINDINGS_SHEET].iter_rows(values_only=True) if r[4] == "members.bin.3法人")
    assert row[3] == "再オープン" and row[11] == changed(check)
    assert changed(shipped.check("members.bin.3法人")) == ""  # open, never decided


@pytest.mark.office
def test_libreoffice_calc_opens_it_with_one_row_per_finding(xlsx: bytes, shipped: ValidationReport,
                                                             tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (make setup)")
    (tmp_path / XLSX_NAME).write_bytes(xlsx)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                    str(tmp_path / "out"), str(tmp_path / XLSX_NAME)], check=True, capture_output=True, timeout=120)
    rows = list(csv.reader((tmp_path / "out" / "validation.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == list(FINDING_COLUMNS)
    assert [r[4] for r in rows[1:]] == [c.id for c in shipped.findings()]
