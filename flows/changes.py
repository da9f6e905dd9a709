"""What changed since the previous published build: cases, step texts, counts, check statuses.

Editors read it after every regeneration (changes.html, changes.json and a Prefect artifact) to
see what a new source or a correction did to the casebook — in Japanese, every value as a reader
reads it (casebook.vocabulary.show and its labels, never a Python repr): cases added or removed
by number, name and page; changed items with a character-level diff; counts old → new; findings
that moved to another page or other cases. Both sides are compared as published: the previous
build's cases.json and validation.json, and this build's validation.json data.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from casebook.vocabulary import (
    DECIDED,
    GROUPS,
    SEVERITIES,
    STATUS,
    reader_time,
    reader_words,
    show,
    step_label,
)
from transform.records import DEFAULT_TITLE, AppliedCorrection, Case, Report, Step, walk
from transform.validation.review import stable_value

# The case fields compared, with the words the casebook uses for them.
CASE_FIELDS = {"name": "名称", "region": "地域", "category": "区分", "prefectures": "都道府県"}
CHECK_PARTS = {"stated": "報告書の記載", "derived": "事例本文からの集計", "status": "判定"}


@dataclass
class CaseEntry:
    """A case added or removed: number, name and pages."""

    no: int
    name: str
    pages: list[int]


@dataclass
class DiffSegment:
    """A piece of a changed line: `same`, `del` (only before) or `ins` (only after)."""

    op: str
    text: str


@dataclass
class LineEdit:
    """One line of a step that changed (`changed`, with its character-level segments), was
    added or was removed."""

    kind: str
    before: str | None
    after: str | None
    segments: list[DiffSegment] = field(default_factory=list)


@dataclass
class StepChange:
    """A step whose text differs: its line edits and a unified diff of its lines (see `step_lines`)."""

    step: int
    label: str
    diff: list[str]
    edits: list[LineEdit] = field(default_factory=list)


@dataclass
class FieldChange:
    """A case field (名称, 地域 …) before and after, as shown to readers."""

    field: str
    label: str
    before: str
    after: str


@dataclass
class CaseChange:
    """A case present in both builds whose fields or steps differ."""

    no: int
    name: str
    fields: list[FieldChange] = field(default_factory=list)
    steps: list[StepChange] = field(default_factory=list)


@dataclass
class CheckChange:
    """A validation check whose stated value, derived value or status changed (None: absent)."""

    id: str
    title: str
    group: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def parts(self) -> list[tuple[str, str, str]]:
        """What changed, as (label, before, after) for readers: 記載値, 派生値, 判定."""
        if self.before is None or self.after is None:
            return []
        return [(label, _shown(name, self.before[name]), _shown(name, self.after[name]))
                for name, label in CHECK_PARTS.items() if self.before[name] != self.after[name]]


@dataclass
class MovedFinding:
    """A check with the same values and status whose statement moved to another page, or whose
    cases are others (a finding an editor has triaged may need a new look)."""

    id: str
    title: str
    status: str
    page_before: int | None
    page_after: int | None
    cases_before: list[int]
    cases_after: list[int]


@dataclass
class ChangeReport:
    """Differences between the previous published build and this one."""

    previous: str | None  # the previous build's folder name; None for the first build
    cases_added: list[CaseEntry] = field(default_factory=list)
    cases_removed: list[CaseEntry] = field(default_factory=list)
    cases_changed: list[CaseChange] = field(default_factory=list)
    checks_changed: list[CheckChange] = field(default_factory=list)
    findings_moved: list[MovedFinding] = field(default_factory=list)
    status_before: dict[str, int] | None = None  # validation summary {pass, mismatch, error}
    status_after: dict[str, int] = field(default_factory=dict)
    corrections: list[AppliedCorrection] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing an editor would see differs."""
        return not (self.cases_added or self.cases_removed or self.cases_changed or self.checks_changed
                    or self.findings_moved)

    def previous_label(self) -> str:
        """The previous build as a reader names it: 「2026年12月4日（令和8年）23時22分の版」 (its
        folder's name starts with the UTC time of the build)."""
        if self.previous is None:
            return ""
        try:
            moment = datetime.strptime(self.previous.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return "版"
        return f"{reader_time(moment.isoformat())}の版"

    def reader_summary(self) -> str:
        """The summary for changes.html, in the casebook's words (no folder names or ids)."""
        if self.previous is None:
            return "初めて公開する版です（比較する前回の版はありません）。"
        if self.empty:
            return f"前回公開した{self.previous_label()}から変わったところはありません。"
        steps = sum(len(c.steps) for c in self.cases_changed)
        return (f"前回公開した{self.previous_label()}と比べて、事例の追加 {len(self.cases_added)}件・削除 "
                f"{len(self.cases_removed)}件・変更 {len(self.cases_changed)}件（調査項目 {steps}か所）、"
                f"照合結果の変化 {len(self.checks_changed)}件、記載箇所の移動 {len(self.findings_moved)}件。")

    def summary(self) -> str:
        """One line for logs, the run summary and changes.json."""
        if self.previous is None:
            return "初めて公開するビルドです（比較する前回のビルドはありません）"
        if self.empty:
            return f"前回のビルド {self.previous} から変更なし"
        steps = sum(len(c.steps) for c in self.cases_changed)
        return (
            f"前回のビルド {self.previous} から: 事例の追加 {len(self.cases_added)}・削除 "
            f"{len(self.cases_removed)}・変更 {len(self.cases_changed)}（ステップ {steps}）、"
            f"チェックの変化 {len(self.checks_changed)}、移動した指摘 {len(self.findings_moved)}"
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
        cases_added=[_ref(new_cases[no]) for no in sorted(set(new_cases) - set(old_cases))],
        cases_removed=[_ref(old_cases[no]) for no in sorted(set(old_cases) - set(new_cases))],
        cases_changed=[ch for no in common if (ch := case_change(old_cases[no], new_cases[no]))],
        checks_changed=check_changes(old_validation["checks"], validation["checks"]),
        findings_moved=moved_findings(old_validation["checks"], validation["checks"]),
        status_before=old_validation["summary"],
        status_after=status_after,
        corrections=corrections,
    )


def _ref(case: Case) -> CaseEntry:
    return CaseEntry(case.no, case.name, list(case.pages))


def case_change(old: Case, new: Case) -> CaseChange | None:
    """How a case differs between two builds (None when it does not). Pages are not compared."""
    fields = [FieldChange(name, label, show(getattr(old, name)), show(getattr(new, name)))
              for name, label in CASE_FIELDS.items() if getattr(old, name) != getattr(new, name)]
    old_steps = {s.step: s for s in old.steps}
    new_steps = {s.step: s for s in new.steps}
    steps = []
    for number in sorted(set(old_steps) | set(new_steps)):
        before = step_lines(old_steps[number]) if number in old_steps else []
        after = step_lines(new_steps[number]) if number in new_steps else []
        if before != after:
            label = (new_steps.get(number) or old_steps[number]).label
            diff = difflib.unified_diff(before, after, "前回", "今回", lineterm="", n=1)
            steps.append(StepChange(number, label, list(diff), line_edits(before, after)))
    if not fields and not steps:
        return None
    return CaseChange(new.no, new.name, fields, steps)


def step_lines(step: Step) -> list[str]:
    """A step as lines an editor can read in a diff: label, ■ sub-headings, indented items, notes."""
    lines = [step.label]
    for section in step.sections:
        if section.heading:
            lines.append(f"■ {section.heading}")
        lines += [f"{'  ' * (level - 1)}・{item.text}" for item, level in walk(section.items)]
    return lines + step.notes


def line_edits(before: list[str], after: list[str]) -> list[LineEdit]:
    """The lines that differ; a replaced line is paired with its successor and diffed by character."""
    edits: list[LineEdit] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        paired = min(len(old), len(new))  # 0 unless op is "replace"
        edits += [LineEdit("changed", a, b, char_diff(a, b)) for a, b in zip(old, new, strict=False)]
        edits += [LineEdit("removed", a, None) for a in old[paired:]]
        edits += [LineEdit("added", None, b) for b in new[paired:]]
    return edits


def char_diff(before: str, after: str) -> list[DiffSegment]:
    """Character-level diff of one line: what stayed, what was deleted, what was inserted."""
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(DiffSegment("same", before[i1:i2]))
            continue
        if i2 > i1:
            segments.append(DiffSegment("del", before[i1:i2]))
        if j2 > j1:
            segments.append(DiffSegment("ins", after[j1:j2]))
    return segments


def check_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[CheckChange]:
    """Checks (validation.json entries) whose stated value, derived value or status differ."""
    old_by_id = {c["id"]: c for c in old}
    new_by_id = {c["id"]: c for c in new}
    out = []
    for ident in [*new_by_id, *(k for k in old_by_id if k not in new_by_id)]:
        before, after = _check_view(old_by_id.get(ident)), _check_view(new_by_id.get(ident))
        if before != after:
            check = new_by_id.get(ident) or old_by_id[ident]
            out.append(CheckChange(ident, check["title"], check.get("group", ""), before, after))
    return out


def moved_findings(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[MovedFinding]:
    """Checks whose values and status are unchanged but whose statement's page or cases differ."""
    old_by_id = {c["id"]: c for c in old}
    moved = []
    for check in new:
        before = old_by_id.get(check["id"])
        if before is None or _check_view(before) != _check_view(check):
            continue  # new, or changed: listed with the changed checks
        page_before, page_after = _page(before), _page(check)
        cases_before, cases_after = _case_nos(before), _case_nos(check)
        if (page_before, cases_before) != (page_after, cases_after):
            moved.append(MovedFinding(check["id"], check["title"], check["status"], page_before, page_after,
                                      cases_before, cases_after))
    return moved


def _check_view(check: dict[str, Any] | None) -> dict[str, Any] | None:
    if check is None:
        return None
    stated = check.get("stated") or {}
    # Scores move with any edit of a case's text; what the check concludes is what changed or not.
    derived = stable_value(check.get("derived"))
    return {"stated": stated.get("value"), "derived": derived, "status": check["status"]}


def _page(check: dict[str, Any]) -> int | None:
    return (check.get("stated") or {}).get("page")


def _case_nos(check: dict[str, Any]) -> list[int]:
    return sorted(c["no"] for c in check.get("cases") or [] if "no" in c)


def _shown(part: str, value: Any) -> str:
    return STATUS.get(value, show(value)) if part == "status" else show(value)


def change_files(changes: ChangeReport, title: str = DEFAULT_TITLE) -> dict[str, bytes]:
    """changes.json and changes.html (Japanese, for editors) for the build folder; the page
    carries the publication bar of the casebook called `title` (render.navigation), with the
    draft mark when this build's validation leaves the edition a draft (render.edition)."""
    from render.edition import edition_of
    from render.navigation import bar, stylesheet

    data = asdict(changes)
    data["summary"] = changes.summary()
    html = _templates().get_template("changes.html.j2").render(
        changes=changes, summary=changes.summary(), counts=counts_line(changes), status=STATUS,
        groups=GROUPS, pages=pages, check_state=check_state, moved=moved, show=show,
        pub=bar(title, edition_of(changes.status_after or None), "changes"), pub_css=stylesheet(),
        words=reader_words, step_label=step_label, place=_place,
    )
    return {
        "changes.json": (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "changes.html": html.encode("utf-8"),
    }


# The counts of the triage page (open findings by severity, decided ones), then pass and error.
COUNTS = {**SEVERITIES, "decided": DECIDED, "pass": STATUS["pass"], "error": STATUS["error"]}


def counts_line(changes: ChangeReport) -> str:
    """The validation counts before → after: 「要対応 7 → 8、要確認 22 → 22、…、一致 92 → 91、…」."""
    before, after = changes.status_before, changes.status_after
    if not before:
        return "、".join(f"{label} {after.get(key, 0)}" for key, label in COUNTS.items())
    return "、".join(f"{label} {before.get(key, 0)} → {after.get(key, 0)}" for key, label in COUNTS.items())


def pages(numbers: list[int]) -> str:
    """Pages as the casebook prints them: 「p.28–29」, 「p.13」."""
    if not numbers:
        return "ページ不明"
    first, last = min(numbers), max(numbers)
    return f"p.{first}" if first == last else f"p.{first}–{last}"


def check_state(view: dict[str, Any] | None) -> str:
    """A check's side of a change: 「記載値 29、派生値 30、判定 不一致」, or 「（なし）」."""
    if view is None:
        return "（なし）"
    return "、".join(f"{label} {_shown(name, view[name])}" for name, label in CHECK_PARTS.items())


def changes_markdown(changes: ChangeReport, *, max_diff_lines: int = 40) -> str:
    """The change report as markdown for the Prefect UI (long diffs are cut; changes.html has all)."""
    lines = ["# 変更点", "", changes.summary()]
    if changes.previous is not None:
        lines += ["", f"- 追加した事例: {_refs(changes.cases_added)}",
                  f"- 削除した事例: {_refs(changes.cases_removed)}",
                  f"- 検証の件数: {counts_line(changes)}"]
    for case in changes.cases_changed:
        lines += ["", f"## 事例{case.no} {case.name}"]
        lines += [f"- {f.label}: 「{f.before}」→「{f.after}」" for f in case.fields]
        for step in case.steps:
            diff = step.diff[:max_diff_lines] + (["…"] if len(step.diff) > max_diff_lines else [])
            lines += [f"### {step.label}（{step_label(step.step)}）", "```diff", *diff, "```"]
            lines += [f"- {_edit_markdown(e)}" for e in step.edits if e.kind == "changed"][:max_diff_lines]
    if changes.checks_changed:
        lines += ["", "## 検証の変化", "", "| チェック | 前回 | 今回 |", "|---|---|---|"]
        for c in changes.checks_changed:
            before, after = check_state(c.before), check_state(c.after)
            lines.append(f"| {_cell(c.title)} | {_cell(before)} | {_cell(after)} |")
    if changes.findings_moved:
        lines += ["", "## 移動した指摘", ""]
        lines += [f"- {m.title}（{_shown('status', m.status)}）: {moved(m)}" for m in changes.findings_moved]
    if changes.corrections:
        lines += ["", f"## 適用した訂正（{len(changes.corrections)}件）"]
        for c in changes.corrections:
            also = [*(f"あわせて更新 {u}" for u in c.updated), *(f"集計の変化 {m}" for m in c.moved)]
            reason = "、".join(part for part in (c.reason, c.credit) if part)
            lines.append(f"- {_place(c)} {c.where}: 「{c.old}」→「{c.new}」（{reason}）"
                         + reader_words("".join(f"；{a}" for a in also)))
    return "\n".join(lines)


def _refs(cases: list[CaseEntry]) -> str:
    return "、".join(f"事例{c.no} {c.name}（{pages(c.pages)}）" for c in cases) or "なし"


def _edit_markdown(edit: LineEdit) -> str:
    """A changed line with its deletions as ~~…~~ and insertions as **…**."""
    marks = {"same": "{}", "del": "~~{}~~", "ins": "**{}**"}
    return "".join(marks[s.op].format(s.text) for s in edit.segments)


def moved(m: MovedFinding) -> str:
    """Where a moved finding was and is: 「記載のページ 10 → 11、該当する事例 事例19 → 事例20」."""
    parts = []
    if m.page_before != m.page_after:
        parts.append(f"記載のページ {show(m.page_before)} → {show(m.page_after)}")
    if m.cases_before != m.cases_after:
        parts.append(f"該当する事例 {_case_list(m.cases_before)} → {_case_list(m.cases_after)}")
    return "、".join(parts)


def _case_list(numbers: list[int]) -> str:
    return "・".join(f"事例{n}" for n in numbers) or "なし"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _place(correction: AppliedCorrection) -> str:
    """「事例1 調査項目⑤」 or 「第3章 3.3.(4)」, as the casebook's 付録B names it."""
    if correction.case is not None and correction.step:
        return f"事例{correction.case} {step_label(correction.step)}"
    return correction.location


def _templates() -> Environment:
    from render.model import HERE  # the publication bar's template is the renderer's: one for every page

    return Environment(
        loader=ChoiceLoader([FileSystemLoader(Path(__file__).parent / "templates"),
                             FileSystemLoader(HERE / "templates")]),
        autoescape=select_autoescape(["html", "j2"]),
    )
