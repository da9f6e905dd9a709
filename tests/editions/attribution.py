"""Wrongly credited citations, made on purpose: the test editions and the benchmark of the
misattribution check credit chosen citations to a wrong but similar case.

"Similar" is the hardest honest choice: the case whose text supports the quote best after the
true one (the runner-up of `SupportIndex`), so a check that tells them apart tells any apart.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from transform.records import Case, Citation, Report
from transform.validation.citations import CaseTexts, resolve_name


@dataclass(frozen=True)
class Swap:
    """Citation `index` of the report, credited to `wrong` instead of `true`."""

    index: int
    true: int
    wrong: int


def runner_up(citation: Citation, texts: CaseTexts, true: int) -> int | None:
    """The case that supports a citation best after its true case."""
    ranking = [no for no, _score in texts.support(citation.quote).ranking() if no != true]
    return ranking[0] if ranking else None


def plan_swaps(report: Report, indexes: list[int]) -> list[Swap]:
    """For each chosen citation (that resolves to a case), its runner-up as the wrong credit."""
    texts = CaseTexts(report.cases)
    swaps = []
    for i in indexes:
        citation = report.citations[i]
        true = resolve_name(citation.organisation, report.cases).case
        if true is None:
            continue
        wrong = runner_up(citation, texts, true.no)
        if wrong is not None:
            swaps.append(Swap(i, true.no, wrong))
    return swaps


def credit(citation: Citation, case: Case) -> Citation:
    """The citation credited to another case: its organisation and region as the case heading."""
    moved = copy.deepcopy(citation)
    moved.organisation, moved.region = case.name, case.region
    moved.raw = citation.raw.replace(citation.organisation, case.name)
    if citation.region:
        moved.raw = moved.raw.replace(f"【{citation.region}】", f"【{case.region}】")
    return moved


def with_swaps(report: Report, swaps: list[Swap]) -> Report:
    """A copy of the report whose swapped citations credit the wrong case."""
    out = copy.deepcopy(report)
    by_no = {c.no: c for c in out.cases}
    for swap in swaps:
        out.citations[swap.index] = credit(out.citations[swap.index], by_no[swap.wrong])
    return out
