"""Self-check per case, then read again before refusing.

A case's reading must satisfy four invariants, checked in this order:

1. steps — its step rows are the survey's frame, ①–⑥, each once, in order;
2. labels — every step row has a label, and no two rows the same one;
3. glyphs — no glyph in the case's part of the report is unassigned (extract/ledger.py);
4. pages — its rows are contiguous across pages: each step's pages run on without a gap, a step
   starts on the page where the one before it ended (or the next), and the first one on the
   heading's page (or the next).

The first reading uses the table settings given (the defaults, or an edition's file). A case that
fails an invariant is read again — its pages only, so the cost stays with the cases that fail —
with the other strategies and with settings around the given ones, one threshold at a time
(column gap, row gap, table gap, indents, a column's least width, a background's share of the
page), nearest first. The first reading that satisfies every
invariant wins, and report.json records it: which strategies read the case's table, the settings
that differ from the defaults, and why (what the first reading failed, how many were tried).

If no reading satisfies them: where some reading has the structure (1, 2, 4) and only glyphs
stay unassigned, the one with the fewest is kept and validation reports its unassigned glyphs
as an error check (records that cannot be trusted are never published); where none has the
structure, the source is refused, naming the invariant the first reading failed and where.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from itertools import pairwise
from typing import Any

from casebook.vocabulary import STEPS_IN_ORDER, circled, steps_in_order
from extract.errors import CaseTableError
from extract.layout import PageLayout
from extract.ledger import Ledger, Placed, Stray, build_ledger, case_strays
from extract.report import CaseRegion, Line, Regions, find_regions
from extract.settings import DEFAULT_SETTINGS, STRATEGIES, TableSettings
from extract.tables import RawCase, stitch_case

INVARIANTS = {
    "steps": STEPS_IN_ORDER,
    "labels": "each step label present once",
    "glyphs": "no glyph unassigned",
    "pages": "rows contiguous across pages",
}
STRUCTURE = ("steps", "labels", "pages")

# Thresholds searched around the given settings (factors), nearest first.
SEARCH: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("column_gap_em", (2 / 3, 4 / 3, 1 / 2, 5 / 3)),
    ("line_gap_em", (2 / 3, 3 / 2)),
    ("table_gap_em", (3 / 4, 3 / 2)),
    ("max_indent_em", (2 / 3, 3 / 2)),
    ("indent_em", (2 / 3, 3 / 2)),
    ("min_column_em", (2 / 3, 1 / 2)),
    ("fill_page_share", (3 / 2, 2)),
)
_AT_MOST_ONE = {"fill_page_share"}  # shares: searched up to 1


@dataclass(frozen=True)
class Problem:
    invariant: str  # a key of INVARIANTS
    where: str  # what failed where, for a reader

    def __str__(self) -> str:
        return f"{INVARIANTS[self.invariant]}: {self.where}"


@dataclass
class Reading:
    """How one case was read, for report.json."""

    no: int
    strategies: list[str]  # that found its table's pieces: ruled, shaded, aligned, spaced, continued
    settings: dict[str, Any]  # the table settings that differ from the defaults ({}: the defaults)
    why: str
    tried: int = 1  # readings made
    failed: list[str] = field(default_factory=list)  # what the first reading failed, and where
    unassigned: int = 0  # glyphs of its part left unassigned by the reading kept


@dataclass
class _Attempt:
    settings: TableSettings
    case: RawCase | None
    region: CaseRegion
    problems: list[Problem]
    strays: list[Stray]
    orphan: bool = False  # read from a case heading the first reading found no table after

    def structural(self) -> int:
        return sum(1 for p in self.problems if p.invariant in STRUCTURE)

    def rank(self) -> tuple[int, int]:
        return self.structural(), sum(s.glyphs for s in self.strays)


@dataclass
class CaseRead:
    """A case as finally read: its table, its part of the report, and how it was read."""

    case: RawCase
    region: CaseRegion
    reading: Reading


def read_cases(
    layouts: list[PageLayout],
    regions: Regions,
    categories: tuple[str, ...],
    settings: TableSettings,
    running: list[Placed],
    path: str,
    others: list[Placed],
) -> tuple[list[CaseRead], Ledger]:
    """Each case read (and read again where it fails), in the report's order, and the glyph
    ledger of the whole report (`others`: the places of everything but the cases); raise
    CaseTableError for a case no reading gives the structure of. A case heading with no table
    after it (`regions.orphans`) is read again the same way: another strategy may find its table.

    The first readings are checked against one ledger of the whole report (a glyph a case lost
    may have gone anywhere); only a case that fails is read again, its pages alone."""
    heads = {id(run) for run, _ in running}
    starts = sorted([r.start for r in regions.cases] + [(o.run.page, o.run.top) for o in regions.orphans])
    firsts = [_attempt(region, settings, layouts, running, path, strays=False) for region in regions.cases]
    fixed = list(running) + list(others)
    placed = fixed + [p for a in firsts if a.case is not None for p in a.case.places]
    placed += [(line.run, "case-heading") for a in firsts if a.case is None for line in a.region.heading]
    ledger = build_ledger(layouts, placed, [(a.region.number, a.region) for a in firsts])
    out: list[CaseRead] = []
    for first in firsts:
        first.strays = ledger.case_strays(first.region.number)
        if first.case is not None:
            first.problems = check_case(first.case, first.strays)
        span = _span(first.region.start, starts, layouts)
        out.append(_settle(first, span, categories, heads, layouts, running, path))
    for orphan in regions.orphans:
        start = (orphan.run.page, orphan.run.top)
        span = _span(start, starts, layouts)
        found = None
        tried = 1
        for candidate in variations(settings):
            tried += 1
            category = regions.orphan_categories.get(id(orphan))
            again = _reread(start, span, categories, candidate, heads, category)
            if again is not None:
                found = _attempt(again, candidate, layouts, running, path)
                break
        if found is None:
            raise CaseTableError(
                path,
                f"case heading on page {orphan.run.page} has no readable case table after it: "
                f"{orphan.text!r} ({len(regions.orphans)} such headings; {tried - 1} readings with other "
                "strategies and settings found none)",
                "check that page: the table may be an image or lack ruling lines, or pass table settings "
                "for this edition (--table-settings)",
            )
        found.orphan = True
        out.append(_settle(found, span, categories, heads, layouts, running, path, tried))
    out.sort(key=lambda r: r.region.start)
    if any(r.reading.tried > 1 for r in out):  # a case read again: its places changed
        placed = fixed + [p for r in out for p in r.case.places]
        ledger = build_ledger(layouts, placed, [(r.case.no, r.region) for r in out])
    return out, ledger


def _settle(
    first: _Attempt,
    span: list[PageLayout],
    categories: tuple[str, ...],
    heads: set[int],
    layouts: list[PageLayout],
    running: list[Placed],
    path: str,
    tried: int = 1,
) -> CaseRead:
    """The reading kept for a case: the first if it satisfies every invariant, else the first of
    the variations that does, else the best (or a refusal where none has the structure)."""
    best, chosen = first, first if not first.problems else None
    if chosen is None:
        for candidate in variations(first.settings):
            if candidate == first.settings:
                continue
            tried += 1
            again = _reread(first.region.start, span, categories, candidate, heads,
                            first.region.category_heading)
            if again is None:
                continue
            attempt = _attempt(again, candidate, layouts, running, path)
            if not attempt.problems:
                chosen = attempt
                break
            if attempt.rank() < best.rank():
                best = attempt
    kept = chosen or best
    if kept.case is None or kept.structural():
        problem = first.problems[0]
        raise CaseTableError(
            path,
            f"{problem}{_tried(tried)}",
            "check the case table in the PDF; a row may have lost its border or its label, or "
            "pass table settings for this edition (--table-settings)",
        )
    return CaseRead(kept.case, kept.region, _reading(kept, first, tried))


def _tried(tried: int) -> str:
    return f" (and in {tried - 1} other readings: other strategies and settings)" if tried > 1 else ""


def _reading(kept: _Attempt, first: _Attempt, tried: int) -> Reading:
    assert kept.case is not None
    changed = changed_settings(kept.settings)
    unassigned = sum(s.glyphs for s in kept.strays)
    failed = ["no case table after the case heading"] if first.orphan else []
    failed += [str(p) for p in first.problems]
    if not failed:
        why = "the first reading satisfies every invariant"
    elif not kept.problems:
        why = (f"the first reading failed ({failed[0]}); this one, the nearest to the given settings "
               f"of {tried} readings, satisfies every invariant")
    else:
        why = (f"no reading of {tried} satisfies every invariant; this one has the case's structure "
               f"and the fewest unassigned glyphs ({unassigned})")
    return Reading(kept.case.no, list(kept.case.strategies), changed, why, tried, failed, unassigned)


def changed_settings(settings: TableSettings) -> dict[str, Any]:
    """The settings that differ from the defaults, as plain values."""
    out: dict[str, Any] = {}
    for f in fields(TableSettings):
        value = getattr(settings, f.name)
        if value != getattr(DEFAULT_SETTINGS, f.name):
            out[f.name] = list(value) if isinstance(value, tuple) else round(value, 4)
    return out


def variations(base: TableSettings) -> Iterator[TableSettings]:
    """Settings to read a failing case with: each strategy set, first with the given thresholds
    and then with one threshold changed, nearest first. The given settings are not repeated."""
    options = [base.strategies, *((s,) for s in STRATEGIES), STRATEGIES]
    seen: set[tuple[str, ...]] = set()
    for strategies in options:
        if strategies in seen:
            continue
        seen.add(strategies)
        start = replace(base, strategies=strategies)
        if strategies != base.strategies:
            yield start
        for name, factors in SEARCH:
            for factor in factors:
                value = getattr(base, name) * factor
                yield replace(start, **{name: min(value, 1.0) if name in _AT_MOST_ONE else value})


def _attempt(
    region: CaseRegion, settings: TableSettings, layouts: list[PageLayout], running: list[Placed], path: str,
    *, strays: bool = True,
) -> _Attempt:
    """A reading of one case region; `strays`: count its unassigned glyphs (else the caller does)."""
    try:
        case = stitch_case(region, path, settings)
    except CaseTableError as exc:
        invariant = "steps" if "step rows" in exc.problem else "labels"
        places = [(line.run, "case-heading") for line in region.heading]
        lost = case_strays(layouts, places + running, region.number, region) if strays else []
        return _Attempt(settings, None, region, [Problem(invariant, exc.problem)], lost)
    lost = case_strays(layouts, case.places + running, case.no, region) if strays else []
    return _Attempt(settings, case, region, check_case(case, lost), lost)


def check_case(case: RawCase, strays: list[Stray]) -> list[Problem]:
    """The invariants a stitched case fails, in order (stitching already refused a wrong frame)."""
    problems: list[Problem] = []
    numbers = [s.number for s in case.steps]
    if not steps_in_order(numbers):
        problems.append(Problem("steps", f"事例{case.no}: step rows read as {numbers}"))
    labels = ["".join(p.text for p in s.label).replace(" ", "") for s in case.steps]
    for step, label in zip(case.steps, labels, strict=True):
        if not label:
            problems.append(Problem("labels", f"事例{case.no} {circled(step.number)} (page {step.pages[0]}): "
                                              "its row has no label"))
        elif labels.count(label) > 1:
            heads = labels.count(label)
            problems.append(Problem("labels", f"事例{case.no}: the label 「{label}」 heads {heads} rows"))
            break
    if strays:
        glyphs = sum(s.glyphs for s in strays)
        first = strays[0]
        problems.append(Problem(
            "glyphs",
            f"事例{case.no}: {glyphs} glyphs unassigned, first on page {first.page} at "
            f"({first.x0:.0f}, {first.top:.0f}): 「{first.text[:30]}」",
        ))
    if (gap := _page_gap(case)) is not None:
        problems.append(Problem("pages", gap))
    return problems


def _page_gap(case: RawCase) -> str | None:
    """Where the case's rows leave a page out or go back a page, if they do."""
    end = case.heading_page
    for step in case.steps:
        pages = step.pages
        if not pages:
            continue
        if pages[0] < end or pages[0] > end + 1:
            return f"事例{case.no} {circled(step.number)} starts on page {pages[0]} after page {end}"
        for a, b in pairwise(pages):
            if b != a + 1:
                return f"事例{case.no} {circled(step.number)} jumps from page {a} to page {b}"
        end = pages[-1]
    return None


def _span(
    start: tuple[int, float], starts: list[tuple[int, float]], layouts: list[PageLayout]
) -> list[PageLayout]:
    """The pages a case may cover: from its heading's to the next case heading's (the last case:
    at most `_LAST_SPAN` pages on)."""
    later = [s for s in starts if s > start]
    last = later[0][0] if later else start[0] + _LAST_SPAN
    return [lay for lay in layouts if start[0] <= lay.number <= last]


_LAST_SPAN = 12  # pages a re-read of the last case looks at: no case table runs longer


def _reread(
    start: tuple[int, float], span: list[PageLayout], categories: tuple[str, ...], settings: TableSettings,
    heads: set[int], category: Line | None = None,
) -> CaseRegion | None:
    """The case whose heading starts at `start`, read from its pages with other settings (None:
    no case table found there)."""
    again = find_regions(span, categories, settings, running=heads)
    for candidate in again.cases:
        if candidate.start == start:
            # The category's heading may lie on a page before the ones read again.
            candidate.category_heading = candidate.category_heading or category
            return candidate
    return None


__all__ = [
    "INVARIANTS", "CaseRead", "Problem", "Reading", "changed_settings", "check_case", "read_cases",
    "variations",
]
