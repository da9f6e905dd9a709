"""A path given on the command line that does not exist is an error naming it and the remedy —
never a silent default — and is reported before the PDF is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main


@pytest.mark.parametrize(("command", "option", "label", "shipped"), [
    ("validate", "--codebook", "codebook", "editorial/codebook.yaml"),
    ("validate", "--reviewed", "reviewed codings", "editorial/reviewed_codings.yaml"),
    ("render", "--reviewed", "reviewed codings", "editorial/reviewed_codings.yaml"),
])
def test_missing_editorial_file(
    command: str, option: str, label: str, shipped: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main([command, "--out", str(tmp_path / "out"), "--quiet", option, str(missing)]) == 2
    name = option.removeprefix("--")
    assert capsys.readouterr().err == (
        f"casebook {command}: error: {missing}: {label} file not found — check the path given as {option} "
        f"(-p {name}=…), or restore the shipped one: git checkout -- {shipped}\n"
    )
    assert not (tmp_path / "out").exists()
