"""Where a finding stands with QA — the decisions a reviewer records, the states they lead to and
which states still need review — defined once for validation, `casebook review`, the flow and
the pages (labels: `casebook/vocabulary.py`).

    decision (review.yaml)      state (validation.json review.state)
    —                           open       未判断: nobody has decided it yet
    to-fix                      to-fix     要修正: decided to fix it; it stays open until fixed
    any, on other values        reopened   再オープン: decided on values that have since changed
    accepted                    accepted   問題なし: looked at, nothing to change
    waived                      waived     対象外: not a question for this casebook
    reported                    reported   発行元へ報告済み: a defect of the report the casebook
                                           cannot fix itself, reported (to whom: `to`; when: `at`)
    — (automatic)               corrected  訂正済み: an erratum of the corrections file resolved it

Open states (open, to-fix, reopened) count as open; an open high or medium finding fails a
`--strict` run. `--accept-all` never decides a high finding: each is decided on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

# What a reviewer records, in the order `casebook review --help` lists them.
DECISIONS = ("accepted", "waived", "reported", "to-fix")
STATES = ("open", "to-fix", "reopened", "accepted", "waived", "reported", "corrected")
OPEN_STATES = frozenset({"open", "to-fix", "reopened"})
# The severities `--strict` gates on, worst first.
GATED = ("high", "medium")
# Severity of a finding the triage left without one: look at it.
UNTRIAGED = "medium"
# What the summary counts open findings by, keyed by state (validation.json `summary`).
OPEN_COUNTS = {"open": "new", "to-fix": "to_fix", "reopened": "reopened"}
# Words a reviewer may type for a decision, for "did you mean" (never accepted silently).
DECISION_WORDS = {
    "accepted": ("accept", "accepted", "approve", "approved", "ok", "fine", "承認", "問題なし"),
    "waived": ("waive", "waived", "ignore", "skip", "na", "対象外"),
    "reported": ("report", "reported", "publisher", "報告", "報告済み"),
    "to-fix": ("fix", "to-fix", "tofix", "todo", "要修正"),
}


def is_open(state: str | None) -> bool:
    """A finding in this state still waits for someone (no review yet counts as open)."""
    return state is None or state in OPEN_STATES


def gated(severity: str | None, state: str | None) -> bool:
    """Whether a finding fails a `--strict` run: high or medium, and open."""
    return is_open(state) and (severity or UNTRIAGED) in GATED


def gated_count(summary: Mapping[str, int]) -> int:
    """Open findings a `--strict` run fails on, from a validation summary."""
    return sum(summary.get(severity, 0) for severity in GATED)


def state_of(decision: str) -> str:
    """The state a valid decision puts its finding in (each decision names its state)."""
    if decision not in DECISIONS:
        raise ValueError(f"not a decision: {decision!r}")
    return decision
