"""One call from a PDF path to every raw value the report holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import CaseTableError, NotThisReportError
from extract.integrity import check_captions, check_pages
from extract.layout import TextRun, keeps_wrap_spaces
from extract.ledger import Ledger, report_places, running_places
from extract.pdf import ProgressFn, read_pdf
from extract.readings import Reading, read_cases
from extract.report import CaseRegion, OutlineNode, find_regions
from extract.running import page_labels
from extract.settings import DEFAULT_SETTINGS, TableSettings
from extract.tables import RawCase, RawTable, table_rows


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
    readings: list[Reading] = field(default_factory=list)  # per case: strategies, settings, why
    ledger: Ledger | None = None  # every glyph by page and place (extract/ledger.py)


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
    if not regions.cases and not regions.orphans:
        raise NotThisReportError(
            path,
            f"no case tables (「事例N …」 followed by a 2-column table) in its {len(layouts)} pages",
            "pass the 協働化 成果報告書 PDF; this file looks like another document",
        )
    labels = page_labels(layouts)
    check_case_pages(regions.cases, labels, path)
    running = running_places(regions, layouts)
    # Cases failing an invariant are read again; a case heading without a table too.
    read, ledger = read_cases(layouts, regions, categories, table_settings, running, str(path),
                              report_places(regions))
    if regions.orphans:
        check_case_pages([r.region for r in read], labels, path)
    cases = [r.case for r in read]
    readings = [r.reading for r in read]
    tables = [table_rows(region) for region in regions.tables]
    title_page = sorted(layouts[0].runs, key=lambda r: (r.top, r.x0))
    return RawReport(
        str(path), len(layouts), cases, tables, regions.outline, document.info, title_page,
        labels, keeps_wrap_spaces(layouts), readings, ledger,
    )


def check_case_pages(regions: list[CaseRegion], labels: dict[int, str], path: Path) -> None:
    """Refuse a source that lost a page among its case tables. Case tables run on from page to
    page, so where the page numbers printed on two successive pages there skip one, a page of a
    case is missing — its text would be lost without a trace when the rows around it still read
    as whole steps. (Elsewhere a producer may drop blank pages; between case tables there are none.)"""
    if not regions:
        return
    first = regions[0].heading[0].run.page
    last = max((f.page for f in regions[-1].fragments), default=first)
    # Printed number minus PDF page: a lost page raises it for good; a number misread in one
    # margin is an outlier its neighbours disagree with, and proves nothing.
    offset = {page: int(label) - page for page, label in labels.items()}
    for page in range(first, last):
        if page not in offset or page + 1 not in offset or offset[page + 1] <= offset[page]:
            continue
        if offset.get(page - 1, offset[page]) != offset[page] or \
                offset.get(page + 2, offset[page + 1]) != offset[page + 1]:
            continue
        before, after = labels[page], labels[page + 1]
        owner = [r for r in regions if r.heading[0].run.page <= page][-1]
        heading = "".join(line.text for line in owner.heading).split("【")[0].strip()
        raise CaseTableError(
            path,
            f"{heading}: the page numbers printed on its pages jump from {before} to {after} (PDF pages "
            f"{page}–{page + 1}): a page of the case tables is missing",
            "use a complete copy of the PDF (download or export it again)",
        )
