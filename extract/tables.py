"""Stitch table fragments that continue across pages into whole tables.

A row broken by a page shows on the next page as a first row whose label cell is empty or holds
the rest of the label (「④協働活動の」 … 「実行」); its cells are appended to the row before, as are
those of any later row whose label cell is empty. A
header row repeated on a continuation page is dropped. Step numbers come from the circled digit
that starts a label, or from the row's position where the label has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.vocabulary import STEP_RANGE, circled_number, steps_in_order
from extract.cells import Block, Fragment, Piece, parse_cell
from extract.errors import CaseTableError
from extract.grid import Cell, TableGrid
from extract.layout import TextRun
from extract.report import CaseRegion, Line, TableRegion, fold
from extract.settings import DEFAULT_SETTINGS, TableSettings

LINE_BREAK = "\n"
_HEADING = re.compile(r"^事例\s*(\d+)\s*(.*?)\s*【(.*)】\s*$")


@dataclass
class RawStep:
    """A step row: its label lines and its content cell, in one fragment per page."""

    number: int
    label: list[Piece]
    fragments: list[Fragment]
    pages: list[int]
    blocks: list[Block] = field(default_factory=list)


@dataclass
class RawCase:
    """A case table as printed: heading parts and step rows."""

    no: int
    name: str
    region: str
    category: str | None
    heading_page: int
    header: list[str]
    steps: list[RawStep] = field(default_factory=list)
    # Where each run of the case went (case-heading, table-header, label, sub-heading, item,
    # note): what the glyph ledger (extract/ledger.py) counts.
    places: list[tuple[TextRun, str]] = field(default_factory=list, repr=False)
    strategies: list[str] = field(default_factory=list)  # of its fragments, in order of first use

    @property
    def pages(self) -> list[int]:
        return sorted({self.heading_page, *(p for s in self.steps for p in s.pages)})


@dataclass
class RawTable:
    """A captioned table (図表N-M): grid rows of cell lines, merged cells repeated per row."""

    number: str
    title: str
    pages: list[int]
    rows: list[list[list[Piece]]]


def stitch_case(region: CaseRegion, path: str, settings: TableSettings = DEFAULT_SETTINGS) -> RawCase:
    """Turn a case region into a RawCase, or raise CaseTableError naming the case and page."""
    heading_text = "".join(ln.text for ln in region.heading)
    page = region.heading[0].run.page
    m = _HEADING.match(fold(heading_text).replace("\u3000", " "))
    if not m:
        raise CaseTableError(
            path,
            f"case heading on page {page} is not 「事例N 名称【地域】」: {heading_text!r}",
            "check the heading in the PDF; report the edition if the layout changed",
        )
    no = int(m[1])
    name, region_text = _name_and_region(heading_text)
    places: list[tuple[TextRun, str]] = [(ln.run, "case-heading") for ln in region.heading]
    rows = _case_rows(region.fragments, places)
    if not rows:
        raise CaseTableError(path, f"事例{no} (page {page}): its table has no rows", "check the PDF")
    header = [_cell_text(c) for c in rows[0][0]]
    places += [(r, "table-header") for c in rows[0][0] for r in c.runs]
    steps: list[RawStep] = []
    for cells, continuation in rows[1:]:
        label_cell, content = _two_cells(cells, no, path)
        label = _label_pieces(label_cell)
        places += [(r, "label") for r in label_cell.runs]
        if continuation and steps:
            last = steps[-1]
            last.label.extend(label)
            last.fragments.append(content)
            last.pages = sorted({*last.pages, *_pages(label_cell, content)})
            continue
        number = _step_number(label, len(steps))
        steps.append(RawStep(number, label, [content], _pages(label_cell, content)))
    _check_steps(steps, no, page, path)
    for step in steps:
        step.blocks = parse_cell(step.fragments, settings.indent_em)
        places += [(p.run, kind) for p, kind in _block_pieces(step.blocks) if p.run is not None]
    category = None
    if region.category_heading is not None:
        category = region.category_heading.text
    strategies = list(dict.fromkeys(f.strategy for f in region.fragments))
    return RawCase(no, name, region_text, category, page, header, steps, places, strategies)


_PLACE_OF_BLOCK = {"heading": "sub-heading", "item": "item", "note": "note"}


def _block_pieces(blocks: list[Block]) -> list[tuple[Piece, str]]:
    """Every piece of the blocks (children included) with the place its block is."""
    out = []
    for block in blocks:
        out += [(p, _PLACE_OF_BLOCK[block.kind]) for p in block.pieces]
        out += _block_pieces(block.children)
    return out


def _name_and_region(heading: str) -> tuple[str, str]:
    """Split 「事例N 名称【地域】」 keeping the printed glyphs of name and region."""
    body = re.sub(r"^事例[\s\u3000]*[0-9０-９]+[\s\u3000]*", "", heading.strip())
    name, _, rest = body.partition("【")
    return name.strip(), rest.rsplit("】", 1)[0].strip()


def _case_rows(
    fragments: list[TableGrid], places: list[tuple[TextRun, str]]
) -> list[tuple[list[Cell], bool]]:
    """Rows of all fragments in order, flagged when a row continues the one before (the runs of
    header rows repeated on later pages go to `places`)."""
    out: list[tuple[list[Cell], bool]] = []
    header_text: str | None = None
    edge: float | None = None  # where the content column started on the page before
    for f_index, grid in enumerate(fragments):
        first_body = True
        if grid.loose and edge is not None and grid.loose[0][0] <= edge <= grid.loose[0][1]:
            for cell in grid.cells:  # the page shows no line at the edge: the one before did
                if cell.col == 1:
                    cell.x0 = edge
        edge = next((c.x0 for c in grid.cells if c.col == 1), None)
        for cells in grid.rows():
            text = "".join(_cell_text(c) for c in cells)
            if not text:
                continue
            if header_text is None:
                header_text = text
                out.append((cells, False))
                continue
            if text == header_text:
                places.extend((r, "table-header") for c in cells for r in c.runs)
                continue  # header repeated on a continuation page
            label = _cell_text(cells[0]) if cells else ""
            starts_step = _step_marker(label) is not None
            # A row without a label continues the step before it (a table drawn with white space
            # only cuts no row at a page's end); so does a later page's first row without a step.
            continuation = not starts_step and ((f_index > 0 and first_body) or (not label and len(out) > 1))
            first_body = False
            out.append((cells, continuation))
    # Where the table numbers its steps, a row whose label starts no step is the rest of the row
    # before (a label cell's lines a page or a white-space table cut off: 「契機」 under 「①連携の」).
    numbered = any(_step_marker(_cell_text(cells[0])) is not None for cells, _ in out[1:] if cells)
    if numbered:
        out[1:] = [(cells, cont or (len(out) > 1 and i > 0 and _step_marker(_cell_text(cells[0])) is None))
                   for i, (cells, cont) in enumerate(out[1:])]
    return out


def _two_cells(cells: list[Cell], no: int, path: str) -> tuple[Cell, Fragment]:
    if len(cells) != 2:
        page = cells[0].runs[0].page if cells and cells[0].runs else "?"
        raise CaseTableError(
            path,
            f"事例{no} (page {page}): a step row has {len(cells)} cells, expected 2",
            "check the table's ruling lines in the PDF",
        )
    label, content = cells
    return label, Fragment(content.x0, content.x1, content.runs)


def _label_pieces(cell: Cell) -> list[Piece]:
    return [Piece(r.line_text, r.page) for r in sorted(cell.runs, key=lambda r: (r.top, r.x0))]


def _cell_text(cell: Cell) -> str:
    return "".join(r.text for r in sorted(cell.runs, key=lambda r: (r.top, r.x0))).replace(" ", "")


def _pages(label: Cell, content: Fragment) -> list[int]:
    return sorted({r.page for r in label.runs} | {r.page for r in content.runs})


_ENUMERATED = re.compile(r"^(?:STEP|ステップ)?\s*[(（]?([0-9]{1,2})\s*[.．)）:：]")


def _step_marker(label: str) -> int | None:
    """The step number a label starts with: ④, or an enumerator such as 「4.」 or 「(4)」."""
    label = label.lstrip()
    circled = circled_number(label)
    if circled is not None:
        return circled
    m = _ENUMERATED.match(fold(label))
    return int(m[1]) if m else None


def _step_number(label: list[Piece], index: int) -> int:
    marker = _step_marker("".join(p.text for p in label))
    return marker if marker is not None else index + 1


def _check_steps(steps: list[RawStep], no: int, page: int, path: str) -> None:
    numbers = [s.number for s in steps]
    if not steps_in_order(numbers):  # the survey's fixed frame
        raise CaseTableError(
            path,
            f"事例{no} (page {page}): step rows read as {numbers}, expected {STEP_RANGE} in order",
            "check the case table in the PDF; a row may have lost its border or its label",
        )


def table_rows(region: TableRegion) -> RawTable:
    """Rows of a captioned table, stitched over page breaks.

    Header rows (the first row and those its cells span into) repeated on a continuation page are
    dropped. A continuation fragment's first row is the rest of the previous row when most of its
    cells are empty. An empty cell under a merged cell that ran to the page's end is that merged
    cell carried over the break, so it takes its value.
    """
    rows: list[list[list[Piece]]] = []
    merged: list[bool] = []  # per column: the last row's cell was part of a vertically merged cell
    headers: set[str] = set()
    pages: set[int] = {region.caption.run.page}
    for f_index, grid in enumerate(region.fragments):
        pages.add(grid.page)
        slots = _grid_slots(grid)
        if f_index == 0:
            headers = {_row_text([p for p, _ in row]) for row in slots[: _header_rows(grid)]}
        for r_index, row in enumerate(slots):
            cells = [pieces for pieces, _ in row]
            if f_index > 0 and _row_text(cells) in headers:
                continue
            if f_index > 0 and r_index == 0 and rows and _mostly_empty(cells):
                _append_cells(rows[-1], cells)
                continue
            spans = [spanning for _, spanning in row]
            if f_index > 0 and rows:
                for c, pieces in enumerate(cells):
                    if not pieces and c < len(merged) and merged[c]:
                        cells[c], spans[c] = list(rows[-1][c]), True
            rows.append(cells)
            merged = spans
    return RawTable(region.number, region.title, sorted(pages), rows)


def _header_rows(grid: TableGrid) -> int:
    """The first row and the rows its merged cells reach down into."""
    return max((c.rowspan for c in grid.cells if c.row == 0), default=1)


def _row_text(cells: list[list[Piece]]) -> str:
    return "".join(p.text for cell in cells for p in cell).replace(" ", "")


def _mostly_empty(cells: list[list[Piece]]) -> bool:
    return sum(1 for cell in cells if not cell) * 2 > len(cells)


def _append_cells(target_row: list[list[Piece]], cells: list[list[Piece]]) -> None:
    for target, extra in zip(target_row, cells, strict=False):
        if target and extra:
            target.append(Piece(LINE_BREAK, extra[0].page))
        target.extend(extra)


def _grid_slots(grid: TableGrid) -> list[list[tuple[list[Piece], bool]]]:
    """Per grid row, each column's pieces (a spanning cell repeated) and whether it spans rows."""
    nrows, ncols = len(grid.ys) - 1, grid.ncols
    slots: list[list[tuple[list[Piece], bool] | None]] = [[None] * ncols for _ in range(nrows)]
    for cell in grid.cells:
        pieces = _cell_lines(cell)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                slots[r][c] = (list(pieces), cell.rowspan > 1)
    return [[s or ([], False) for s in row] for row in slots if any(row)]


def _cell_lines(cell: Cell) -> list[Piece]:
    """A cell's lines; a LINE_BREAK piece marks where a line ended short (a real line break)."""
    runs = sorted(cell.runs, key=lambda r: (r.top, r.x0))
    out: list[Piece] = []
    for prev, run in zip([None, *runs], runs, strict=False):
        if prev is not None and prev.x1 < cell.x1 - 1.5 * prev.size:
            out.append(Piece(LINE_BREAK, run.page))
        out.append(Piece(run.line_text, run.page))
    return out


__all__ = ["Line", "RawCase", "RawStep", "RawTable", "stitch_case", "table_rows"]
