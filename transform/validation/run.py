"""Validation of one report: statements, codings, checks and agreement → `ValidationReport`."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

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
    load_codebook,
    load_reviewed,
)
from transform.validation.errata import follow_corrections, quote_finder, record_errata
from transform.validation.evidence import cite_all
from transform.validation.facets import group_facets
from transform.validation.glyphs import glyph_check
from transform.validation.model import ValidationReport
from transform.validation.proofreading import Pattern, load_patterns, proofreading_checks
from transform.validation.review import apply_decisions, load_decisions
from transform.validation.stated import parse_stated
from transform.validation.triage import apply_triage


def validate_report(
    report: Report, codebook: Path, reviewed: Path | None, decisions: Path | None = None,
    proofreading: Path | None = None, *, original: Report | None = None,
) -> ValidationReport:
    """Validate a report against the editors' codebook, (optionally) reviewed codings, and mark
    each finding with QA's decision from `decisions` (review.yaml; a missing file decides nothing).

    `original`: the records before the errata `report` carries were applied. Given, the findings
    the errata resolve stay in the report, closed as corrected (`errata.record_errata`).

    Raises `CodebookError` / `ReviewFileError` when a file cannot be read; disagreements are data.
    """
    review = load_reviewed(reviewed) if reviewed is not None else Reviewed("")
    book, patterns = load_codebook(codebook), load_patterns(proofreading)
    vr = validate(report, book, review, patterns=patterns)
    if original is not None and original is not report and report.corrections:
        before = validate(original, book, review, generated=vr.generated, patterns=patterns)
        record_errata(before, vr, report)
    apply_decisions(vr, load_decisions(decisions) if decisions is not None else [])
    return vr


def validate(
    report: Report, codebook: Codebook, reviewed: Reviewed, generated: str | None = None,
    patterns: list[Pattern] | None = None,
) -> ValidationReport:
    """The pure core of `validate_report` (already loaded inputs)."""
    if report.corrections:  # errata applied to the text: reviewed quotes of the old text follow them
        reviewed = copy.deepcopy(reviewed)
        follow_corrections(reviewed, report.corrections, quote_finder(report.cases))
    stated = parse_stated(report)
    auto = {case.no: auto_code(case, codebook) for case in report.cases}
    codings, problems = apply_review(auto, report.cases, reviewed, codebook)
    inputs = Inputs.build(stated, report.cases, codings, codebook)
    checks = [
        *integrity_checks(inputs, problems),
        glyph_check(report),
        *mechanical_checks(inputs),
        *consistency_checks(inputs),
        *coded_checks(inputs),
        *citation_checks(report.citations, report.cases),
        *proofreading_checks(report, patterns or []),
    ]
    cite_all(checks, codings, report.cases)  # evidence as whole sentences with their pages
    apply_triage(checks)
    vr = ValidationReport(
        source=report.source,
        sha256=report.sha256,
        generated=generated or datetime.now().astimezone().isoformat(timespec="seconds"),
        checks=group_facets(checks),
        codings=codings,
        agreement=agreements(codings, codebook.attributes()),
    )
    apply_decisions(vr, [])
    return vr
