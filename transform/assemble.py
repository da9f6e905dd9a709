"""Raw extraction values → the checked `Report` (the transform rules and the schema)."""

from __future__ import annotations

from pathlib import Path

from casebook.errors import RecordError
from extract.run import RawReport
from transform.build import build_case
from transform.frames import SchemaError, check_frames
from transform.meta import source_meta
from transform.records import CaseReading, Extraction, PageGlyphs, Report, StrayGlyphs
from transform.statements import build_outline, build_table, find_citations


def build_report(raw: RawReport, sha256: str) -> Report:
    """Normalise raw values into records and check them against the schema."""
    marked = raw.kept_wrap_spaces
    outline = build_outline(raw.outline, kept_wrap_spaces=marked)
    report = Report(
        source=Path(raw.path).name,
        sha256=sha256,
        page_count=raw.page_count,
        cases=[build_case(c, raw.tables, kept_wrap_spaces=marked) for c in raw.cases],
        tables=[build_table(t, kept_wrap_spaces=marked) for t in raw.tables],
        outline=outline,
        citations=find_citations(outline),
        meta=source_meta(raw.info, raw.title_page),
        page_labels=dict(raw.page_labels),
        extraction=extraction(raw),
    )
    try:
        check_frames(report.cases)
    except SchemaError as exc:
        # One line (the CLI prints errors as one line): the first three failures.
        failures = "; ".join(
            f"{f.table}.{f.column} {f.check}: 「{str(f.value)[:40]}」" for f in exc.failures[:3]
        )
        raise RecordError(
            f"{report.source}: the extracted records fail their schema ({failures}) — if the PDF is "
            "intact, report it as a new layout the extractor does not handle"
        ) from exc
    return report


def extraction(raw: RawReport) -> Extraction:
    """The readings of the case tables and the glyph ledger, as records for report.json."""
    readings = [
        CaseReading(r.no, r.strategies, r.settings, r.why, r.tried, r.failed, r.unassigned)
        for r in raw.readings
    ]
    if raw.ledger is None:
        return Extraction(readings)
    pages = [
        PageGlyphs(p.page, p.glyphs, p.assigned, p.unassigned, dict(p.places), p.twice)
        for p in raw.ledger.pages
    ]
    strays = [StrayGlyphs(s.page, s.x0, s.top, s.text, s.glyphs, s.case) for s in raw.ledger.strays]
    return Extraction(readings, pages, strays)
