"""`casebook render` end to end on the shipped PDF: both formats land in the output folder."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from flows.cli import main


def test_render_writes_docx_pdf_and_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["render", "--out", str(out), "--quiet", "--edition", "第1版"]) == 0
    document = docx.Document(io.BytesIO((out / "casebook.docx").read_bytes()))
    assert any(p.text == "版　第1版" for p in document.paragraphs)
    assert (out / "casebook.pdf").read_bytes()[:5] == b"%PDF-"
    # The shipped errata are applied: the typo is gone from the Word text and listed in 付録B.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "研修会を定期的に開催し" in text and "研修会を定期的で開催し" not in text
    appendix = (out / "html" / "appendix.html").read_text(encoding="utf-8")
    assert "第3章 3.3.(4)" in appendix and "本事例集の読み取りの根拠とした引用（事例1 業務「人材確保等業務」）" in appendix
    site = out / "html"
    assert (site / "index.html").exists() and (site / "case-11.html").exists()
    assert (site / "static" / "search-index.js").exists()
    assert not any(p.name.startswith(".staging") for p in out.iterdir())
    said = capsys.readouterr().out
    # The shipped errata correct the report's seven defects and its typos; the QA decisions close the rest.
    assert "29 cases" in said
    assert "validation: 所見 49件（要対応 0・要確認 0・参考 0・判断済み 32・訂正済み 17）、一致 93件、エラー 0件" in said
    assert "19 corrections" in said


def test_unreadable_codebook_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "codebook.yaml"
    bad.write_text("members: [", encoding="utf-8")
    code = main(["render", "--out", str(tmp_path / "out"), "--quiet", "--codebook", str(bad)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("casebook render: error:")
    assert not (tmp_path / "out" / "casebook.docx").exists()
