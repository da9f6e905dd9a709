"""Proofreading findings: typos and characters a Japanese publication should not carry, each with
its place (case and step, or report section), page and a suggested erratum.

Three kinds, all severity low (for the record): a simplified Chinese ideograph outside the
Japanese character sets (「关系性」 → 「関係性」, `transform.text.japanese_form`); a kana doubled
across a word boundary where grammar forbids it (「直ちにに」, 「得にくいいため」,
`transform.text.doubled_kana`); and the editors' known typo patterns (editorial/proofreading.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from transform.records import Report
from transform.text import doubled_kana, foreign_ideograph, japanese_form, japanese_spelling
from transform.validation.coding import CodebookError, step_texts
from transform.validation.model import Check, Stated

CONTEXT = 12  # characters shown either side of a finding


@dataclass(frozen=True)
class Pattern:
    """A known typo: a regular expression, its replacement and why."""

    find: re.Pattern[str]
    replace: str
    reason: str


@dataclass(frozen=True)
class Passage:
    """A text of the report with where it is: a case step or a report section."""

    text: str
    page: int | None
    where: str  # 「事例26 ②」 or 「3.3.(4)」, for people
    key: str  # 「case-26.step-2」 or 「section-3.3.(4)」, for check ids
    case: int | None = None
    step: int | None = None
    section: str | None = None


def load_patterns(path: Path | None) -> list[Pattern]:
    """Read editorial/proofreading.yaml (a missing file has no patterns)."""
    if path is None or not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return [Pattern(re.compile(p["find"]), str(p["replace"]), str(p.get("reason", "")))
                for p in data.get("patterns", [])]
    except (yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise CodebookError(
            f"{path}: not a list of patterns with 'find' and 'replace' ({exc}) — fix the file"
        ) from exc


def passages(report: Report) -> Iterator[Passage]:
    """Every text of the cases (by step) and of the report's paragraphs (by section)."""
    for case in report.cases:
        for step in case.steps:
            page = step.pages[0] if step.pages else None
            yield Passage("\n".join(step_texts(step)), page, f"事例{case.no} ステップ{step.step}",
                          f"case-{case.no}.step-{step.step}", case=case.no, step=step.step)
    for section in report.outline:
        for para in section.paragraphs:
            page = para.pages[0] if para.pages else None
            yield Passage(para.text, page, f"{section.path} {section.title}", f"section-{section.path}",
                          section=section.path)


def proofreading_checks(report: Report, patterns: list[Pattern]) -> list[Check]:
    """One finding per distinct typo per place (the same typo twice in one step is one finding)."""
    checks: dict[str, Check] = {}
    for passage in passages(report):
        for old, new, reason, kind, at in _typos(passage.text, patterns):
            check_id = f"proofreading.{passage.key}.{old}"
            if check_id not in checks:
                checks[check_id] = _finding(check_id, passage, old, new, reason, kind, at)
    return list(checks.values())


def _typos(text: str, patterns: list[Pattern]) -> Iterator[tuple[str, str, str, str, int]]:
    """(old, new, reason, kind, offset) of every typo in a text."""
    for at, ch in enumerate(text):
        if foreign_ideograph(ch):
            old, new = _word(text, at, ch)
            yield old, new, f"「{ch}」は簡体字で、日本語の文字集合（JIS X 0208）にない", "non-jis", at
    for at, pair in doubled_kana(text):
        old = text[max(0, at - 3) : at + 1 + 2]
        new = text[max(0, at - 3) : at] + text[at + 1 : at + 1 + 2]
        yield old, new, f"「{pair}」の重複（{pair[0]}が一つ多い）", "doubled", at
    for pattern in patterns:
        for m in pattern.find.finditer(text):
            yield m[0], m.expand(pattern.replace), pattern.reason, "known-typo", m.start()


def _word(text: str, at: int, ch: str) -> tuple[str, str]:
    """The character with a little context, so that the erratum's `old` is unique in its step,
    and its Japanese spelling: the dictionary's word where it knows one (关系性 → 関係性), else
    the character alone replaced."""
    start, end = max(0, at - 2), min(len(text), at + 3)
    old = text[start:end].strip()
    return old, japanese_spelling(old) or old.replace(ch, japanese_form(ch) or "〓")


def _finding(check_id: str, passage: Passage, old: str, new: str, reason: str, kind: str, at: int) -> Check:
    context = passage.text[max(0, at - CONTEXT) : at + len(old) + CONTEXT].replace("\n", " ")
    return Check(
        id=check_id,
        title=f"校正: {passage.where}「{old}」",
        group="proofreading",
        status="mismatch",
        stated=Stated(old, passage.page, f"…{context}…", passage.where),
        derived={"suggestion": new, "erratum": erratum(passage, old, new, reason)},
        derived_basis="mechanical",
        message=f"{reason}。訂正案:「{old}」→「{new}」",
        flags=[kind],
    )


def erratum(passage: Passage, old: str, new: str, reason: str) -> str:
    """The entry to paste into editorial/corrections.yaml (dumped by PyYAML, so that a text with
    「: 」, a leading 「-」 or quotes stays one valid string)."""
    where = {"case": passage.case, "step": passage.step} if passage.case is not None \
        else {"section": passage.section}
    entry = {**where, "old": old, "new": new, "reason": reason}
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
