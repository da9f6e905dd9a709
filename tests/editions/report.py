"""Whole-report editions: the records of a `Report` typeset back into a complete report PDF.

    report_edition(report, out_pdf, *, producer="chromium", paper="B5", font="IPAexGothic",
                   extra_case=None, edits=None, html_out=None, docx_out=None) -> out_pdf

What is printed, in the order of `report.outline`:
- a cover page (programme, title, 成果報告書, issue date, publisher from `report.meta`);
- every heading with its printed number derived from `OutlineSection.path`: level 1 "3" →
  「第3章. ヒアリング調査」 (on a new page), level 2 "3.3" → 「3. ヒアリング調査結果のまとめ」,
  level 3 "3.3.(1)" → 「(1) 社員法人数」;
- every paragraph with its text exactly as stored: text (justified, first line indented), bullet
  (hanging glyph as stored in the text; ➢ ➤ ▶ ► are indented one more level), bracket
  (【…】 heading line) and note (※…, smaller);
- every captioned table, caption line 「図表 3-1 ヒアリング対象先一覧」 right before it, at the end
  of the last outline section that starts on or before the table's first page (after the
  paragraphs that start on or before that page). Rows come from `ReportTable.rows`; a cell's
  "\\n" is a line break. Header rows (the leading rows whose first cell repeats row 0's) merge
  repeated neighbours: across columns (colspan) and down rows (rowspan); below the header, runs
  of equal values in the first column (図表3-1's 分類, 図表4-2's STEP) become one merged cell —
  the extractor repeats a merged cell into every row it spans, so the records are unchanged;
- the case tables (the colleague's case-table helpers of chromium.py / libreoffice.py), each
  category's cases right after the outline heading titled with that category
  (「(1) 緊密な連携」, 「(2) 緩やかな連携」 under 「2. 各事例のヒアリング調査結果」);
- a running header and a page-number footer on every page (Chromium: 「株式会社 NTT データ経営研究所」
  right, "N"; LibreOffice: 「令和7年度 老人保健健康増進等事業 成果報告書」 left, "- N -").

producer   "chromium" (HTML printed by /usr/bin/chromium through Playwright; margins 20/14/18/17
           mm) or "libreoffice" (.docx by python-docx converted by headless soffice; margins
           24/19/22/22 mm; converted via .odt with hanging punctuation off, because LibreOffice
           7.4 drops a hanging 。/、 at the end of a justified line from the PDF — see
           _docx_to_pdf_no_hanging). Body text is justified in both, as in the report.
paper      a name of PAPER_MM or (width_mm, height_mm); font a fontconfig family.
extra_case a further case, printed after the last case of its category (its number and name are
           the caller's business). It also gets a row 「事例N | name」 in 図表3-1 after the last row
           of its category, so the edition stays consistent with itself.
edits      {old: new} substring replacements in paragraph texts, e.g.
           {"29件をヒアリング対象": "30件をヒアリング対象"}; an edit that matches nothing raises
           ValueError (a typo would otherwise test nothing).

Deterministic apart from the PDFs' creation dates. `report_document` gives the block list both
producers typeset, for inspection.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from casebook.vocabulary import CATEGORIES
from transform.records import Case, Report, ReportTable
from transform.text import compact

from ._common import REPORT_HEADER, TABLE_HEADER, Paper, case_title, paper_mm
from .chromium import CSS as CASE_CSS
from .chromium import NUMBER_OFFSET as CHROMIUM_NUMBER_OFFSET
from .chromium import _row as chromium_case_row
from .chromium import print_pdf
from .libreoffice import BODY_PT, HANG_CM, HEADER_FILL, LABEL_FILL, NOTE_PT, STEP_CM, convert, docx_to_pdf
from .libreoffice import MARGINS_MM as LIBREOFFICE_MARGINS_MM
from .libreoffice import NUMBER_OFFSET as LIBREOFFICE_NUMBER_OFFSET
from .libreoffice import _fill_row as docx_case_row
from .libreoffice import _fixed_table as docx_fixed_table
from .libreoffice import _heading as docx_heading
from .libreoffice import _page_setup as docx_page_setup
from .libreoffice import _setup_styles as docx_setup_styles
from .libreoffice import _shade as docx_shade

PRODUCERS = ("chromium", "libreoffice")
SECOND_LEVEL_GLYPHS = "➢➤▶►▷"
_CASE_NO_CELL = re.compile(r"^事例\s*\d+$")


# ---------------------------------------------------------------------------------------------
# The document: producer-independent blocks in reading order


@dataclass
class Cover:
    lines: list[tuple[str, float]]  # (text, size in pt)


@dataclass
class Heading:
    level: int  # 1 第N章, 2 N., 3 (N)
    text: str  # as printed, number included


@dataclass
class Para:
    kind: str  # "text" | "bullet" | "bracket" | "note"
    text: str


@dataclass
class Span:
    """A table cell as printed: its text and how many grid rows/columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    caption: str
    header_rows: int
    ncols: int
    # Per grid row, the cells that start in it as (column, Span); covered slots are absent.
    rows: list[list[tuple[int, Span]]] = field(default_factory=list)


@dataclass
class CaseTable:
    case: Case


Block = Cover | Heading | Para | Table | CaseTable


def heading_text(path: str, level: int, title: str) -> str:
    """The printed heading: 「第3章. title」, 「3. title」, 「(1) title」 from the path's last part."""
    last = path.split(".")[-1] if level > 1 else path
    if level == 1:
        return f"第{last}章. {title}"
    if level == 2:
        return f"{last}. {title}"
    number = last.strip("()（）")
    return f"({number}) {title}"


def caption_text(table: ReportTable) -> str:
    return f"図表 {table.number} {table.title}"


def merged_cells(rows: list[list[str]]) -> tuple[int, int, list[list[tuple[int, Span]]]]:
    """(header_rows, ncols, rows of (column, Span)) with repeated values merged (see module doc)."""
    ncols = max((len(r) for r in rows), default=0)
    grid = [list(r) + [""] * (ncols - len(r)) for r in rows]
    n = len(grid)
    header = 1
    while header < n and grid[header][0] == grid[0][0]:
        header += 1
    covered = [[False] * ncols for _ in range(n)]
    out: list[list[tuple[int, Span]]] = [[] for _ in range(n)]
    for r in range(n):
        for c in range(ncols):
            if covered[r][c]:
                continue
            value = grid[r][c]
            colspan = 1
            if r < header and value:
                while c + colspan < ncols and grid[r][c + colspan] == value and not covered[r][c + colspan]:
                    colspan += 1
            rowspan = 1
            if value and (r < header or c == 0):
                limit = header if r < header else n
                while r + rowspan < limit and all(
                    grid[r + rowspan][c + k] == value and not covered[r + rowspan][c + k]
                    for k in range(colspan)
                ):
                    rowspan += 1
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    covered[rr][cc] = True
            out[r].append((c, Span(value, rowspan, colspan)))
    return header, ncols, out


def _with_extra_case(report: Report, extra: Case | None) -> tuple[list[Case], list[ReportTable]]:
    cases = list(report.cases)
    tables = [copy.deepcopy(t) for t in report.tables]
    if extra is None:
        return cases, tables
    at = max((i for i, c in enumerate(cases) if c.category == extra.category), default=len(cases) - 1)
    cases.insert(at + 1, extra)
    for table in tables:
        if table.number != "3-1":
            continue
        rows = table.rows
        hits = [
            i for i, row in enumerate(rows)
            if len(row) >= 3 and extra.category in compact(row[0]) and _CASE_NO_CELL.match(compact(row[1]))
        ]
        if hits:
            last = rows[hits[-1]]
            rows.insert(hits[-1] + 1, [last[0], f"事例{extra.no}", extra.name, *[""] * (len(last) - 3)])
    return cases, tables


def _edited(text: str, edits: dict[str, str], used: set[str]) -> str:
    for old, new in edits.items():
        if old in text:
            used.add(old)
            text = text.replace(old, new)
    return text


def report_document(
    report: Report, *, extra_case: Case | None = None, edits: dict[str, str] | None = None
) -> list[Block]:
    """The blocks of the whole report in reading order (both producers print these)."""
    edits = edits or {}
    used: set[str] = set()
    cases, tables = _with_extra_case(report, extra_case)
    meta = report.meta
    cover = [
        (meta.programme or "", 12.0),
        (meta.title or "", 16.0),
        ("成果報告書", 16.0),
        (meta.issued or "", 12.0),
        (meta.publisher or "", 12.0),
    ]
    blocks: list[Block] = [Cover([(t, s) for t, s in cover if t])]

    # Each table goes into the last section starting on or before its first page.
    placed: dict[int, list[ReportTable]] = {}
    for table in tables:
        first = min(table.pages) if table.pages else 0
        at = max((i for i, s in enumerate(report.outline) if s.page <= first), default=0)
        placed.setdefault(at, []).append(table)

    by_category: dict[str, list[Case]] = {}
    for case in cases:
        by_category.setdefault(case.category, []).append(case)
    printed: set[str] = set()

    for i, section in enumerate(report.outline):
        blocks.append(Heading(section.level, heading_text(section.path, section.level, section.title)))
        pending = list(placed.get(i, []))
        for para in section.paragraphs:
            start = min(para.pages) if para.pages else 0
            while pending and min(pending[0].pages or [0]) < start:
                blocks.append(_table_block(pending.pop(0)))
            blocks.append(Para(para.kind, _edited(para.text, edits, used)))
        blocks.extend(_table_block(t) for t in pending)
        category = compact(section.title)
        if category in by_category and category not in printed and section.level > 1:
            printed.add(category)
            blocks.extend(CaseTable(c) for c in by_category[category])
    missing = [c for c in by_category if c not in printed]
    if missing:
        raise ValueError(f"no outline heading titled {missing} to print those cases under")
    unused = set(edits) - used
    if unused:
        raise ValueError(f"edits match no paragraph: {sorted(unused)}")
    return blocks


def _table_block(table: ReportTable) -> Table:
    header, ncols, rows = merged_cells(table.rows)
    return Table(caption_text(table), header, ncols, rows)


def _bullet_parts(text: str) -> tuple[str, str, int]:
    """(glyph, rest, level) of a bullet paragraph's stored text."""
    glyph, rest = text[:1], text[1:].lstrip()
    return glyph, rest, 2 if glyph in SECOND_LEVEL_GLYPHS else 1


# ---------------------------------------------------------------------------------------------
# Chromium

REPORT_CSS = """
@page {{ size: {w}mm {h}mm; }}
.cover {{ break-after: page; text-align: center; padding-top: 40mm; }}
.cover p {{ margin: 0 0 8mm; }}
h1.ch {{ break-before: page; font-size: 15pt; margin: 0 0 5mm; }}
h2.se {{ font-size: 12.5pt; font-weight: bold; margin: 6mm 0 3mm; break-after: avoid; }}
h3.ss {{ font-size: 11pt; font-weight: bold; margin: 4mm 0 2mm; break-after: avoid; }}
p.t {{ margin: 0 0 2.5mm; text-indent: 1em; text-align: justify; }}
div.b {{ margin: 0 0 0.6mm; text-align: justify; }}
p.br {{ margin: 2mm 0 0.8mm; break-after: avoid; }}
p.nt {{ margin: 0 0 0.8mm; font-size: 8.5pt; }}
p.cap {{ text-align: center; margin: 4mm 0 1.5mm; font-size: 9pt; break-after: avoid; }}
table.fig {{ margin-bottom: 4mm; table-layout: auto; }}
table.fig th, table.fig td {{ font-size: 8.5pt; line-height: 1.45; padding: 1mm 1.4mm; }}
table.fig td {{ text-align: left; }}
table.fig tr {{ break-inside: avoid; }}
table.case {{ margin-bottom: 3mm; }}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _cell_html(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def _table_html(table: Table) -> str:
    def row_html(cells: list[tuple[int, Span]], tag: str) -> str:
        out = []
        for _c, span in cells:
            attrs = (f" rowspan='{span.rowspan}'" if span.rowspan > 1 else "") + (
                f" colspan='{span.colspan}'" if span.colspan > 1 else ""
            )
            out.append(f"<{tag}{attrs}>{_cell_html(span.text)}</{tag}>")
        return "<tr>" + "".join(out) + "</tr>"

    head = "".join(row_html(r, "th") for r in table.rows[: table.header_rows])
    body = "".join(row_html(r, "td") for r in table.rows[table.header_rows :])
    return (
        f"<p class='cap'>{_e(table.caption)}</p>"
        f"<table class='fig'><thead>{head}</thead><tbody>{body}</tbody></table>"
    )


def _case_html(case: Case) -> str:
    markers = ("・", "▶", "・")
    header_row = "<tr>" + "".join(f"<th>{_e(c)}</th>" for c in TABLE_HEADER) + "</tr>"
    rows = "".join(chromium_case_row(step, markers, True) for step in case.steps)
    return (
        f"<h3>{_e(case_title(case, CHROMIUM_NUMBER_OFFSET))}</h3>"
        f"<table class='case'><colgroup><col style='width:22%'><col></colgroup>"
        f"<thead>{header_row}</thead><tbody>{rows}</tbody></table>"
    )


def build_report_html(blocks: list[Block], *, paper: Paper = "B5", font: str = "IPAexGothic") -> str:
    """The whole report as one HTML document."""
    w, h = paper_mm(paper)
    css = CASE_CSS.format(font=font, bw="bold", i1=1.2, i2=2.4, w2=1.2, i3=3.6, w3=1.2)
    css += REPORT_CSS.format(w=w, h=h)
    body: list[str] = []
    title = ""
    for block in blocks:
        if isinstance(block, Cover):
            title = next((t for t, s in block.lines if s >= 16), "")
            body.append(
                "<div class='cover'>"
                + "".join(f"<p style='font-size:{s}pt'>{_e(t)}</p>" for t, s in block.lines)
                + "</div>"
            )
        elif isinstance(block, Heading):
            tag, cls = {1: ("h1", "ch"), 2: ("h2", "se")}.get(block.level, ("h3", "ss"))
            body.append(f"<{tag} class='{cls}'>{_e(block.text)}</{tag}>")
        elif isinstance(block, Para):
            if block.kind == "bullet":
                glyph, rest, level = _bullet_parts(block.text)
                body.append(
                    f"<div class='it b l{level}'><span class='m'>{_e(glyph)}</span>{_e(rest)}</div>"
                )
            else:
                cls = {"text": "t", "bracket": "br", "note": "nt"}[block.kind]
                body.append(f"<p class='{cls}'>{_e(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_table_html(block))
        else:
            body.append(_case_html(block.case))
    return (
        f"<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


# ---------------------------------------------------------------------------------------------
# LibreOffice


def _docx_text_width_cm(paper: Paper) -> float:
    w, _ = paper_mm(paper)
    return (w - LIBREOFFICE_MARGINS_MM[1] - LIBREOFFICE_MARGINS_MM[3]) / 10 - 0.05


def _docx_column_widths(table: Table, total_cm: float) -> list[float]:
    """Columns as wide as their longest line (within limits), scaled to the text width."""
    longest = [2] * table.ncols
    for row in table.rows[table.header_rows :]:
        for c, span in row:
            if span.colspan == 1:
                width = max((len(line) for line in span.text.split("\n")), default=0)
                longest[c] = max(longest[c], width)
    weights = [min(max(n, 6), 30) for n in longest]
    return [total_cm * wgt / sum(weights) for wgt in weights]


def _docx_table(doc, table: Table, text_cm: float, bold: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.space_before = Pt(8)
    cap.paragraph_format.space_after = Pt(3)
    cap.paragraph_format.keep_with_next = True
    cap.add_run(table.caption).font.size = Pt(9)

    grid = docx_fixed_table(doc, len(table.rows), _docx_column_widths(table, text_cm))
    for r, cells in enumerate(table.rows):
        for c, span in cells:
            cell = grid.cell(r, c)
            if span.rowspan > 1 or span.colspan > 1:
                cell = cell.merge(grid.cell(r + span.rowspan - 1, c + span.colspan - 1))
            header = r < table.header_rows
            if header:
                docx_shade(cell, HEADER_FILL)
            elif c == 0:
                docx_shade(cell, LABEL_FILL)
            for k, line in enumerate(span.text.split("\n")):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                if header:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    p.paragraph_format.keep_with_next = True  # the header stays with row 1
                run = p.add_run(line)
                run.font.size = Pt(8.5)
                run.bold = bold and header
    for row in grid.rows:  # keep rows whole, as in the report's captioned tables
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _docx_case(doc, case: Case, text_cm: float, label_cm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    docx_heading(doc, case_title(case, LIBREOFFICE_NUMBER_OFFSET), 10.5, True, 10)
    table = docx_fixed_table(doc, 1 + len(case.steps), [label_cm, text_cm - label_cm])
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.add_run(text).bold = True
        docx_shade(cell, HEADER_FILL)
    for row, step in zip(table.rows[1:], case.steps, strict=True):
        docx_case_row(row, step, ("•", "➤", "・"), True)


def build_report_docx(
    blocks: list[Block], out_docx: Path, *, paper: Paper = "Letter", font: str = "IPAexGothic"
) -> Path:
    """Write the whole report as .docx (what the libreoffice producer converts)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    docx_setup_styles(doc, font)
    docx_page_setup(doc, paper, REPORT_HEADER)
    text_cm = _docx_text_width_cm(paper)
    for block in blocks:
        if isinstance(block, Cover):
            for k, (text, size) in enumerate(block.lines):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_before = Pt(120 if k == 0 else 0)
                p.paragraph_format.space_after = Pt(24)
                p.add_run(text).font.size = Pt(size)
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Heading):
            size, before = {1: (15, 0), 2: (12.5, 12)}.get(block.level, (11, 8))
            docx_heading(doc, block.text, size, True, before)
            if block.level == 1:
                doc.paragraphs[-1].paragraph_format.page_break_before = True
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            pf = p.paragraph_format
            if block.kind == "bullet":
                glyph, rest, level = _bullet_parts(block.text)
                indent = Cm(HANG_CM + STEP_CM * level)
                pf.left_indent = indent
                pf.first_line_indent = -Cm(HANG_CM)
                pf.tab_stops.add_tab_stop(indent)
                pf.space_after = Pt(1)
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                p.add_run(f"{glyph}\t{rest}")
            elif block.kind == "text":
                pf.first_line_indent = Pt(BODY_PT)
                pf.space_after = Pt(5)
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                p.add_run(block.text)
            elif block.kind == "bracket":
                pf.space_before = Pt(4)
                pf.keep_with_next = True
                p.add_run(block.text)
            else:
                pf.space_after = Pt(2)
                p.add_run(block.text).font.size = Pt(NOTE_PT)
        elif isinstance(block, Table):
            _docx_table(doc, block, text_cm, True)
            doc.add_paragraph().paragraph_format.space_after = Pt(2)
        else:
            _docx_case(doc, block.case, text_cm, 3.0)
    out_docx = Path(out_docx)
    out_docx.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out_docx))
    return out_docx


# ---------------------------------------------------------------------------------------------


def report_edition(
    report: Report,
    out_pdf: Path,
    *,
    producer: str = "chromium",
    paper: Paper = "B5",
    font: str = "IPAexGothic",
    extra_case: Case | None = None,
    edits: dict[str, str] | None = None,
    html_out: Path | None = None,
    docx_out: Path | None = None,
) -> Path:
    """Typeset the whole report from its records and print it to `out_pdf` (see module doc)."""
    if producer not in PRODUCERS:
        raise ValueError(f"unknown producer {producer!r}; use one of {PRODUCERS}")
    if extra_case is not None and extra_case.category not in CATEGORIES:
        raise ValueError(f"extra_case.category {extra_case.category!r} is not one of {CATEGORIES}")
    blocks = report_document(report, extra_case=extra_case, edits=edits)
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    if producer == "chromium":
        doc = build_report_html(blocks, paper=paper, font=font)
        if html_out is not None:
            Path(html_out).write_text(doc, encoding="utf-8")
        return print_pdf(doc, out_pdf, paper=paper, font=font)
    with tempfile.TemporaryDirectory(prefix="casebook-report-docx-") as tmp:
        target = Path(docx_out) if docx_out is not None else Path(tmp) / (out_pdf.stem + ".docx")
        build_report_docx(blocks, target, paper=paper, font=font)
        return _docx_to_pdf_no_hanging(target, out_pdf)


def _docx_to_pdf_no_hanging(docx_path: Path, out_pdf: Path, *, timeout: float = 180) -> Path:
    """docx → odt (soffice) → hanging punctuation off → pdf (soffice).

    LibreOffice 7.4 imports every .docx paragraph with hanging punctuation on (it ignores
    w:overflowPunct), and in a justified line it then drops a 。 or 、 that would hang into the
    margin from the PDF altogether: 「分類した。協働化」 prints as 「分類した協働化」. A producer bug,
    not a layout, so the edition turns the option off (punctuation-wrap="simple": the character
    is pushed into the line, as the report does) before printing."""
    work = Path(tempfile.mkdtemp(prefix="casebook-odt-"))
    try:
        odt = convert(docx_path, "odt", work / f"{Path(docx_path).stem}.odt", timeout=timeout)
        patched = work / "patched" / odt.name
        patched.parent.mkdir()
        with zipfile.ZipFile(odt) as zin, zipfile.ZipFile(patched, "w") as zout:
            for info in zin.infolist():  # same order and compression: mimetype stays first, stored
                data = zin.read(info.filename)
                if info.filename in ("content.xml", "styles.xml"):
                    data = data.replace(b'style:punctuation-wrap="hanging"', b'style:punctuation-wrap="simple"')
                zout.writestr(info, data)
        return docx_to_pdf(patched, out_pdf, timeout=timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
