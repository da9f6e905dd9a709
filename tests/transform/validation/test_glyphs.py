"""The glyph ledger's check: unassigned glyphs in a case are an error naming case, page and text."""

from __future__ import annotations

import copy

from transform.records import Report, StrayGlyphs
from transform.validation.glyphs import glyph_check
from transform.validation.triage import triage


def test_the_shipped_pdf_passes(report: Report) -> None:
    check = glyph_check(report)
    assert (check.id, check.status, check.derived["unassigned_in_cases"]) == ("records.glyphs", "pass", 0)


def test_an_unassigned_glyph_in_a_case_is_an_error_that_blocks_publishing(report: Report) -> None:
    broken = copy.deepcopy(report)
    broken.extraction.strays.append(StrayGlyphs(14, 147.0, 58.0, "具体的な取り組み内容", 10, 1))
    broken.extraction.strays.append(StrayGlyphs(2, 71.0, 118.9, "目次", 2, None))  # outside the cases
    check = glyph_check(broken)
    assert (check.status, check.derived["unassigned_in_cases"]) == ("error", 10)
    assert check.message == "どこにも割り当てられない文字が10字: 事例1 PDF 14頁（147, 58）「具体的な取り組み内容」"
    assert [c.no for c in check.cases] == [1]
    assert triage(check).cause == "unreadable"
