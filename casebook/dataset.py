"""A build's records as pandas DataFrames, for analysts.

    from casebook import dataset

    build = dataset.load("output/latest")            # a build folder (report.json + validation.json)
    build = dataset.load("x/report.json", "v/validation.json")   # or the two files
    build.cases        # one row per case: number, name, region, category, pages, coded attributes
    build.items        # one row per item (nested items too), in reading order, with its page
    build.tables["3-1"]  # a captioned table of the report, with the page each row is printed on
    build.findings     # one row per finding of validation, the worst first
    build.codings      # one row per case × coded attribute, with its basis and evidence

Pages are PDF pages (`page`, `first_page`, …) with the number the report prints beside them
(`printed_page`, 「7」). Column names are the English ones of items.csv and validation.json;
Japanese labels (重要度, 原因, 状態) are in their own columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from casebook.errors import SourceError
from casebook.vocabulary import CAUSES, DECISIONS, REVIEW_STATES, SEVERITIES
from transform.export import report_from_dict
from transform.frames import case_rows, item_rows
from transform.records import Report

REPORT, VALIDATION = "report.json", "validation.json"
_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class Dataset:
    """The records of one build (`report`) and its validation.json (`validation`, or None)."""

    report: Report
    validation: dict[str, Any] | None = None
    source: Path | None = field(default=None, repr=False)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """One row per case; with a validation, one column per coded attribute (members, area,
        business:<業務>, trigger:<きっかけ>, reason:<理由>) holding its value."""
        frame = pd.DataFrame(case_rows(self.report.cases))
        frame["first_printed_page"] = frame["first_page"].map(self._printed)
        frame["last_printed_page"] = frame["last_page"].map(self._printed)
        frame["items"] = [sum(1 for _ in c.iter_items()) for c in self.report.cases]
        if self.validation is not None and not self.codings.empty:
            wide = self.codings.pivot(index="case", columns="attribute", values="value")
            frame = frame.merge(wide, how="left", left_on="no", right_index=True)
        return frame

    @cached_property
    def items(self) -> pd.DataFrame:
        """One row per item, as items.csv, with the step's label and the item's first page."""
        rows = item_rows(self.report.cases)
        labels = {(c.no, s.step): s.label for c in self.report.cases for s in c.steps}
        frame = pd.DataFrame(rows)
        frame.insert(2, "step_label", [labels[(r["case"], r["step"])] for r in rows])
        frame["page"] = [int(r["pages"].split(";")[0]) for r in rows]
        frame["printed_page"] = frame["page"].map(self._printed)
        return frame

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Each captioned table by number (「3-1」): its first row as the header (repeated names
        numbered), the rows below it, and the page each row is printed on."""
        out = {}
        for table in self.report.tables:
            if not table.rows:
                continue
            header = _unique([cell.replace("\n", "") or f"列{i + 1}" for i, cell in enumerate(table.rows[0])])
            frame = pd.DataFrame(table.rows[1:], columns=header)
            if len(table.row_pages) == len(table.rows):
                frame["page"] = table.row_pages[1:]
                frame["printed_page"] = frame["page"].map(self._printed)
            frame.attrs["title"] = f"図表{table.number} {table.title}"
            out[table.number] = frame
        return out

    @cached_property
    def findings(self) -> pd.DataFrame:
        """Every check that did not pass, the worst first (open before decided, then 要対応, 要確認,
        参考), with the report's statement, the value the cases give, the cases behind it and QA's
        decision; a reopened finding's earlier values in `previous_stated` / `previous_derived`."""
        checks = [c for c in self._checks() if c.get("status") != "pass"]
        order = sorted(range(len(checks)), key=lambda i: (not _open(checks[i]),
                                                          _RANK.get(checks[i].get("severity") or "", 3), i))
        return pd.DataFrame([_finding_row(checks[i], self._printed) for i in order], columns=FINDING_COLUMNS)

    @cached_property
    def codings(self) -> pd.DataFrame:
        """One row per case × coded attribute: value, basis (auto / reviewed), whether a reviewer
        inferred it, and the evidence sentences with their pages."""
        rows = [{
            "case": c["case"], "attribute": c["attribute"], "value": c["value"], "basis": c["basis"],
            "auto_value": c.get("auto_value"), "inferred": c.get("inferred", False),
            "note": c.get("note", ""),
            "evidence": " / ".join(e["quote"] for e in c.get("evidence", [])),
            "pages": ";".join(str(p) for e in c.get("evidence", []) for p in e.get("pages", [])),
        } for c in (self.validation or {}).get("codings", [])]
        return pd.DataFrame(rows, columns=["case", "attribute", "value", "basis", "auto_value", "inferred",
                                           "note", "evidence", "pages"])

    def _checks(self) -> list[dict[str, Any]]:
        return list((self.validation or {}).get("checks", []))

    def _printed(self, page: Any) -> str:
        return self.report.printed_page(int(page)) if page is not None and not pd.isna(page) else ""


FINDING_COLUMNS = ["id", "title", "group", "status", "severity", "重要度", "cause", "原因", "state", "状態",
                   "stated", "page", "printed_page", "sentence", "derived", "message", "action", "cases",
                   "decision", "判断", "by", "at", "note", "previous_stated", "previous_derived"]


def _finding_row(check: dict[str, Any], printed: Any) -> dict[str, Any]:
    stated = check.get("stated") or {}
    review = check.get("review") or {}
    previous = review.get("previous") or {}
    state = review.get("state") or "open"
    return {
        "id": check["id"], "title": check.get("title", ""), "group": check.get("group"),
        "status": check.get("status"), "severity": check.get("severity"),
        "重要度": SEVERITIES.get(check.get("severity") or "", ""), "cause": check.get("cause"),
        "原因": CAUSES.get(check.get("cause") or "", ""), "state": state,
        "状態": REVIEW_STATES.get(state, state), "stated": stated.get("value"), "page": stated.get("page"),
        "printed_page": printed(stated.get("page")), "sentence": stated.get("sentence"),
        "derived": check.get("derived"), "message": check.get("message", ""),
        "action": check.get("action", ""), "cases": [ref["no"] for ref in check.get("cases", [])],
        "decision": review.get("decision"), "判断": DECISIONS.get(review.get("decision") or "", ""),
        "by": review.get("by", ""), "at": review.get("at", ""), "note": review.get("note", ""),
        "previous_stated": previous.get("stated"), "previous_derived": previous.get("derived"),
    }


def _open(check: dict[str, Any]) -> bool:
    review = check.get("review")
    return review is None or review.get("state") in ("open", "reopened")


def _unique(names: list[str]) -> list[str]:
    """Column names made unique: a repeated name gets 「_2」, 「_3」 …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def load(path: str | Path, validation: str | Path | None = None) -> Dataset:
    """A build's dataset: `path` is a build folder (report.json, and validation.json if it is
    there) or a report.json; `validation` names a validation.json elsewhere. Raises SourceError
    (one line: which file, what is wrong) when a file is missing or not what `casebook` wrote."""
    path = Path(path)
    report_path = path / REPORT if path.is_dir() else path
    if validation is None and path.is_dir() and (path / VALIDATION).exists():
        validation = path / VALIDATION
    what = "a report.json written by `casebook extract` or a build"
    try:
        report = report_from_dict(_read(report_path, what))
    except (KeyError, TypeError) as exc:
        raise SourceError(report_path, f"not a report.json (no {exc})", f"pass {what}") from None
    checks = _read(Path(validation), "a validation.json written by `casebook validate` or a build") \
        if validation is not None else None
    return Dataset(report, checks, report_path)


def _read(path: Path, what: str) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(path, "no such file", f"pass {what}") from None
    except (OSError, ValueError) as exc:
        raise SourceError(path, f"not readable as JSON ({exc})", f"pass {what}") from None
    if not isinstance(data, dict):
        raise SourceError(path, "not a JSON object", f"pass {what}")
    return data
