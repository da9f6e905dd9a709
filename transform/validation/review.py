"""QA's decisions on findings, kept in a file (default `editorial/review.yaml`) across rebuilds.

A decision is bound to a fingerprint of the values it was made on — the stated value and the
derived value of the check (and of its facets), without similarity scores that move with the
code — as SonarQube binds an issue to a hash of its line. A rebuild that changes nothing keeps
the decision; a changed value reopens the finding, which then carries the values the decision was
made on (`review.previous`). The states and decisions are those of `states.py`.

review.yaml::

    decisions:
      - check: members.bin.3法人
        decision: reported            # accepted | waived | reported | to-fix
        by: 山田
        at: '2026-12-03T10:00:00+09:00'
        note: 区分の件数を発行元に照会した
        to: 発行元（報告書の作成者）      # reported: to whom
        fingerprint: 3f2a…            # of the values it was decided on
        stated: 8                     # those values, for a human reading the file
        derived: 6
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from casebook import yamlfile
from casebook.errors import EditorialError
from transform.validation.model import Check, Previous, Review, ValidationReport
from transform.validation.states import DECISION_WORDS, DECISIONS, is_open, state_of

# Parts of a derived value that measure rather than decide: a new version of the matcher may move
# them without the finding changing.
VOLATILE_KEYS = frozenset({"quote_score", "support", "steps"})
FIELDS = ("check", "decision", "by", "at", "note", "to", "fingerprint", "stated", "derived")
SIMILAR = 60.0  # an id or a word this close (0–100) to a known one is offered as "did you mean"
HEADER = """\
# QA decisions on validation findings (casebook review). A decision holds while the
# fingerprint of the values it was made on matches; a changed value reopens the finding.
# Decisions: accepted (問題なし), waived (対象外), reported (発行元へ報告済み; `to`: to whom),
# to-fix (要修正: stays open). A finding an erratum of corrections.yaml resolves is 訂正済み by
# itself. Record decisions with `casebook review` rather than by hand, e.g.
#   casebook review --check area.single --decision to-fix --by 山田 --note "事例の所在地を確認"
#   casebook review --accept-all --by 山田 --note "初回レビュー"   (never decides a high finding)
"""


class ReviewFileError(EditorialError):
    """The decision file cannot be read, holds an entry that is not a decision, or a decision
    cannot be taken as asked."""


@dataclass
class Decision:
    """One decision of QA on one finding."""

    check: str
    decision: str
    by: str
    at: str
    note: str
    fingerprint: str
    stated: Any = None
    derived: Any = None
    to: str = ""  # reported: to whom


@dataclass(frozen=True)
class Finding:
    """What a decision is taken on: a finding's id, its values, severity and state, and the ids of
    its facets — read from a ValidationReport or from its validation.json alike."""

    check: str
    stated: Any
    derived: Any
    open: bool
    severity: str | None = None
    state: str = "open"
    facets: tuple[tuple[str, Any, Any], ...] = ()  # (id, stated, derived) of each facet

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.stated, self.derived, self.facets)

    @property
    def facet_ids(self) -> list[str]:
        return [f[0] for f in self.facets]


@dataclass
class Decided:
    """What `decide` did: the new decision list, the findings decided now, the open high findings
    it left to be decided one by one, and facet ids that named their finding."""

    decisions: list[Decision]
    decided: list[str]
    skipped_high: list[str] = field(default_factory=list)
    via_facet: dict[str, str] = field(default_factory=dict)
    kept_to_fix: list[str] = field(default_factory=list)  # --accept-all leaves a to-fix decision alone


def fingerprint_of(stated: Any, derived: Any, facets: Iterable[tuple[str, Any, Any]] = ()) -> str:
    """A short hash of what a finding says: its stated and derived values (scores left out), and
    those of its facets if it has any."""
    payload: dict[str, Any] = {"stated": stated, "derived": stable_value(derived)}
    facets = list(facets)
    if facets:
        payload["facets"] = [[i, s, stable_value(d)] for i, s, d in facets]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _values(check: Check) -> tuple[Any, Any]:
    return check.stated.value if check.stated else None, check.derived


def fingerprint(check: Check) -> str:
    return fingerprint_of(*_values(check), [(f.id, *_values(f)) for f in check.facets])


def findings_of(vr: ValidationReport) -> list[Finding]:
    return [Finding(c.id, *_values(c), c.is_open, c.severity, c.state or "open",
                    tuple((f.id, *_values(f)) for f in c.facets))
            for c in vr.checks if c.is_finding]


def findings_from_json(data: dict[str, Any]) -> list[Finding]:
    """The findings of a validation.json (as written by this version or an earlier one)."""

    def values(c: dict[str, Any]) -> tuple[Any, Any]:
        return (c.get("stated") or {}).get("value"), c.get("derived")

    out = []
    for c in data.get("checks", []):
        if c.get("status") == "pass":
            continue
        state = (c.get("review") or {}).get("state", "open")
        out.append(Finding(c["id"], *values(c), is_open(state), c.get("severity"),
                           state, tuple((f["id"], *values(f)) for f in c.get("facets") or [])))
    return out


def stable_value(value: Any) -> Any:
    """A derived value without its measurements (similarity scores): what a finding says."""
    if isinstance(value, dict):
        return {k: stable_value(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [stable_value(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# the decision file


def load_decisions(path: Path) -> list[Decision]:
    """Read a decision file; a missing file is an empty one (nothing decided yet). Every problem
    is one line naming the file, the line and what is wrong."""
    if not path.exists():
        return []
    text = yamlfile.read_text(path, ReviewFileError, "QA decisions file")
    data = yamlfile.parse(text, path, ReviewFileError, "QA decisions file") or {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # parsed above: no error left
    entries = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReviewFileError(f"{path}: expected a mapping with a 'decisions:' list (see the example at "
                              "the top of the file)")
    lines = _entry_lines(root)
    return [_decision(entry, i, f"{path}, line {lines[i]}" if i < len(lines) else str(path))
            for i, entry in enumerate(entries)]


def _entry_lines(root: yaml.Node | None) -> list[int]:
    """The line (1-based) each entry of the 'decisions' list starts on."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "decisions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _decision(entry: Any, i: int, where: str) -> Decision:
    label = f"{where}: decision #{i + 1}"
    if not isinstance(entry, dict):
        raise ReviewFileError(f"{label} is not a mapping of {', '.join(FIELDS[:6])}")
    unknown = [str(k) for k in entry if k not in FIELDS]
    if unknown:
        hint = _did_you_mean(unknown[0], FIELDS)
        raise ReviewFileError(f"{label}: unknown key {unknown[0]!r}{hint} — the keys are {', '.join(FIELDS)}")
    missing = [k for k in ("check", "decision", "fingerprint") if not entry.get(k)]
    if missing:
        raise ReviewFileError(f"{label} needs {', '.join(missing)} — record decisions with `casebook review`")
    label = f"{label} ({entry['check']})"
    if entry["decision"] not in DECISIONS:
        hint = did_you_mean_decision(str(entry["decision"]))
        raise ReviewFileError(f"{label}: decision must be one of {', '.join(DECISIONS)}, "
                              f"not {entry['decision']!r}{hint}")
    if entry["decision"] == "reported" and not str(entry.get("to") or "").strip():
        raise ReviewFileError(f"{label}: a reported finding needs 'to' (whom it was reported to)")
    return Decision(str(entry["check"]), str(entry["decision"]), str(entry.get("by") or ""),
                    str(entry.get("at") or ""), str(entry.get("note") or ""), str(entry["fingerprint"]),
                    entry.get("stated"), entry.get("derived"), str(entry.get("to") or ""))


def save_decisions(path: Path, decisions: list[Decision]) -> None:
    """Write the decision file (sorted by check id, so that diffs stay small; `to` only where set)."""
    rows = []
    for d in sorted(decisions, key=lambda d: d.check):
        row = asdict(d)
        if not row["to"]:
            del row["to"]
        rows.append(row)
    header = HEADER
    text = header + yaml.safe_dump({"decisions": rows}, allow_unicode=True, sort_keys=False, width=1000)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ReviewFileError(f"{path}: cannot be written ({exc.strerror or exc.__class__.__name__}) — "
                              "check the folder and its permissions; the decision file was left as it was") \
            from exc


# ---------------------------------------------------------------------------------------------
# decisions on findings


def apply_decisions(vr: ValidationReport, decisions: list[Decision]) -> None:
    """Set fingerprint and review on every finding of a report, in place: corrected (an erratum
    resolved it), the state of its decision, reopened (decided on other values), or open."""
    by_check = {d.check: d for d in decisions}
    for check in vr.checks:
        check.fingerprint = fingerprint(check)
        if not check.is_finding:
            check.review = None
            continue
        if check.corrected:
            check.review = Review("corrected")
            continue
        decision = next((by_check[i] for i in check.ids() if i in by_check), None)
        if decision is None:
            check.review = Review("open")
            continue
        review = Review(state_of(decision.decision), decision.decision, decision.by, decision.at,
                        decision.note, decision.to)
        if decision.fingerprint != check.fingerprint:
            review.state, review.previous = "reopened", Previous(decision.stated, decision.derived)
        check.review = review


def decide(
    found: list[Finding], existing: list[Decision], *, by: str, note: str, decision: str = "accepted",
    check_ids: list[str] | None = None, at: str | None = None, to: str = "",
) -> Decided:
    """Record `decision` for the named findings (`check_ids`), or for every open finding but the
    high ones, which are decided one by one, and those decided to-fix, which stay so; every other
    decision is kept.

    An id that is no finding is an error (with the closest ids); an id of a facet decides its
    finding. A decision on a high finding needs a reason (`note`), but to-fix; `reported` needs
    `to`."""
    if decision not in DECISIONS:
        raise ReviewFileError(f"--decision {decision!r} is not a decision{did_you_mean_decision(decision)} "
                              f"— use one of {', '.join(DECISIONS)}")
    if not by.strip():
        raise ReviewFileError("say who decides: --by NAME")
    if decision == "reported" and not to.strip():
        raise ReviewFileError("--decision reported needs --to: whom the defect was reported to "
                              "(e.g. --to 発行元)")
    if to.strip() and decision != "reported":
        raise ReviewFileError(f"--to names whom a finding was reported to; it goes with --decision reported, "
                              f"not {decision}")
    index = {i: f for f in found for i in (f.check, *f.facet_ids)}
    skipped: list[Finding] = []
    via_facet: dict[str, str] = {}
    if check_ids:
        targets = _named(check_ids, index, via_facet)
        reasonless = [f.check for f in targets
                      if f.severity == "high" and decision != "to-fix" and not note.strip()]
        if reasonless:
            raise ReviewFileError(f"{', '.join(reasonless)} is high (要対応): say why with --note "
                                  f"when you record {decision}")
    else:
        opened = [f for f in found if f.open and f.state != "to-fix"]  # a to-fix decision is not undone
        skipped = [f for f in opened if f.severity == "high"]
        targets = [f for f in opened if f.severity != "high"]
    stamp = at or datetime.now().astimezone().isoformat(timespec="seconds")  # the reviewer's clock
    out = {d.check: d for d in existing}
    for f in targets:
        for facet in f.facet_ids:  # a facet's own decision gives way to its finding's
            out.pop(facet, None)
        out[f.check] = Decision(f.check, decision, by, stamp, note, f.fingerprint, f.stated,
                                stable_value(f.derived), to.strip())
    kept = [] if check_ids else [f.check for f in found if f.state == "to-fix"]
    return Decided(list(out.values()), [f.check for f in targets], [f.check for f in skipped], via_facet,
                   kept)


def _named(check_ids: list[str], index: dict[str, Finding], via_facet: dict[str, str]) -> list[Finding]:
    """The findings the ids name, each once; unknown or closed-by-an-erratum ids are errors."""
    unknown = [i for i in check_ids if i not in index]
    if unknown:
        hint = _did_you_mean(unknown[0], list(index))
        raise ReviewFileError(f"not a finding of this validation: {', '.join(unknown)}{hint} — see the ids "
                              "in validation.html or validation.json")
    targets: list[Finding] = []
    for i in check_ids:
        f = index[i]
        if f.state == "corrected":
            raise ReviewFileError(f"{i} is corrected by an erratum (訂正済み): there is nothing to decide")
        if i != f.check:
            via_facet[i] = f.check
        if f not in targets:
            targets.append(f)
    return targets


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    """「 (did you mean members.bin.3法人?)」 for the closest of `choices`, or ""."""
    found = process.extractOne(word, list(choices), scorer=fuzz.WRatio, score_cutoff=SIMILAR)
    return f" (did you mean {found[0]}?)" if found else ""


def did_you_mean_decision(word: str) -> str:
    """「 (did you mean accepted?)」 for a mistyped decision, or "": the decision closest to the
    word over the decisions and the words people use for them (approve → accepted)."""
    words = {w: d for d, ws in DECISION_WORDS.items() for w in ws}
    found = process.extractOne(word.strip().lower(), list(words), scorer=fuzz.WRatio, score_cutoff=SIMILAR)
    return f" (did you mean {words[found[0]]}?)" if found else ""
