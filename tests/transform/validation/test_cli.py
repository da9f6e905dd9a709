"""`casebook validate`: files written, exit codes 0 / 1 / 2, documented in --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flows.progress
from flows.cli import main
from transform.records import Report


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    """The CLI reads the session's report instead of extracting the PDF again."""
    monkeypatch.setattr(flows.progress.ProgressStages, "extract", lambda *_a, **_k: report)


def test_writes_both_files_and_strict_exits_1_on_open_findings(no_extraction: None, tmp_path: Path, capsys) -> None:
    review = ["--no-qa-decisions"]
    assert main(["validate", "--out", str(tmp_path), "--quiet", *review]) == 0
    assert main(["validate", "--out", str(tmp_path), "--quiet", "--strict", *review]) == 1
    data = json.loads((tmp_path / "validation.json").read_text(encoding="utf-8"))
    assert data["summary"]["error"] == 0 and data["summary"]["high"] == 7
    assert (tmp_path / "validation.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "open findings 7 要対応" in capsys.readouterr().out


def test_exits_2_on_a_fabricated_quote(no_extraction: None, tmp_path: Path) -> None:
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text("cases:\n- case: 1\n  name: 社会福祉連携推進法人秋田圏域社会福祉連携推進会\n  codings:\n"
                        "    members: {value: 5, quote: 5法人で構成されている。}\n", encoding="utf-8")
    assert main(["validate", "--out", str(tmp_path / "out"), "--reviewed", str(reviewed), "--quiet"]) == 2


def test_exits_2_with_one_line_on_a_broken_codebook(no_extraction: None, tmp_path: Path, capsys) -> None:
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text("members: [", encoding="utf-8")
    assert main(["validate", "--out", str(tmp_path / "out"), "--codebook", str(codebook), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("casebook validate: error: ") and "not valid YAML" in err
    assert not (tmp_path / "out").exists()


def test_help_documents_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert "0  no error" in out
    assert "1  --strict and a high (要対応) or medium (要確認) finding is open or reopened" in out
    assert "2  at least one error" in out
    assert "--reviewed" in out and "--codebook" in out
