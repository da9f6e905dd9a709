"""The report's vocabulary and the Japanese words every reader of the casebook sees, in one place.

The survey's frame — the six steps every case table has, the six 社会福祉連携推進業務 Chapter 3
counts, the two categories of cases — is fixed by the survey, not by an edition's layout: extract
finds steps by structure (the circled digit of a label cell) and uses these labels only to restore
a lost number; validation, rendering and the codebook name steps, 業務 and categories from here.

validation.html, changes.html, the casebook appendix (Word and HTML) and the Prefect artifacts all
label checks, statuses, causes, severities and review states with these dictionaries, so that QA
and editors meet one vocabulary wherever a finding appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# --- the survey's frame ------------------------------------------------------------------------

# The six steps (調査項目) of every case table, by number, as the case tables label them.
STEPS = {
    1: "連携の契機と課題の共有",
    2: "信頼醸成・試験的連携",
    3: "連携の公式化と目標策定",
    4: "協働活動の実行",
    5: "成果の検証と評価",
    6: "改善と深化",
}
STEP_NUMBERS = tuple(STEPS)

# ①…⑳: the circled digits a step label starts with (U+2460…U+2473).
_CIRCLED_ONE, _CIRCLED_MAX = 0x2460, 20


def circled(n: int) -> str:
    """①…⑳ for 1…20, else the plain number."""
    return chr(_CIRCLED_ONE + n - 1) if 1 <= n <= _CIRCLED_MAX else str(n)


def circled_number(text: str) -> int | None:
    """The number of the circled digit `text` starts with (「①連携の…」 → 1), or None."""
    if not text:
        return None
    n = ord(text[0]) - _CIRCLED_ONE + 1
    return n if 1 <= n <= _CIRCLED_MAX else None


def steps_in_order(numbers: Sequence[int]) -> bool:
    """A case's step rows are the survey's frame: ①–⑥, each once, in order."""
    return list(numbers) == list(STEP_NUMBERS)


STEP_RANGE = f"{circled(STEP_NUMBERS[0])}–{circled(STEP_NUMBERS[-1])}"  # ①–⑥
STEPS_IN_ORDER = f"steps {STEP_RANGE} in order"


def step_name(number: int, label: str = "") -> str:
    """A step as the casebook names it: the printed label with its circled number restored if the
    label lost it (「①連携の契機と課題の共有」); the survey's label where none was printed."""
    label = label or STEPS.get(number, "")
    return label if circled_number(label) is not None else f"{circled(number)}{label}"


# The six 社会福祉連携推進業務, in the order Chapter 3 counts them; codebook `business` keys and
# the coded attributes (「business:人材確保等業務」) name exactly these.
BUSINESSES = (
    "地域福祉支援業務", "災害時支援業務", "経営支援業務", "貸付業務", "人材確保等業務", "物資等供給業務",
)
MEMBERS = "社員法人数"
# Words of the overview's column heads: a narrow column breaks between them, never inside one.
HEAD_WORDS = {
    BUSINESSES[0]: ("地域福祉", "支援", "業務"), BUSINESSES[1]: ("災害時", "支援", "業務"),
    BUSINESSES[2]: ("経営", "支援", "業務"), BUSINESSES[3]: ("貸付", "業務"),
    BUSINESSES[4]: ("人材", "確保等", "業務"), BUSINESSES[5]: ("物資等", "供給", "業務"),
    MEMBERS: ("社員", "法人数"),
}

# The two categories of cases (the report's section headings over the case tables), with the ids
# check ids use for them (「business.貸付業務.close」).
CATEGORIES = ("緊密な連携", "緩やかな連携")
CATEGORY_IDS = {CATEGORIES[0]: "close", CATEGORIES[1]: "loose"}

# --- findings ----------------------------------------------------------------------------------

# Check statuses: `pass`; `mismatch` (the report and its cases disagree: a finding to triage);
# `error` (the records cannot be trusted: publishing is blocked).
STATUS = {"pass": "一致", "mismatch": "不一致", "error": "エラー（公開不可）"}
# Checks counted by status, as the summary line and the appendix's table head them.
STATUS_COUNTS = {"pass": "一致", "mismatch": "所見", "error": "エラー"}

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
    return (f"{STATUS_COUNTS['mismatch']} {findings}件（{SEVERITIES['high']} {summary['high']}・"
            f"{SEVERITIES['medium']} {summary['medium']}・{SEVERITIES['low']} {summary['low']}・{DECIDED} "
            f"{summary['decided']}）、{STATUS_COUNTS['pass']} {summary['pass']}件、"
            f"{STATUS_COUNTS['error']} {summary['error']}件")


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
