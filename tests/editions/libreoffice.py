"""The LibreOffice edition: a .docx built with python-docx, converted by headless soffice."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from transform.records import Case, Item, Step

from ._common import (
    CHAPTER_HEADING,
    EPILOGUE_BULLETS,
    EPILOGUE_HEADING,
    EPILOGUE_TEXT,
    PREFACE_HEADING,
    PREFACE_TABLE,
    PREFACE_TEXT,
    REPORT_HEADER,
    TABLE_HEADER,
    Paper,
    case_title,
    paper_mm,
    with_category_headings,
)

SOFFICE = "/usr/bin/soffice"
MARGINS_MM = (24.0, 19.0, 22.0, 22.0)  # top, right, bottom, left
HEADER_FOOTER_DISTANCE_MM = 11.0
NUMBER_OFFSET = 1  # case_title style cycle: no%3 == 0 → "事例3", 1 → "事例１", 2 → "事例 2"
BODY_PT = 10.0
NOTE_PT = 9.0
HANG_CM = 0.45  # width reserved for a marker; wrapped lines align after it
STEP_CM = 0.45  # extra indent per nesting level
HEADER_FILL = "D9E2F3"
LABEL_FILL = "EDF2F9"


def _set_fonts(rpr, font: str) -> None:
    """Point every script slot of an rPr at `font` and drop the theme-font attributes."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), font)


def _setup_styles(doc: DocxDocument, font: str) -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, font)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "ja-JP")
    lang.set(qn("w:eastAsia"), "ja-JP")
    for style in styles.findall(qn("w:style")):
        style_rpr = style.find(qn("w:rPr"))
        if style_rpr is not None and style_rpr.find(qn("w:rFonts")) is not None:
            _set_fonts(style_rpr, font)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.15


def _page_setup(doc: DocxDocument, paper: Paper, header_text: str) -> None:
    w, h = paper_mm(paper)
    top, right, bottom, left = MARGINS_MM
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE if w > h else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(w), Mm(h)
    sec.top_margin, sec.right_margin = Mm(top), Mm(right)
    sec.bottom_margin, sec.left_margin = Mm(bottom), Mm(left)
    sec.header_distance = sec.footer_distance = Mm(HEADER_FOOTER_DISTANCE_MM)

    head = sec.header.paragraphs[0]
    head.text = header_text
    head.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for run in head.runs:
        run.font.size = Pt(8)

    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field_run = OxmlElement("w:r")
    field_text = OxmlElement("w:t")
    field_text.text = "1"
    field_run.append(field_text)
    field.append(field_run)
    foot._p.append(field)
    foot.add_run(" -")  # appended after the field


def _heading(doc: DocxDocument, text: str, size: float, bold: bool, before: float) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _fixed_table(doc: DocxDocument, rows: int, widths_cm: list[float]):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.append(margins)
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
        for cell in col.cells:
            cell.width = Cm(width)
    return table


def _cell_paragraph(cell: _Cell, first: list[bool]) -> Paragraph:
    """The cell's empty first paragraph the first time, a new one afterwards."""
    if first[0]:
        first[0] = False
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _item_paragraphs(
    cell: _Cell, items: list[Item], level: int, markers: tuple[str, str, str], first: list[bool]
) -> None:
    for item in items:
        p = _cell_paragraph(cell, first)
        indent = Cm(HANG_CM + STEP_CM * (min(level, 3) - 1))
        pf = p.paragraph_format
        pf.left_indent = indent
        pf.first_line_indent = -Cm(HANG_CM)
        pf.tab_stops.add_tab_stop(indent)
        p.add_run(f"{markers[min(level, 3) - 1]}\t{item.text}")
        _item_paragraphs(cell, item.children, level + 1, markers, first)


def _fill_row(row, step: Step, markers: tuple[str, str, str], bold: bool) -> None:
    label, body = row.cells
    label.paragraphs[0].add_run(step.label)
    _shade(label, LABEL_FILL)
    first = [True]
    for i, section in enumerate(step.sections):
        if section.heading is not None:
            p = _cell_paragraph(body, first)
            if i:
                p.paragraph_format.space_before = Pt(4)
            p.add_run(section.heading).bold = bold
        _item_paragraphs(body, section.items, 1, markers, first)
    for note in step.notes:
        p = _cell_paragraph(body, first)
        p.paragraph_format.space_before = Pt(2)
        p.add_run(note).font.size = Pt(NOTE_PT)


def build_docx(
    cases: list[Case],
    out_docx: Path,
    *,
    paper: Paper = "Letter",
    font: str = "IPAexGothic",
    label_col_cm: float = 3.2,
    bold: bool = True,
    markers: tuple[str, str, str] = ("•", "➤", "・"),
    repeat_header: bool = False,
    header_text: str = REPORT_HEADER,
    preface: bool = True,
    epilogue: bool = True,
) -> Path:
    """Write the .docx that libreoffice_edition converts (see there for the knobs)."""
    doc = Document()
    _setup_styles(doc, font)
    _page_setup(doc, paper, header_text)
    w, _ = paper_mm(paper)
    text_cm = (w - MARGINS_MM[1] - MARGINS_MM[3]) / 10 - 0.05

    if preface:
        _heading(doc, PREFACE_HEADING, 12.5, bold, 0)
        p = doc.add_paragraph(PREFACE_TEXT)
        p.paragraph_format.first_line_indent = Pt(BODY_PT)
        p.paragraph_format.space_after = Pt(6)
        table = _fixed_table(doc, len(PREFACE_TABLE), [4.0, 2.6, text_cm - 6.6])
        for row, values in zip(table.rows, PREFACE_TABLE, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.paragraphs[0].add_run(value)

    _heading(doc, CHAPTER_HEADING, 12.5, bold, 14)
    for category_heading, case in with_category_headings(cases):
        if category_heading:
            _heading(doc, category_heading, 11, bold, 6)
        _heading(doc, case_title(case, NUMBER_OFFSET), 10.5, bold, 10)
        table = _fixed_table(doc, 1 + len(case.steps), [label_col_cm, text_cm - label_col_cm])
        header = table.rows[0]
        if repeat_header:
            tr_pr = header._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, text in zip(header.cells, TABLE_HEADER, strict=True):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.keep_with_next = True
            p.add_run(text).bold = bold
            _shade(cell, HEADER_FILL)
        for row, step in zip(table.rows[1:], case.steps, strict=True):
            _fill_row(row, step, markers, bold)

    if epilogue:
        _heading(doc, EPILOGUE_HEADING, 12.5, bold, 14)
        doc.add_paragraph(EPILOGUE_TEXT).paragraph_format.first_line_indent = Pt(BODY_PT)
        for text, level in EPILOGUE_BULLETS:
            p = doc.add_paragraph()
            indent = Cm(HANG_CM + STEP_CM * level)
            p.paragraph_format.left_indent = indent
            p.paragraph_format.first_line_indent = -Cm(HANG_CM)
            p.paragraph_format.tab_stops.add_tab_stop(indent)
            p.add_run(f"{markers[level]}\t{text}")

    out_docx = Path(out_docx)
    out_docx.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out_docx))
    return out_docx


def convert(source: Path, fmt: str, out: Path, *, timeout: float = 180) -> Path:
    """Convert `source` to format `fmt` (pdf, odt) at `out` with headless soffice, in a private,
    throw-away user profile (parallel runs do not share one)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="casebook-lo-"))
    try:
        cmd = [
            SOFFICE, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", fmt, "--outdir", str(work / "out"), str(source),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        produced = work / "out" / f"{Path(source).stem}.{fmt}"
        if proc.returncode != 0 or not produced.exists():
            raise RuntimeError(
                f"soffice failed ({proc.returncode}): {proc.stdout.strip()} {proc.stderr.strip()}"
            )
        shutil.move(str(produced), out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def docx_to_pdf(docx_path: Path, out_pdf: Path, *, timeout: float = 180) -> Path:
    """Convert a .docx to PDF with headless soffice."""
    return convert(docx_path, "pdf", out_pdf, timeout=timeout)


def libreoffice_edition(
    cases: list[Case],
    out_pdf: Path,
    *,
    paper: Paper = "Letter",
    font: str = "IPAexGothic",
    label_col_cm: float = 3.2,
    bold: bool = True,
    markers: tuple[str, str, str] = ("•", "➤", "・"),
    repeat_header: bool = False,
    header_text: str = REPORT_HEADER,
    preface: bool = True,
    epilogue: bool = True,
    docx_out: Path | None = None,
) -> Path:
    """Typeset `cases` as .docx and print it with LibreOffice; returns out_pdf."""
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="casebook-docx-") as tmp:
        docx_path = build_docx(
            cases,
            Path(docx_out) if docx_out is not None else Path(tmp) / (out_pdf.stem + ".docx"),
            paper=paper,
            font=font,
            label_col_cm=label_col_cm,
            bold=bold,
            markers=markers,
            repeat_header=repeat_header,
            header_text=header_text,
            preface=preface,
            epilogue=epilogue,
        )
        return docx_to_pdf(docx_path, out_pdf)
