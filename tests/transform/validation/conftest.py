"""Validation fixtures: the editors' files and one validation of the shipped PDF per session."""

from __future__ import annotations

import pytest

from flows.paths import PROJECT_ROOT
from transform.records import Report
from transform.validation.coding import Codebook, Reviewed, load_codebook, load_reviewed
from transform.validation.model import ValidationReport
from transform.validation.run import validate

CODEBOOK = PROJECT_ROOT / "editorial" / "codebook.yaml"
REVIEWED = PROJECT_ROOT / "editorial" / "reviewed_codings.yaml"


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def reviewed() -> Reviewed:
    return load_reviewed(REVIEWED)


@pytest.fixture(scope="session")
def shipped(report: Report, codebook: Codebook, reviewed: Reviewed) -> ValidationReport:
    """The shipped PDF validated with the shipped codebook and reviewed codings."""
    return validate(report, codebook, reviewed)
