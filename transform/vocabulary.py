"""The Japanese words every reader of the casebook's findings sees, in one place.

validation.html, changes.html, the casebook appendix (Word and HTML) and the Prefect artifacts all
label checks, statuses, causes, severities and review states with these dictionaries, so that QA
and editors meet one vocabulary wherever a finding appears.
"""

from __future__ import annotations

from typing import Any

# Check statuses: `pass`; `mismatch` (the report and its cases disagree: a finding to triage);
# `error` (the records cannot be trusted: publishing is blocked).
STATUS = {"pass": "一致", "mismatch": "不一致", "error": "エラー（公開不可）"}

GROUPS = {
    "integrity": "入力の信頼性",
    "mechanical": "事例との機械的な照合",
    "consistency": "報告書の記載どうしの整合",
    "coded": "コーディングによる件数",
    "citations": "第4章【参考となる事例】の出典と引用",
    "proofreading": "校正（誤字・表記）",
}

BASIS = {"mechanical": "機械", "auto": "自動コーディング", "reviewed": "レビュー"}

# Why a check did not pass, in terms a reviewer recognises (validation.json `cause`).
CAUSES = {
    "source-defect": "報告書の誤り",
    "misattributed": "出典の取り違え",
    "not-evidenced": "事例本文に根拠なし",
    "over-evidenced": "事例本文の方が多い",
    "counting-rule": "数え方の違い",
    "paraphrase": "要約・言い換え",
    "coding-doubt": "コーディングの疑義",
    "proofreading": "校正",
    "unreadable": "記録を信頼できない",
}

# How bad a finding is (validation.json `severity`): high = QA must act, medium = look at it,
# low = for the record.
SEVERITIES = {"high": "要対応", "medium": "要確認", "low": "参考"}
SEVERITY_ORDER = ("high", "medium", "low")

# Where a finding stands with QA (validation.json `review.state`).
REVIEW_STATES = {"open": "未判断", "accepted": "承認", "waived": "対象外", "reopened": "再オープン"}
DECISIONS = {"accepted": "承認（問題なしと判断）", "waived": "対象外（確認不要）", "to-fix": "要修正"}

DECIDED = "判断済み"

# Keys of the structured values checks report (validation.json), as a reader names them.
VALUE_KEYS = {
    "no": "事例", "name": "名称", "missing": "見つからない項目", "suggestion": "訂正案",
    "erratum": "正誤表の記入例", "organisation": "出典", "region": "地域", "quote": "引用",
    "case": "事例", "name_match": "名称の一致", "supported_by": "最もよく裏付ける事例",
}


def finding_label(status: str, severity: str | None, cause: str | None, state: str | None) -> str:
    """One check's verdict in words: 「一致」, or 「要対応・報告書の誤り（未判断）」 for a finding."""
    if status == "pass":
        return STATUS["pass"] + (f"（{CAUSES[cause]}）" if cause in CAUSES else "")
    parts = [SEVERITIES.get(severity or "", STATUS.get(status, status)), CAUSES.get(cause or "", "")]
    label = "・".join(p for p in parts if p)
    return label + (f"（{REVIEW_STATES[state]}）" if state in REVIEW_STATES else "")


def summary_line(summary: dict[str, int]) -> str:
    """「所見 39件（要対応 7・要確認 22・参考 10・判断済み 0）、一致 92件、エラー 0件」."""
    findings = summary["mismatch"] + summary["error"]
    return (f"所見 {findings}件（{SEVERITIES['high']} {summary['high']}・{SEVERITIES['medium']} "
            f"{summary['medium']}・{SEVERITIES['low']} {summary['low']}・{DECIDED} {summary['decided']}）、"
            f"{STATUS['pass']} {summary['pass']}件、エラー {summary['error']}件")


def show(value: Any) -> str:
    """A value as a Japanese reader reads it: lists joined, mappings as 「key: value」, yes/no,
    nothing as 「—」 — never a Python repr."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if isinstance(value, dict):
        return "、".join(f"{VALUE_KEYS.get(k, k)}: {show(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(show(v) for v in value) if value else "（なし）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
