"""A finding as the QA pages show it (validation.html, its CSV, validation.xlsx): every text in
Japanese, the current values with a reopened finding's old ones, the errata that corrected it,
its facets. Its own module so that the page (render/validation.py) and the workbook
(render/workbook.py) share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.vocabulary import CAUSES, SEVERITIES
from transform.validation.model import Check

PUNCTUATION_FLAGS = frozenset({"unclosed"})  # findings about brackets: show the raw printed text
CSV_COLUMNS = ("重要度", "原因", "状態", "チェックID", "チェック", "報告書の記載", "記載ページ",
               "事例からの値", "内容", "対応案", "判断", "判断者", "判断日時", "判断メモ", "報告先",
               "訂正（正誤表）", "同じ誤りの所見")


@dataclass
class EvidenceRow:
    """One case behind a finding, with the sentences that decided it."""

    no: int
    name: str
    decision: str
    basis: str
    note: str
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (quote, step label, href)
    href: str = ""  # the case's page in the HTML casebook (its first quote's step, if any)


@dataclass
class FindingView:
    """A check as the triage page shows it; every text already in Japanese.

    `stated` / `derived`: the current values; for a reopened finding whose values moved, 「old →
    new」 (`previous_stated` / `previous_derived` hold the old ones alone). `errata`: 「事例6 ③
    p.18: 「…」→「…」（reason）」 for each erratum that corrected the finding."""

    check: Check
    anchor: str
    severity: str
    cause: str
    state: str
    stated: str
    page: str
    derived: str
    evidence: list[EvidenceRow]
    others: list[EvidenceRow]
    previous_stated: str = ""
    previous_derived: str = ""
    decision: str = ""
    errata: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.check.is_open

    @property
    def source_text(self) -> str:
        """The statement exactly as printed, where the finding is about its punctuation (a credit
        whose bracket is not closed shows its opening 「(」): empty otherwise."""
        stated = self.check.stated
        return (stated.sentence or "") if stated and PUNCTUATION_FLAGS & set(self.check.flags) else ""

    @property
    def state_key(self) -> str:
        return self.check.state or "open"

    def csv_row(self) -> list[str]:
        c, review = self.check, self.check.review
        return [
            SEVERITIES.get(c.severity or "", ""), CAUSES.get(c.cause or "", ""), self.state, c.id, c.title,
            _moved(self.previous_stated, self.stated), self.page, _moved(self.previous_derived, self.derived),
            c.message, c.action, self.decision,
            review.by if review else "", review.at if review else "", review.note if review else "",
            review.to if review else "", "\n".join(self.errata), "\n".join(self.facets),
        ]


def _moved(before: str, now: str) -> str:
    """「8 → 9」 where a reopened finding's value moved, else the value."""
    return f"{before} → {now}" if before and before != now else now
