"""Validation of one report: statements, codings, checks and agreement → `ValidationReport`."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

from transform.corrections import follow_corrections
from transform.records import Report
from transform.validation.agreement import agreements
from transform.validation.checks import (
    Inputs,
    coded_checks,
    consistency_checks,
    integrity_checks,
    mechanical_checks,
)
from transform.validation.citations import citation_checks
from transform.validation.coding import (
    Codebook,
    Reviewed,
    apply_review,
    auto_code,
    find_quote,
    load_codebook,
    load_reviewed,
)
from transform.validation.model import ValidationReport
from transform.validation.stated import parse_stated


def validate_report(report: Report, codebook: Path, reviewed: Path | None) -> ValidationReport:
    """Validate a report against the editors' codebook and (optionally) reviewed codings.

    Raises `CodebookError` when either file cannot be read; disagreements are data, never raised.
    """
    review = load_reviewed(reviewed) if reviewed is not None else Reviewed("")
    return validate(report, load_codebook(codebook), review)


def validate(
    report: Report, codebook: Codebook, reviewed: Reviewed, generated: str | None = None
) -> ValidationReport:
    """The pure core of `validate_report` (already loaded inputs)."""
    if report.corrections:  # errata applied to the text: reviewed quotes of the old text follow them
        reviewed = copy.deepcopy(reviewed)
        cases = {c.no: c for c in report.cases}
        follow_corrections(reviewed, report.corrections,
                           lambda no, q: no in cases and find_quote(cases[no], q) is not None)
    stated = parse_stated(report)
    auto = {case.no: auto_code(case, codebook) for case in report.cases}
    codings, problems = apply_review(auto, report.cases, reviewed, codebook)
    inputs = Inputs.build(stated, report.cases, codings, codebook)
    checks = [
        *integrity_checks(inputs, problems),
        *mechanical_checks(inputs),
        *consistency_checks(inputs),
        *coded_checks(inputs),
        *citation_checks(report.citations, report.cases),
    ]
    return ValidationReport(
        source=report.source,
        sha256=report.sha256,
        generated=generated or datetime.now(UTC).isoformat(timespec="seconds"),
        checks=checks,
        codings=codings,
        agreement=agreements(codings, codebook.attributes()),
    )
