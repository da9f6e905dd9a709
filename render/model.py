"""The casebook as one view model, built once from the records and read by both renderers.

Everything either format needs to decide — how the six steps group into the guideline's three
STEPs (図表4-2), which Chapter 4 citations point at which case, the overview rows with member
counts and 業務 markers, prefecture counts, the validation summary — is decided here, so that
`render.docx` and `render.html` only lay it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.vocabulary import (
    BUSINESSES,
    FROM_CASES,
    NO_VALUE,
    NONE_OF_THEM,
    STATED,
    YES,
    circled_number,
    qualified,
    reader_date,
    step_name,
)
from render.appendix import Appendix, appendix
from render.edition import Edition, edition
from transform.prefectures import PREFECTURES
from transform.records import AppliedCorrection, BuildInfo, Case, Citation, Report, Step
from transform.text import compact
from transform.validation.citations import resolve_name
from transform.validation.model import Check, ValidationReport

# Package data is read next to this file: an editable install made before render/ had an
# __init__ maps it as a namespace package, which importlib.resources cannot read.
HERE = Path(__file__).resolve().parent
MISSING = NO_VALUE  # shown wherever the case text gives no value (or validation did not run)
# What our codings are: the casebook's reading of each case's text, not the report's statement.
CODED_NOTE = (f"{YES}・社員法人数・業務は、本事例集が各事例の本文から読み取ったものです。"
              f"「{STATED}」は報告書第3章の件数で、報告書はヒアリング結果から集計しているため、"
              f"「{FROM_CASES}」と一致しないことがあります（付録A）。")
GUIDE_TABLE = "4-2"  # 図表4-2: the three STEPs and the survey items (①…⑥) each covers
SEPARATOR = "／"  # between a Chapter 4 section and its subsection (a glyph every face has)

CITATIONS_GROUP = "citations"

@dataclass(frozen=True)
class StepGroup:
    """A STEP of the guideline and the survey steps (①…⑥) it covers, as 図表4-2 sets out."""

    number: int | None  # None: steps the table does not place (shown without a STEP heading)
    title: str  # 「仲間をつくる」
    steps: tuple[int, ...]
    labels: tuple[str, ...]  # the 対応する調査項目 cells as printed

    @property
    def heading(self) -> str:
        return f"STEP{self.number} {self.title}" if self.number is not None else self.title


@dataclass
class CaseSteps:
    """The steps of one case under one STEP."""

    group: StepGroup
    steps: list[Step]


@dataclass
class CitationView:
    """A Chapter 4 citation with the headings it sits under."""

    index: int  # position in Report.citations: a stable anchor ("cite-12")
    citation: Citation
    chapter_section: str  # 「1. 協働化の効果・メリット」
    section: str  # 「(1) 経営基盤の安定」
    case_no: int | None

    credited_as: str | None = None  # the organisation as credited, where it is not the case's name
    pages: str = MISSING  # 「p.60（PDF 63）」: the report's printed page, and the PDF page

    @property
    def anchor(self) -> str:
        return f"cite-{self.index}"


@dataclass
class CaseView:
    """One case with everything its chapter and its overview row show."""

    case: Case
    members: str
    business: dict[str, str]  # 業務 → YES, "" or MISSING
    groups: list[CaseSteps]
    citations: list[CitationView] = field(default_factory=list)
    previous: int | None = None
    next: int | None = None
    pages: str = MISSING  # 「p.9–10（PDF 12–13）」

    @property
    def no(self) -> int:
        return self.case.no

    @property
    def heading(self) -> str:
        return f"事例{self.case.no} {self.case.name}"

    @property
    def anchor(self) -> str:
        """Bookmark / file stem; Word bookmark names allow letters, digits and '_' only."""
        return f"case_{self.case.no}"

    @property
    def business_names(self) -> list[str]:
        return [b for b in BUSINESSES if self.business[b] == YES]

    @property
    def business_text(self) -> str:
        """The coded 業務 joined with 「、」; 「該当なし」 if coded as none; MISSING if not coded."""
        if any(v == MISSING for v in self.business.values()):
            return MISSING
        return "、".join(self.business_names) or NONE_OF_THEM


@dataclass(frozen=True)
class PrefectureCases:
    """A prefecture and the cases that name it in their region."""

    name: str
    code: int
    cases: tuple[int, ...]


@dataclass(frozen=True)
class Figure:
    """A figure the report states beside the same figure counted from the cases' text."""

    label: str  # a 業務, or a member-count class 「3法人」
    stated: str  # 「22」 or MISSING
    ours: str  # 「9」
    page: str  # where the report states it: 「p.56（PDF 59）」

    @property
    def differs(self) -> bool:
        return self.stated != self.ours


@dataclass(frozen=True)
class SourceInfo:
    """What the cover cites for the source PDF."""

    name: str
    sha256: str
    title: str | None = None
    programme: str | None = None
    publisher: str | None = None
    date: str | None = None

    @property
    def citation(self) -> list[str]:
        """『title』 / programme / publisher and date — or the file name of an unknown source."""
        if not self.title:
            return [self.name]
        credit = "　".join(p for p in (self.publisher, self.date) if p)
        return [f"『{self.title}』", *(p for p in (self.programme, credit) if p)]


@dataclass
class Casebook:
    """Everything the renderers lay out, in reading order."""

    title: str
    build: BuildInfo
    source: SourceInfo
    guide: list[StepGroup]
    cases: list[CaseView]
    prefectures: list[PrefectureCases]  # all 47, JIS order
    by_business: list[tuple[str, list[int]]] | None  # None without validation
    citations: list[CitationView]  # resolved to a case, report order
    business_figures: list[Figure]  # per 業務: the report's count beside ours (empty without validation)
    member_figures: list[Figure]  # per 社員法人数 class: the report's count beside ours
    appendix: Appendix  # 付録A: what was checked against the report, in sentences
    corrections: list[AppliedCorrection]
    edition: Edition  # final or draft (render.edition)
    validated: bool = True

    @property
    def organisation(self) -> str:
        return self.build.organisation

    def case(self, no: int) -> CaseView:
        return next(c for c in self.cases if c.no == no)

    def business_figure(self, business: str) -> Figure | None:
        """The report's count of a 業務 beside ours, if validation ran."""
        return next((f for f in self.business_figures if f.label == business), None)

    @property
    def prefecture_counts(self) -> dict[str, int]:
        return {p.name: len(p.cases) for p in self.prefectures}


def casebook_view(
    report: Report,
    validation: ValidationReport | None,
    corrections: list[AppliedCorrection],
    build: BuildInfo,
) -> Casebook:
    """The view model of the whole casebook."""
    guide = step_groups(report)
    citations = citation_views(report)
    cases = [case_view(c, guide, validation) for c in report.cases]
    for i, view in enumerate(cases):
        view.previous = cases[i - 1].no if i > 0 else None
        view.next = cases[i + 1].no if i + 1 < len(cases) else None
        view.citations = [c for c in citations if c.case_no == view.no]
        view.pages = report.page_reference(view.case.pages) or MISSING
    by_business = business_cases(report.cases, validation) if validation else None
    return Casebook(
        title=build.title,
        build=build,
        source=source_info(report, build),
        guide=guide,
        cases=cases,
        prefectures=prefecture_cases(report.cases),
        by_business=by_business,
        citations=[c for c in citations if c.case_no is not None],
        business_figures=business_figures(report, validation, by_business or []),
        member_figures=member_figures(report, validation),
        appendix=appendix(validation, report, corrections),
        corrections=list(corrections),
        edition=edition(validation),
        validated=validation is not None,
    )


# --- STEPs (図表4-2) -------------------------------------------------------------------------

def step_groups(report: Report) -> list[StepGroup]:
    """The STEPs of 図表4-2, read structurally: rows whose first cell is 「STEPn…」, the second
    cell naming a survey step by its circled number. Steps the table does not place (or all six,
    if the report has no such table) form a last group without a STEP heading."""
    table = report.table(GUIDE_TABLE)
    groups: dict[int, tuple[str, list[int], list[str]]] = {}
    for row in table.rows if table else []:
        if len(row) < 2:
            continue
        m = re.match(r"STEP(\d+)(.*)", compact(row[0]))
        step = circled_number(compact(row[1]))
        if not m or step is None:
            continue  # a header row
        _, steps, labels = groups.setdefault(int(m[1]), (m[2], [], []))
        if step not in steps:
            steps.append(step)
            labels.append(compact(row[1]))
    out = [StepGroup(n, t, tuple(s), tuple(lb)) for n, (t, s, lb) in sorted(groups.items())]
    placed = {s for g in out for s in g.steps}
    all_steps = sorted({s.step for c in report.cases for s in c.steps})
    rest = tuple(s for s in all_steps if s not in placed)
    if rest:
        out.append(StepGroup(None, "その他の調査項目", rest, ()))
    return out


def step_heading(step: Step) -> str:
    """The step's printed label, its circled number restored if lost (casebook.vocabulary)."""
    return step_name(step.step, step.label)


def _group_steps(case: Case, guide: list[StepGroup]) -> list[CaseSteps]:
    return [
        CaseSteps(g, [s for s in case.steps if s.step in g.steps])
        for g in guide
        if any(s.step in g.steps for s in case.steps)
    ]


# --- cases -------------------------------------------------------------------------------------

def case_view(case: Case, guide: list[StepGroup], validation: ValidationReport | None) -> CaseView:
    """A case with its coded attributes and its steps grouped under the STEPs."""
    return CaseView(
        case=case,
        members=_members(case.no, validation),
        business={b: _marker(case.no, b, validation) for b in BUSINESSES},
        groups=_group_steps(case, guide),
    )


def _members(no: int, validation: ValidationReport | None) -> str:
    """The member count read from the case text, with the one qualifier a figure may carry:
    「（推定）」 where the reviewer inferred it (the text states no count) — never shown as if
    stated. Doubts a check raises about a count belong to validation.html, not to the figure."""
    coding = next((c for c in validation.codings if c.case == no and c.attribute == "members"), None) \
        if validation else None
    if coding is None or coding.value is None:
        return MISSING
    return qualified(coding.value, bool(getattr(coding, "inferred", False)))


def _marker(no: int, business: str, validation: ValidationReport | None) -> str:
    value = validation.value(no, f"business:{business}") if validation else None
    if value is None:
        return MISSING
    return YES if value else ""


def display_date(iso: str) -> str:
    """「2026年3月1日（令和8年）」 in Japan time (casebook.vocabulary.reader_date)."""
    return reader_date(iso)


def prefecture_cases(cases: list[Case]) -> list[PrefectureCases]:
    """All 47 prefectures with the cases whose region names them (a case may count in several)."""
    return [
        PrefectureCases(name, code, tuple(c.no for c in cases if name in c.prefectures))
        for code, name in enumerate(PREFECTURES, start=1)
    ]


def business_cases(cases: list[Case], validation: ValidationReport) -> list[tuple[str, list[int]]]:
    """Each 業務 with the cases coded as doing it."""
    return [
        (b, [c.no for c in cases if validation.value(c.no, f"business:{b}")])
        for b in BUSINESSES
    ]


def business_figures(
    report: Report, validation: ValidationReport | None, by_business: list[tuple[str, list[int]]]
) -> list[Figure]:
    """Per 業務, the count Chapter 3 states (check `business.<業務>.total`) beside ours."""
    if validation is None:
        return []
    return [_figure(report, validation.check(f"business.{b}.total"), b, len(nos)) for b, nos in by_business]


def member_figures(report: Report, validation: ValidationReport | None) -> list[Figure]:
    """Per 社員法人数 class (「3法人」), the count Chapter 3 states beside ours."""
    if validation is None:
        return []
    return [
        _figure(report, check, check.stated.label or check.id.rsplit(".", 1)[-1], check.derived)
        for check in validation.checks
        if check.id.startswith("members.bin.") and check.stated is not None
    ]


def _figure(report: Report, check: Check | None, label: str, ours: Any) -> Figure:
    stated = check.stated if check is not None else None
    return Figure(
        label=label,
        stated=MISSING if stated is None else format_value(stated.value),
        ours=format_value(ours),
        page=report.page_reference([stated.page]) if stated and stated.page else MISSING,
    )


# --- Chapter 4 citations -----------------------------------------------------------------------

def citation_views(report: Report) -> list[CitationView]:
    """Every citation with its headings and the case it credits (None if no case matches)."""
    titles = {s.path: s.title for s in report.outline}
    owners = resolve_citations(report.citations, report.cases)
    names = {c.no: compact(c.name) for c in report.cases}
    out = []
    for i, (cit, no) in enumerate(zip(report.citations, owners, strict=True)):
        parent = cit.section_path.rsplit(".", 1)[0]
        out.append(CitationView(
            index=i,
            citation=cit,
            chapter_section=_numbered(parent, titles.get(parent, "")),
            section=_numbered(cit.section_path, cit.section_title),
            case_no=no,
            credited_as=cit.organisation if no and compact(cit.organisation) != names[no] else None,
            pages=report.page_reference(cit.pages) or MISSING,
        ))
    return out


def _numbered(path: str, title: str) -> str:
    """「4.1.(1)」 + 「経営基盤の安定」 → 「(1) 経営基盤の安定」; 「4.1」 → 「1. …」."""
    last = path.rsplit(".", 1)[-1]
    number = last if last.startswith("(") else f"{last}."
    return f"{number} {title}".strip()


def resolve_citations(citations: list[Citation], cases: list[Case]) -> list[int | None]:
    """The case each citation credits, resolved by validation's name matching (exact, another
    corporate form, a near spelling, or a member organisation named in one case's text)."""
    return [_case_no(resolve_name(cit.organisation, cases).case) for cit in citations]


def _case_no(case: Case | None) -> int | None:
    return case.no if case is not None else None


# --- values, source ------------------------------------------------------------------------

def format_value(value: Any) -> str:
    """A stated or derived value as one line of text: runs of numbers as ranges (1–29), a case
    reference as 「事例23 name」, an empty collection as 「なし」."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, dict):
        if set(value) == {"no", "name"}:
            return f"事例{value['no']} {value['name']}"
        return "、".join(f"{k}: {format_value(v)}" for k, v in value.items()) or "なし"
    if isinstance(value, list | tuple | set):
        items = list(value)
        if items and all(isinstance(v, int) and not isinstance(v, bool) for v in items):
            return _ranges(items)
        return "、".join(format_value(v) for v in items) or "なし"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → 「1–3、5」."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)


def source_info(report: Report, build: BuildInfo) -> SourceInfo:
    """The source PDF's identity and the bibliographic data read from it."""
    meta = report.meta
    return SourceInfo(
        name=build.source_name,
        sha256=build.source_sha256,
        title=meta.title,
        programme=meta.programme,
        publisher=meta.publisher,
        date=meta.issued,
    )
