"""Shared fixtures: the shipped PDF is extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.pipeline import extract_pdf
from tests.paths import DEFAULT_SOURCE, PROJECT_ROOT
from transform.records import Case, Report
from transform.validation.coding import Codebook, Reviewed, load_codebook, load_reviewed
from transform.validation.model import ValidationReport
from transform.validation.run import validate

CODEBOOK = PROJECT_ROOT / "editorial" / "codebook.yaml"
REVIEWED = PROJECT_ROOT / "editorial" / "reviewed_codings.yaml"

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def source_pdf() -> Path:
    """The report PDF shipped with the project."""
    return DEFAULT_SOURCE


@pytest.fixture(scope="session")
def report(source_pdf: Path) -> Report:
    """All records of the shipped PDF (extracted once per session)."""
    return extract_pdf(source_pdf)


@pytest.fixture(scope="session")
def cases(report: Report) -> dict[int, Case]:
    """Cases of the shipped PDF by number."""
    return {c.no: c for c in report.cases}


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def reviewed() -> Reviewed:
    return load_reviewed(REVIEWED)


@pytest.fixture(scope="session")
def shipped(report: Report, codebook: Codebook, reviewed: Reviewed) -> ValidationReport:
    """The shipped PDF validated with the shipped codebook and reviewed codings (no decisions)."""
    return validate(report, codebook, reviewed)
