"""Editors' corrections (errata) applied to the extracted records.

A correction names where it applies — a case and a step, or a section of the report's outline
(「3.3.(4)」, for the text of Chapter 3) — and replaces an exact piece of extracted text there with
the corrected text, giving a reason and a note (where the typo is printed, why the fix). A
correction whose old text does not occur exactly once in that place is an error naming the file,
the entry and the text: it was written against another edition, or the extraction changed, and an
editor must look at it.

A correction reaches everything that quoted the old text: the Chapter 4 citations that quote it
(fixed in the report), and — at validation time — the reviewed codings' evidence quotes
(`follow_corrections`), so that a shipped correction never turns a reviewed quote into an error.
What each correction changed (the passage before and after, the quotes it updated, the counts it
moved) is recorded on its `AppliedCorrection` for the appendix and the change report.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.errors import EditorialError
from transform.records import AppliedCorrection, Case, Item, OutlineSection, Report, Step

REQUIRED = ("old", "new", "reason")
OPTIONAL = ("note", "by", "date")  # by, date: who revised it and when (a Word revision's author and day)
# Where a correction applies: one of these key sets — a step, a section, or a case's name.
PLACES = (("case", "step"), ("section",), ("case",))


class CorrectionError(EditorialError):
    """A corrections file that cannot be applied; the message names the entry and what to do."""


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections file."""

    case: int | None
    step: int | None
    old: str
    new: str
    reason: str
    section: str | None = None  # an outline path (「3.3.(4)」) instead of case and step
    note: str = ""
    file: str = field(default="", compare=False)  # the file it was read from, for messages
    by: str = ""
    date: str = ""

    @property
    def place(self) -> str:
        if self.section is not None:
            return f"section {self.section}"
        return f"事例{self.case} step {self.step}" if self.step is not None else f"事例{self.case} name"

    def to_entry(self) -> dict[str, str | int]:
        """The entry as the corrections file writes it (keys in the file's order, empty ones left out)."""
        values = {"case": self.case, "step": self.step, "section": self.section, "old": self.old,
                  "new": self.new, "reason": self.reason, "by": self.by, "date": self.date, "note": self.note}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def label(self, index: int) -> str:
        """How messages name this entry: file, position in the file and where it applies."""
        where = f"{self.file}: " if self.file else ""
        return f"{where}correction #{index} ({self.place})"


def load_corrections(path: Path) -> list[Correction]:
    """Read the editors' YAML file: a list of {case, step | section, old, new, reason, note}.
    No file: none."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        one_line = " ".join(str(exc).split())
        raise CorrectionError(f"{path}: not valid YAML ({one_line}) — fix the file's syntax") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionError(f"{path}: expected a list of corrections — see the example in the file")
    return [_entry(path, index, entry) for index, entry in enumerate(data, start=1)]


def _entry(path: Path, index: int, entry: object) -> Correction:
    keys = set(entry) if isinstance(entry, dict) else set()
    place = next((p for p in PLACES if keys & set(p) == set(p)), None)
    allowed = {*REQUIRED, *OPTIONAL, *(place or ())}
    if not isinstance(entry, dict) or place is None or not set(REQUIRED) <= keys or keys - allowed:
        found = ", ".join(sorted(map(str, entry))) if isinstance(entry, dict) else type(entry).__name__
        raise CorrectionError(
            f"{path}: correction #{index} needs case and step (or section, or case alone for its name), "
            f"old, new and reason, optionally note, by and date, and nothing else (found: {found})"
        )
    case = step = section = None
    try:
        if "case" in place:
            case = int(entry["case"])
            step = int(entry["step"]) if "step" in place else None
        else:
            section = str(entry["section"])
    except (TypeError, ValueError) as exc:
        raise CorrectionError(f"{path}: correction #{index}: case and step must be numbers") from exc
    old, new, reason = (entry[k] for k in REQUIRED)
    note, by = entry.get("note", ""), entry.get("by", "")
    date = entry.get("date", "")
    date = date.isoformat() if hasattr(date, "isoformat") else date  # YAML reads 2026-12-04 as a date
    if not all(isinstance(t, str) and t for t in (old, new, reason)) or \
            not all(isinstance(t, str) for t in (note, by, date)):
        raise CorrectionError(f"{path}: correction #{index}: old, new and reason must be non-empty text; "
                              "note, by and date text")
    return Correction(case, step, old, new, reason, section, note.strip(), str(path), str(by).strip(),
                      str(date).strip())


def apply_corrections(
    report: Report, corrections: list[Correction]
) -> tuple[Report, list[AppliedCorrection]]:
    """A corrected report and the corrections applied, in file order.

    The input report is not modified: corrected cases and sections are copies, the others are
    shared. The corrected report lists the applied corrections (`Report.corrections`), so that
    validation can follow them into the reviewed codings' quotes.
    """
    if not corrections:
        return report, []
    cases: dict[int, Case] = {}
    sections: dict[str, OutlineSection] = {}
    citations = copy.deepcopy(report.citations)
    applied = []
    for index, corr in enumerate(corrections, start=1):
        if corr.section is None:
            if corr.case not in cases:
                cases[corr.case] = copy.deepcopy(_case(report, corr, index))
            case = cases[corr.case]
            slots = [_Slot(case, "name", case.pages)] if corr.step is None else \
                list(_step_slots(_step(case, corr, index)))
        else:
            if corr.section not in sections:
                sections[corr.section] = copy.deepcopy(_section(report, corr, index))
            slots = list(_section_slots(sections[corr.section]))
        slot, before = _replace_once(slots, corr, index)
        quoted = [i for i, cit in enumerate(citations) if corr.old in cit.quote]
        for i in quoted:
            citations[i].quote = citations[i].quote.replace(corr.old, corr.new)
        applied.append(AppliedCorrection(
            corr.case, corr.step, corr.old, corr.new, corr.reason,
            section=corr.section, note=corr.note, pages=list(slot.pages),
            where=report.page_reference(slot.pages), before=before, after=slot.get(),
            updated=[f"第4章の引用（{report.page_reference(citations[i].pages)}）" for i in quoted],
            by=corr.by, date=corr.date,
        ))
    fixed = dataclasses.replace(
        report,
        cases=[cases.get(c.no, c) for c in report.cases],
        outline=[sections.get(s.path, s) for s in report.outline],
        citations=citations,
        corrections=[*report.corrections, *applied],
    )
    return fixed, applied


def _case(report: Report, corr: Correction, index: int) -> Case:
    case = next((c for c in report.cases if c.no == corr.case), None)
    if case is None:
        raise CorrectionError(f"{corr.label(index)}: there is no 事例{corr.case} in this report")
    return case


def _step(case: Case, corr: Correction, index: int) -> Step:
    step = next((s for s in case.steps if s.step == corr.step), None)
    if step is None:
        raise CorrectionError(f"{corr.label(index)}: 事例{corr.case} has no step {corr.step}")
    return step


def _section(report: Report, corr: Correction, index: int) -> OutlineSection:
    section = next((s for s in report.outline if s.path == corr.section), None)
    if section is None:
        raise CorrectionError(f"{corr.label(index)}: the report has no section {corr.section} "
                              "(see outline.json for the section paths)")
    return section


def _replace_once(slots: list[_Slot], corr: Correction, index: int) -> tuple[_Slot, str]:
    """Replace `old`, insisting on exactly one occurrence in the whole place; the slot and its
    text before the correction."""
    matching = [slot for slot in slots if corr.old in slot.get()]
    count = sum(slot.get().count(corr.old) for slot in matching)
    if count != 1:
        found = "does not occur" if count == 0 else f"occurs {count} times"
        raise CorrectionError(
            f"{corr.label(index)}: the old text {corr.old!r} {found} in that place of the extracted "
            "text — copy it exactly from cases.json (outline.json for a section), or update or "
            "remove the correction"
        )
    slot = matching[0]
    before = slot.get()
    slot.set(before.replace(corr.old, corr.new))
    return slot, before


@dataclass
class _Slot:
    """A piece of text a correction may rewrite: an attribute or a list entry, with its pages."""

    owner: Any
    key: str | int
    pages: list[int]

    def get(self) -> str:
        if isinstance(self.key, int):
            return self.owner[self.key]
        return getattr(self.owner, self.key) or ""

    def set(self, value: str) -> None:
        if isinstance(self.key, int):
            self.owner[self.key] = value
        else:
            setattr(self.owner, self.key, value)


def _step_slots(step: Step) -> Iterator[_Slot]:
    yield _Slot(step, "label", step.pages)
    for section in step.sections:
        if section.heading:
            yield _Slot(section, "heading", section.pages or step.pages)
        yield from _item_slots(section.items)
    for i in range(len(step.notes)):
        yield _Slot(step.notes, i, step.pages)


def _item_slots(items: list[Item]) -> Iterator[_Slot]:
    for item in items:
        yield _Slot(item, "text", item.pages)
        yield from _item_slots(item.children)


def _section_slots(section: OutlineSection) -> Iterator[_Slot]:
    yield _Slot(section, "title", [section.page])
    for paragraph in section.paragraphs:
        yield _Slot(paragraph, "text", paragraph.pages)


# --- following a correction into what quoted the old text --------------------------------------

def corrected_quote(quote: str, corrections: Sequence[AppliedCorrection]) -> str:
    """A quote with the corrections applied: where it contains a correction's old text, or starts
    or ends inside it (a quote cut mid-phrase), the corrected text takes its place."""
    for corr in corrections:
        old, new = corr.old, corr.new
        if old in quote:
            quote = quote.replace(old, new)
            continue
        # The quote ends with the beginning of `old` (or starts with its end): extend it over the
        # whole corrected phrase, which follows (precedes) it in the corrected text.
        passage = corr.before
        for k in range(len(old) - 1, 1, -1):
            if quote.endswith(old[:k]) and quote[:-k] + old in passage:
                quote = quote[:-k] + new
                break
            if quote.startswith(old[-k:]) and old + quote[k:] in passage:
                quote = new + quote[k:]
                break
    return quote


def follow_corrections(
    reviewed: Any, corrections: Sequence[AppliedCorrection], found: Callable[[int, str], bool]
) -> list[tuple[int, str, str]]:
    """Rewrite, in memory, the reviewed codings' evidence quotes that quote a corrected passage.

    `reviewed` is the loaded reviewed codings (cases → decisions → quotes), changed in place;
    `found(case, quote)` says whether a quote occurs in the corrected case. Only a quote that no
    longer occurs is rewritten, only with the corrections of its own case, and only when the
    rewritten quote does occur. Returns (case, attribute, new quote) for each quote updated.
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


def explain_corrections(
    report: Report, fixed: Report, validation: Any, applied: list[AppliedCorrection],
    codebook: Path, reviewed: Path | None,
) -> list[AppliedCorrection]:
    """The applied corrections with what they changed besides the text: the reviewed quotes they
    updated and the counts they moved (validation of the uncorrected `report` against
    `validation`, that of the corrected `fixed`)."""
    if not applied:
        return applied
    from transform.validation.coding import find_quote, load_reviewed
    from transform.validation.run import validate_report

    before = validate_report(report, codebook, reviewed)
    cases = {c.no: c for c in fixed.cases}
    quotes = follow_corrections(
        load_reviewed(reviewed), fixed.corrections,
        lambda no, q: no in cases and find_quote(cases[no], q) is not None,
    ) if reviewed is not None else []
    moved = moved_counts(before, validation)
    out = []
    for corr in applied:
        updated = [*corr.updated, *(
            f"レビュー済みコーディングの引用（事例{no} {attribute}）"
            for no, attribute, new in quotes if no == corr.case and corr.new in new
        )]
        mine = [f"{title}: {old} → {new}" for title, old, new, nos in moved
                if corr.case in nos or (corr.section is not None and not nos)]
        out.append(dataclasses.replace(corr, updated=updated, moved=mine))
    return out


def moved_counts(before: Any, after: Any) -> list[tuple[str, Any, Any, set[int]]]:
    """The checks whose count a correction moved: (title, before, after, cases whose coding
    changed), in check order. `before` and `after` are validation reports of the uncorrected and
    the corrected text; a changed stated value (a corrected Chapter 3 sentence) counts too."""
    old = {c.id: c for c in before.checks}
    out = []
    for check in after.checks:
        prior = old.get(check.id)
        if prior is None or check.group in ("citations", "proofreading"):
            continue
        stated = (prior.stated.value if prior.stated else None, check.stated.value if check.stated else None)
        if prior.derived != check.derived:
            nos = {r.no for r in prior.cases} ^ {r.no for r in check.cases}
            out.append((check.title, prior.derived, check.derived, nos))
        elif stated[0] != stated[1]:
            out.append((f"{check.title}（報告書の記載）", stated[0], stated[1], set()))
    return out
