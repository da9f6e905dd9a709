"""The validation report as typed data. Its JSON form (validation.json) is a stable contract read
by QA, by the renderers (appendix, case attributes) and by the flow (artifacts, publish gate).

Statuses: `pass`; `mismatch` — the report and its cases disagree (needs review); `error` — the
records cannot be trusted (blocks publishing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["pass", "mismatch", "error"]
Basis = Literal["mechanical", "auto", "reviewed"]


@dataclass
class Evidence:
    """A sentence of a case that supports a decision, and where it is."""

    quote: str
    step: int | None = None


@dataclass
class Coding:
    """The value of one coded attribute for one case (e.g. members=3, business:経営支援業務=True).

    Attribute ids: "members" (int | None), "area" ("single" | "multiple"),
    "business:<業務名>", "trigger:<きっかけ>", "reason:<理由>" (bool).
    """

    case: int
    attribute: str
    value: Any
    basis: Basis
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Stated:
    """A number the report states, with the page and sentence it came from."""

    value: Any
    page: int | None
    sentence: str | None


@dataclass
class CaseRef:
    """A case behind a derived value, with its decision and evidence."""

    no: int
    decision: Any
    basis: Basis
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Check:
    """One check: stated vs derived, its status and the cases behind the derived value."""

    id: str
    title: str
    group: str
    status: Status
    stated: Stated | None
    derived: Any
    derived_basis: str
    message: str = ""
    cases: list[CaseRef] = field(default_factory=list)


@dataclass
class Agreement:
    """Agreement of auto-coding with review for one attribute."""

    attribute: str
    n: int
    percent: float
    kappa: float | None


@dataclass
class ValidationReport:
    source: str
    sha256: str
    generated: str
    checks: list[Check] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    agreement: list[Agreement] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """Counts of checks by status."""
        out = {"pass": 0, "mismatch": 0, "error": 0}
        for check in self.checks:
            out[check.status] += 1
        return out

    def value(self, case: int, attribute: str) -> Any:
        """The coded value of an attribute for a case (None if not coded)."""
        for coding in self.codings:
            if coding.case == case and coding.attribute == attribute:
                return coding.value
        return None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = self.summary()
        return data
