"""What changed since the previous published build: cases, step texts, counts, check statuses.

Editors read it after every regeneration (changes.html, changes.json and a Prefect artifact) to
see what a new source or a correction did to the casebook. Both sides are compared as published:
the previous build's cases.json and validation.json, and this build's validation.json data.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from transform.records import AppliedCorrection, Case, Item, Report, Step
from transform.validation.review import stable_value

CASE_FIELDS = ("name", "region", "category", "prefectures")


@dataclass
class StepChange:
    """A step whose text differs, with a unified diff of its lines (see `step_lines`)."""

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
    """A validation check whose stated value, derived value or status changed (None: absent)."""

    id: str
    title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class ChangeReport:
    """Differences between the previous published build and this one."""

    previous: str | None  # the previous build's folder name; None for the first build
    cases_added: list[int] = field(default_factory=list)
    cases_removed: list[int] = field(default_factory=list)
    cases_changed: list[CaseChange] = field(default_factory=list)
    checks_changed: list[CheckChange] = field(default_factory=list)
    status_before: dict[str, int] | None = None  # validation summary {pass, mismatch, error}
    status_after: dict[str, int] = field(default_factory=dict)
    corrections: list[AppliedCorrection] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing an editor would see differs."""
        return not (self.cases_added or self.cases_removed or self.cases_changed or self.checks_changed)

    def summary(self) -> str:
        """One line for logs, the run summary and the top of changes.html."""
        if self.previous is None:
            return "first published build: nothing to compare with"
        if self.empty:
            return f"no changes since {self.previous}"
        steps = sum(len(c.steps) for c in self.cases_changed)
        return (
            f"since {self.previous}: {len(self.cases_added)} cases added, {len(self.cases_removed)} "
            f"removed, {len(self.cases_changed)} changed ({steps} steps); "
            f"{len(self.checks_changed)} checks changed"
        )


def compare(
    previous: Path | None,
    report: Report,
    validation: dict[str, Any],
    corrections: list[AppliedCorrection],
) -> ChangeReport:
    """Compare a new build (records, validation.json data) with a previous build folder, if any."""
    status_after = dict(validation["summary"])
    old_cases_json = _read_json(previous / "cases.json") if previous is not None else None
    if previous is None or old_cases_json is None:
        return ChangeReport(None, status_after=status_after, corrections=corrections)
    old_validation = _read_json(previous / "validation.json") or {"checks": [], "summary": None}
    old_cases = {c.no: c for c in map(Case.from_dict, old_cases_json)}
    new_cases = {c.no: c for c in report.cases}
    common = sorted(set(old_cases) & set(new_cases))
    return ChangeReport(
        previous=previous.name,
        cases_added=sorted(set(new_cases) - set(old_cases)),
        cases_removed=sorted(set(old_cases) - set(new_cases)),
        cases_changed=[ch for no in common if (ch := case_change(old_cases[no], new_cases[no]))],
        checks_changed=check_changes(old_validation["checks"], validation["checks"]),
        status_before=old_validation["summary"],
        status_after=status_after,
        corrections=corrections,
    )


def case_change(old: Case, new: Case) -> CaseChange | None:
    """How a case differs between two builds (None when it does not). Pages are not compared."""
    fields = [f for f in CASE_FIELDS if getattr(old, f) != getattr(new, f)]
    old_steps = {s.step: s for s in old.steps}
    new_steps = {s.step: s for s in new.steps}
    steps = []
    for number in sorted(set(old_steps) | set(new_steps)):
        before = step_lines(old_steps[number]) if number in old_steps else []
        after = step_lines(new_steps[number]) if number in new_steps else []
        if before != after:
            label = (new_steps.get(number) or old_steps[number]).label
            diff = difflib.unified_diff(before, after, "前回", "今回", lineterm="", n=1)
            steps.append(StepChange(number, label, list(diff)))
    if not fields and not steps:
        return None
    return CaseChange(new.no, new.name, fields, steps)


def step_lines(step: Step) -> list[str]:
    """A step as lines an editor can read in a diff: label, ■ sub-headings, indented items, notes."""
    lines = [step.label]
    for section in step.sections:
        if section.heading:
            lines.append(f"■ {section.heading}")
        lines += _item_lines(section.items, 0)
    return lines + step.notes


def _item_lines(items: list[Item], depth: int) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"{'  ' * depth}・{item.text}")
        lines += _item_lines(item.children, depth + 1)
    return lines


def check_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[CheckChange]:
    """Checks (validation.json entries) whose stated value, derived value or status differ."""
    old_by_id = {c["id"]: c for c in old}
    new_by_id = {c["id"]: c for c in new}
    out = []
    for ident in [*new_by_id, *(k for k in old_by_id if k not in new_by_id)]:
        before, after = _check_view(old_by_id.get(ident)), _check_view(new_by_id.get(ident))
        if before != after:
            title = (new_by_id.get(ident) or old_by_id[ident])["title"]
            out.append(CheckChange(ident, title, before, after))
    return out


def _check_view(check: dict[str, Any] | None) -> dict[str, Any] | None:
    if check is None:
        return None
    stated = check.get("stated") or {}
    # Scores move with any edit of a case's text; what the check concludes is what changed or not.
    derived = stable_value(check.get("derived"))
    return {"stated": stated.get("value"), "derived": derived, "status": check["status"]}


def change_files(changes: ChangeReport) -> dict[str, bytes]:
    """changes.json and changes.html (Japanese, for editors) for the build folder."""
    data = asdict(changes)
    data["summary"] = changes.summary()
    html = _templates().get_template("changes.html.j2").render(changes=changes, summary=changes.summary())
    return {
        "changes.json": (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "changes.html": html.encode("utf-8"),
    }


def changes_markdown(changes: ChangeReport, *, max_diff_lines: int = 40) -> str:
    """The change report as markdown for the Prefect UI (long diffs are cut; changes.html has all)."""
    lines = ["# 変更点", "", changes.summary()]
    if changes.previous is not None:
        lines.append(f"\n- 追加: {_nos(changes.cases_added)} ／ 削除: {_nos(changes.cases_removed)}")
        lines.append(f"- 検証: {_counts(changes.status_before)} → {_counts(changes.status_after)}")
    for case in changes.cases_changed:
        lines += ["", f"## 事例{case.no} {case.name}"]
        if case.fields:
            lines.append(f"変更された項目: {', '.join(case.fields)}")
        for step in case.steps:
            diff = step.diff[:max_diff_lines] + (["…"] if len(step.diff) > max_diff_lines else [])
            lines += [f"### ステップ{step.step} {step.label}", "```diff", *diff, "```"]
    if changes.checks_changed:
        lines += ["", "## 検証の変化", "", "| チェック | 前回 | 今回 |", "|---|---|---|"]
        for c in changes.checks_changed:
            lines.append(f"| {_cell(c.title)} | {_cell(_show(c.before))} | {_cell(_show(c.after))} |")
    if changes.corrections:
        lines += ["", f"## 適用した訂正 ({len(changes.corrections)})"]
        for c in changes.corrections:
            also = [*(f"あわせて更新 {u}" for u in c.updated), *(f"集計の変化 {m}" for m in c.moved)]
            lines.append(f"- {c.location} {c.where}: 「{c.old}」→「{c.new}」（{c.reason}）"
                         + "".join(f"；{a}" for a in also))
    return "\n".join(lines)


def _nos(numbers: list[int]) -> str:
    return "、".join(f"事例{n}" for n in numbers) or "なし"


def _counts(summary: dict[str, int] | None) -> str:
    if not summary:
        return "（記録なし）"
    return f"一致 {summary['pass']}・要確認 {summary['mismatch']}・エラー {summary['error']}"


def _show(view: dict[str, Any] | None) -> str:
    if view is None:
        return "（なし）"
    return f"記載 {view['stated']} ／ 派生 {view['derived']} ／ {view['status']}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
