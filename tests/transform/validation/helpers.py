"""Helpers for validation tests: edited copies of a report's statements."""

from __future__ import annotations

import copy

from transform.records import Paragraph, Report


def paragraph(report: Report, containing: str) -> Paragraph:
    """The one outline paragraph whose text contains `containing`."""
    found = [p for s in report.outline for p in s.paragraphs if containing in p.text]
    assert len(found) == 1, f"{len(found)} paragraphs contain {containing!r}"
    return found[0]


def edited(report: Report, old: str, new: str) -> Report:
    """A copy of the report with one statement changed (the paragraph must contain `old`)."""
    copied = copy.deepcopy(report)
    para = paragraph(copied, old)
    para.text = para.text.replace(old, new)
    return copied
