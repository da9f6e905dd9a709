"""Artifacts of a build-casebook run for the Prefect UI, under stable keys (one history per key).

    validation-checks   table: every check with its stated and derived values and status
    build-summary       markdown: outcome, check counts, what changed, where the outputs are
    build-changes       markdown: the change report with per-step diffs
    casebook-docx, casebook-html, validation-report, change-report: links to the build's files

Each is one request to the server; a run makes eight at its end. They are sent side by side
(threads, each in the run's context), and `build_summary` — the last a run writes — waits for the
others before it writes its own, so the run ends only once all are recorded.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from casebook.vocabulary import CAUSES, GROUPS, REVIEW_STATES, SEVERITIES, SEVERITY_ORDER, STATUS, show
from flows.changes import ChangeReport, changes_markdown
from transform.validation.review import stable_value

LINKS = (
    ("casebook-docx", "casebook.docx", "事例集（Word）"),
    ("casebook-pdf", "casebook.pdf", "事例集（PDF）"),
    ("casebook-html", "html/index.html", "事例集（HTML）"),
    ("validation-report", "validation.html", "検証レポート（QA）"),
    ("change-report", "changes.html", "前回のビルドからの変更点"),
)


_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="casebook-artifacts")
_pending: list[Future[Any]] = []


def _send(create: Callable[..., Any], **kwargs: Any) -> None:
    """Create an artifact in the background, in the current run's context."""
    _pending.append(_POOL.submit(contextvars.copy_context().run, create, **kwargs))


def _wait() -> None:
    """Wait for the artifacts sent; the first failure is raised (as a direct call would)."""
    done, _pending[:] = list(_pending), []
    for future in done:
        future.result()


def checks_table(validation: dict[str, Any]) -> None:
    """The findings first (worst first), then the passing checks, in the triage page's words."""
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    checks = sorted(validation["checks"],
                    key=lambda c: (c["status"] == "pass", rank.get(c.get("severity") or "", 3)))
    rows = [
        {
            "重要度": SEVERITIES.get(c.get("severity") or "", "—") if c["status"] != "pass" else "—",
            "原因": CAUSES.get(c.get("cause") or "", "—"),
            "状態": _state(c),
            "チェック": c["title"],
            "検証の種類": GROUPS.get(c.get("group") or "", "—"),
            "報告書の記載": "—" if c["stated"] is None else show(c["stated"]["value"]),
            "ページ": "—" if c["stated"] is None else show(c["stated"]["page"]),
            "事例から": show(stable_value(c["derived"])),
            "ID": c["id"],
        }
        for c in checks
    ]
    _send(create_table_artifact, key="validation-checks", table=rows,
          description="検証：第3章の件数と第4章の出典（所見は重要度の高い順）")


def _state(check: dict[str, Any]) -> str:
    if check["status"] == "pass":
        return STATUS["pass"]
    review = check.get("review") or {}
    return REVIEW_STATES.get(review.get("state", "open"), "—")


def build_summary(*, ok: bool, message: str, changes: ChangeReport | None, build: Path | None,
                  latest: Path | None) -> None:
    """The run's outcome in a few lines; written for failed runs too."""
    lines = ["# 事例集ビルド", "", f"- 結果: **{'成功' if ok else '失敗'}** — {message}"]
    if changes is not None:
        lines.append(f"- 変更点: {changes.summary()}")
        lines += [f"  - 事例{c.no} {c.name}: ステップ {'、'.join(str(s.step) for s in c.steps) or '—'} が変更"
                  for c in changes.cases_changed]
        lines.append(f"- 適用した訂正: {len(changes.corrections)}件")
    lines.append(f"- このビルド: `{build}`" if build else "- このビルド: 公開なし")
    lines.append(f"- latest: `{latest}`" if latest else "- latest: まだなし")
    _wait()
    create_markdown_artifact(key="build-summary", markdown="\n".join(lines), description="事例集ビルド")


def change_report(changes: ChangeReport) -> None:
    """The change report with its diffs."""
    _send(create_markdown_artifact, key="build-changes", markdown=changes_markdown(changes),
          description="前回のビルドからの変更点")


def output_links(build: Path) -> None:
    """Links to the build's main files (file:// URLs, valid on the machine that ran the build)."""
    for key, rel, text in LINKS:
        _send(create_link_artifact, key=key, link=(build / rel).as_uri(), link_text=text)
