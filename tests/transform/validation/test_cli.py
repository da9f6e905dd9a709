"""`casebook validate`: files written, exit codes 0 / 1 / 2, documented in --help."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import flows.progress
from flows.cli import main
from transform.records import Report
from transform.validation.review import load_decisions


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    """The CLI reads the session's report instead of extracting the PDF again."""
    monkeypatch.setattr(flows.progress.ProgressStages, "extract", lambda *_a, **_k: report)


def test_writes_both_files_and_strict_exits_1_on_open_findings(no_extraction: None, tmp_path: Path, capsys) -> None:
    review = ["--no-qa-decisions", "--no-corrections"]
    assert main(["validate", "--out", str(tmp_path), "--quiet", *review]) == 0
    assert main(["validate", "--out", str(tmp_path), "--quiet", "--strict", *review]) == 1
    data = json.loads((tmp_path / "validation.json").read_text(encoding="utf-8"))
    assert data["summary"]["error"] == 0 and data["summary"]["high"] == 7
    assert (tmp_path / "validation.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "open findings (要対応 7, 要確認 3, " in capsys.readouterr().out


def test_the_shipped_editorial_files_publish_the_final_edition(no_extraction: None, tmp_path: Path, capsys) -> None:
    """Shipped report, shipped errata and decisions: --strict passes; the report's seven defects are
    corrected by errata, not accepted; at most 5 medium findings to ask about; 社会福社 is one finding;
    the terminal, the page and the CSV count alike."""
    assert main(["validate", "--out", str(tmp_path), "--quiet", "--strict"]) == 0
    line = capsys.readouterr().out
    data = json.loads((tmp_path / "validation.json").read_text(encoding="utf-8"))
    findings = [c for c in data["checks"] if c["status"] != "pass"]
    high = [c for c in findings if c["severity"] == "high"]
    assert len(high) == 7 and {c["review"]["state"] for c in high} == {"corrected"}
    assert not [c for c in findings if c["severity"] == "high" and c["review"]["state"] == "accepted"]
    assert len([c for c in findings if c["severity"] == "medium"]) <= 5
    assert {c["review"]["state"] for c in findings} <= {"corrected", "accepted", "waived", "reported"}
    assert all(c["review"]["note"] for c in findings if c["review"]["state"] != "corrected")
    assert [c["id"] for c in findings if "社会福社" in json.dumps(c, ensure_ascii=False)] == ["citation.4.1.(4).3"]
    s = data["summary"]
    assert line.startswith(f"0 open findings (要対応 0, 要確認 0, 参考 0; new 0, reopened 0), {s['decided']} decided, "
                           f"{s['corrected']} corrected; ")
    html = (tmp_path / "validation.html").read_text(encoding="utf-8")
    assert f'<strong id="count-decided">{s["decided"]}</strong>' in html
    assert f'<strong id="count-corrected">{s["corrected"]}</strong>' in html
    rows = list(csv.DictReader(io.StringIO((tmp_path / "validation-findings.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(findings) == s["decided"] + s["corrected"]
    assert sum(r["状態"] == "訂正済み" for r in rows) == s["corrected"]


def _exit_code(argv: list[str]) -> int:
    """What `casebook …` exits with: main's return, or argparse's exit for a bad option."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


@pytest.fixture
def unreviewed(no_extraction: None, tmp_path: Path) -> Path:
    """validation.json of the shipped PDF as printed (no errata, no decisions): 7 high findings open."""
    main(["validate", "--out", str(tmp_path / "v"), "--quiet", "--no-corrections", "--no-qa-decisions"])
    return tmp_path / "v" / "validation.json"


def test_accept_all_into_a_fresh_file_decides_no_high_finding(unreviewed: Path, tmp_path: Path, capsys) -> None:
    fresh = tmp_path / "fresh.yaml"
    assert main(["review", "--accept-all", "--by", "QA", "--validation", str(unreviewed), "--review", str(fresh)]) == 0
    out = capsys.readouterr().out
    assert "7 high findings (要対応) not decided: --accept-all never decides one" in out
    high = {c["id"] for c in json.loads(unreviewed.read_text(encoding="utf-8"))["checks"] if c["severity"] == "high"}
    decided = {d.check for d in load_decisions(fresh)}
    assert decided and not decided & high


@pytest.mark.parametrize(("args", "message"), [
    (["--check", "area.single", "--decision", "approve"],
     "casebook review: error: --decision 'approve' is not a decision (did you mean accepted?)"),
    (["--check", "area.singel"], "casebook review: error: not a finding of this validation: area.singel "
                                 "(did you mean area.single?)"),
    (["--accept-all", "--check", "area.single"],
     "casebook review: error: argument --check: not allowed with argument --accept-all"),
    ([], "casebook review: error: one of the arguments --accept-all --check is required"),
    (["--check", "area.single", "--decision", "reported"], "casebook review: error: --decision reported needs --to"),
])
def test_a_bad_review_argument_is_one_line_and_exit_2(
    unreviewed: Path, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    capsys.readouterr()
    code = _exit_code(["review", "--by", "QA", "--validation", str(unreviewed), "--review", str(tmp_path / "r.yaml"),
                       *args])
    assert code == 2
    assert _one_line(capsys).startswith(message)


def test_a_bad_review_file_is_one_line_naming_the_file_and_line(unreviewed: Path, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "review.yaml"
    broken.write_text("decisions:\n- check: area.single\n  decision: accepted\n    by: QA\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "--accept-all", "--by", "QA", "--validation", str(unreviewed), "--review", str(broken)]) == 2
    err = _one_line(capsys)
    assert err.startswith(f"casebook review: error: {broken}, line 4, column 7: a ':' where no 'key: value' can start")
    assert "unicode string" not in err
    missing = tmp_path / "none.json"
    assert main(["review", "--accept-all", "--by", "QA", "--validation", str(missing), "--review", str(broken)]) == 2
    assert _one_line(capsys).startswith(f"casebook review: error: {missing}: no such file — run `casebook validate`")


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
