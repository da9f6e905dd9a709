"""What the editors' errata do to validation: the reviewed quotes they carry along, the findings
they resolve, the counts they move.

Validation runs on the corrected records. Given the records as extracted too, `record_errata`
compares the two validations check by check: a finding of the report as printed that the errata
resolve stays in the report as a finding — its values as printed, closed as 訂正済み with the
errata that did it (`Check.errata`) — so QA sees what was wrong and how the casebook fixed it; a
check whose values the errata changed keeps its values before them. `explain_corrections` turns
the same record into what the appendix and the change report say of each erratum.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from transform.corrections import corrected_quote
from transform.records import AppliedCorrection, Case, Report
from transform.validation.coding import Reviewed, find_quote, load_reviewed
from transform.validation.facets import place_of
from transform.validation.model import Check, Errata, ErratumRef, ValidationReport, Values
from transform.validation.review import fingerprint

# Counts the appendix reports as moved by an erratum; citations and proofreading are findings
# about the text itself, which the erratum's own entry already shows.
COUNT_GROUPS = ("integrity", "mechanical", "consistency", "coded")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def follow_corrections(
    reviewed: Reviewed, corrections: Sequence[AppliedCorrection], found: Callable[[int, str], bool]
) -> list[tuple[int, str, str]]:
    """Rewrite, in memory, the reviewed codings' evidence quotes that quote a corrected passage.

    `reviewed` is changed in place; `found(case, quote)` says whether a quote occurs in the
    corrected case. Only a quote that no longer occurs is rewritten, only with the corrections of
    its own case, and only when the rewritten quote does occur. Returns (case, attribute, new
    quote) for each quote updated.
    """
    done = []
    by_case: dict[int, list[AppliedCorrection]] = {}
    for corr in corrections:
        if corr.case is not None:
            by_case.setdefault(corr.case, []).append(corr)
    for entry in reviewed.cases:
        fixes = by_case.get(entry.case, [])
        for decision in entry.decisions if fixes else []:
            for i, quote in enumerate(decision.quotes):
                if found(entry.case, quote):
                    continue
                new = corrected_quote(quote, fixes)
                if new != quote and found(entry.case, new):
                    decision.quotes[i] = new
                    done.append((entry.case, decision.attribute, new))
    return done


def quote_finder(cases: list[Case]) -> Callable[[int, str], bool]:
    """`found(case, quote)` over these cases, for `follow_corrections`."""
    by_no = {c.no: c for c in cases}
    return lambda no, quote: no in by_no and find_quote(by_no[no], quote) is not None


# ---------------------------------------------------------------------------------------------
# the findings the errata resolve


def erratum_refs(report: Report) -> list[tuple[AppliedCorrection, ErratumRef]]:
    """Each correction applied to the report with how a finding names it (numbered as 付録B lists them)."""
    return [(corr, ErratumRef(no, corr.location, corr.where, corr.old, corr.new, corr.reason))
            for no, corr in enumerate(report.corrections, start=1)]


def record_errata(before: ValidationReport, after: ValidationReport, report: Report) -> None:
    """Record on `after` (the validation of the corrected `report`) what its errata changed, by
    comparison with `before` (the validation of the records as extracted), in place.

    - a finding the errata resolve (it passes, or no longer arises) is kept as printed, with its
      errata: `Check.corrected` — closed as 訂正済み;
    - any other check whose values the errata changed carries its values before them.
    """
    refs = erratum_refs(report)
    prior = {c.id: c for c in before.checks}
    now = {c.id for c in after.checks}
    out: list[Check] = []
    for check in after.checks:
        old = prior.get(check.id)
        if old is None or (old.status == check.status and fingerprint(old) == fingerprint(check)):
            out.append(check)
            continue
        errata = Errata(_responsible(old, check, refs), _values(old), _values(check))
        if old.is_finding and not check.is_finding:
            old.errata = errata
            out.append(old)  # the finding as printed, resolved
        else:
            check.errata = errata
            out.append(check)
    # Findings that no longer arise (a typo corrected away) stay, after the check they followed.
    for i, old in enumerate(before.checks):
        if old.id in now or not old.is_finding:
            continue
        old.errata = Errata(_responsible(old, None, refs), _values(old), None)
        previous = next((c.id for c in reversed(before.checks[:i]) if c.id in now), None)
        at = next((k + 1 for k, c in enumerate(out) if c.id == previous), 0) if previous else len(out)
        out.insert(at, old)
        now.add(old.id)
    after.checks = out


def _values(check: Check) -> Values:
    return Values(check.stated.value if check.stated else None, check.derived, check.status)


def _text(check: Check | None) -> str:
    """Everything a check says, as one text: what an erratum's old or new text is looked for in."""
    if check is None:
        return ""
    parts = [check.stated.value if check.stated else None, check.stated.sentence if check.stated else None,
             check.derived, check.message, [_text(f) for f in check.facets],
             [e.quote for ref in check.cases for e in ref.evidence]]
    return json.dumps(parts, ensure_ascii=False, default=str)


def _typos(check: Check) -> list[str]:
    """The printed texts a finding is about when it is a typo (a proofreading hit or a facet)."""
    found = [c.stated.value for c in (check, *check.facets)
             if c.group == "proofreading" and c.stated and isinstance(c.stated.value, str)]
    return [t for t in found if t]


Refs = list[tuple[AppliedCorrection, ErratumRef]]


def _responsible(old: Check, new: Check | None, refs: Refs) -> list[ErratumRef]:
    """The errata that changed a check: those whose old text it quoted as printed, whose new text
    it quotes now, that corrected the typo it is about, or that changed a case it counts."""
    before, after = _text(old), _text(new)
    cases = {r.no for r in old.cases} ^ ({r.no for r in new.cases} if new else set())
    typos = _typos(old)
    places = _places(old)
    found = []
    for corr, ref in refs:
        if places is not None and _place(corr) not in places:
            continue  # the same words printed elsewhere: another erratum's
        if (corr.old in before or (corr.new in after and corr.new not in before)
                or any(typo in corr.old for typo in typos)
                or (corr.case is not None and corr.case in cases)):
            found.append(ref)
    return found


def _places(check: Check) -> set[str] | None:
    """The places whose text a finding compares — where it is printed and the case headings it
    compares with — as `_place` names an erratum's; None where a finding reads the whole report."""
    printed = place_of(check)
    derived = check.derived if isinstance(check.derived, dict) else {}
    if check.group == "citations" and printed is not None:
        return {printed} | ({f"case {derived['case']}"} if isinstance(derived.get("case"), int) else set())
    if check.id.startswith("table"):  # 図表N-M against the case headings
        number = check.id.split(".", 1)[0].removeprefix("table")
        return {f"table {number}"} | {f"case {ref.no}" for ref in check.cases}
    return {printed} if printed is not None else None


def _place(corr: AppliedCorrection) -> str:
    """Where an erratum applies, as `facets.place_of` names the place of a finding."""
    if corr.section is not None:
        return f"section {corr.section}"
    if corr.table is not None:
        return f"table {corr.table}"
    return f"case {corr.case}" + (f" step {corr.step}" if corr.step is not None else "")


# ---------------------------------------------------------------------------------------------
# what each erratum changed, for the appendix and the change report


def explain_corrections(
    report: Report, applied: list[AppliedCorrection], validation: ValidationReport, reviewed: Path | None,
) -> list[AppliedCorrection]:
    """The applied corrections with what they changed besides the text: the reviewed quotes they
    updated and the counts they moved, read from the validation of the corrected `report`
    (`record_errata`)."""
    if not applied:
        return applied
    quotes = follow_corrections(load_reviewed(reviewed), report.corrections, quote_finder(report.cases)) \
        if reviewed is not None else []
    offset = len(report.corrections) - len(applied)  # corrections an earlier run applied come first
    moved = moved_counts(validation)
    out = []
    for no, corr in enumerate(applied, start=offset + 1):
        updated = [*corr.updated, *(
            f"レビュー済みコーディングの引用（事例{case} {attribute}）"
            for case, attribute, new in quotes if case == corr.case and corr.new in new
        )]
        mine = [line for line, numbers in moved if no in numbers]
        out.append(dataclasses.replace(corr, updated=updated, moved=mine))
    return out


def moved_counts(validation: ValidationReport) -> list[tuple[str, set[int]]]:
    """The counts the errata moved: 「title: before → after」 and the numbers of the errata that
    moved it, in check order. A changed stated value (a corrected Chapter 3 sentence) counts too."""
    out = []
    for check in validation.checks:
        errata = check.errata
        if errata is None or check.group not in COUNT_GROUPS:
            continue
        after = errata.after or errata.before
        numbers = {ref.no for ref in errata.corrections}
        if not all(_is_count(v) for v in (errata.before.derived, after.derived)):
            continue  # rows of a table, names: the erratum's own entry shows what changed
        if errata.before.derived != after.derived:
            out.append((f"{check.title}: {errata.before.derived} → {after.derived}", numbers))
        elif errata.before.stated != after.stated:
            out.append((f"{check.title}（報告書の記載）: {errata.before.stated} → {after.stated}", numbers))
    return out
