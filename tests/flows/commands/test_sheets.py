"""`casebook sheets --out DIR`: one confirmation sheet per case, from the same records as the casebook."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from flows.cli import main
from transform.export import report_files
from transform.records import Report


def test_a_sheet_per_case_in_the_folder(report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "report.json"
    source.write_bytes(report_files(report)["report.json"])
    out = tmp_path / "sheets"
    assert main(["sheets", str(source), "--out", str(out), "--quiet", "--no-notes"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 29 and names[0] == "事例01_社会福祉連携推進法人秋田圏域社会福祉連携推進会.docx"
    assert capsys.readouterr().out == (
        f"29 confirmation sheets → {out} (事例01_社会福祉連携推進法人秋田圏域社会福祉連携推進会.docx …); send each to its "
        "organisation and absorb the returned ones with `casebook absorb`\n")
    # The errata are applied, as in the casebook.
    sheet = docx.Document(io.BytesIO((out / names[0]).read_bytes()))
    text = "\n".join(p.text for p in sheet.paragraphs)
    assert "研修会を定期的に開催し" in text and "研修会を定期的で開催し" not in text
    # The case's table shows what validation coded, as the casebook does.
    cells = [c.text for t in sheet.tables for row in t.rows for c in row.cells]
    assert "社員法人数" in cells and "—" not in cells[cells.index("社員法人数") + 1]
