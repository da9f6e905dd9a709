"""The text-aligned strategy: tables drawn with row rules only (no vertical rules, no shading).

Evidence, in order:
1. Row rules: horizontal rules of one extent (same left and right ends) stacked down the page.
2. Columns: inside the rules, an empty vertical strip that no line of any row crosses is a column
   gap (a line may cross it only at a wide gap between two of its glyphs: a label and the text
   beside it on one baseline). Rows whose lines leave no common strip are not part of the table —
   the heading of the next table between two rule stacks ends this one.
3. Extent: a table whose row breaks over a page has no rule at the page's end (or start). Lines
   below its last rule (above its first) still belong to it when they keep to its columns, follow
   each other without a blank, and nothing but the running foot (head) comes after (before) them.
Cells are the grid of rule rows × columns; text runs are cut at the column gaps.

Without any rule or fill on the page (white space only), a table is a block of lines (no blank
wider than `table_gap_em` between them) that keeps a column gap: at least `min_rules` lines, one
of them with text on both sides of the gap, and text at least `min_column_em` wide in every
column (a list's bullets set apart from its text are not a column); a lone header line may end
a page. A row starts where the
first column's text starts with a circled step number (the case tables' step labels), and
after a first line that fills every column on one baseline (a header row, with the lines under it
that hold first-column text only: its label cell wrapped); the rest of a row
(a wrapped label, the content's next lines, a row continued from the page before) stays with
the row it follows. A page that shows a column's edge only roughly (a header over indented lines)
marks its grid `loose`: stitching takes the edge the page before showed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from casebook.vocabulary import circled_number
from extract.grid import Cell, TableGrid
from extract.layout import PageLayout, Segment, TextRun
from extract.settings import TableSettings

Strip = tuple[float, float]


@dataclass
class _Line:
    """Runs on one baseline."""

    runs: list[TextRun]

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)


def aligned_tables(
    horizontals: list[Segment], page: PageLayout, st: TableSettings
) -> list[TableGrid]:
    """Tables on the page drawn with row rules only, from the rules no ruled table claimed
    (`horizontals`: whole rules; the page's own segments may hold them in pieces)."""
    lines = _lines(page.runs)
    joints = _joints(page.segments)
    tables = []
    for stack in _stacks(horizontals, st):
        tables += _tables_in_stack(stack, lines, joints, page, st)
    return sorted(tables, key=lambda t: t.top)


def spaced_tables(page: PageLayout, taken: list[TableGrid], st: TableSettings) -> list[TableGrid]:
    """Tables drawn with white space only, among the runs no other table holds."""
    runs = [r for r in page.runs if not any(t.contains(r) for t in taken)]
    if not runs:
        return []
    x0, x1 = min(r.x0 for r in runs), max(r.x1 for r in runs)
    found: list[tuple[list[_Line], list[Strip]]] = []
    lines = _lines(runs)
    for block in _blocks(lines, st):
        for start, end, gaps in _groups([[ln] for ln in block], x0, x1, st):
            group = block[start:end]
            inner = _inner(gaps or [], x0, x1)
            # One line across the gap (a header row) may carry a page of one column's lines.
            if not inner or not any(_both_sides(ln, inner[0], st) for ln in group):
                continue
            group, inner = _run_on(block, start, group, inner, st)
            inner = _held(group, inner, st)
            # A lone header row may end a page, the table's first row broken onto the next one.
            after = [ln for ln in lines if ln.top > group[-1].bottom]
            if len(group) >= st.min_rules or all(_in_band(ln, page, st, True) for ln in after):
                found.append((group, inner))
    # A group whose first column holds one line (a header over a row run on from the page before)
    # shows the gap only roughly; a table on the same page whose rows show it lends its gaps.
    shown = [gaps for group, gaps in found if _first_column_lines(group, gaps, st) > 1]
    tables: list[tuple[TableGrid, list[Strip]]] = []
    for group, gaps in found:
        loose = _first_column_lines(group, gaps, st) <= 1
        if loose and shown and _keeps_to(group, shown[0], st):
            gaps, loose = shown[0], False
        table = _spaced_table(group, gaps, page, st)
        if table is not None:
            table.loose = list(gaps) if loose else []
            tables.append((table, gaps))
    if not tables:
        return []
    first, gaps = min(tables, key=lambda t: t[0].top)
    head = _page_head([ln for ln in lines if ln.bottom < first.top], gaps[0], page, st)
    if head:
        gap = (gaps[0][0], min(gaps[0][1], min(r.x0 for ln in head for r in ln.runs)))
        table = _spaced_table(head, [gap, *gaps[1:]], page, st, run_on=True)
        if table is not None:
            table.loose = [gap, *gaps[1:]] if first.loose else []
            tables.append((table, gaps))
    return [t for t, _ in tables]


def _held(group: list[_Line], gaps: list[Strip], st: TableSettings) -> list[Strip]:
    """The gaps but those whose column (right of them) holds text on the first line only: a
    header cell centred over a column whose lines below are short leaves a strip right of them,
    and a header alone is no column. The first gap always stays."""
    if len(group) < 2:
        return gaps
    lines = sorted(group, key=lambda ln: ln.top)
    kept = []
    for i, gap in enumerate(gaps):
        end = gaps[i + 1][0] if i + 1 < len(gaps) else float("inf")
        holding = [ln for ln in lines if any(gap[1] - 1 <= a < end for a in _starts(ln, st))]
        if i == 0 or holding != lines[:1]:
            kept.append(gap)
    return kept


def _starts(line: _Line, st: TableSettings) -> list[float]:
    return [a for r in line.runs for a, _ in _spans(r, st)]


def _near_edge(line: _Line, edge: float, st: TableSettings) -> bool:
    """Whether a line starts at a column's text edge or indented from it, as a cell's lines do."""
    x0 = min(r.x0 for r in line.runs)
    size = median(r.size for r in line.runs)
    return edge - st.edge_tolerance <= x0 <= edge + st.max_indent_em * size


def _first_column_lines(group: list[_Line], gaps: list[Strip], st: TableSettings) -> int:
    return sum(1 for ln in group if any(a < gaps[0][0] for r in ln.runs for a, _ in _spans(r, st)))


def _keeps_to(group: list[_Line], gaps: list[Strip], st: TableSettings) -> bool:
    """Whether no text of the group crosses the gaps."""
    spans = [s for ln in group for r in ln.runs for s in _spans(r, st)]
    return not any(a < g1 and b > g0 for a, b in spans for g0, g1 in gaps)


def _page_head(lines: list[_Line], gap: Strip, page: PageLayout, st: TableSettings) -> list[_Line]:
    """The lines a page starts with (below its running head) when they hold text right of the
    first column gap of the table below them only: the last row of a table run on from the page
    before, with no header repeated and no step row on this page to show the gap."""
    blocks = _blocks(lines, st)
    # A block in the head band whose lines do not start near the column's edge: the running head.
    while blocks and all(_in_band(ln, page, st, downward=False) for ln in blocks[0]):
        if all(_near_edge(ln, gap[1], st) for ln in blocks[0]):
            break
        blocks.pop(0)
    head: list[_Line] = []
    for line in blocks[0] if blocks else []:
        if not _right_of(line, gap, st):
            break
        head.append(line)
    return head


def _run_on(
    block: list[_Line], start: int, group: list[_Line], gaps: list[Strip], st: TableSettings
) -> tuple[list[_Line], list[Strip]]:
    """The group with the lines above it that hold text right of the first gap only: a row run on
    from the page before (no header repeated) above the first step row, the first line that shows
    the gap. A group starting with anything else (a header row) starts there."""
    if circled_number(_first_column(cut_runs(group[0].runs, gaps), gaps[0][1])) is None:
        return group, gaps
    first = start
    while first > 0 and _right_of(block[first - 1], gaps[0], st):
        first -= 1
    if first == start:
        return group, gaps
    left = min(r.x0 for ln in block[first:start] for r in ln.runs)
    gap = (gaps[0][0], min(gaps[0][1], left))
    return block[first:start] + group, [gap, *gaps[1:]]


def _right_of(line: _Line, gap: Strip, st: TableSettings) -> bool:
    """Whether all of a line's text lies right of a gap's left end (none in the first column)."""
    return all(a > gap[0] for r in line.runs for a, _ in _spans(r, st))


def _blocks(lines: list[_Line], st: TableSettings) -> list[list[_Line]]:
    """Lines split where the blank between two is wider than `table_gap_em`."""
    blocks: list[list[_Line]] = []
    for line in lines:
        size = median(r.size for r in line.runs)
        if blocks and line.top - blocks[-1][-1].bottom <= st.table_gap_em * size:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _both_sides(line: _Line, gap: Strip, st: TableSettings) -> bool:
    spans = [s for r in line.runs for s in _spans(r, st)]
    return any(a < gap[0] for a, _ in spans) and any(b > gap[1] for _, b in spans)


def _spaced_table(
    group: list[_Line], gaps: list[Strip], page: PageLayout, st: TableSettings, *, run_on: bool = False
) -> TableGrid | None:
    """The grid of a group of lines; None when a column holds too little text to be one (not
    asked of a row run on from the page before, which may fill one column only)."""
    x0 = min(gaps[0][0], min(r.x0 for ln in group for r in ln.runs) - 1)
    x1 = max(r.x1 for ln in group for r in ln.runs) + 1
    # A column starts where its text starts: the same on every page the table runs over.
    xs = [x0, *(g[1] for g in gaps), x1]
    pieces = [cut_runs(ln.runs, gaps) for ln in group]
    size = median(p.size for line_pieces in pieces for p in line_pieces)
    for c in range(len(xs) - 1):
        widths = [p.x1 - p.x0 for line_pieces in pieces for p in line_pieces if xs[c] <= p.x0 < xs[c + 1]]
        if not run_on and max(widths, default=0.0) < st.min_column_em * size:
            return None  # a list's bullets (or numbers) and its text, not two columns
    steps = [circled_number(_first_column(line_pieces, xs[1])) is not None for line_pieces in pieces]
    starts = [0]
    full = all(any(xs[c] <= p.x0 < xs[c + 1] for p in pieces[0]) for c in range(len(xs) - 1))
    if len(group) > 1 and full and not steps[0]:
        # A header row: a line with text in every column and no step number, and the lines
        # under it that hold first-column text only (a header cell wrapped in a narrow column).
        end = 1
        while end < len(group) and not steps[end] and all(p.x1 <= xs[1] for p in pieces[end]):
            end += 1
        if end < len(group):
            starts.append(end)
    starts += [i for i in range(1, len(group)) if steps[i] and i not in starts]
    row_ys = [group[0].top - 1]
    row_ys += [(group[i - 1].bottom + group[i].top) / 2 for i in starts[1:]]
    row_ys.append(group[-1].bottom + 1)
    cells = [
        Cell(r, c, 1, 1, xs[c], row_ys[r], xs[c + 1], row_ys[r + 1])
        for r in range(len(row_ys) - 1)
        for c in range(len(xs) - 1)
    ]
    grid = TableGrid(page.number, x0, row_ys[0], x1, row_ys[-1], xs, row_ys, cells)
    grid.fill([p for line_pieces in pieces for p in line_pieces])
    return grid


def _first_column(pieces: list[TextRun], edge: float) -> str:
    return "".join(p.text for p in sorted(pieces, key=lambda p: p.x0) if p.x1 <= edge)


def _joints(segments: list[Segment]) -> list[tuple[float, float]]:
    """(x, y) where two pieces of one horizontal rule meet: a browser or word processor draws a
    row rule cell by cell, so the joints mark the cell borders it left undrawn."""
    ends = [(s.x1, s.top) for s in segments if not s.vertical]
    starts = [(s.x0, s.top) for s in segments if not s.vertical]
    return [(x, y) for x, y in ends if any(abs(x - a) < 1.0 and abs(y - b) < 1.0 for a, b in starts)]


def _stacks(horizontals: list[Segment], st: TableSettings) -> list[list[Segment]]:
    """Rules grouped by extent (left and right ends within `edge_tolerance`), top to bottom."""
    stacks: list[list[Segment]] = []
    for rule in sorted(horizontals, key=lambda h: (h.top, h.x0)):
        if rule.x1 - rule.x0 < st.min_rule_width:
            continue
        for stack in stacks:
            first = stack[0]
            if abs(first.x0 - rule.x0) <= st.edge_tolerance and abs(first.x1 - rule.x1) <= st.edge_tolerance:
                if rule.top - stack[-1].top > st.snap * 2:  # a double rule is one rule
                    stack.append(rule)
                break
        else:
            stacks.append([rule])
    return [s for s in stacks if len(s) >= st.min_rules]


def _lines(runs: list[TextRun]) -> list[_Line]:
    lines: list[_Line] = []
    for run in sorted(runs, key=lambda r: r.mid_y):
        if lines and abs(run.mid_y - _mid(lines[-1])) <= 0.4 * run.size:
            lines[-1].runs.append(run)
        else:
            lines.append(_Line([run]))
    return lines


def _mid(line: _Line) -> float:
    return (line.top + line.bottom) / 2


def _tables_in_stack(
    stack: list[Segment],
    lines: list[_Line],
    joints: list[tuple[float, float]],
    page: PageLayout,
    st: TableSettings,
) -> list[TableGrid]:
    x0 = min(r.x0 for r in stack)
    x1 = max(r.x1 for r in stack)
    ys = [r.top for r in stack]
    rows = [
        [ln for ln in lines if a < _mid(ln) < b and _overlaps(ln, x0, x1)] for a, b in pairwise(ys)
    ]
    groups = _groups(rows, x0, x1, st)
    # The first (last) rule alone may close (open) a table whose rows run on from the page's
    # head (to its foot) while the rows next to it belong to another table. Its lines may fill
    # one column only, so they are tried against the columns of the nearest table of the stack.
    if groups and groups[0][0] > 0:
        groups.insert(0, (0, 0, groups[0][2]))
    if groups and groups[-1][1] < len(rows):
        groups.append((len(rows), len(rows), groups[-1][2]))
    tables = []
    for start, end, gaps in groups:
        ends = (start == 0, end == len(rows))
        context = (lines, joints)
        table = _table(ys[start : end + 1], rows[start:end], gaps, context, page, (x0, x1), ends, st)
        if table is not None:
            tables.append(table)
    return tables


Group = tuple[int, int, list[Strip] | None]  # first row, end row (exclusive), column gaps


def _groups(rows: list[list[_Line]], x0: float, x1: float, st: TableSettings) -> list[Group]:
    """Runs of consecutive rows that keep a common column gap."""
    groups: list[Group] = []
    start = 0
    while start < len(rows):
        gaps = None
        end = start
        while end < len(rows):
            narrowed = _narrow(gaps, rows[end], x0, x1, st)
            if narrowed is None:
                break
            gaps, end = narrowed, end + 1
        if end > start and gaps:
            groups.append((start, end, gaps))
        start = max(end, start + 1)
    return groups


def _inside(line: _Line, x0: float, x1: float) -> bool:
    return all(x0 - 1 <= r.x0 and r.x1 <= x1 + 1 for r in line.runs)


def _overlaps(line: _Line, x0: float, x1: float) -> bool:
    return any(r.x0 < x1 and r.x1 > x0 for r in line.runs)


def _narrow(
    gaps: list[Strip] | None, row: list[_Line], x0: float, x1: float, st: TableSettings
) -> list[Strip] | None:
    """The column gaps left when `row` joins rows with `gaps` (None: no rows yet); None when the
    row crosses every gap (it is not part of this table). A row without text narrows nothing."""
    if not row:
        return gaps
    if not all(_inside(ln, x0, x1) for ln in row):
        return None  # text reaching past the rules' ends: not a row of this table
    free = _free(row, x0, x1, st)
    if gaps is not None:
        free = _intersect(gaps, free)
    size = median(r.size for ln in row for r in ln.runs)
    kept = [g for g in free if g[1] - g[0] >= st.column_gap_em * size]
    return kept if _inner(kept, x0, x1) else None


def _inner(strips: list[Strip], x0: float, x1: float) -> list[Strip]:
    """Strips between columns: the margins at the table's two ends are not column gaps."""
    return [g for g in strips if x0 < g[0] and g[1] < x1]


def _free(lines: list[_Line], x0: float, x1: float, st: TableSettings) -> list[Strip]:
    """Strips between x0 and x1 that no piece of text covers (a row with text in one column only
    leaves the other columns free, margins included)."""
    pieces = sorted((a, b) for ln in lines for r in ln.runs for a, b in _spans(r, st))
    free: list[Strip] = []
    reach = x0
    for a, b in pieces:
        if a > reach:
            free.append((reach, a))
        reach = max(reach, b)
    if reach < x1:
        free.append((reach, x1))
    return free


def _spans(run: TextRun, st: TableSettings) -> list[Strip]:
    """The x-extents of a run's parts between its wide gaps."""
    out = []
    left = run.x0
    for br in run.breaks:
        if br.right_x0 - br.left_x1 >= st.column_gap_em * run.size:
            out.append((left, br.left_x1))
            left = br.right_x0
    out.append((left, run.x1))
    return out


def _intersect(a: list[Strip], b: list[Strip]) -> list[Strip]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return out


def _table(
    ys: list[float],
    rows: list[list[_Line]],
    gaps: list[Strip] | None,
    context: tuple[list[_Line], list[tuple[float, float]]],
    page: PageLayout,
    extent: tuple[float, float],
    ends: tuple[bool, bool],
    st: TableSettings,
) -> TableGrid | None:
    lines, joints = context
    x0, x1 = extent
    row_ys = list(ys)
    held = [ln for row in rows for ln in row]  # the table's lines, past its outer rules too
    filled = sum(1 for row in rows if row)
    if ends[0]:
        above = [ln for ln in lines if ln.bottom <= ys[0] and _overlaps(ln, x0, x1)][::-1]
        block, gaps = _continuation(above, ys[0], gaps, page, x0, x1, st, downward=False)
        if block:
            row_ys.insert(0, block[-1].top - 1)
            held += block
            filled += 1
    if ends[1]:
        below = [ln for ln in lines if ln.top >= ys[-1] and _overlaps(ln, x0, x1)]
        block, gaps = _continuation(below, ys[-1], gaps, page, x0, x1, st, downward=True)
        if block:
            row_ys.append(block[-1].bottom + 1)
            held += block
            filled += 1
    if not filled or gaps is None:
        return None
    top, bottom = row_ys[0], row_ys[-1]
    gaps = _held(held, _inner(gaps, x0, x1), st)
    xs = [x0, *(_edge(gap, ys, joints) for gap in gaps), x1]
    cells = [
        Cell(r, c, 1, 1, xs[c], row_ys[r], xs[c + 1], row_ys[r + 1])
        for r in range(len(row_ys) - 1)
        for c in range(len(xs) - 1)
    ]
    grid = TableGrid(page.number, x0, top, x1, bottom, xs, row_ys, cells)
    for run in page.runs:
        if grid.contains(run):
            grid.fill(_cut(run, gaps))
    return grid


def _edge(gap: Strip, ys: list[float], joints: list[tuple[float, float]]) -> float:
    """Where the column right of `gap` starts: at the joints of its rules' pieces inside the gap
    if the rules have them, else where its text starts. Either is the same on every page, so
    indents inside the cell measure the same wherever the table continues."""
    xs = sorted(x for x, y in joints if gap[0] <= x <= gap[1] and any(abs(y - r) < 1.0 for r in ys))
    return xs[len(xs) // 2] if xs else gap[1]


def _continuation(
    candidates: list[_Line],
    edge: float,
    gaps: list[Strip] | None,
    page: PageLayout,
    x0: float,
    x1: float,
    st: TableSettings,
    *,
    downward: bool,
) -> tuple[list[_Line], list[Strip] | None]:
    """Lines past the outer rule that continue the table to the page's head or foot, and the
    column gaps with them; no lines (and the gaps as they were) when the table ends at its rule."""
    block: list[_Line] = []
    narrowed = gaps
    last = edge
    for line in candidates:
        size = median(r.size for r in line.runs)
        blank = (line.top - last) if downward else (last - line.bottom)
        if blank > st.line_gap_em * size:
            return (block, narrowed) if _in_band(line, page, st, downward) else ([], gaps)
        narrowed = _narrow(narrowed, [line], x0, x1, st)
        if narrowed is None:
            return [], gaps  # body text right after the table: it ended at its rule
        block.append(line)
        last = line.bottom if downward else line.top
    return block, narrowed


def _in_band(line: _Line, page: PageLayout, st: TableSettings, downward: bool) -> bool:
    """Whether a line sits in the running foot (downward) or head band of the page."""
    if downward:
        return line.top >= page.height * (1 - st.margin_band)
    return line.bottom <= page.height * st.margin_band


def cut_runs(runs: list[TextRun], gaps: list[Strip]) -> list[TextRun]:
    """Runs cut at the breaks that lie in a column gap (a label and its cell on one baseline)."""
    return [piece for run in runs for piece in _cut(run, gaps)]


def _cut(run: TextRun, gaps: list[Strip]) -> list[TextRun]:
    """The run cut at the breaks that lie in a column gap."""
    pieces = []
    rest = run
    for br in run.breaks:
        if not any(br.left_x1 <= g1 and br.right_x0 >= g0 for g0, g1 in gaps):
            continue
        offset = br.offset - (len(run.text) - len(rest.text))
        left = rest.text[:offset].rstrip()
        right = rest.text[offset:]
        pieces.append(replace(rest, text=left, x1=br.left_x1, space_after=False, breaks=()))
        rest = replace(rest, text=right, x0=br.right_x0, x_second=br.right_x_second, breaks=())
    pieces.append(rest)
    return [p for p in pieces if p.text]


__all__ = ["aligned_tables", "cut_runs", "spaced_tables"]
