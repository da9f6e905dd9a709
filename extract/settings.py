"""The tuning values of table finding, in one object an edition may override in data.

Like pdfplumber's `table_settings` or Camelot's lattice/stream flavors: every threshold both
table-finding strategies use lives here, with the default that reads every known edition. An
edition that needs other values passes a mapping (e.g. from a YAML file) to `TableSettings.from_mapping`;
code never branches on the edition.

Lengths are in PDF points unless the name says `_em` (a multiple of the text's font size).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

STRATEGIES = ("ruled", "aligned")


@dataclass(frozen=True)
class TableSettings:
    """Thresholds of the ruled and the text-aligned strategy (see extract/strategies.py)."""

    # Which strategies may claim a table, tried in this order per group of rulings.
    strategies: tuple[str, ...] = STRATEGIES

    # --- ruled: cells from vertical and horizontal rulings ---
    snap: float = 1.5  # rulings closer than this are the same line
    join_gap: float = 2.5  # collinear pieces of a ruling closer than this join
    cover: float = 0.7  # a border counts as present if it covers this share of the cell side
    # Shading only (no borders): the edges of filled rectangles that hold text are the rulings.
    fill_gap: float = 4.0  # parallel fill edges closer than this are one boundary (cell spacing)
    fill_page_share: float = 0.5  # a fill covering more of the page than this may be its background

    # --- aligned: row rules only; columns from aligned text edges and the gaps between them ---
    min_rules: int = 2  # horizontal rules of one extent that make a table's skeleton
    edge_tolerance: float = 3.0  # rules whose ends differ by less than this share an extent
    min_rule_width: float = 60.0  # shorter rules are separators or underlines, not row rules
    column_gap_em: float = 0.6  # an empty vertical strip at least this wide separates columns
    line_gap_em: float = 1.2  # blank space between two lines of one table block, at most
    margin_band: float = 0.12  # share of the page height where running heads and folios live
    # --- aligned without any rule (white space only): rows start at a label's step number ---
    table_gap_em: float = 2.0  # a wider blank between two lines ends a borderless table
    min_column_em: float = 3.0  # a borderless column's widest text, at least (not a list's bullets)
    max_indent_em: float = 6.0  # a line of a cell starts at most this far right of the cell's text

    # --- inside a cell (both strategies): items and their nesting by hanging indent ---
    indent_em: float = 0.35  # two lines whose starts differ by at most this share one indent

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"table setting {f.name!r} cannot be negative (got {value})")
        unknown = [s for s in self.strategies if s not in STRATEGIES]
        if unknown or not self.strategies:
            raise ValueError(
                f"table setting 'strategies' must name some of {STRATEGIES} (got {self.strategies})"
            )
        if not 0 < self.cover <= 1 or not 0 <= self.margin_band < 0.5:
            raise ValueError("table settings 'cover' must be in (0, 1] and 'margin_band' in [0, 0.5)")
        if not 0 < self.fill_page_share <= 1:
            raise ValueError("table setting 'fill_page_share' must be in (0, 1]")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> TableSettings:
        """Defaults overridden by `data` (an edition's settings file); unknown names are errors."""
        if not data:
            return cls()
        names = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(f"unknown table settings {unknown}; known: {sorted(names)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                values[key] = (value,) if isinstance(value, str) else tuple(value)
            elif isinstance(default, bool) or not isinstance(value, int | float):
                raise ValueError(f"table setting {key!r} must be a number (got {value!r})")
            else:
                values[key] = type(default)(value)
        return replace(cls(), **values)


DEFAULT_SETTINGS = TableSettings()
