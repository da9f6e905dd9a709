"""validation.html — the QA triage page — and its CSV of findings, from a `ValidationReport`.

The page is built for a reviewer who must decide, finding by finding, whether to act: open high
findings first, then medium, then low — reopened ones (decided on values that have since changed)
apart from new ones; closed ones (decided, corrected by an erratum) folded away; counts at the
top, the same as the terminal's and the CSV's; filters by cause, severity and review state; each
finding with the report's statement (page as printed and the PDF page where they differ), the
report's method notes, the value the cases give, the evidence, a suggested action, the other
findings of the same defect, the values a reopened decision was made on (old → new) and the
errata that corrected it. It is one self-contained file beside the build's html/ folder.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from casebook.vocabulary import (
    BASIS,
    CAUSES,
    CORRECTED,
    DECIDED,
    DECISION_LAPSED,
    DECISIONS,
    GROUPS,
    OPEN_STATE_COUNTS,
    REVIEW_STATES,
    SEVERITIES,
    SEVERITY_ORDER,
    STATUS,
    reader_time,
    show,
)
from render.edition import edition
from render.findings import CSV_COLUMNS, EvidenceRow, FindingView
from render.model import HERE
from render.navigation import bar, stylesheet
from render.workbook import XLSX_NAME, findings_workbook
from transform.records import DEFAULT_TITLE, Report
from transform.validation.model import CaseRef, Check, Evidence, ValidationReport
from transform.validation.output import validation_json
from transform.validation.states import OPEN_STATES

CSV_NAME = "validation-findings.csv"
# The order of the page's sections of open findings, by state: reopened before new.
OPEN_SECTIONS = ("reopened", "open", "to-fix")


def validation_files(vr: ValidationReport, report: Report, *, casebook_base: str = "",
                     title: str = DEFAULT_TITLE) -> dict[str, bytes]:
    """validation.json, validation.html, the CSV of findings and validation.xlsx. Case links point to
    `casebook_base + case-N.html#step-M` (the HTML casebook's scheme); the page carries the
    publication bar of the casebook called `title` (render.navigation)."""
    views = finding_views(vr, report, casebook_base)
    return {
        "validation.json": validation_json(vr),
        "validation.html": validation_html(vr, report, views, title=title).encode("utf-8"),
        CSV_NAME: findings_csv(views).encode("utf-8-sig"),  # with BOM: Excel opens it as UTF-8
        XLSX_NAME: findings_workbook(vr, report, views, casebook_base),
    }


def finding_views(vr: ValidationReport, report: Report, casebook_base: str = "") -> list[FindingView]:
    """Every finding, the worst first (ValidationReport.findings)."""
    labels = {c.no: {s.step: s.label for s in c.steps} for c in report.cases}

    def rows(refs: list[CaseRef]) -> list[EvidenceRow]:
        out = []
        for r in refs:
            quotes = [(e.quote, _evidence_place(report, labels.get(r.no, {}), e),
                       f"{casebook_base}case-{r.no}.html" + (f"#step-{e.step}" if e.step else ""))
                      for e in r.evidence if e.quote]
            basis = BASIS.get(r.basis, r.basis)
            href = quotes[0][2] if quotes else f"{casebook_base}case-{r.no}.html"
            out.append(EvidenceRow(r.no, r.name, show(r.decision), basis, r.note, quotes, href))
        return out

    views = []
    for c in vr.findings():
        review = c.review
        previous = review.previous if review and review.state == "reopened" else None
        views.append(FindingView(
            check=c, anchor=anchor(c), severity=c.severity or "low", cause=c.cause or "",
            state=REVIEW_STATES[c.state or "open"], stated=_stated_text(c), page=_page(report, c),
            derived=_derived_text(c), evidence=rows(c.cases), others=rows(c.others),
            previous_stated=_stated_value(c.group, previous.stated) if previous else "",
            previous_derived=_derived_value(c.group, previous.derived) if previous else "",
            decision=_decision_text(c), errata=_errata_lines(c),
            facets=[f"{f.id}: {f.message}" for f in c.facets],
        ))
    return views


def _evidence_place(report: Report, labels: dict[int, str], evidence: Evidence) -> str:
    """Where an evidence sentence is: its step and printed page (「④協働活動の実行・p.48」)."""
    step = labels.get(evidence.step, f"ステップ{evidence.step}") if evidence.step else ""
    page = report.page_reference(evidence.pages)
    return "・".join(part for part in (step, page) if part)


def _decision_text(check: Check) -> str:
    """The decision as the CSV shows it; a reopened one says it no longer holds."""
    review = check.review
    if review is None or not review.decision:
        return ""
    label = DECISIONS.get(review.decision, review.decision)
    return label + DECISION_LAPSED if review.state == "reopened" else label


def _errata_lines(check: Check) -> list[str]:
    if check.errata is None:
        return []
    return [f"{e.location}（{e.where}）:「{e.old}」→「{e.new}」（{e.reason}）" if e.where
            else f"{e.location}:「{e.old}」→「{e.new}」（{e.reason}）" for e in check.errata.corrections]


def _page(report: Report, check: Check) -> str:
    """Where the statement is printed: the report's page number, and the PDF page if it differs."""
    if check.stated is None or check.stated.page is None:
        return "—"
    return report.page_reference([check.stated.page])


def _stated_text(check: Check) -> str:
    if check.stated is None:
        return "（比較する記載なし）"
    return _stated_value(check.group, check.stated.value)


def _stated_value(group: str, value: Any) -> str:
    if group == "citations" and isinstance(value, dict):
        region = f"【{value['region']}】" if value.get("region") else ""
        return f"出典: {value.get('organisation') or '（なし）'}{region}"
    return show(value)


def _derived_text(check: Check) -> str:
    return _derived_value(check.group, check.derived)


def _derived_value(group: str, derived: Any) -> str:
    if group == "proofreading" and isinstance(derived, dict):
        suggestion = derived.get("suggestion")
        return f"訂正案「{suggestion}」" if suggestion is not None else "訂正案なし（要確認）"
    if group == "citations" and isinstance(derived, dict):
        named = f"事例{derived['case']}" if derived.get("case") else "該当なし"
        best = derived.get("supported_by")
        support = (derived.get("support") or {}).get("named")
        text = f"出典の事例: {named}"
        if support is not None:
            text += f"（内容の支持度 {support:.2f}）"
        if best is not None and best != derived.get("case"):
            text += f"／最もよく裏付ける事例: 事例{best}"
        return text
    return show(derived)


def findings_csv(views: list[FindingView]) -> str:
    """Every finding as a CSV row (the columns of CSV_COLUMNS), worst first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for view in views:
        writer.writerow(view.csv_row())
    return out.getvalue()


def validation_html(vr: ValidationReport, report: Report, views: list[FindingView] | None = None, *,
                    title: str = DEFAULT_TITLE) -> str:
    """The triage page (see the module doc)."""
    views = views if views is not None else finding_views(vr, report)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    pub = bar(title, edition(vr), "validation")
    env.filters["show"] = show
    env.filters["basis_text"] = basis_text
    summary = vr.summary()
    present = {v.check.cause for v in views if v.check.cause}
    open_views = [v for v in views if v.is_open]
    return env.get_template("validation.html.j2").render(
        vr=vr, summary=summary, views=views, open_views=open_views,
        open_sections=[(state, [v for v in open_views if v.state_key == state]) for state in OPEN_SECTIONS],
        decided_views=[v for v in views if not v.is_open],
        passes=[c for c in vr.checks if not c.is_finding],
        groups=[(key, title, [c for c in vr.checks if c.group == key]) for key, title in GROUPS.items()
                if any(c.group == key for c in vr.checks)],
        severities=[(s, SEVERITIES[s]) for s in SEVERITY_ORDER],
        causes=[(k, v) for k, v in CAUSES.items() if k in present],
        states=list(REVIEW_STATES.items()), state_names=REVIEW_STATES, status_names=STATUS,
        cause_names=CAUSES, open_state_counts=OPEN_STATE_COUNTS,
        severity_names=SEVERITIES, decided_label=DECIDED, corrected_label=CORRECTED, decision_names=DECISIONS,
        csv_name=CSV_NAME, csv_columns=list(CSV_COLUMNS), open_states=sorted(OPEN_STATES),
        anchor=anchor, pub=pub, pub_css=stylesheet(), generated=reader_time(vr.generated),
    )


def anchor(check: Check) -> str:
    """An HTML id for a check (ids keep Japanese; only characters that break a fragment go)."""
    return "check-" + "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in check.id)


def basis_text(basis: str) -> str:
    """`derived_basis` in Japanese: 「reviewed 6, auto 0」 → 「レビュー 6件・自動コーディング 0件」."""
    parts = basis.replace(",", "").split()
    if len(parts) == 4 and parts[0] == "reviewed" and parts[2] == "auto":
        return f"{BASIS['reviewed']} {parts[1]}件・{BASIS['auto']} {parts[3]}件"
    names: dict[str, Any] = {"mechanical": "記録から機械的に", "stated": "報告書の記載どうし",
                             "content words + fuzzy match": "内容語と文字の照合"}
    return names.get(basis, basis or "—")
