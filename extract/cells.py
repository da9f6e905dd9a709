"""Lines of one table cell → headings, items (nested by hanging indent) and notes.

Structure comes from glyphs and x-positions: a bullet glyph opens an item; a line starting where an
open item's text starts continues that item; a bullet whose glyph sits where an open item's text
starts is that item's child. A line at the cell's base indent with no glyph is a sub-heading. Font
weight is never needed. A cell may arrive in several fragments (a row broken across pages); each
fragment is measured against its own cell box because page margins may differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from extract.geometry import right_edge
from extract.layout import TextRun

# Bullets, including the code points CJK fonts share with ・ (· ‧ ∙ ⋅) as printed by browsers.
ITEM_GLYPHS = "・•●○◦▪■□◆◇▶▷►➤➢➣‣·‧∙⋅"
NOTE_PREFIXES = ("※", "(※", "（※", "＊", "*")


@dataclass
class Piece:
    """One visual line of a block's text, with its page (and the run it was read from, for the
    glyph ledger: extract/ledger.py)."""

    text: str
    page: int
    run: TextRun | None = field(default=None, repr=False, compare=False)
    full: bool = False  # the line reaches its cell's right edge (evidence for joining wraps)


@dataclass
class Block:
    """A heading, an item (with level and children) or a note, as raw wrapped lines."""

    kind: str  # "heading" | "item" | "note"
    pieces: list[Piece] = field(default_factory=list)
    level: int = 0
    glyph: str = ""
    children: list[Block] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({p.page for p in self.pieces})


@dataclass
class Fragment:
    """The runs of a cell on one page, with the cell's horizontal extent on that page."""

    x0: float
    x1: float
    runs: list[TextRun]


@dataclass
class _Open:
    glyph_x: float
    text_x: float
    block: Block


def parse_cell(fragments: list[Fragment], indent_em: float = 0.35) -> list[Block]:
    """Return the top-level blocks of a cell (items carry their children). Two lines start at
    the same indent when they differ by at most `indent_em` (× the text size, 1.5 pt at least)."""
    lines = [(f, r) for f in fragments for r in sorted(f.runs, key=lambda r: (r.top, r.x0))]
    if not lines:
        return []
    size = median(r.size for _, r in lines)
    tol = max(1.5, indent_em * size)
    base = min(r.x0 - f.x0 for f, r in lines)
    right = {id(f): right_edge([r.x1 for r in f.runs]) if f.runs else f.x1 for f in fragments}

    blocks: list[Block] = []
    stack: list[_Open] = []
    prev_full = False
    for frag, run in lines:
        rx = run.x0 - frag.x0
        full = run.x1 >= right[id(frag)] - 1.2 * run.size
        piece = Piece(run.line_text, run.page, run, full)
        if run.text[0] in ITEM_GLYPHS:
            _open_item(blocks, stack, run, rx, frag.x0, tol, full)
        elif (owner := _owner(stack, rx, tol)) is not None:
            # Checked before notes: a wrapped line may begin with 「(※)」 mid-sentence.
            del stack[stack.index(owner) + 1 :]
            owner.block.pieces.append(piece)
        elif run.text.startswith(NOTE_PREFIXES):
            stack.clear()
            blocks.append(Block("note", [piece]))
        elif blocks and blocks[-1].kind in ("heading", "note") and prev_full and not stack:
            blocks[-1].pieces.append(piece)
        elif abs(rx - base) <= tol or not blocks:
            stack.clear()
            blocks.append(Block("heading", [piece]))
        else:
            # An indent we cannot place: keep the text with the nearest open block, never drop it.
            target = stack[-1].block if stack else blocks[-1]
            target.pieces.append(piece)
        prev_full = full
    return blocks


def _open_item(
    blocks: list[Block], stack: list[_Open], run: TextRun, rx: float, x_origin: float, tol: float, full: bool
) -> None:
    while stack and stack[-1].glyph_x > rx + tol:
        stack.pop()
    if stack and abs(stack[-1].glyph_x - rx) <= tol:
        stack.pop()
    body = run.line_text[1:].lstrip()
    block = Block("item", [Piece(body, run.page, run, full)], level=len(stack) + 1, glyph=run.text[0])
    if stack:
        stack[-1].block.children.append(block)
    else:
        blocks.append(block)
    stack.append(_Open(rx, run.x_second - x_origin, block))


def _owner(stack: list[_Open], rx: float, tol: float) -> _Open | None:
    """The deepest open item whose text starts at this indent (a wrapped line of it)."""
    for entry in reversed(stack):
        if abs(entry.text_x - rx) <= tol:
            return entry
    return None
