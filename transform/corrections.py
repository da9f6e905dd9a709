"""Editors' corrections (errata) applied to the extracted records.

A correction names where it applies and replaces an exact piece of extracted text there with the
corrected text, giving a reason and a note (where the error is printed, why the fix is right).
The places, by their keys:

    case + step   a step (①…⑥) of a case: its label, items, sub-headings and notes
    case          the case heading: its name and its region (the prefectures follow the region)
    section       a section of the report's outline (「4.1.(3)」): its title and paragraphs — a
                  【参考となる事例】 credit printed there is read again, so its organisation,
                  region and quote follow the correction
    table         a captioned table (「3-1」 for 図表3-1): its title and cells

A correction whose old text does not occur exactly once in its place is an error naming the file,
the entry and the text: it was written against another edition, or the extraction changed, and an
editor must look at it. `by` and `date` (optional) say who revised the text and when (a Word
revision's author and day, written by `casebook absorb`).

A correction reaches everything that quoted the old text: the Chapter 4 citations that quote a
corrected case text (fixed here), and — at validation time — the reviewed codings' evidence quotes
(`transform.validation.errata`), so that a shipped correction never turns a reviewed quote into an
error. What each correction changed is recorded on its `AppliedCorrection` for the appendix (付録B)
and the change report. This module knows nothing of validation: validation follows the
corrections, never the other way round.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from casebook.errors import EditorialError
from casebook.yamlfile import read_yaml
from transform.prefectures import prefectures_in
from transform.records import (
    AppliedCorrection,
    Case,
    Citation,
    Item,
    OutlineSection,
    Paragraph,
    Report,
    ReportTable,
    Step,
)

REQUIRED = ("old", "new", "reason")
OPTIONAL = ("note", "by", "date")  # by, date: who revised it and when (a Word revision's author and day)
# Where a correction applies: the first key set an entry has all of decides — a step, a case's
# heading (its name and region), a section, a captioned table.
PLACES = (("case", "step"), ("case",), ("section",), ("table",))
PLACE_KEYS = ("case", "step", "section", "table")


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
    section: str | None = None  # an outline path (「3.3.(4)」) instead of a case
    note: str = ""
    file: str = field(default="", compare=False)  # the file it was read from, for messages
    by: str = ""  # who revised the text and when (a Word revision's author and day)
    date: str = ""
    table: str | None = None  # a captioned table's number (「3-1」) instead of a case

    @property
    def place(self) -> str:
        if self.section is not None:
            return f"section {self.section}"
        if self.table is not None:
            return f"図表{self.table}"
        return f"事例{self.case} " + (f"step {self.step}" if self.step is not None else "heading")

    def to_entry(self) -> dict[str, str | int]:
        """The entry as the corrections file writes it (keys in the file's order, empty ones left out)."""
        values = {"case": self.case, "step": self.step, "section": self.section, "table": self.table,
                  "old": self.old, "new": self.new, "reason": self.reason, "by": self.by, "date": self.date,
                  "note": self.note}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def label(self, index: int) -> str:
        """How messages name this entry: file, position in the file and where it applies."""
        where = f"{self.file}: " if self.file else ""
        return f"{where}correction #{index} ({self.place})"


def load_corrections(path: Path) -> list[Correction]:
    """Read the editors' YAML file: a list of {case [+ step] | section | table, old, new, reason,
    note}. No file: none."""
    if not path.exists():
        return []
    data = read_yaml(path, CorrectionError, "corrections file")
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionError(f"{path}: expected a list of corrections — see the example in the file")
    return [_entry(path, index, entry) for index, entry in enumerate(data, start=1)]


def _entry(path: Path, index: int, entry: object) -> Correction:
    what = (f"{path}: correction #{index} needs a place (case and step, case alone for its heading, "
            "section or table), old, new and reason, optionally note, by and date")
    if not isinstance(entry, dict):
        raise CorrectionError(f"{what} (found: {type(entry).__name__})")
    keys = {str(k) for k in entry}
    unknown = sorted(keys - {*REQUIRED, *OPTIONAL, *PLACE_KEYS})
    if unknown:
        near = process.extractOne(unknown[0], [*REQUIRED, *OPTIONAL, *PLACE_KEYS], scorer=fuzz.ratio,
                                  score_cutoff=60)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise CorrectionError(f"{what}, and nothing else: unknown key {unknown[0]!r}{hint}")
    place = next((p for p in PLACES if set(p) <= keys), None)
    if place is None or not set(REQUIRED) <= keys or len(keys & set(PLACE_KEYS)) != len(place):
        raise CorrectionError(f"{what}, and nothing else (found: {', '.join(sorted(keys))})")
    case = step = section = table = None
    try:
        if "case" in place:
            case = int(entry["case"])
            step = int(entry["step"]) if "step" in place else None
    except (TypeError, ValueError) as exc:
        raise CorrectionError(f"{path}: correction #{index}: case and step must be numbers") from exc
    if "section" in place:
        section = str(entry["section"])
    if "table" in place:
        table = str(entry["table"]).removeprefix("図表")
    old, new, reason = (entry[k] for k in REQUIRED)
    note, by = entry.get("note", ""), entry.get("by", "")
    date = entry.get("date", "")
    date = date.isoformat() if hasattr(date, "isoformat") else date  # YAML reads 2026-12-04 as a date
    if not all(isinstance(t, str) and t for t in (old, new, reason)) or \
            not all(isinstance(t, str) for t in (note, by, date)):
        raise CorrectionError(f"{path}: correction #{index}: old, new and reason must be non-empty text; "
                              "note, by and date text")
    return Correction(case, step, old, new, reason, section, note.strip(), str(path), str(by).strip(),
                      str(date).strip(), table)


def apply_corrections(
    report: Report, corrections: list[Correction]
) -> tuple[Report, list[AppliedCorrection]]:
    """A corrected report and the corrections applied, in file order.

    The input report is not modified: corrected cases, sections and tables are copies, the others
    are shared. The corrected report lists the applied corrections (`Report.corrections`), so that
    validation can follow them into the reviewed codings' quotes.
    """
    if not corrections:
        return report, []
    fixing = _Fixing(report)
    applied = [fixing.apply(corr, index) for index, corr in enumerate(corrections, start=1)]
    fixed = dataclasses.replace(
        report,
        cases=[fixing.cases.get(c.no, c) for c in report.cases],
        outline=[fixing.sections.get(s.path, s) for s in report.outline],
        tables=[fixing.tables.get(t.number, t) for t in report.tables],
        citations=fixing.citations,
        corrections=[*report.corrections, *applied],
    )
    return fixed, applied


class _Fixing:
    """The copies a run of corrections writes into: cases, sections and tables copied on first
    use, and the citations."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cases: dict[int, Case] = {}
        self.sections: dict[str, OutlineSection] = {}
        self.tables: dict[str, ReportTable] = {}
        self.citations: list[Citation] = copy.deepcopy(report.citations)

    def apply(self, corr: Correction, index: int) -> AppliedCorrection:
        report = self.report
        updated: list[str] = []
        if corr.section is not None:
            if corr.section not in self.sections:
                self.sections[corr.section] = copy.deepcopy(_section(report, corr, index))
            section = self.sections[corr.section]
            slot, before = _replace_once(list(_section_slots(section)), corr, index)
            self._reread_citation(section, slot, before)
        elif corr.table is not None:
            if corr.table not in self.tables:
                self.tables[corr.table] = copy.deepcopy(_table(report, corr, index))
            slot, before = _replace_once(list(_table_slots(self.tables[corr.table])), corr, index)
        else:
            if corr.case not in self.cases:
                self.cases[corr.case] = copy.deepcopy(_case(report, corr, index))
            case = self.cases[corr.case]
            if corr.step is None:
                slot, before = _replace_once(list(_heading_slots(case)), corr, index)
                case.prefectures = prefectures_in(case.region)
            else:
                slot, before = _replace_once(list(_step_slots(_step(case, corr, index))), corr, index)
                updated = self._follow_quotes(corr)
        return AppliedCorrection(
            corr.case, corr.step, corr.old, corr.new, corr.reason,
            section=corr.section, table=corr.table, note=corr.note, pages=list(slot.pages),
            where=report.page_reference(slot.pages), before=before, after=slot.get(), updated=updated,
            by=corr.by, date=corr.date,
            part=str(slot.key) if corr.case is not None and corr.step is None else "",
        )

    def _follow_quotes(self, corr: Correction) -> list[str]:
        """Chapter 4 citations quoting the corrected case text quote the corrected text."""
        quoted = [cit for cit in self.citations if corr.old in cit.quote]
        for cit in quoted:
            cit.quote = cit.quote.replace(corr.old, corr.new)
        return [f"第4章の引用（{self.report.page_reference(cit.pages)}）" for cit in quoted]

    def _reread_citation(self, section: OutlineSection, slot: _Slot, before: str) -> None:
        """A corrected paragraph that is a 【参考となる事例】 credit is read again, so that its
        organisation, region, quote and closing brackets are those of the corrected text."""
        if not isinstance(slot.owner, Paragraph):
            return
        for i, cit in enumerate(self.citations):
            if cit.section_path == section.path and cit.raw == before:
                # Imported here, not above: it loads the PDF layer (pdfminer), which correcting
                # records needs only when a credit is corrected.
                from transform.statements import parse_citation

                self.citations[i] = parse_citation(slot.owner, section, cit.point)


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


def _table(report: Report, corr: Correction, index: int) -> ReportTable:
    table = report.table(corr.table or "")
    if table is None:
        known = "、".join(f"図表{t.number}" for t in report.tables)
        raise CorrectionError(f"{corr.label(index)}: the report has no 図表{corr.table} (it has {known})")
    return table


def _replace_once(slots: list[_Slot], corr: Correction, index: int) -> tuple[_Slot, str]:
    """Replace `old`, insisting on exactly one occurrence in the whole place; the slot and its
    text before the correction."""
    matching = [slot for slot in slots if corr.old in slot.get()]
    count = sum(slot.get().count(corr.old) for slot in matching)
    if count != 1:
        found = "does not occur" if count == 0 else f"occurs {count} times"
        source = {"section": "outline.json", "table": "tables/"}.get(
            "section" if corr.section else "table" if corr.table else "", "cases.json")
        raise CorrectionError(
            f"{corr.label(index)}: the old text {corr.old!r} {found} in that place of the extracted "
            f"text — copy it exactly from {source}, or update or remove the correction"
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


def _heading_slots(case: Case) -> Iterator[_Slot]:
    yield _Slot(case, "name", case.pages[:1])
    yield _Slot(case, "region", case.pages[:1])


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


def _table_slots(table: ReportTable) -> Iterator[_Slot]:
    yield _Slot(table, "title", table.pages[:1])
    rows_known = len(table.row_pages) == len(table.rows)  # the page of each row, where recorded
    for r, row in enumerate(table.rows):
        pages = [table.row_pages[r]] if rows_known else table.pages
        for i in range(len(row)):
            yield _Slot(row, i, pages)


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
