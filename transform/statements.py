"""Outline, captioned tables and Chapter 4 citations: raw extraction values → records."""

from __future__ import annotations

import re

from extract.cells import ITEM_GLYPHS
from extract.report import OutlineNode, RawParagraph
from extract.tables import LINE_BREAK, RawTable
from transform.records import Citation, OutlineSection, Paragraph, ReportTable
from transform.text import clean, clean_lines

CITATION_MARK = "【参考となる事例】"
_POINT = re.compile(r"^(?:[①-⑳]|\d+\))")


def build_outline(nodes: list[OutlineNode], *, kept_wrap_spaces: bool = False) -> list[OutlineSection]:
    """Give every heading a path (3, 3.3, 3.3.(1)) and clean its paragraphs (`kept_wrap_spaces`:
    see transform.text.join_lines)."""
    counters: list[str] = []
    out = []
    for node in nodes:
        number = node.number if node.level < 3 else f"({node.number})"
        counters = [*counters[: node.level - 1], number]
        out.append(
            OutlineSection(
                path=".".join(counters),
                level=node.level,
                title=clean(node.title),
                page=node.line.run.page,
                paragraphs=[_paragraph(p, kept_wrap_spaces) for p in node.paragraphs],
            )
        )
    return out


def _paragraph(p: RawParagraph, kept_wrap_spaces: bool) -> Paragraph:
    text = clean_lines([ln.run.line_text for ln in p.lines], kept_wrap_spaces=kept_wrap_spaces,
                       full=[ln.full for ln in p.lines])
    return Paragraph(p.kind, text, p.pages)


def build_table(raw: RawTable, *, kept_wrap_spaces: bool = False) -> ReportTable:
    """Clean a captioned table's cells; lines inside a cell join as wrapped text."""
    rows = [[_cell_text(cell, kept_wrap_spaces) for cell in row] for row in raw.rows]
    row_pages = [_row_page(row, raw.pages) for row in raw.rows]
    return ReportTable(raw.number, clean(raw.title), raw.pages, rows, row_pages)


def _row_page(row: list[list], pages: list[int]) -> int:
    """The page a row is printed on: the last page any of its cells' text is on (a merged cell
    repeats the text of the row above, which may sit on the page before)."""
    return max((piece.page for cell in row for piece in cell if piece.text != LINE_BREAK),
               default=pages[0] if pages else 0)


def _cell_text(pieces: list, kept_wrap_spaces: bool) -> str:
    """Wrapped lines join; lines that ended short stay separate lines."""
    lines: list[list[str]] = [[]]
    for piece in pieces:
        if piece.text == LINE_BREAK:
            lines.append([])
        else:
            lines[-1].append(piece.text)
    return "\n".join(clean_lines(group, kept_wrap_spaces=kept_wrap_spaces) for group in lines if group)


def find_citations(outline: list[OutlineSection]) -> list[Citation]:
    """Every bullet after a 【参考となる事例】 marker, up to the next non-bullet paragraph."""
    found: list[Citation] = []
    for section in outline:
        active = False
        point: str | None = None
        for para in section.paragraphs:
            if para.kind == "bracket":
                active = para.text.replace(" ", "") == CITATION_MARK
                continue
            if para.kind == "bullet" and active:
                found.append(parse_citation(para, section, point))
                continue
            active = False
            if para.kind == "text" and _POINT.match(para.text):
                point = para.text
    return found


def parse_citation(para: Paragraph, section: OutlineSection, point: str | None) -> Citation:
    """Split 「quote(組織名【地域】)」 into its parts; tolerate a missing 】 or closing bracket."""
    text = para.text.lstrip(ITEM_GLYPHS + " ")
    open_at = max(text.rfind("("), text.rfind("（"))
    region_at = text.rfind("【")
    if region_at > 0:
        open_at = max(text.rfind("(", 0, region_at), text.rfind("（", 0, region_at))
    if open_at < 0:
        return Citation(text, "", None, para.text, para.pages, section.path, section.title, point, False)
    quote = text[:open_at].strip()
    credit = text[open_at + 1 :].strip()
    closed = credit.endswith((")", "）"))
    credit = credit.rstrip(")） ")
    region = None
    if "【" in credit:
        organisation, _, rest = credit.partition("【")
        closed = closed and "】" in rest
        region = rest.split("】", 1)[0].strip()
    else:
        organisation = credit
    return Citation(
        quote, organisation.strip(), region, para.text, para.pages, section.path,
        section.title, point, closed,
    )
