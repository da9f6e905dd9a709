"""The glyph ledger as a check: glyphs a case's part of the report holds that extraction did not
assign to the case (extract/ledger.py) mean the case's records lost text — an error, so the
records are never published. Passes with the count of glyphs read where nothing is lost."""

from __future__ import annotations

from transform.records import Report
from transform.validation.model import CaseRef, Check

CHECK_ID = "records.glyphs"
TITLE = "事例の全文字の読み取り（どこにも割り当てられない文字がないか）"


def glyph_check(report: Report) -> Check:
    """Error when a glyph inside a case's part of the report is unassigned; names page and text."""
    strays = report.extraction.case_strays()
    read = sum(p.glyphs for p in report.extraction.pages)
    derived = {"glyphs": read, "unassigned_in_cases": sum(s.glyphs for s in strays)}
    if not strays:
        message = f"事例の範囲の文字はすべて見出し・ラベル・項目・注記等に割り当てた（全{read}字）"
        return Check(CHECK_ID, TITLE, "integrity", "pass", None, derived, "mechanical", message)
    shown = "、".join(
        f"事例{s.case} PDF {s.page}頁（{s.x0:.0f}, {s.top:.0f}）「{s.text[:20]}」" for s in strays[:3]
    )
    more = f" ほか{len(strays) - 3}箇所" if len(strays) > 3 else ""
    message = f"どこにも割り当てられない文字が{derived['unassigned_in_cases']}字: {shown}{more}"
    cases = sorted({s.case for s in strays if s.case is not None})
    refs = [CaseRef(no, "unassigned", "mechanical", [], _name(report, no)) for no in cases]
    return Check(CHECK_ID, TITLE, "integrity", "error", None, derived, "mechanical", message, refs)


def _name(report: Report, no: int) -> str:
    return next((c.name for c in report.cases if c.no == no), "")
