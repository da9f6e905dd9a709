"""A path given on the command line that does not exist is an error naming it and the remedy —
never a silent default, QA's decision file included — and is reported before the PDF is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main


@pytest.mark.parametrize(("command", "option", "name", "label"), [
    ("validate", "--codebook", "codebook", "codebook"),
    ("validate", "--reviewed", "reviewed_codings", "reviewed codings"),  # the earlier spelling
    ("render", "--reviewed-codings", "reviewed_codings", "reviewed codings"),
    ("validate", "--review", "qa_decisions", "QA decisions"),
    ("build", "--qa-decisions", "qa_decisions", "QA decisions"),
    ("extract", "--table-settings", "table_settings", "table settings"),
])
def test_missing_editorial_file(
    command: str, option: str, name: str, label: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    out = ["--output-dir" if command == "build" else "--out", str(tmp_path / "out")]
    assert main([command, *out, "--quiet", option, str(missing)]) == 2
    spelled = "--" + name.replace("_", "-")
    remedy = f"check the path given as {spelled} (-p {name}=…) or in casebook.toml"
    if name != "codebook":
        remedy += f", or leave it out (--no-{spelled[2:]}, -p {name}=none)"
    assert capsys.readouterr().err == f"casebook {command}: error: {missing}: {label} file not found — {remedy}\n"
    assert not (tmp_path / "out").exists()
