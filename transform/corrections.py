"""Editors' corrections (errata) applied to the extracted records.

A correction names a case and a step and replaces an exact piece of extracted text (in an item, a
sub-heading or a note of that step) with the corrected text, giving a reason. A correction whose
old text does not occur exactly once in that step is an error naming it: it was written against
another edition, or the extraction changed, and an editor must look at it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from transform.records import AppliedCorrection, Item, Report, Step


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


def load_corrections(path: Path) -> list[Correction]:
    """Read the editors' YAML file (a list of {case, step, old, new, reason}); missing → none."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CorrectionError(f"{path}: not valid YAML ({exc}) — fix the file's syntax") from exc
    if not isinstance(data, list):
        raise CorrectionError(f"{path}: expected a list of corrections — see the example in the file")
    out = []
    for index, entry in enumerate(data, start=1):
        try:
            out.append(
                Correction(
                    int(entry["case"]),
                    int(entry["step"]),
                    str(entry["old"]),
                    str(entry["new"]),
                    str(entry["reason"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorrectionError(
                f"{path}: correction #{index} needs case, step, old, new and reason ({exc!r})"
            ) from exc
    return out


def apply_corrections(
    report: Report, corrections: list[Correction]
) -> tuple[Report, list[AppliedCorrection]]:
    """Return a corrected copy of the report and the corrections applied (input unchanged)."""
    fixed = copy.deepcopy(report)
    applied = []
    for index, corr in enumerate(corrections, start=1):
        step = _step(fixed, corr, index)
        targets = _texts(step)
        hits = [t for t in targets if corr.old in t.get()]
        count = sum(t.get().count(corr.old) for t in hits)
        if count != 1:
            found = "does not occur" if count == 0 else f"occurs {count} times"
            raise CorrectionError(
                f"correction #{index} (事例{corr.case} step {corr.step}): the old text {corr.old!r} "
                f"{found} in that step — update or remove it in the corrections file"
            )
        hits[0].set(hits[0].get().replace(corr.old, corr.new))
        applied.append(AppliedCorrection(corr.case, corr.step, corr.old, corr.new, corr.reason))
    return fixed, applied


def _step(report: Report, corr: Correction, index: int) -> Step:
    case = next((c for c in report.cases if c.no == corr.case), None)
    if case is None:
        raise CorrectionError(f"correction #{index}: there is no 事例{corr.case} in this report")
    step = next((s for s in case.steps if s.step == corr.step), None)
    if step is None:
        raise CorrectionError(f"correction #{index}: 事例{corr.case} has no step {corr.step}")
    return step


@dataclass
class _Slot:
    """A piece of text inside a step that a correction may rewrite."""

    owner: object
    attr: str | int

    def get(self) -> str:
        if isinstance(self.attr, int):
            return self.owner[self.attr]  # type: ignore[index]
        return getattr(self.owner, self.attr) or ""

    def set(self, value: str) -> None:
        if isinstance(self.attr, int):
            self.owner[self.attr] = value  # type: ignore[index]
        else:
            setattr(self.owner, self.attr, value)


def _texts(step: Step) -> list[_Slot]:
    slots: list[_Slot] = []
    for section in step.sections:
        if section.heading:
            slots.append(_Slot(section, "heading"))
        stack: list[Item] = list(section.items)
        while stack:
            item = stack.pop(0)
            slots.append(_Slot(item, "text"))
            stack[0:0] = item.children
    slots += [_Slot(step.notes, i) for i in range(len(step.notes))]
    return slots
