"""What changed since the previous published build: cases, step texts, counts, check statuses.

Editors read it after every regeneration (changes.html, changes.json, a Prefect artifact) to see
exactly what a new source or a correction did to the casebook.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from transform.export import load_report
from transform.records import AppliedCorrection, Case, Report, Step
from transform.validation.model import ValidationReport


@dataclass
class StepChange:
    """A step whose text differs, with a unified diff of its lines."""

    step: int
    label: str
    diff: list[str]


@dataclass
class CaseChange:
    """A case present in both builds whose fields or steps differ."""

    no: int
    name: str
    fields: list[str] = field(default_factory=list)
    steps: list[StepChange] = field(default_factory=list)


@dataclass
class CheckChange:
    """A validation check whose stated value, derived value or status changed."""

    id: str
    title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class ChangeReport:
    previous: str | None
    cases_added: list[int] = field(default_factory=list)
    cases_removed: list[int] = field(default_factory=list)
    cases_changed: list[CaseChange] = field(default_factory=list)
    checks_changed: list[CheckChange] = field(default_factory=list)
    corrections: list[AppliedCorrection] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.cases_added or self.cases_removed or self.cases_changed or self.checks_changed)

    def summary(self) -> str:
        """One line for logs and the run summary."""
        if self.previous is None:
            return "first published build: nothing to compare with"
        if self.empty:
            return f"no changes since {self.previous}"
        return (
            f"since {self.previous}: {len(self.cases_added)} cases added, {len(self.cases_removed)} "
            f"removed, {len(self.cases_changed)} changed; {len(self.checks_changed)} checks changed"
        )


def compare(
    previous: Path | None,
    report: Report,
    validation: ValidationReport,
    corrections: list[AppliedCorrection],
) -> ChangeReport:
    """Compare a new build with the previous published one (a build folder, or None)."""
    if previous is None or not (previous / "report.json").exists():
        return ChangeReport(None, corrections=corrections)
    old = load_report(previous)
    old_checks = _checks(previous / "validation.json")
    new_checks = {c["id"]: c for c in validation.to_dict()["checks"]}
    old_cases = {c.no: c for c in old.cases}
    new_cases = {c.no: c for c in report.cases}
    return ChangeReport(
        previous=previous.name,
        cases_added=sorted(set(new_cases) - set(old_cases)),
        cases_removed=sorted(set(old_cases) - set(new_cases)),
        cases_changed=[
            change
            for no in sorted(set(old_cases) & set(new_cases))
            if (change := _case_change(old_cases[no], new_cases[no])) is not None
        ],
        checks_changed=_check_changes(old_checks, new_checks),
        corrections=corrections,
    )


def _checks(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    return {c["id"]: c for c in json.loads(path.read_text(encoding="utf-8"))["checks"]}


def _case_change(old: Case, new: Case) -> CaseChange | None:
    fields = [f for f in ("name", "region", "category", "prefectures") if getattr(old, f) != getattr(new, f)]
    old_steps = {s.step: s for s in old.steps}
    steps = []
    for step in new.steps:
        before = _step_lines(old_steps[step.step]) if step.step in old_steps else []
        after = _step_lines(step)
        if before != after:
            diff = list(difflib.unified_diff(before, after, "before", "after", lineterm="", n=1))
            steps.append(StepChange(step.step, step.label, diff))
    if not fields and not steps:
        return None
    return CaseChange(new.no, new.name, fields, steps)


def _step_lines(step: Step) -> list[str]:
    """A step as lines an editor can read in a diff: label, ■ headings, indented items, notes."""
    lines = [step.label]
    for section in step.sections:
        if section.heading:
            lines.append(f"■ {section.heading}")
        stack = [(item, 1) for item in section.items]
        while stack:
            item, level = stack.pop(0)
            lines.append(f"{'  ' * (level - 1)}・{item.text}")
            stack[0:0] = [(c, level + 1) for c in item.children]
    lines += step.notes
    return lines


def _check_changes(old: dict[str, dict], new: dict[str, dict]) -> list[CheckChange]:
    def view(check: dict | None) -> dict[str, Any] | None:
        if check is None:
            return None
        stated = check.get("stated") or {}
        return {"stated": stated.get("value"), "derived": check.get("derived"), "status": check["status"]}

    out = []
    for ident in [*new, *(k for k in old if k not in new)]:
        before, after = view(old.get(ident)), view(new.get(ident))
        if before != after:
            title = (new.get(ident) or old.get(ident) or {}).get("title", ident)
            out.append(CheckChange(ident, title, before, after))
    return out


def change_files(changes: ChangeReport) -> dict[str, bytes]:
    """changes.json and changes.html for the build folder."""
    data = asdict(changes)
    data["summary"] = changes.summary()
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    html = env.get_template("changes.html.j2").render(changes=changes, summary=changes.summary())
    return {
        "changes.json": (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "changes.html": html.encode("utf-8"),
    }
