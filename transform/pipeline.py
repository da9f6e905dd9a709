"""PDF → Report records: extraction followed by the transform rules, in one call."""

from __future__ import annotations

import hashlib
from pathlib import Path

from casebook.vocabulary import CATEGORIES
from extract.pdf import ProgressFn
from extract.run import RawReport, extract_report
from extract.settings import DEFAULT_SETTINGS, TableSettings
from transform.build import RecordError, build_case
from transform.frames import SchemaError, check_frames
from transform.meta import source_meta
from transform.records import Report
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


def file_sha256(path: Path) -> str:
    """Content hash of the source PDF (provenance and cache key)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_report(
    path: Path,
    *,
    workers: int | None = None,
    on_page: ProgressFn | None = None,
    table_settings: TableSettings = DEFAULT_SETTINGS,
) -> Report:
    """Extract and transform a PDF into checked records."""
    raw = extract_report(path, CATEGORIES, workers=workers, on_page=on_page, table_settings=table_settings)
    return build_report(raw, file_sha256(path))
