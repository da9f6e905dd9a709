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

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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

# --- the reader's labels -----------------------------------------------------------------------
# Every word the casebook (Word, PDF, site, change report) uses for its own structure and for what
# its figures are, defined once here and listed for readers in the reading guide (GLOSSARY). A
# figure carries at most one qualifier: 「3（推定）」, never two parentheses.

STEP_TERM = "調査項目"  # ①–⑥, as the report's case tables head their rows
GROUP_TERM = "STEP"  # STEP1–3 of 図表4-2 「協働化を進めるための3つのSTEP」
GROUPS_TITLE = "協働化を進めるための3つのSTEP"
STATED = "報告書の記載"  # a count Chapter 3 states
FROM_CASES = "事例本文からの集計"  # the same count read from the case text by this casebook
YES = "●"  # a 業務 the case text mentions
NO_VALUE = "—"  # nothing to show: the case text states no such value (or it was not read)
NONE_OF_THEM = "該当なし"  # the case text mentions none of the six 業務
INFERRED = "推定"  # the only qualifier a figure carries: not stated, estimated from the text
DRAFT = "校正刷り（未確定）"  # a build whose high or medium findings are still open
DRAFT_NOTE = ("この版は校正刷りです。報告書との照合で見つかった点の確認が終わっておらず、"
              "内容は確定していません。")
SOURCE_PAGE = "報告書"  # 「報告書 p.9–10（PDF 12–13）」: where a case or citation is printed

YES_MEANS = "事例本文にその業務の記述がある"
NO_VALUE_MEANS = "事例本文に記載がない"
LEGEND = f"{YES}＝{YES_MEANS}　{NO_VALUE}＝{NO_VALUE_MEANS}"  # under 事例一覧 (Word, PDF, site alike)

GLOSSARY = (
    (f"{STEP_TERM} ①〜⑥", "報告書のヒアリング結果の表が各事例を整理している6つの項目です。"),
    (f"{GROUP_TERM}1〜3", f"報告書の図表4-2「{GROUPS_TITLE}」です。各事例の{STEP_TERM}を"
                          f"この3つの{GROUP_TERM}にまとめて掲載しています。"),
    (YES, f"{YES_MEANS}（本事例集が事例本文から読み取ったもの）。"),
    (NO_VALUE, f"{NO_VALUE_MEANS}（読み取れない）。"),
    (f"（{INFERRED}）", "事例本文に数の明記がなく、本文の記述から推定した値。"),
    (STATED, "報告書第3章が示す件数（報告書はヒアリング結果から集計しています）。"),
    (FROM_CASES, "本事例集が事例本文から数えた件数。報告書の記載と一致しないことがあります。"),
)


def qualified(value: object, inferred: bool = False) -> str:
    """A figure as readers see it: 「3」, 「3（推定）」 — one qualifier at most; 「—」 for nothing."""
    if value is None or value == "":
        return NO_VALUE
    return f"{value}（{INFERRED}）" if inferred else str(value)


def attribute_label(attribute: str) -> str:
    """A coded attribute in words: 「business:人材確保等業務」 → 「業務「人材確保等業務」」,
    「members」 → 「社員法人数」 (ids never reach a reader)."""
    kind, _, name = attribute.partition(":")
    if kind == "business" and name:
        return f"業務「{name}」"
    return {"members": MEMBERS, "area": "協働化のエリア"}.get(kind, name or kind)


def step_label(number: int) -> str:
    """「調査項目⑤」: a step named for readers (never 「ステップ5」 or 「step 5」)."""
    return f"{STEP_TERM}{circled(number)}"


# Why a count of Chapter 3 differs from the case text, as the reader's appendix says it (the causes
# of CAUSES, in sentences a reader of the casebook follows without the QA page).
READER_CAUSES = {
    "not-evidenced": "報告書はヒアリング結果から集計しており、事例本文に記述のない事例を含む",
    "over-evidenced": "事例本文には報告書の件数より多くの事例に記述がある（報告書は主なものを集計）",
    "coding-doubt": "事例本文に数の明記がなく、推定した値を含む",
    "counting-rule": "報告書の注記のとおり重複して数えており、合計は事例数と一致しない",
    "": "報告書の件数と、事例本文から数えた件数が一致しない",  # a difference without a known cause
}
# How the casebook treats an error of the report itself (cause source-defect or misattributed).
TREATMENTS = {
    "citations": ("本事例集はこの引用を事例{case}の「第4章での参照」に掲げ、報告書の表記を「出典の表記」"
                  "として併記しています。"),
    "misattributed": ("引用の内容は事例{best}の本文の方がよく裏付けています。本事例集は報告書の出典の表記"
                      "どおり事例{case}に掲げています。"),
    "default": "本事例集は事例見出しと事例本文の表記に従っています。",
    "corrected": "本事例集は付録Bのとおり訂正して掲載しています。",
}

_STEP_WORD = re.compile(r"(?:ステップ|step ?)(\d+)")
_ATTRIBUTE = re.compile(r"\b(business:[^\s）)、]+|members)\b")


def reader_words(text: str) -> str:
    """A sentence made for QA turned into the reader's words: 「ステップ5」 → 「調査項目⑤」,
    「business:人材確保等業務」 → 「業務「人材確保等業務」」, the reviewers' file → the casebook's reading."""
    text = _STEP_WORD.sub(lambda m: step_label(int(m[1])), text)
    text = _ATTRIBUTE.sub(lambda m: attribute_label(m[1]), text)
    return text.replace("レビュー済みコーディングの引用", "本事例集の読み取りの根拠とした引用")


# Dates as readers read them: the day in Japan, whatever the zone of the machine that built it.
JST = ZoneInfo("Asia/Tokyo")


def reader_date(iso: str) -> str:
    """「2026年12月4日（令和8年）」 from an ISO 8601 timestamp, taken in Japan time (a build at 02:00
    JST is that day, not the previous UTC one); a naive timestamp is taken as Japan time; a text
    that does not parse is shown as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    moment = moment.replace(tzinfo=JST) if moment.tzinfo is None else moment.astimezone(JST)
    return f"{moment.year}年{moment.month}月{moment.day}日（{_reiwa(moment.year)}）"


def reader_time(iso: str) -> str:
    """「2026年12月4日（令和8年）23時22分」 (Japan time)."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    moment = moment.replace(tzinfo=JST) if moment.tzinfo is None else moment.astimezone(JST)
    return f"{reader_date(moment.isoformat())}{moment.hour}時{moment.minute:02d}分"


def _reiwa(year: int) -> str:
    return "令和元年" if year == 2019 else f"令和{year - 2018}年"


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

# Where a finding stands with QA (validation.json `review.state`; the states and what leads to
# them: transform/validation/states.py), and what a reviewer decided (review.yaml `decision`).
REVIEW_STATES = {
    "open": "未判断", "to-fix": "要修正", "reopened": "再オープン", "accepted": "問題なし",
    "waived": "対象外", "reported": "発行元へ報告済み", "corrected": "訂正済み",
}
DECISIONS = {"accepted": "問題なし", "waived": "対象外", "reported": "発行元へ報告", "to-fix": "要修正"}
# A decision a changed value has reopened: it no longer holds.
DECISION_LAPSED = "（値が変わったため無効）"
# Open findings by state, as the counts name them (validation.json summary keys).
OPEN_STATE_COUNTS = {"new": "新規", "to_fix": "要修正", "reopened": "再オープン"}

DECIDED = "判断済み"
CORRECTED = "訂正済み"

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
    """「所見 39件（要対応 7・要確認 22・参考 10・判断済み 0・訂正済み 0）、一致 92件、エラー 0件」."""
    findings = summary["mismatch"] + summary["error"]
    return (f"{STATUS_COUNTS['mismatch']} {findings}件（{SEVERITIES['high']} {summary['high']}・"
            f"{SEVERITIES['medium']} {summary['medium']}・{SEVERITIES['low']} {summary['low']}・{DECIDED} "
            f"{summary['decided']}・{CORRECTED} {summary.get('corrected', 0)}）、"
            f"{STATUS_COUNTS['pass']} {summary['pass']}件、{STATUS_COUNTS['error']} {summary['error']}件")


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
