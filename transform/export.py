"""Report records ↔ files: cases.json (the contract), items.csv, tables/*.csv, chapter3.json,
outline.json, citations.json and report.json (everything, for later stages)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from transform.frames import items_csv
from transform.records import (
    AppliedCorrection,
    Case,
    Citation,
    Extraction,
    OutlineSection,
    Paragraph,
    Report,
    ReportTable,
    SourceMeta,
)


def report_files(report: Report) -> dict[str, bytes]:
    """Every output file of the extract stage, by relative path (the caller decides where)."""
    files = {
        "cases.json": _json([c.to_dict() for c in report.cases]),
        "items.csv": items_csv(report.cases),
        "chapter3.json": _json([asdict(s) for s in report.chapter(3)]),
        "outline.json": _json([asdict(s) for s in report.outline]),
        "citations.json": _json([asdict(c) for c in report.citations]),
        "report.json": _json(report_to_dict(report)),
    }
    for table in report.tables:
        files[f"tables/{table.number}.csv"] = _csv(table.rows)
    return files


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return asdict(report)


def report_from_dict(data: dict[str, Any]) -> Report:
    """Inverse of `report_to_dict`."""
    return Report(
        source=data["source"],
        sha256=data["sha256"],
        page_count=data["page_count"],
        cases=[Case.from_dict(c) for c in data["cases"]],
        tables=[ReportTable(**t) for t in data["tables"]],
        outline=[
            OutlineSection(
                s["path"], s["level"], s["title"], s["page"],
                [Paragraph(**p) for p in s["paragraphs"]],
            )
            for s in data["outline"]
        ],
        citations=[Citation(**c) for c in data["citations"]],
        meta=SourceMeta(**data.get("meta", {})),
        page_labels={int(k): v for k, v in data.get("page_labels", {}).items()},
        corrections=[AppliedCorrection(**c) for c in data.get("corrections", [])],
        extraction=Extraction.from_dict(data.get("extraction", {})),
    )


def load_report(directory: Path) -> Report:
    """Read the report.json written by `casebook extract`."""
    return report_from_dict(json.loads((directory / "report.json").read_text(encoding="utf-8")))


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")
