"""Editors' corrections (errata) applied to the extracted records.

A correction names a case and a step and replaces an exact piece of extracted text (in an item, a
sub-heading or a note of that step) with the corrected text, giving a reason. A correction whose
old text does not occur exactly once in that step is an error naming it: it was written against
another edition, or the extraction changed, and an editor must look at it.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from transform.records import AppliedCorrection, Case, Item, Report, Step

FIELDS = ("case", "step", "old", "new", "reason")


class CorrectionError(ValueError):
    """A corrections file that cannot be applied; the message names the entry and what to do."""


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections file."""

    case: int
    step: int
    old: str
    new: str
    reason: str

    def label(self, index: int) -> str:
        """How messages name this entry: its position in the file, case and step."""
        return f"correction #{index} (事例{self.case} step {self.step})"


def load_corrections(path: Path) -> list[Correction]:
    """Read the editors' YAML file: a list of {case, step, old, new, reason}. No file: none."""
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
    if not isinstance(entry, dict) or set(entry) != set(FIELDS):
        found = ", ".join(sorted(map(str, entry))) if isinstance(entry, dict) else type(entry).__name__
        raise CorrectionError(
            f"{path}: correction #{index} needs case, step, old, new and reason, and nothing else "
            f"(found: {found})"
        )
    try:
        case, step = int(entry["case"]), int(entry["step"])
    except (TypeError, ValueError) as exc:
        raise CorrectionError(f"{path}: correction #{index}: case and step must be numbers") from exc
    old, new, reason = (entry[k] for k in ("old", "new", "reason"))
    if not all(isinstance(t, str) and t for t in (old, new, reason)):
        raise CorrectionError(f"{path}: correction #{index}: old, new and reason must be non-empty text")
    return Correction(case, step, old, new, reason)


def apply_corrections(
    report: Report, corrections: list[Correction]
) -> tuple[Report, list[AppliedCorrection]]:
    """A corrected report and the corrections applied, in file order.

    The input report is not modified: corrected cases are copies, the others are shared.
    """
    if not corrections:
        return report, []
    copies: dict[int, Case] = {}
    applied = []
    for index, corr in enumerate(corrections, start=1):
        if corr.case not in copies:
            copies[corr.case] = copy.deepcopy(_case(report, corr, index))
        _replace_once(_step(copies[corr.case], corr, index), corr, index)
        applied.append(AppliedCorrection(corr.case, corr.step, corr.old, corr.new, corr.reason))
    fixed = dataclasses.replace(report, cases=[copies.get(c.no, c) for c in report.cases])
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


def _replace_once(step: Step, corr: Correction, index: int) -> None:
    """Replace `old`, insisting on exactly one occurrence in the whole step."""
    slots = [slot for slot in _slots(step) if corr.old in slot.get()]
    count = sum(slot.get().count(corr.old) for slot in slots)
    if count != 1:
        found = "does not occur" if count == 0 else f"occurs {count} times"
        raise CorrectionError(
            f"{corr.label(index)}: the old text {corr.old!r} {found} in that step of the extracted "
            "text — copy it exactly from cases.json, or update or remove the correction"
        )
    slots[0].set(slots[0].get().replace(corr.old, corr.new))


@dataclass
class _Slot:
    """A piece of text inside a step that a correction may rewrite: an attribute or a list entry."""

    owner: object
    key: str | int

    def get(self) -> str:
        if isinstance(self.key, int):
            return self.owner[self.key]  # type: ignore[index]
        return getattr(self.owner, self.key) or ""

    def set(self, value: str) -> None:
        if isinstance(self.key, int):
            self.owner[self.key] = value  # type: ignore[index]
        else:
            setattr(self.owner, self.key, value)


def _slots(step: Step) -> Iterator[_Slot]:
    for section in step.sections:
        if section.heading:
            yield _Slot(section, "heading")
        yield from _item_slots(section.items)
    for i in range(len(step.notes)):
        yield _Slot(step.notes, i)


def _item_slots(items: list[Item]) -> Iterator[_Slot]:
    for item in items:
        yield _Slot(item, "text")
        yield from _item_slots(item.children)
