"""The validation report as typed data. Its JSON form (validation.json) is a stable contract read
by QA, by the renderers (appendix, case attributes) and by the flow (artifacts, publish gate).

Statuses: `pass`; `mismatch` — the report and its cases disagree (a finding to triage); `error` —
the records cannot be trusted (blocks publishing). Every non-pass check also carries a `cause`, a
`severity` and a `review` (what QA decided, see `transform/validation/review.py`); the triage
rules live in `transform/validation/triage.py`.

validation.json (schema: `schema.yaml` next to this module, JSON Schema draft 2020-12)::

    {
      "schema_version": 1,
      "source": "r07_kyodoka_report.pdf", "sha256": "…", "generated": "2026-…T…+00:00",
      "summary": {"pass": 0, "mismatch": 0, "error": 0,       # checks by status
                  "high": 0, "medium": 0, "low": 0,            # open findings by severity
                  "new": 0, "to_fix": 0, "reopened": 0,        # open findings by state
                  "decided": 0, "corrected": 0},               # closed: by a decision, by an erratum
      "checks": [                         # in a fixed order: integrity, mechanical, consistency,
        {                                 # coded, citations
          "id": "members.bin.3法人",       # stable: built from the statement, never from a page
          "title": "社員法人数「3法人」の件数",
          "group": "integrity" | "mechanical" | "consistency" | "coded" | "citations",
          "status": "pass" | "mismatch" | "error",
          "stated": {"value": 8, "page": 58, "sentence": "2法人2件、3法人8件、…", "label": "3法人"}
                    | null,               # null: nothing stated to compare (integrity checks)
          "related": [Stated, …],         # other statements the check relies on
          "derived": 7,                   # the value computed from the cases (any JSON value)
          "derived_basis": "reviewed 29",  # mechanical | stated | reviewed N, auto M | fuzzy match
          "message": "…",                 # Japanese, for QA: what differs and what to look at
          "cases": [                      # the cases behind the derived value
            {"no": 4, "name": "…", "decision": 3, "basis": "reviewed", "note": "",
             "evidence": [{"quote": "…", "step": 1, "score": null, "pages": [13]}]}
          ],
          "others": [CaseRef, …],         # coded counts: cases considered but not counted
          "flags": ["name-form", …],      # machine-readable observations the triage rules read
          "cause": "source-defect" | … | null, "severity": "high" | "medium" | "low" | null,
          "action": "…",                  # Japanese: what QA should do about it
          "fingerprint": "…",             # hash of stated + derived values a decision is bound to
          "review": {"state": "open" | "to-fix" | "reopened" | "accepted" | "waived" | "reported"
                              | "corrected",                   # states.py
                     "decision": …, "by": …, "at": …, "note": …, "to": …,   # to: reported to whom
                     "previous": {"stated": …, "derived": …} | null} | null,  # reopened: decided on
          "facets": [Check, …],           # other findings of the same defect (a typo's proofreading hit)
          "errata": {"corrections": [{"no": 4, "location": "第4章 4.1.(3)", "where": "p.60（PDF 63）",
                                      "old": "…", "new": "…", "reason": "…"}],
                     "before": {"stated": …, "derived": …, "status": …},   # as printed
                     "after": {…} | null} | null   # with the errata; null: the finding is gone
        }
      ],
      "codings": [{"case": 4, "attribute": "members", "value": 3, "basis": "reviewed",
                   "auto_value": 3, "note": "", "evidence": [Evidence, …]}],
      "agreement": [{"attribute": "members", "n": 29, "percent": 82.8, "kappa": 0.79}]
    }

Attribute ids of codings: "members" (int | null), "area" ("single" | "multiple" | null),
"business:<業務名>", "trigger:<きっかけ>", "reason:<理由>" (bool); labels are the report's own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from casebook.errors import CasebookError, ErrorChecksError, OpenFindingsError
from casebook.vocabulary import SEVERITIES, SEVERITY_ORDER
from transform.review_notes import ReviewNote
from transform.validation import states

SCHEMA_VERSION = 1

Status = Literal["pass", "mismatch", "error"]
Basis = Literal["mechanical", "auto", "reviewed"]
Group = Literal["integrity", "mechanical", "consistency", "coded", "citations", "proofreading"]
@dataclass
class Evidence:
    """A sentence of a case that supports a decision, and where it is.

    `score` is set where the sentence was found by similarity (0–100) rather than verbatim;
    `pages` are the PDF pages the sentences are printed on (`transform.validation.evidence`).
    """

    quote: str
    step: int | None = None
    score: float | None = None
    pages: list[int] = field(default_factory=list)


@dataclass
class Coding:
    """The value of one coded attribute for one case (e.g. members=3, business:<業務名>=True).

    Attribute ids: "members" (int | None), "area" ("single" | "multiple"),
    "business:<業務名>", "trigger:<きっかけ>", "reason:<理由>" (bool).
    `auto_value` is what the auto-coder decided; it differs from `value` where a reviewer overrode it.
    `note` is the reviewer's remark on the decision, if any.
    """

    case: int
    attribute: str
    value: Any
    basis: Basis
    evidence: list[Evidence] = field(default_factory=list)
    auto_value: Any = None
    note: str = ""
    inferred: bool = False  # a reviewer's inference, not stated by the case text


@dataclass
class Stated:
    """A number the report states, with the page and sentence it came from.

    `label` names what is counted where one sentence states several numbers (「3法人」); `notes`
    are the report's own remarks on how it counted (「※以下、重複カウント有。ヒアリング結果から集計。」,
    「主な理由」), which tell a counting difference from an error.
    """

    value: Any
    page: int | None
    sentence: str | None
    label: str = ""
    notes: list[str] = field(default_factory=list)  # the report's method notes (「※重複カウント有」)


@dataclass
class CaseRef:
    """A case behind a derived value, with its decision and evidence."""

    no: int
    decision: Any
    basis: Basis
    evidence: list[Evidence] = field(default_factory=list)
    name: str = ""
    note: str = ""


@dataclass
class Check:
    """One check: stated vs derived, its status and the cases behind the derived value.

    `others` lists the cases a coded count considered but did not count (with the reviewer's
    note), so that a reviewer can see which cases the report may have counted.
    """

    id: str
    title: str
    group: str
    status: Status
    stated: Stated | None
    derived: Any
    derived_basis: str
    message: str = ""
    cases: list[CaseRef] = field(default_factory=list)
    related: list[Stated] = field(default_factory=list)
    others: list[CaseRef] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    cause: str | None = None
    severity: str | None = None
    action: str = ""
    fingerprint: str = ""
    review: Review | None = None
    facets: list[Check] = field(default_factory=list)  # other findings of the same defect
    errata: Errata | None = None  # what the editors' errata changed in this check

    @property
    def is_finding(self) -> bool:
        """A check QA has to triage: any check that did not pass (as printed, for one an
        erratum corrected)."""
        return self.status != "pass"

    @property
    def state(self) -> str | None:
        """Where the finding stands with QA (states.py); None for a pass."""
        if not self.is_finding:
            return None
        return self.review.state if self.review else "open"

    @property
    def is_open(self) -> bool:
        """A finding nothing has closed yet: no decision, decided to fix, or decided on other values."""
        return self.is_finding and states.is_open(self.state)

    @property
    def corrected(self) -> bool:
        """A finding of the report as printed that the editors' errata resolved."""
        return self.is_finding and self.errata is not None and (
            self.errata.after is None or self.errata.after.status == "pass")

    def ids(self) -> list[str]:
        """This finding's id and those of its facets: any of them names the finding."""
        return [self.id, *(f.id for f in self.facets)]


@dataclass
class Previous:
    """The values a decision was made on, kept on a finding the decision no longer covers."""

    stated: Any
    derived: Any


@dataclass
class Review:
    """Where a finding stands with QA (`state`, see states.py) and the decision it rests on.

    `to`: whom a reported finding was reported to; `previous`: for a reopened finding, the values
    the decision was made on (the finding's own values are the current ones)."""

    state: str
    decision: str | None = None
    by: str = ""
    at: str = ""
    note: str = ""
    to: str = ""
    previous: Previous | None = None


@dataclass
class Values:
    """A check's values at one point: its stated and derived value and its status."""

    stated: Any
    derived: Any
    status: str


@dataclass
class ErratumRef:
    """An erratum (an applied correction) as a finding names it; `no` is its place in the list of
    corrections the casebook prints (付録B)."""

    no: int
    location: str
    where: str
    old: str
    new: str
    reason: str


@dataclass
class Errata:
    """What the editors' errata changed in a check: its values as printed (`before`) and with the
    errata applied (`after`; None when the finding no longer arises, e.g. a typo corrected away),
    and the errata that did it."""

    corrections: list[ErratumRef]
    before: Values
    after: Values | None


@dataclass
class Agreement:
    """Agreement of auto-coding with review for one attribute (over the reviewed cases)."""

    attribute: str
    n: int
    percent: float
    kappa: float | None


@dataclass
class ValidationReport:
    """Every check of one report, the codings behind them and the coders' agreement."""

    source: str
    sha256: str
    generated: str
    checks: list[Check] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    agreement: list[Agreement] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    review_notes: list[ReviewNote] = field(default_factory=list)  # reviewers' comments from Word

    def summary(self) -> dict[str, int]:
        """Counts of checks by status; of open findings by severity and by state (new, to-fix,
        reopened: each open finding counted once in each split); of findings closed by a decision
        (decided) and by an erratum (corrected). Every report of a run counts from here."""
        out = {"pass": 0, "mismatch": 0, "error": 0, "high": 0, "medium": 0, "low": 0,
               "new": 0, "to_fix": 0, "reopened": 0, "decided": 0, "corrected": 0}
        for check in self.checks:
            out[check.status] += 1
            state = check.state
            if state is None:
                continue
            if states.is_open(state):
                out[check.severity or states.UNTRIAGED] += 1
                out[states.OPEN_COUNTS[state]] += 1
            elif state == "corrected":
                out["corrected"] += 1
            else:
                out["decided"] += 1
        return out

    def findings(self) -> list[Check]:
        """Every non-pass check, the worst first: open before closed, then by severity."""
        rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        order = {id(c): i for i, c in enumerate(self.checks)}
        return sorted(
            (c for c in self.checks if c.is_finding),
            key=lambda c: (not c.is_open, rank.get(c.severity or "", len(rank)), order[id(c)]),
        )

    def blocking(self, strict: bool = False, consequence: str = "") -> CasebookError | None:
        """Why this validation stops a run, if it does (see `blocking`)."""
        return blocking(self.summary(), strict, consequence)

    def check(self, check_id: str) -> Check | None:
        """A check by id (or by the id of one of its facets), if present."""
        return next((c for c in self.checks if check_id in c.ids()), None)

    def value(self, case: int, attribute: str) -> Any:
        """The coded value of an attribute for a case (None if not coded)."""
        for coding in self.codings:
            if coding.case == case and coding.attribute == attribute:
                return coding.value
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (validation.json), with the summary added."""
        data = asdict(self)
        data["summary"] = self.summary()
        return data


def blocking(summary: dict[str, int], strict: bool, consequence: str = "") -> CasebookError | None:
    """The error a validation with this summary raises: error checks always (the records cannot
    be trusted); with `strict`, open or reopened high or medium findings. `consequence` says what
    the run did about it (「build kept at …; latest unchanged」)."""
    then = f" — {consequence}" if consequence else ""
    if summary["error"]:
        return ErrorChecksError(
            f"{summary['error']} checks are errors: the records cannot be trusted (see validation.html){then}"
        )
    if strict and (count := states.gated_count(summary)):
        return OpenFindingsError(
            f"{count} open findings need review ({SEVERITIES['high']} {summary['high']}, "
            f"{SEVERITIES['medium']} {summary['medium']}); {summary['pass']} checks passed{then} — decide "
            "them with `casebook review` or fix their cause"
        )
    return None


def counts(summary: dict[str, int]) -> dict[str, int]:
    """The counts of a validation as build.json records them: open findings (all, by severity, by
    state), the ones a strict run gates on (`review`), closed ones, passed checks and errors."""
    opened = summary["high"] + summary["medium"] + summary["low"]
    rest = {k: v for k, v in summary.items() if k != "mismatch"}
    return {"open": opened, "review": states.gated_count(summary), **rest}


def counts_text(summary: dict[str, int]) -> str:
    """The counts of a validation in one line, the same on the terminal, in the flow's message and
    on validation.html: 「14 open findings (要対応 3, 要確認 6, 参考 5; new 9, reopened 5), 20 decided,
    10 corrected; 92 checks passed, 0 errors」."""
    opened = summary["high"] + summary["medium"] + summary["low"]
    by_state = [f"new {summary.get('new', 0)}", f"reopened {summary.get('reopened', 0)}"]
    if summary.get("to_fix"):
        by_state.append(f"to fix {summary['to_fix']}")
    return (f"{opened} open findings ({SEVERITIES['high']} {summary['high']}, {SEVERITIES['medium']} "
            f"{summary['medium']}, {SEVERITIES['low']} {summary['low']}; {', '.join(by_state)}), "
            f"{summary['decided']} decided, {summary.get('corrected', 0)} corrected; "
            f"{summary['pass']} checks passed, {summary['error']} errors")
