"""Shared fixtures: the shipped PDF is extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.paths import DEFAULT_SOURCE
from transform.pipeline import read_report
from transform.records import Case, Report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def source_pdf() -> Path:
    """The report PDF shipped with the project."""
    return DEFAULT_SOURCE


@pytest.fixture(scope="session")
def report(source_pdf: Path) -> Report:
    """All records of the shipped PDF (extracted once per session)."""
    return read_report(source_pdf)


@pytest.fixture(scope="session")
def cases(report: Report) -> dict[int, Case]:
    """Cases of the shipped PDF by number."""
    return {c.no: c for c in report.cases}
