"""付録A for readers: what the casebook checked against the report, and what it concluded.

The QA worklist (every finding with its severity, state and evidence) is validation.html's; the
casebook's readers get sentences instead: what was compared with what (Chapter 3's stated counts,
Chapter 4's citations, proofreading), the report's own errors found and how the casebook treats
each (corrected by an erratum, or shown beside the case's own words), the counts the case tables
cannot evidence because the report counted them from the interviews, the typos left as printed,
and where the errata are (付録B). No check id, severity, review state or YAML reaches this text:
it is built from the checks' structured values, and every sentence a check wrote for QA passes
through `casebook.vocabulary.reader_words`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casebook.vocabulary import (
    FROM_CASES,
    READER_CAUSES,
    STATED,
    TREATMENTS,
    reader_date,
    reader_words,
)
from transform.records import AppliedCorrection, Report
from transform.validation.model import Check, ValidationReport

CHAPTER3_GROUPS = ("mechanical", "consistency", "coded")
CITATIONS = "citations"
PROOFREADING = "proofreading"
DEFECTS = ("source-defect", "misattributed")
# Parts of a QA message that are scores for reviewers, not statements for readers.
_SCORES = ("一致度", "支持度", "要約・言い換え")


@dataclass(frozen=True)
class CountRow:
    """A Chapter 3 count the case text does not bear out, and why."""

    title: str
    stated: str  # 「22（p.56（PDF 59））」
    from_cases: str
    why: str


@dataclass
class Appendix:
    """付録A as sentences and one table; empty lists where there is nothing to say."""

    checked: list[str]  # what was compared with what, one sentence each
    defects: list[str] = field(default_factory=list)  # the report's errors and their treatment
    counts_intro: str = ""
    counts: list[CountRow] = field(default_factory=list)
    proofreading: list[str] = field(default_factory=list)
    errata: str = ""  # where the applied corrections are listed
    date: str = ""  # the day of the check (Japan time)

    stated_head: str = STATED
    from_cases_head: str = FROM_CASES


def appendix(validation: ValidationReport | None, report: Report,
             corrections: list[AppliedCorrection]) -> Appendix:
    """付録A for this build (without validation: a sentence saying nothing was checked)."""
    errata = (f"報告書の誤字・誤記など{len(corrections)}件は、付録Bのとおり訂正して掲載しています。"
              if corrections else "この版で訂正した箇所はありません。")
    if validation is None:
        return Appendix(["この版では、報告書との照合を行っていません。"], errata=errata)
    checks = validation.checks
    chapter3 = [c for c in checks if c.group in CHAPTER3_GROUPS]
    citations = [c for c in checks if c.group == CITATIONS]
    # Typos left as printed: an erratum corrected the others (付録B lists them).
    typos = [c for c in checks if c.group == PROOFREADING and c.is_finding and not c.corrected]
    checked = [
        f"報告書第3章が示す件数と名称{len(chapter3)}項目を、事例見出しと事例本文から数えた値と照合しました。"
        f"{_passed(chapter3)}項目が一致しました。",
        f"報告書第4章が【参考となる事例】として引用する{len(citations)}件を、出典として示された事例の"
        f"名称・地域・本文と照合しました。{_passed(citations)}件は出典の表記どおりの事例の本文に"
        "裏付けがあります。",
        "報告書の本文（事例、第3章、第4章）を校正し、誤字や日本語の表記にない字（簡体字など）を探しました。",
    ]
    counts = [_count_row(c, report) for c in chapter3 if c.is_finding and c.cause not in DEFECTS]
    return Appendix(
        checked=checked,
        defects=[_defect(c, report) for c in checks if c.is_finding and c.cause in DEFECTS],
        counts_intro=_counts_intro(chapter3) if counts else "",
        counts=counts,
        proofreading=[_typo(c, report) for c in typos],
        errata=errata,
        date=reader_date(validation.generated),
    )


def _passed(checks: list[Check]) -> int:
    return sum(1 for c in checks if not c.is_finding)


def _defect(check: Check, report: Report) -> str:
    """One error of the report in a sentence, with how the casebook treats it."""
    parts = [p for p in check.message.split("／") if not any(s in p for s in _SCORES)]
    message = reader_words("／".join(parts))
    if check.group != CITATIONS:
        return f"{_title(check)}：{message}。{TREATMENTS['corrected' if check.corrected else 'default']}"
    stated = check.stated.value if check.stated else None
    value: dict[str, Any] = stated if isinstance(stated, dict) else {}
    derived: dict[str, Any] = check.derived if isinstance(check.derived, dict) else {}
    where = check.title.split(": ")[0]
    page = report.page_reference([check.stated.page]) if check.stated and check.stated.page else ""
    region = f"【{value['region']}】" if value.get("region") else ""
    credit = f"出典「{value.get('organisation', '')}{region}」"
    case, best = derived.get("case"), derived.get("supported_by")
    if case is None:
        return f"{where}（{page}）の{credit}：{message}。該当する事例がないため、事例には掲げていません。"
    treatment = TREATMENTS["citations"].format(case=case)
    if check.corrected:  # an erratum put the credit right (its entry in 付録B)
        treatment = TREATMENTS["corrected"]
    elif check.cause == "misattributed" and best not in (None, case):
        treatment = TREATMENTS["misattributed"].format(case=case, best=best)
    named = f"事例{case}「{derived.get('name', '')}【{derived.get('region', '')}】」"
    return f"{where}（{page}）の{credit}は{named}を指しています（{message}）。{treatment}"


def _title(check: Check) -> str:
    return reader_words(check.title)


def _count_row(check: Check, report: Report) -> CountRow:
    stated = "—"
    if check.stated is not None:
        stated = _number(check.stated.value)
        if check.stated.page:
            stated += f"（{report.page_reference([check.stated.page])}）"
    why = READER_CAUSES.get(check.cause or "", READER_CAUSES[""])
    return CountRow(_title(check), stated, _number(check.derived), why)


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "—"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return f"{len(value)}"
    return str(value)


def _counts_intro(chapter3: list[Check]) -> str:
    """Why the report's counts and the case text differ, quoting the report's own method notes."""
    notes = []
    for check in chapter3:
        for note in check.stated.notes if check.stated else []:
            if note.startswith("※") and note not in notes and len(note) <= 40:
                notes.append(note)
    quoted = "、".join(f"「{n}」" for n in notes[:2])
    said = f"報告書自身が{quoted}と注記しているとおり、" if quoted else ""
    return (f"{said}報告書第3章の件数はヒアリング結果から集計したもので、事例本文（ヒアリング結果の表）に"
            "書かれていない内容を含みます。次の件数は事例本文からは確かめられないため、本事例集は"
            f"報告書の件数を「{STATED}」としてそのまま示し、事例本文から数えた件数を"
            f"「{FROM_CASES}」として併記しています。")


def _typo(check: Check, report: Report) -> str:
    """A typo found and left as printed: where, what, what it should likely read."""
    stated = check.stated
    where = reader_words(stated.label) if stated and stated.label else "報告書"
    page = f"（{report.page_reference([stated.page])}）" if stated and stated.page else ""
    old = stated.value if stated else ""
    suggestion = check.derived.get("suggestion") if isinstance(check.derived, dict) else None
    reason = reader_words(check.message.split("。")[0])
    should = f"「{suggestion}」の誤りと思われますが、" if suggestion else ""
    return f"{where}{page}の「{old}」：{reason}。{should}報告書の表記のまま掲載しています。"
