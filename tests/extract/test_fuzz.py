"""Fuzz: deterministic damaged copies of the shipped PDF end in a clean refusal or the clean output.

Every mutant (tests/mutants.py) is extracted; the only acceptable outcomes are a refusal with the
project's one-line error (what, which page where it can tell, what to do) or records identical to
the clean extraction. A silent difference or any other exception fails the test. The seeds are
fixed; the larger sweep with other seeds is bench/fuzz_extract.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mutants import Mutant, comparable, mutant, outcome
from transform.records import Report

# Seeds per kind: the byte-level kinds are mostly refused before any page is read (fast); the
# rewritten-file kinds are refused only once the damaged page is read (an empty page at once, a
# lost page number after all pages), so they get fewer, and blank-page seeds whose page comes early.
SEEDS = {
    "flip": range(10), "truncate": range(4), "zero4k": range(8), "drop-stream": range(4),
    "blank-page": [5, 6], "strip-text": [0, 1],
}


@pytest.fixture(scope="module")
def clean_bytes(source_pdf: Path) -> bytes:
    return source_pdf.read_bytes()


@pytest.fixture(scope="module")
def clean(report: Report) -> dict:
    return comparable(report)


def _write(m: Mutant, tmp_path: Path) -> Path:
    path = tmp_path / f"{m.name}.pdf"
    path.write_bytes(m.data)
    return path


def test_mutants_are_refused_cleanly_or_extract_identically(
    clean_bytes: bytes, clean: dict, tmp_path: Path
) -> None:
    verdicts: dict[str, list[str]] = {}
    for kind, seeds in SEEDS.items():
        for seed in seeds:
            m = mutant(clean_bytes, kind, seed)
            path = _write(m, tmp_path)
            result = outcome(path, clean)
            verdicts.setdefault(result.verdict, []).append(m.name)
            assert result.verdict in ("refused", "identical"), f"{m.name} ({m.what}): {result}"
            if result.verdict == "refused":
                assert result.detail.startswith(f"{path}: ")
                assert " — " in result.detail and "again" in result.detail.split(" — ", 1)[1]
                assert "\\x" not in result.detail and "b'" not in result.detail  # no raw PDF bytes
            if kind in ("blank-page", "strip-text"):
                # the page that lost its text is the one named
                page = re.search(r"page (\d+)", m.what)[1]
                assert result.verdict == "refused" and f"page {page} " in result.detail, result
            path.unlink()
    # Every kind is represented among the refusals; a few damaged bytes happen not to matter.
    assert set(verdicts) <= {"refused", "identical"}
    assert len(verdicts["refused"]) >= 25, verdicts


@pytest.mark.parametrize(
    ("kind", "seed", "message"),
    [
        ("flip", 4, r"damaged PDF: page 12: a stream does not decode \(Error -3 while decompressing data: incorrect data check\)"),
        ("truncate", 0, r"damaged PDF: the file ends without %%EOF"),
        ("zero4k", 6, r"damaged PDF: .*a stream does not decode"),
        ("drop-stream", 0, r"damaged PDF: its cross-reference table does not match the file"),
        ("blank-page", 6, r"damaged PDF: page 5 is empty \(no text, no drawing\)"),
    ],
)
def test_cli_refuses_a_mutant_in_one_line_with_exit_2(
    kind: str, seed: int, message: str, clean_bytes: bytes, tmp_path: Path
) -> None:
    path = _write(mutant(clean_bytes, kind, seed), tmp_path)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", str(path), "--out", str(out), "--quiet"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"casebook extract: error: {path}: ")
    assert re.search(message, result.stderr), result.stderr
    assert " — the file is damaged: download or copy the PDF again" in result.stderr or "%%EOF" in message
    assert not out.exists()
