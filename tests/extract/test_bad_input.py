"""Bad input: one specific message each (what, which file, what to do), exit 2, nothing written."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from flows.cli import main
from tests.editions import chromium_edition
from transform.records import Report


@pytest.fixture
def not_a_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_text("令和7年度 成果報告書\n", encoding="utf-8")
    return path


@pytest.fixture
def truncated_pdf(tmp_path: Path, source_pdf: Path) -> Path:
    path = tmp_path / "truncated.pdf"
    data = source_pdf.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _first_pages(source: Path, count: int, out: Path, *, password: str | None = None) -> Path:
    """A PDF of the source's first pages, optionally password-protected."""
    writer = PdfWriter()
    for page in PdfReader(source).pages[:count]:
        writer.add_page(page)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    with out.open("wb") as fh:
        writer.write(fh)
    return out


@pytest.fixture
def encrypted_pdf(tmp_path: Path, source_pdf: Path) -> Path:
    return _first_pages(source_pdf, 3, tmp_path / "locked.pdf", password="secret")


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    pages = [Image.new("RGB", (595, 842), "white") for _ in range(2)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


@pytest.fixture
def other_pdf(tmp_path: Path, source_pdf: Path) -> Path:
    """A real text PDF without case tables: the report's first five pages."""
    return _first_pages(source_pdf, 5, tmp_path / "other.pdf")


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("not_a_pdf", "not a PDF (no %PDF- header)"),
        ("truncated_pdf", "damaged PDF: the file ends without %%EOF"),
        ("encrypted_pdf", "the PDF is password-protected"),
        ("scanned_pdf", "no text layer on any of its 2 pages"),
        ("other_pdf", "no case tables"),
    ],
)
def test_bad_input_gets_a_specific_message_and_writes_nothing(
    fixture: str, message: str, request: pytest.FixtureRequest, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pdf: Path = request.getfixturevalue(fixture)
    out = tmp_path / "out"
    code = main(["extract", str(pdf), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert str(pdf) in err  # which file
    assert " — " in err  # followed by what to do
    assert not out.exists()


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.pdf"
    assert main(["extract", str(missing), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert f"{missing}: file not found" in capsys.readouterr().err


def test_console_script_reports_one_line_and_exit_code(not_a_pdf: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", str(not_a_pdf), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("casebook extract: error: ")


@pytest.mark.browser
def test_case_table_that_cannot_be_parsed_names_case_and_page(
    report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy.deepcopy(report.cases[:3])
    del cases[1].steps[4]  # 事例2 printed without its ⑤ row
    pdf = chromium_edition(cases, tmp_path / "broken.pdf", paper="A4")
    assert main(["extract", str(pdf), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "事例2 (page " in err and "step rows read as [1, 2, 3, 4, 6]" in err
    assert not (tmp_path / "out").exists()
