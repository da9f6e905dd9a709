"""Chapter 4 citations (【参考となる事例】) against the cases they credit.

A citation resolves to a case by its organisation name — exactly, or as a flagged variant (another
corporate-form prefix, a near spelling, a member organisation named in a case's text) — and its
quoted sentences are looked up in that case by fuzzy matching (rapidfuzz), each with the step
and passage where it matches best. Chapter 4 often summarises rather than quotes; a summary shows
as a low score with the closest passage beside it, so a reviewer decides in minutes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from transform.records import Case, Citation, Item, Step
from transform.text import compact, sentences
from transform.validation.model import CaseRef, Check, Evidence, Stated

FOUND = 80.0  # a quote scoring at least this (0–100) is found in the case, small edits allowed
VERBATIM = 95.0
CLOSER = 60.0  # another case scoring at least this (and clearly above the cited one) is named
NAME_VARIANT = 85.0  # a name this close to a case's name is a spelling variant of it

# Prefixes naming a corporate form (法人格), longest first so 医療法人社団 wins over 医療法人.
CORPORATE_FORMS = (
    "社会福祉連携推進法人", "特定非営利活動法人", "一般社団法人", "一般財団法人", "公益社団法人",
    "公益財団法人", "医療法人社団", "医療法人財団", "社会福祉法人", "医療法人", "学校法人",
    "NPO法人", "株式会社", "有限会社", "合同会社",
)


def split_corporate_form(name: str) -> tuple[str, str]:
    """(corporate-form prefix or "", the rest), whitespace-blind: 「株式会社ライフサポート山野」 →
    (株式会社, ライフサポート山野)."""
    key = compact(name)
    for form in CORPORATE_FORMS:
        if key.startswith(form):
            return form, key[len(form) :]
    return "", key


def describe_difference(first: str, second: str) -> str:
    """Where two spellings differ, as 「エ」↔「ェ」 pairs (whitespace-blind)."""
    a, b = compact(first), compact(second)
    pairs = [
        f"「{a[i1:i2] or '（なし）'}」↔「{b[j1:j2] or '（なし）'}」"
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op != "equal"
    ]
    return "、".join(pairs)


@dataclass
class NameMatch:
    """How a credited organisation resolves to a case: exact, form, variant, mentioned or none."""

    case: Case | None
    kind: str
    detail: str = ""


@dataclass
class QuoteMatch:
    """Where a quote's sentences match best in one case; score is length-weighted (0–100)."""

    case: Case
    score: float
    parts: list[Evidence] = field(default_factory=list)

    @property
    def steps(self) -> list[int]:
        """The steps where the quote's sentences matched best."""
        return sorted({p.step for p in self.parts if p.step is not None})


def resolve_name(organisation: str, cases: list[Case]) -> NameMatch:
    """The case a credited organisation names, and how exactly it names it."""
    key = compact(organisation)
    if not key:
        return NameMatch(None, "none", "出典の法人名がない")
    exact = next((c for c in cases if compact(c.name) == key), None)
    if exact is not None:
        return NameMatch(exact, "exact")
    form, core = split_corporate_form(key)
    for case in cases:
        case_form, case_core = split_corporate_form(case.name)
        if core and core == case_core:
            detail = f"法人格の表記が異なる（{form or 'なし'} ↔ 事例見出し {case_form or 'なし'}）"
            return NameMatch(case, "form", detail)
    best = max(cases, key=lambda c: fuzz.ratio(key, compact(c.name)), default=None)
    if best is not None and fuzz.ratio(key, compact(best.name)) >= NAME_VARIANT:
        difference = describe_difference(organisation, best.name)
        detail = f"名称の表記ゆれ（{difference}）: 「{organisation}」↔ 事例見出し「{best.name}」"
        return NameMatch(best, "variant", detail)
    # A member organisation (e.g. the promoter) is named in exactly one case's text.
    texts = {c.no: compact(_case_text(c)) for c in cases}
    named_in = [c for c in cases if key in texts[c.no] or (len(core) >= 4 and core in texts[c.no])]
    if len(named_in) == 1:
        case = named_in[0]
        detail = f"事例見出しにない名称。事例{case.no}「{case.name}」の本文に登場する法人"
        return NameMatch(case, "mentioned", detail)
    return NameMatch(None, "none", f"「{organisation}」に当たる事例がない")


class CaseTexts:
    """Whitespace-free text of every step of every case, computed once for a run of checks."""

    def __init__(self, cases: list[Case]) -> None:
        self.cases = cases
        self._steps = {id(c): _steps_of(c) for c in cases}

    def steps(self, case: Case) -> list[tuple[int, str]]:
        """(step, text) of a case; cases outside the run are computed on demand."""
        return self._steps.get(id(case)) or _steps_of(case)


def _steps_of(case: Case) -> list[tuple[int, str]]:
    return [(step.step, compact(_step_text(step))) for step in case.steps]


def match_quote(quote: str, case: Case, texts: CaseTexts | None = None) -> QuoteMatch:
    """Each sentence of the quote against each step of the case; the best step per sentence."""
    steps = texts.steps(case) if texts else _steps_of(case)
    parts, weighted, total = [], 0.0, 0
    for sentence in sentences(quote) or [quote]:
        needle = compact(sentence)
        if not needle:
            continue
        part = max((_align(needle, no, text) for no, text in steps), key=lambda e: e.score or 0.0)
        parts.append(part)
        weighted += (part.score or 0.0) * len(needle)
        total += len(needle)
    return QuoteMatch(case, round(weighted / total, 1) if total else 0.0, parts)


def _align(needle: str, step: int, text: str) -> Evidence:
    if needle in text:
        return Evidence(needle, step, 100.0)
    found = fuzz.partial_ratio_alignment(needle, text)
    if found is None:
        return Evidence("", step, 0.0)
    return Evidence(text[found.dest_start : found.dest_end], step, round(found.score, 1))


def _step_text(step: Step) -> str:
    return "".join(item.text for section in step.sections for item in _items(section.items))


def _items(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from _items(item.children)


def _case_text(case: Case) -> str:
    return "".join(_step_text(step) for step in case.steps)


def best_case_for_quote(quote: str, texts: CaseTexts, skip: Case | None = None) -> QuoteMatch | None:
    """The case (other than `skip`) whose text matches the quote best."""
    matches = [match_quote(quote, c, texts) for c in texts.cases if c is not skip]
    return max(matches, key=lambda m: m.score, default=None)


def citation_checks(citations: list[Citation], cases: list[Case]) -> list[Check]:
    """One check per citation, numbered within its section: 「citation.4.1.(2).3」."""
    texts = CaseTexts(cases)
    checks: list[Check] = []
    seen: dict[str, int] = {}
    for citation in citations:
        seen[citation.section_path] = seen.get(citation.section_path, 0) + 1
        checks.append(citation_check(citation, texts, seen[citation.section_path]))
    return checks


def citation_check(citation: Citation, texts: CaseTexts, k: int) -> Check:
    """Resolve one citation and find its quote; every irregularity is a flag in the message."""
    name = resolve_name(citation.organisation, texts.cases)
    flags = [name.detail] if name.kind != "exact" else []
    if not citation.closed:
        flags.append("出典の括弧が閉じていない（】または ) が欠けている）")
    match = match_quote(citation.quote, name.case, texts) if name.case else None
    if name.case is not None:
        flags += _region_flags(citation, name.case)
    if match is None or match.score < FOUND:
        found_flags, match = _look_elsewhere(citation, texts, name.case, match)
        flags += found_flags
    stated = Stated(
        {"organisation": citation.organisation, "region": citation.region, "quote": citation.quote},
        citation.pages[0] if citation.pages else None,
        citation.raw,
        "出典",
    )
    derived = None
    refs: list[CaseRef] = []
    if match is not None:
        case = match.case
        derived = {"case": case.no, "name": case.name, "region": case.region,
                   "name_match": name.kind, "quote_score": match.score, "steps": match.steps}
        refs = [CaseRef(case.no, f"一致度 {match.score:.0f}", "mechanical", match.parts, case.name)]
    return Check(
        id=f"citation.{citation.section_path}.{k}",
        title=f"第4章 {citation.section_path} {citation.section_title}（{k}件目）: "
        f"{citation.organisation or '出典なし'}",
        group="citations",
        status="mismatch" if flags else "pass",
        stated=stated,
        derived=derived,
        derived_basis="fuzzy match (rapidfuzz partial_ratio)",
        message="／".join(flags) if flags else _found_message(match),
        cases=refs,
    )


def _look_elsewhere(
    citation: Citation, texts: CaseTexts, cited: Case | None, match: QuoteMatch | None
) -> tuple[list[str], QuoteMatch | None]:
    """The quote is not in the cited case (or none is cited): say so, and where it is instead."""
    other = best_case_for_quote(citation.quote, texts, skip=cited)
    flags = []
    if match is not None and cited is not None:
        where = "・".join(f"ステップ{s}" for s in match.steps)
        flags.append(
            f"引用文が事例{cited.no}の本文にそのままの形では見つからない"
            f"（一致度 {match.score:.0f}、最も近い箇所: {where}）— 要約・言い換えか確認"
        )
        # Low scores are noise between cases; only a clearly better case is worth naming.
        if other is not None and FOUND > other.score >= max(CLOSER, match.score + 10):
            flags.append(f"事例{other.case.no}「{other.case.name}」の方が近い（一致度 {other.score:.0f}）")
    if other is not None and other.score >= FOUND:
        flags.append(
            f"引用文は事例{other.case.no}「{other.case.name}」に一致"
            f"（一致度 {other.score:.0f}）— 出典の取り違えの可能性"
        )
        return flags, match or other
    if match is None:
        flags.append("引用文に一致する事例がない")
    return flags, match


def _found_message(match: QuoteMatch | None) -> str:
    if match is None:
        return ""
    where = "・".join(f"ステップ{s}" for s in match.steps)
    kind = "そのまま" if match.score >= VERBATIM else "軽微な差異はあるが"
    return f"引用文は事例{match.case.no}の{where}に{kind}見つかる（一致度 {match.score:.0f}）"


def _region_flags(citation: Citation, case: Case) -> list[str]:
    if citation.region is None:
        return ["地域【…】の記載がない"]
    if compact(citation.region) != compact(case.region):
        return [f"地域が事例見出しと異なる（【{citation.region}】↔【{case.region}】）"]
    return []
