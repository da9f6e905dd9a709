"""The value every table-finding strategy produces: a grid of cells holding text runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.layout import TextRun


@dataclass
class Cell:
    """A cell of a ruled table (row/col are grid indices of its top-left grid square)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    x0: float
    top: float
    x1: float
    bottom: float
    runs: list[TextRun] = field(default_factory=list)

    def contains(self, run: TextRun) -> bool:
        cx = (run.x0 + run.x1) / 2
        return self.x0 <= cx <= self.x1 and self.top <= run.mid_y <= self.bottom


@dataclass
class TableGrid:
    """One ruled table fragment on one page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    # Where the inner column edges may lie when the page does not show them (a table of white
    # space whose page holds no line at a column's edge); empty when `xs` are exact.
    loose: list[tuple[float, float]] = field(default_factory=list)
    # Which strategy found it: "ruled", "shaded" (edges of cell backgrounds), "aligned" (row
    # rules only), "spaced" (white space only) or "continued" (a page inside a row; see
    # extract/continued.py) — recorded per case in report.json.
    strategy: str = ""

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the grid row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(len(self.ys) - 1)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return [sorted(r, key=lambda c: c.col) for r in out if r]

    def contains(self, run: TextRun) -> bool:
        return self.x0 - 1 <= run.x0 and run.x1 <= self.x1 + 1 and (
            self.top - 1 <= run.mid_y <= self.bottom + 1
        )

    def fill(self, runs: list[TextRun]) -> None:
        """Put each run inside the table into the cell holding its centre."""
        for run in runs:
            if self.contains(run):
                for cell in self.cells:
                    if cell.contains(run):
                        cell.runs.append(run)
                        break
