"""Coded attributes of cases: the editors' codebook, the auto-coder, and the reviewed codings.

- The codebook (editorial/codebook.yaml) defines each attribute as rules over the sentences of
  chosen step rows; `auto_code` applies it and keeps the sentences behind each decision.
- The reviewed codings (editorial/reviewed_codings.yaml) hold a reviewer's decisions, each with
  evidence quotes that must occur in that case's text. `apply_review` merges them over the
  auto-coding and reports every problem (unknown case, bad value, quote not in the case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from casebook.errors import EditorialError
from casebook.vocabulary import BUSINESSES, STEP_NUMBERS
from casebook.yamlfile import read_yaml
from transform.prefectures import prefectures_in
from transform.records import Case, Step, walk
from transform.text import compact, sentences
from transform.validation.model import Coding, Evidence

KINDS = ("business", "trigger", "reason")
COMPLETE_NOTE = "レビューで該当なし（事例全体を確認済み）"
SAME_NAME = 90.0  # a case heading this similar to a reviewed entry's name is that case respelt
AREA_VALUES = ("single", "multiple")
_ELLIPSIS = re.compile(r"…+|\.{3,}")


class CodebookError(EditorialError):
    """The codebook or the reviewed-codings file cannot be read (the message says where)."""


# ---------------------------------------------------------------------------------------------
# Codebook


@dataclass(frozen=True)
class Rule:
    """A yes/no attribute: evidence is a sentence of the given steps that matches."""

    attribute: str
    label: str
    description: str
    steps: tuple[int, ...]
    patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()

    def matches(self, sentence: str) -> bool:
        return (
            any(p.search(sentence) for p in self.patterns)
            and all(p.search(sentence) for p in self.requires)
            and not any(p.search(sentence) for p in self.unless)
        )


@dataclass(frozen=True)
class MembersRule:
    """社員法人数: patterns capturing (?P<n>…) and optionally (?P<m>…) for a range."""

    steps: tuple[int, ...]
    patterns: tuple[re.Pattern[str], ...]
    ignore: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class AreaRule:
    """協働化のエリア: several prefectures in the heading, or in one sentence about corporations."""

    steps: tuple[int, ...]
    together_with: re.Pattern[str]


@dataclass
class Codebook:
    members: MembersRule
    area: AreaRule
    rules: dict[str, Rule] = field(default_factory=dict)  # by attribute id

    def attributes(self) -> list[str]:
        """Every attribute id the codebook defines, members and area first."""
        return ["members", "area", *self.rules]

    def find(self, kind: str, label: str) -> Rule | None:
        """The rule for a report label (compared without whitespace), if the codebook has one."""
        key = compact(label)
        rules = (r for r in self.rules.values() if r.attribute.startswith(kind + ":"))
        return next((r for r in rules if compact(r.label) == key), None)


def load_codebook(path: Path) -> Codebook:
    """Read and compile editorial/codebook.yaml."""
    return parse_codebook(read_yaml(path, CodebookError, "codebook file"), str(path))


def parse_codebook(data: Any, where: str = "codebook") -> Codebook:
    """Compile codebook data (as loaded from YAML); every problem names its place."""
    if not isinstance(data, dict) or "members" not in data or "area" not in data:
        raise CodebookError(f"{where}: needs a mapping with 'members', 'area' and rule groups")
    members = data["members"]
    area = data["area"]
    codebook = Codebook(
        members=MembersRule(
            _steps(members, f"{where}: members"),
            _patterns(members.get("patterns"), f"{where}: members.patterns", required=True),
            _patterns(members.get("ignore"), f"{where}: members.ignore"),
        ),
        area=AreaRule(
            _steps(area, f"{where}: area"),
            _compile(area.get("together_with", "法人"), f"{where}: area.together_with"),
        ),
    )
    for kind in KINDS:
        for label, spec in (data.get(kind) or {}).items():
            place = f"{where}: {kind}.{label}"
            if not isinstance(spec, dict):
                raise CodebookError(f"{place}: expected a mapping with steps and patterns")
            if kind == "business" and label not in BUSINESSES:
                raise CodebookError(f"{place}: not one of the six 社会福祉連携推進業務 "
                                    f"({'、'.join(BUSINESSES)}); correct the key")
            attribute = f"{kind}:{label}"
            codebook.rules[attribute] = Rule(
                attribute=attribute,
                label=str(label),
                description=str(spec.get("description", "")),
                steps=_steps(spec, place),
                patterns=_patterns(spec.get("patterns"), f"{place}.patterns", required=True),
                requires=_patterns(spec.get("requires"), f"{place}.requires"),
                unless=_patterns(spec.get("unless"), f"{place}.unless"),
            )
    return codebook


def _steps(spec: dict[str, Any], place: str) -> tuple[int, ...]:
    steps = spec.get("steps", list(STEP_NUMBERS))
    if not isinstance(steps, list) or not all(isinstance(s, int) and s in STEP_NUMBERS for s in steps):
        raise CodebookError(f"{place}.steps: expected a list of step numbers "
                            f"{STEP_NUMBERS[0]}–{STEP_NUMBERS[-1]}, got {steps!r}")
    return tuple(steps)


def _patterns(values: Any, place: str, *, required: bool = False) -> tuple[re.Pattern[str], ...]:
    if values is None and not required:
        return ()
    if not isinstance(values, list) or (required and not values):
        raise CodebookError(f"{place}: expected a list of regular expressions")
    return tuple(_compile(v, f"{place}[{i}]") for i, v in enumerate(values))


def _compile(pattern: Any, place: str) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise CodebookError(f"{place}: bad regular expression {pattern!r} ({exc})") from None


# ---------------------------------------------------------------------------------------------
# Auto-coder


def case_sentences(case: Case, steps: tuple[int, ...]) -> Iterator[tuple[int, str]]:
    """(step, sentence) for every sentence of the items in the given steps, in reading order."""
    for step, _section, item, _level in case.iter_items():
        if step.step in steps:
            for sentence in sentences(item.text):
                yield step.step, sentence


def auto_code(case: Case, codebook: Codebook) -> list[Coding]:
    """Apply every codebook rule to one case; each coding keeps the sentences behind it."""
    codings = [_code_members(case, codebook.members), _code_area(case, codebook.area)]
    for rule in codebook.rules.values():
        evidence = [Evidence(s, step) for step, s in case_sentences(case, rule.steps) if rule.matches(s)]
        codings.append(Coding(case.no, rule.attribute, bool(evidence), "auto", evidence))
    for coding in codings:
        coding.auto_value = coding.value
    return codings


def _code_members(case: Case, rule: MembersRule) -> Coding:
    """The last member count in reading order (counts grow: 設立時 → 現在); a range is undecided."""
    coding = Coding(case.no, "members", None, "auto")
    for step, sentence in case_sentences(case, rule.steps):  # reading order: later overrides
        matches = sorted((m for p in rule.patterns for m in p.finditer(sentence)), key=lambda m: m.start())
        for m in matches:
            if any(p.search(_clause(sentence, m.start(), m.end())) for p in rule.ignore):
                continue
            n, upper = int(m["n"]), m.groupdict().get("m")
            coding.value = n if upper is None or int(upper) == n else None
            coding.evidence = [Evidence(sentence, step)]
    return coding


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around a match: from the 、 or 。 before it to the one after it."""
    left = max(sentence.rfind("、", 0, start), sentence.rfind("。", 0, start)) + 1
    right_candidates = [i for i in (sentence.find("、", end), sentence.find("。", end)) if i >= 0]
    return sentence[left : min(right_candidates) if right_candidates else len(sentence)]


def _code_area(case: Case, rule: AreaRule) -> Coding:
    """Several prefectures in the heading, or in one sentence about corporations → multiple."""
    if len(case.prefectures) > 1:
        return Coding(case.no, "area", "multiple", "auto", [Evidence(f"【{case.region}】")])
    for step, sentence in case_sentences(case, rule.steps):
        if len(prefectures_in(sentence)) > 1 and rule.together_with.search(sentence):
            return Coding(case.no, "area", "multiple", "auto", [Evidence(sentence, step)])
    return Coding(case.no, "area", "single", "auto", [Evidence(f"【{case.region}】")])


# ---------------------------------------------------------------------------------------------
# Reviewed codings


@dataclass
class CodingDecision:
    """A reviewer's decision for one case × attribute, with its evidence quotes."""

    attribute: str
    value: Any
    quotes: list[str] = field(default_factory=list)
    note: str = ""
    inferred: bool = False  # the reviewer inferred the value: the case text does not state it


@dataclass
class ReviewedCase:
    case: int
    name: str
    complete: bool  # every yes/no attribute not listed is decided 'no'
    decisions: list[CodingDecision] = field(default_factory=list)


@dataclass
class Reviewed:
    reviewer: str
    cases: list[ReviewedCase] = field(default_factory=list)


@dataclass
class ReviewProblem:
    """Why a reviewed decision cannot be used (it makes the `reviewed` check an error)."""

    case: int
    name: str
    attribute: str | None
    message: str
    quote: str | None = None


def load_reviewed(path: Path) -> Reviewed:
    """Read editorial/reviewed_codings.yaml."""
    return parse_reviewed(read_yaml(path, CodebookError, "reviewed codings file"), str(path))


def parse_reviewed(data: Any, where: str = "reviewed codings") -> Reviewed:
    """Reviewed-codings data (as loaded from YAML) → typed decisions."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise CodebookError(f"{where}: needs a mapping with a 'cases' list")
    out = Reviewed(str(data.get("reviewer", "")))
    for i, entry in enumerate(data["cases"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("case"), int):
            raise CodebookError(f"{where}: cases[{i}] needs 'case' (the number) and 'name'")
        decisions = []
        for attribute, spec in (entry.get("codings") or {}).items():
            spec = spec if isinstance(spec, dict) else {"value": spec}
            quotes = spec.get("quote", [])
            quotes = [quotes] if isinstance(quotes, str) else [str(q) for q in quotes]
            decisions.append(CodingDecision(str(attribute), spec.get("value"), quotes,
                                            str(spec.get("note", "")), bool(spec.get("inferred", False))))
        out.cases.append(
            ReviewedCase(entry["case"], str(entry.get("name", "")), bool(entry.get("complete")), decisions)
        )
    return out


def find_quote(case: Case, quote: str) -> int | None:
    """The step whose text contains the quote (whitespace-blind; 「…」 may elide text between
    parts, which must then occur in order), or None when the case does not contain it."""
    parts = [compact(p) for p in _ELLIPSIS.split(quote) if compact(p)]
    if not parts:
        return None
    for step in case.steps:
        text = _compact("".join(step_texts(step)))
        at = 0
        for part in parts:
            found = text.find(part, at)
            if found < 0:
                break
            at = found + len(part)
        else:
            return step.step
    return None


@lru_cache(maxsize=4096)
def _compact(text: str) -> str:
    """`compact` of a step's text, kept for the process: every quote of every review and check
    looks for itself in the same few hundred step texts."""
    return compact(text)


def step_texts(step: Step) -> Iterator[str]:
    """Every text of a step row: sub-headings, items at any depth, notes."""
    for section in step.sections:
        if section.heading:
            yield section.heading
        yield from (item.text for item, _level in walk(section.items))
    yield from step.notes


def apply_review(
    auto: dict[int, list[Coding]], cases: list[Case], reviewed: Reviewed, codebook: Codebook
) -> tuple[list[Coding], list[ReviewProblem]]:
    """Merge reviewed decisions over the auto-codings; unusable decisions are reported, not used."""
    by_key = {(c.case, c.attribute): c for codings in auto.values() for c in codings}
    problems: list[ReviewProblem] = []
    for entry in reviewed.cases:
        case = _resolve_case(entry, cases, problems)
        if case is None:
            continue
        listed = set()
        for decision in entry.decisions:
            listed.add(decision.attribute)
            coding = by_key.get((case.no, decision.attribute))
            if coding is None:
                problems.append(ReviewProblem(case.no, case.name, decision.attribute,
                                              "コードブックにない属性です"))
                continue
            evidence = _checked_evidence(case, decision, problems)
            if evidence is None:
                continue
            coding.value, coding.basis, coding.evidence = decision.value, "reviewed", evidence
            coding.note, coding.inferred = decision.note, decision.inferred
        if entry.complete:
            for attribute in codebook.rules:
                if attribute not in listed:
                    coding = by_key[(case.no, attribute)]
                    coding.value, coding.basis, coding.evidence = False, "reviewed", []
                    coding.note = COMPLETE_NOTE
    return [c for codings in auto.values() for c in codings], problems


def _resolve_case(entry: ReviewedCase, cases: list[Case], problems: list[ReviewProblem]) -> Case | None:
    """The report's case a reviewed entry means: by name, as numbers may shift in a new edition;
    a near spelling (a corrected typo) still finds it. Quotes are checked against it after."""
    key = compact(entry.name)
    numbered = next((c for c in cases if c.no == entry.case), None)
    if not key:
        return numbered
    named = next((c for c in cases if compact(c.name) == key), None)
    if named:
        return named
    close = [c for c in cases if fuzz.ratio(key, compact(c.name)) >= SAME_NAME]
    if len(close) == 1:
        return close[0]
    found = f"（事例{numbered.no}は「{numbered.name}」）" if numbered else ""
    problems.append(ReviewProblem(entry.case, entry.name, None,
                                  f"レビュー対象の事例「{entry.name}」が報告書にありません{found}"))
    return None


def _checked_evidence(
    case: Case, decision: CodingDecision, problems: list[ReviewProblem]
) -> list[Evidence] | None:
    """The decision's quotes located in the case, or None (and a problem) if any is unusable."""
    bad = _bad_value(decision)
    if bad:
        problems.append(ReviewProblem(case.no, case.name, decision.attribute, bad))
        return None
    if decision.value not in (False, None) and not decision.quotes:
        problems.append(ReviewProblem(case.no, case.name, decision.attribute, "根拠の引用がありません"))
        return None
    evidence = []
    for quote in decision.quotes:
        step = find_quote(case, quote)
        if step is None:
            problems.append(ReviewProblem(case.no, case.name, decision.attribute,
                                          "引用が事例の本文にありません", quote))
            return None
        evidence.append(Evidence(quote, step))
    return evidence


def _bad_value(decision: CodingDecision) -> str:
    value, attribute = decision.value, decision.attribute
    if attribute == "members":
        ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0)
        return "" if ok else f"社員法人数は正の整数か null です（{value!r}）"
    if attribute == "area":
        return "" if value in (*AREA_VALUES, None) else f"エリアは single / multiple です（{value!r}）"
    return "" if isinstance(value, bool) else f"値は true / false です（{value!r}）"
