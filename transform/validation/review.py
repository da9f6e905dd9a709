"""QA's decisions on findings, kept in a file (default `editorial/review.yaml`) across rebuilds.

A decision is bound to a fingerprint of the values it was made on — the stated value and the
derived value of the check, without similarity scores that move with the code — as SonarQube
binds an issue to a hash of its line. A rebuild that changes nothing keeps the decision; a
changed value reopens the finding.

review.yaml::

    decisions:
      - check: members.bin.3法人
        decision: accepted            # accepted | waived | to-fix
        by: 山田
        at: '2026-12-03T10:00:00+00:00'
        note: ヒアリングで確認済み
        fingerprint: 3f2a…            # of the values it was decided on
        stated: 8                     # those values, for a human reading the file
        derived: 6
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from casebook.errors import EditorialError
from transform.validation.model import Check, Review, ValidationReport

DECISIONS = ("accepted", "waived", "to-fix")
# Parts of a derived value that measure rather than decide: a new version of the matcher may move
# them without the finding changing.
VOLATILE_KEYS = frozenset({"quote_score", "support", "steps"})


class ReviewFileError(EditorialError):
    """The decision file cannot be read or holds an entry that is not a decision."""


@dataclass
class Decision:
    """One decision of QA on one check."""

    check: str
    decision: str
    by: str
    at: str
    note: str
    fingerprint: str
    stated: Any = None
    derived: Any = None


@dataclass(frozen=True)
class Finding:
    """What a decision is taken on: a finding's id, its values and whether it is open — read from
    a ValidationReport or from its validation.json alike."""

    check: str
    stated: Any
    derived: Any
    open: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.stated, self.derived)


def fingerprint_of(stated: Any, derived: Any) -> str:
    """A short hash of what a finding says: its stated and derived values (scores left out)."""
    payload = {"stated": stated, "derived": stable_value(derived)}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprint(check: Check) -> str:
    return fingerprint_of(check.stated.value if check.stated else None, check.derived)


def findings_of(vr: ValidationReport) -> list[Finding]:
    return [Finding(c.id, c.stated.value if c.stated else None, c.derived, c.is_open)
            for c in vr.checks if c.is_finding]


def findings_from_json(data: dict[str, Any]) -> list[Finding]:
    """The findings of a validation.json (as written by this version or an earlier one)."""
    out = []
    for c in data.get("checks", []):
        if c.get("status") == "pass":
            continue
        review = c.get("review") or {}
        is_open = review.get("state", "open") in ("open", "reopened")
        out.append(Finding(c["id"], (c.get("stated") or {}).get("value"), c.get("derived"), is_open))
    return out


def stable_value(value: Any) -> Any:
    """A derived value without its measurements (similarity scores): what a finding says."""
    if isinstance(value, dict):
        return {k: stable_value(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [stable_value(v) for v in value]
    return value


def load_decisions(path: Path) -> list[Decision]:
    """Read a decision file; a missing file is an empty one (nothing decided yet)."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewFileError(
            f"{path}: cannot be read as YAML ({exc}) — fix the file or restore it from git"
        ) from exc
    entries = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReviewFileError(f"{path}: needs a mapping with a 'decisions' list")
    return [_decision(entry, i, path) for i, entry in enumerate(entries)]


def _decision(entry: Any, i: int, path: Path) -> Decision:
    if not isinstance(entry, dict) or not entry.get("check") or not entry.get("fingerprint"):
        raise ReviewFileError(f"{path}: decisions[{i}] needs 'check', 'decision' and 'fingerprint'")
    if entry.get("decision") not in DECISIONS:
        raise ReviewFileError(
            f"{path}: decisions[{i}] ({entry['check']}): decision must be one of {', '.join(DECISIONS)}, "
            f"not {entry.get('decision')!r}"
        )
    return Decision(str(entry["check"]), str(entry["decision"]), str(entry.get("by", "")),
                    str(entry.get("at", "")), str(entry.get("note", "") or ""), str(entry["fingerprint"]),
                    entry.get("stated"), entry.get("derived"))


def save_decisions(path: Path, decisions: list[Decision]) -> None:
    """Write the decision file (sorted by check id, so that diffs stay small)."""
    data = {"decisions": [asdict(d) for d in sorted(decisions, key=lambda d: d.check)]}
    header = ("# QA decisions on validation findings (casebook review). A decision holds while the\n"
              "# fingerprint of the values it was made on matches; a changed value reopens the finding.\n")
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def apply_decisions(vr: ValidationReport, decisions: list[Decision]) -> None:
    """Set fingerprint and review state on every finding of a report, in place."""
    by_check = {d.check: d for d in decisions}
    for check in vr.checks:
        check.fingerprint = fingerprint(check)
        if not check.is_finding:
            check.review = None
            continue
        decision = by_check.get(check.id)
        if decision is None:
            check.review = Review("open")
            continue
        if decision.fingerprint != check.fingerprint:
            state = "reopened"
        else:
            state = "open" if decision.decision == "to-fix" else decision.decision
        check.review = Review(state, decision.decision, decision.by, decision.at, decision.note)


def decide(
    found: list[Finding], existing: list[Decision], *, by: str, note: str, decision: str = "accepted",
    check_ids: list[str] | None = None, at: str | None = None,
) -> tuple[list[Decision], list[str]]:
    """Record `decision` for the open findings (or only `check_ids`), keeping every other
    decision; returns the new decision list and the ids decided now. An id that is not a
    finding is an error (a typo would otherwise decide nothing)."""
    if decision not in DECISIONS:
        raise ReviewFileError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if not by.strip():
        raise ReviewFileError("say who decides: --by NAME")
    findings = {f.check: f for f in found}
    if check_ids:
        unknown = [i for i in check_ids if i not in findings]
        if unknown:
            raise ReviewFileError(f"not a finding of this validation: {', '.join(unknown)} — "
                                  "see the ids in validation.json or validation.html")
        targets = [findings[i] for i in check_ids]
    else:
        targets = [f for f in findings.values() if f.open]
    stamp = at or datetime.now().astimezone().isoformat(timespec="seconds")  # the reviewer's clock
    out = {d.check: d for d in existing}
    for f in targets:
        out[f.check] = Decision(f.check, decision, by, stamp, note, f.fingerprint, f.stated,
                                stable_value(f.derived))
    return list(out.values()), [f.check for f in targets]
