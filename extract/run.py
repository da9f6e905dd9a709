"""One call from a PDF path to every raw value the report holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.errors import NotThisReportError
from extract.pdf import ProgressFn, read_layouts
from extract.report import OutlineNode, find_regions
from extract.tables import RawCase, RawTable, stitch_case, table_rows


@dataclass
class RawReport:
    """Everything extracted from one PDF, before text normalisation."""

    path: str
    page_count: int
    cases: list[RawCase]
    tables: list[RawTable]
    outline: list[OutlineNode]


def extract_report(
    path: Path,
    categories: tuple[str, ...],
    *,
    workers: int | None = None,
    on_page: ProgressFn | None = None,
) -> RawReport:
    """Read the PDF once (in parallel) and cut out its cases, tables and outline."""
    layouts = read_layouts(path, workers=workers, on_page=on_page)
    regions = find_regions(layouts, categories)
    if not regions.cases:
        raise NotThisReportError(
            path,
            f"no case tables (「事例N …」 followed by a 2-column table) in its {len(layouts)} pages",
            "pass the 協働化 成果報告書 PDF; this file looks like another document",
        )
    cases = [stitch_case(region, str(path)) for region in regions.cases]
    tables = [table_rows(region) for region in regions.tables]
    return RawReport(str(path), len(layouts), cases, tables, regions.outline)
