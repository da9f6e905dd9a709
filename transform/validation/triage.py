"""Cause, severity and suggested action of every finding — the rules in one place.

A check reports what it saw as data (`status`, stated and derived values, machine-readable
`flags`, the report's method notes on the stated value); these rules turn that into what a QA
reviewer needs: why it fails, in terms of a recognisable cause, and how bad it is.

Severities: high — the report contradicts itself or names something wrongly (QA must act);
medium — look at it; low — for the record. The first rule that applies decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from casebook.vocabulary import show
from transform.validation.model import Check

# Flags a check raises when the report's own text, tables or headings disagree with each other.
SOURCE_DEFECT_FLAGS = {
    "case-count": "報告書が記載する事例数と、収録されている事例の数が異なる",
    "table-differs": "図表3-1と事例見出しが食い違う",
    "sum-contradiction": "報告書の件数どうしが合わない",
    "note-contradiction": "注記が事例見出し・本文と食い違う",
    "exceeds-cases": "記載件数が対象の事例数を超えている",
    "name-form": "出典の法人格が事例見出しと異なる",
    "name-variant": "出典の法人名が事例見出しと異なる",
    "name-mentioned": "出典の法人は事例ではなく、ある事例の参加法人",
    "name-unknown": "出典の法人に当たる事例がない",
    "unclosed": "出典の括弧が閉じていない",
    "region": "出典の地域が事例見出しと異なる",
}
# Words of the report's method notes: double counting and "main items only" make a listed count
# differ from the number of cases by design; counting from the interviews (「ヒアリング結果から集計」,
# 「今回ヒアリングを実施した各事例について」, a section 「ヒアリング調査結果のまとめ」) means the case
# tables need not evidence every case counted.
DOUBLE_COUNT_WORDS = ("重複",)
MAIN_ITEMS_WORDS = ("主な",)
FROM_INTERVIEWS = re.compile(r"ヒアリング[^。]*?(?:結果|集計|実施した)")


@dataclass(frozen=True)
class Triage:
    cause: str
    severity: str
    action: str
    message: str = ""  # a better wording of the check's message, given the cause


def triage(check: Check) -> Triage | None:
    """The cause, severity and action of a check (None for a pass that needs no remark)."""
    for rule in RULES:
        if (result := rule(check)) is not None:
            return result
    return None


def apply_triage(checks: list[Check]) -> None:
    """Set cause, severity and action on every check in place."""
    for check in checks:
        result = triage(check)
        if result is not None:
            check.cause, check.severity, check.action = result.cause, result.severity, result.action
            check.message = result.message or check.message


# ---------------------------------------------------------------------------------------------
# the rules, in order of precedence


def untrusted(check: Check) -> Triage | None:
    """An error: the records themselves cannot be trusted (publishing is blocked)."""
    if check.status != "error":
        return None
    return Triage("unreadable", "high",
                  "記録を直すまで公開できない。メッセージの箇所（原稿・コードブック・レビュー）を修正する")


def misattributed(check: Check) -> Triage | None:
    """A citation whose quote another case supports clearly better than the case it names."""
    if check.status == "pass" or "misattributed" not in check.flags:
        return None
    best = _supported_by(check)
    where = f"事例{best}" if best else "別の事例"
    return Triage("misattributed", "high",
                  f"出典を{where}に直すべきか確認し、正誤表（訂正）または報告書の発行元に連絡する")


def source_defect(check: Check) -> Triage | None:
    """The report disagrees with itself: its tables, headings, sums or credits."""
    if check.status == "pass":
        return None
    found = [SOURCE_DEFECT_FLAGS[f] for f in check.flags if f in SOURCE_DEFECT_FLAGS]
    if not found:
        return None
    return Triage("source-defect", "high",
                  f"報告書の誤り（{'、'.join(found)}）。正しい表記を確認し、訂正を登録するか発行元に連絡する")


def proofreading(check: Check) -> Triage | None:
    """A typo or a character outside the Japanese character set, with a suggested erratum."""
    if check.group != "proofreading" or check.status == "pass":
        return None
    return Triage("proofreading", "low", "訂正案を確認し、正しければ editorial/corrections.yaml に加える")


def coding_doubt(check: Check) -> Triage | None:
    """A coded count that rests on a value a reviewer inferred rather than read in the case."""
    if check.status == "pass" or "inferred-coding" not in check.flags:
        return None
    stated = check.stated.value if check.stated else None
    return Triage("coding-doubt", "medium",
                  "推定によるコーディングを含む。事例本文で確認し、reviewed_codings.yaml の判断を見直す",
                  _reworded(check, f"事例本文からは{check.derived}件数えられる（報告書の記載は{stated}件）"))


def counting_rule(check: Check) -> Triage | None:
    """A count that differs because of how the report counts: double counting, main items only."""
    if check.status == "pass" or check.group not in ("coded", "consistency"):
        return None
    notes = _notes(check)
    by_design = _says(notes, DOUBLE_COUNT_WORDS) or _says(notes, MAIN_ITEMS_WORDS)
    if "group-sum" in check.flags:
        severity = "low" if by_design else "medium"
        return Triage("counting-rule", severity,
                      "数え方の違い（重複カウント・主なもののみ）。報告書の注記どおりなら承認する")
    if check.group == "coded" and by_design and _direction(check) < 0:
        return Triage("counting-rule", "low",
                      "報告書は主なもののみ数えている。事例本文の方が多いのは数え方の違いとして承認できる")
    return None


def evidence_gap(check: Check) -> Triage | None:
    """A coded count above (not-evidenced) or below (over-evidenced) what the case tables show.

    Above, and counted from the interviews as the report's notes say: the case tables summarise
    the interviews, so they need not name every case counted — low, and said so."""
    if check.status == "pass" or check.group != "coded":
        return None
    direction = _direction(check)
    stated, derived = (check.stated.value if check.stated else None), check.derived
    if direction > 0 and _from_interviews(check):
        return Triage("not-evidenced", "low",
                      "報告書はヒアリング結果から集計しており、事例本文（ヒアリングの要約）にない事例も数えている。"
                      "事例本文に記載漏れがなければ承認する（根拠のない事例は「数えなかった事例」）",
                      _reworded(check, f"事例本文で確認できるのは{derived}件（報告書の記載は{stated}件。"
                                       f"報告書はヒアリング結果から集計しており、差の{stated - derived}件は"
                                       "事例本文に書かれていない）"))
    if direction > 0:
        return Triage("not-evidenced", "medium",
                      "報告書の件数を事例本文で裏付けられない。ヒアリングで得た情報なら承認、"
                      "事例本文に記載漏れがあれば訂正を検討する（根拠のない事例は「数えなかった事例」）",
                      _reworded(check, f"事例本文で確認できるのは{derived}件（報告書の記載は{stated}件）"))
    if direction < 0:
        return Triage("over-evidenced", "medium",
                      "事例本文からは報告書より多く数えられる。コードブックの規則か報告書の集計を確認する",
                      _reworded(check, f"事例本文からは{derived}件数えられる（報告書の記載は{stated}件）"))
    return Triage("coding-doubt", "medium", "件数は合うが事例の内訳が異なる。コーディングを確認する")


def paraphrase(check: Check) -> Triage | None:
    """A Chapter 4 citation that summarises its case rather than quoting it."""
    if check.group != "citations" or "paraphrase" not in check.flags:
        return None
    if check.status == "pass":
        return Triage("paraphrase", "low", "事例の内容の要約・言い換え。対応不要")
    if "unsupported" in check.flags:
        return Triage("not-evidenced", "medium",
                      "引用の内容がどの事例にも十分に見つからない。出典と事例本文を確認する")
    return Triage("paraphrase", "low", "要約・言い換えで、裏付けがやや弱い。事例本文と読み比べて承認する")


def fallback(check: Check) -> Triage | None:
    """Any other finding: look at it."""
    if check.status == "pass":
        return None
    return Triage("source-defect" if check.group == "citations" else "coding-doubt", "medium",
                  "内容を確認する")


RULES: tuple[Callable[[Check], Triage | None], ...] = (
    untrusted, misattributed, source_defect, proofreading, coding_doubt, counting_rule, evidence_gap,
    paraphrase, fallback,
)


# ---------------------------------------------------------------------------------------------
# helpers


def _direction(check: Check) -> int:
    """+1 when the report states more than the cases evidence, -1 fewer, 0 equal or not numeric."""
    stated = check.stated.value if check.stated else None
    derived = check.derived
    if not isinstance(stated, int) or not isinstance(derived, int) or isinstance(stated, bool):
        return 0
    return (stated > derived) - (stated < derived)


def _notes(check: Check) -> list[str]:
    notes = list(check.stated.notes) if check.stated else []
    for related in check.related:
        notes += related.notes
    return notes


def _says(notes: list[str], words: tuple[str, ...]) -> bool:
    return any(word in note for note in notes for word in words)


def _from_interviews(check: Check) -> bool:
    """The report's notes say the count was made from the interviews."""
    return any(FROM_INTERVIEWS.search(note) for note in _notes(check))


def _reworded(check: Check, lead: str) -> str:
    """The check's message with its plain 「記載 X に対し、事例からは Y」 opening replaced by `lead`
    (what it adds, e.g. the cases counted on an inferred value, is kept)."""
    stated = check.stated.value if check.stated else None
    plain = f"記載 {show(stated)} に対し、事例からは {show(check.derived)}"
    if check.message.startswith(plain):
        return lead + check.message[len(plain):]
    return "／".join(m for m in (lead, check.message) if m)


def _supported_by(check: Check) -> int | None:
    derived = check.derived if isinstance(check.derived, dict) else {}
    value = derived.get("supported_by")
    return value if isinstance(value, int) else None
