"""One call from a PDF path to every raw value the report holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import CaseTableError, NotThisReportError
from extract.integrity import check_captions, check_pages
from extract.layout import TextRun, keeps_wrap_spaces
from extract.pdf import ProgressFn, read_pdf
from extract.report import OutlineNode, find_regions
from extract.running import page_labels
from extract.settings import DEFAULT_SETTINGS, TableSettings
from extract.tables import RawCase, RawTable, stitch_case, table_rows


@dataclass
class RawReport:
    """Everything extracted from one PDF, before text normalisation."""

    path: str
    page_count: int
    cases: list[RawCase]
    tables: list[RawTable]
    outline: list[OutlineNode]
    info: dict[str, str] = field(default_factory=dict)  # PDF document information
    title_page: list[TextRun] = field(default_factory=list)  # the first page's lines
    page_labels: dict[int, str] = field(default_factory=dict)  # PDF page → printed page number
    kept_wrap_spaces: bool = False  # see extract.layout.keeps_wrap_spaces


def extract_report(
    path: Path,
    categories: tuple[str, ...],
    *,
    workers: int | None = None,
    on_page: ProgressFn | None = None,
    table_settings: TableSettings = DEFAULT_SETTINGS,
) -> RawReport:
    """Read the PDF once (in parallel) and cut out its cases, tables and outline."""
    document = read_pdf(path, workers=workers, on_page=on_page)
    layouts = document.layouts
    regions = find_regions(layouts, categories, table_settings)
    check_pages(layouts, regions.running, path)
    check_captions(regions.bare_captions, layouts, path)
    if not regions.cases:
        raise NotThisReportError(
            path,
            f"no case tables (「事例N …」 followed by a 2-column table) in its {len(layouts)} pages",
            "pass the 協働化 成果報告書 PDF; this file looks like another document",
        )
    if regions.orphans:
        first = regions.orphans[0]
        raise CaseTableError(
            path,
            f"case heading on page {first.run.page} has no readable case table after it: "
            f"{first.text!r} ({len(regions.orphans)} such headings)",
            "check that page: the table may be an image or lack ruling lines",
        )
    cases = [stitch_case(region, str(path)) for region in regions.cases]
    tables = [table_rows(region) for region in regions.tables]
    title_page = sorted(layouts[0].runs, key=lambda r: (r.top, r.x0))
    return RawReport(
        str(path), len(layouts), cases, tables, regions.outline, document.info, title_page,
        page_labels(layouts), keeps_wrap_spaces(layouts),
    )
