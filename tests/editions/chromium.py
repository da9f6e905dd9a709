"""The Chromium edition: HTML printed by Debian's chromium through Playwright."""

from __future__ import annotations

import html
from pathlib import Path

from transform.records import Case, Item, Step

from ._common import (
    CHAPTER_HEADING,
    EPILOGUE_BULLETS,
    EPILOGUE_HEADING,
    EPILOGUE_TEXT,
    ORG_HEADER,
    PREFACE_HEADING,
    PREFACE_TABLE,
    PREFACE_TEXT,
    TABLE_HEADER,
    Paper,
    case_title,
    kangxify,
    paper_mm,
    with_category_headings,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# (top, right, bottom, left) page margins in mm; header/footer templates live in top/bottom.
MARGINS_MM = (20.0, 14.0, 18.0, 17.0)
NUMBER_OFFSET = 0  # case_title style cycle: no%3 == 0 → "事例 3", 1 → "事例1", 2 → "事例２"

CSS = """
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: '{font}'; font-size: 9.5pt; line-height: 1.6; color: #000; }}
h1 {{ font-size: 13pt; font-weight: {bw}; margin: 6mm 0 3mm; break-after: avoid; }}
h2 {{ font-size: 11pt; font-weight: {bw}; margin: 4mm 0 2mm; break-after: avoid; }}
h3 {{ font-size: 10.5pt; font-weight: {bw}; margin: 5mm 0 2mm; break-after: avoid; }}
p.body {{ margin: 0 0 2mm; text-indent: 1em; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
th, td {{ border: 0.5pt solid #000; vertical-align: top; padding: 1.2mm 1.8mm; }}
th {{ background: #dbe5f1; font-weight: {bw}; text-align: center; }}
td.label {{ background: #eef3f9; }}
tr {{ break-inside: auto; }}
.sh {{ font-weight: {bw}; margin: 1.2mm 0 0; }}
.sh:first-child {{ margin-top: 0; }}
.it {{ margin: 0; }}
.it > .m {{ display: inline-block; text-indent: 0; }}
.l1 {{ padding-left: {i1}em; }} .l1 > .m {{ width: {i1}em; margin-left: -{i1}em; }}
.l2 {{ padding-left: {i2}em; }} .l2 > .m {{ width: {w2}em; margin-left: -{w2}em; }}
.l3 {{ padding-left: {i3}em; }} .l3 > .m {{ width: {w3}em; margin-left: -{w3}em; }}
.note {{ margin: 0.8mm 0 0; font-size: 8.5pt; }}
.epi {{ margin: 0; }}
"""

# The "open" table style (booktabs look): no vertical borders and no shading, only a thin rule
# above every row and one closing the table. Extraction has no vertical rulings to go by.
OPEN_CSS = """
th, td {{ border: none; border-top: 0.4pt solid #000; background: none; }}
td.label {{ background: none; }}
table {{ border-bottom: 0.4pt solid #000; }}
"""
# "shaded": no borders at all; cell backgrounds (label column and header in one colour, content
# cells light grey) with a 2pt gap between rows, so the structure is in the fills' edges.
SHADED_CSS = """
th, td {{ border: none; }}
table {{ border: none; border-collapse: separate; border-spacing: 0 2pt; }}
td {{ background: #f2f2f2; }}
td.label, th {{ background: #d9e2f3; }}
"""
# "none": no borders and no fills; the columns are apart by white space only, the rows by padding.
NONE_CSS = """
th, td {{ border: none; background: none; padding-bottom: 6pt; }}
td.label {{ background: none; }}
table {{ border: none; }}
"""
TABLE_CSS = {"grid": "", "open": OPEN_CSS, "shaded": SHADED_CSS, "none": NONE_CSS}
TABLE_STYLES = tuple(TABLE_CSS)

HEADER = (
    "<div style=\"width:100%; font-family:'{font}'; font-size:8pt; color:#444;"
    ' text-align:right; padding:0 {right}mm 0 {left}mm;">{text}</div>'
)
FOOTER = (
    "<div style=\"width:100%; font-family:'{font}'; font-size:9pt; text-align:center;\">"
    '<span class="pageNumber"></span></div>'
)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _items(items: list[Item], level: int, markers: tuple[str, str, str], kangxi: bool) -> str:
    out = []
    for item in items:
        text = kangxify(item.text) if kangxi else item.text
        marker = markers[min(level, 3) - 1]
        out.append(f'<div class="it l{min(level, 3)}"><span class="m">{_e(marker)}</span>{_e(text)}</div>')
        out.append(_items(item.children, level + 1, markers, kangxi))
    return "".join(out)


def _row(step: Step, markers: tuple[str, str, str], kangxi: bool) -> str:
    cell = []
    for section in step.sections:
        if section.heading is not None:
            cell.append(f'<div class="sh">{_e(section.heading)}</div>')
        cell.append(_items(section.items, 1, markers, kangxi))
    cell.extend(f'<div class="note">{_e(n)}</div>' for n in step.notes)
    return f'<tr><td class="label">{_e(step.label)}</td><td>{"".join(cell)}</td></tr>'


def build_html(
    cases: list[Case],
    *,
    font: str = "IPAexGothic",
    label_col: str = "22%",
    kangxi: bool = True,
    bold: bool = True,
    markers: tuple[str, str, str] = ("・", "▶", "・"),
    repeat_header: bool = True,
    preface: bool = True,
    epilogue: bool = True,
    table_style: str = "grid",
    extra_css: str = "",
) -> str:
    """The whole document as one HTML string (see chromium_edition for the knobs)."""
    # Indents in em: level 1 hangs after a one-em marker; deeper levels indent by one more em.
    css = CSS.format(font=font, bw="bold" if bold else "normal", i1=1.2, i2=2.4, w2=1.2, i3=3.6, w3=1.2)
    if table_style not in TABLE_STYLES:
        raise ValueError(f"unknown table_style {table_style!r}; use one of {TABLE_STYLES}")
    css += TABLE_CSS[table_style].format() + extra_css
    body: list[str] = []
    if preface:
        body.append(f"<h1>{_e(PREFACE_HEADING)}</h1><p class='body'>{_e(PREFACE_TEXT)}</p>")
        head, *rows = PREFACE_TABLE
        body.append(
            "<table><colgroup><col style='width:24%'><col style='width:16%'><col></colgroup>"
            + "<tr>"
            + "".join(f"<th>{_e(c)}</th>" for c in head)
            + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
            + "</table>"
        )
    body.append(f"<h1>{_e(CHAPTER_HEADING)}</h1>")
    header_row = "<tr>" + "".join(f"<th>{_e(c)}</th>" for c in TABLE_HEADER) + "</tr>"
    for category_heading, case in with_category_headings(cases):
        if category_heading:
            body.append(f"<h2>{_e(category_heading)}</h2>")
        body.append(f"<h3>{_e(case_title(case, NUMBER_OFFSET))}</h3>")
        rows = "".join(_row(step, markers, kangxi) for step in case.steps)
        head = f"<thead>{header_row}</thead><tbody>" if repeat_header else f"<tbody>{header_row}"
        body.append(
            f"<table class='case'><colgroup><col style='width:{label_col}'><col></colgroup>"
            f"{head}{rows}</tbody></table>"
        )
    if epilogue:
        body.append(f"<h1>{_e(EPILOGUE_HEADING)}</h1><p class='body'>{_e(EPILOGUE_TEXT)}</p>")
        for text, level in EPILOGUE_BULLETS:
            m = markers[level]
            body.append(f'<div class="epi it l{level + 1}"><span class="m">{m}</span>{_e(text)}</div>')
    return (
        f"<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><style>{css}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def chromium_edition(
    cases: list[Case],
    out_pdf: Path,
    *,
    paper: Paper = "B5",
    font: str = "IPAexGothic",
    label_col: str = "22%",
    kangxi: bool = True,
    bold: bool = True,
    markers: tuple[str, str, str] = ("・", "▶", "・"),
    repeat_header: bool = True,
    header_text: str = ORG_HEADER,
    preface: bool = True,
    epilogue: bool = True,
    table_style: str = "grid",
    extra_css: str = "",
    html_out: Path | None = None,
) -> Path:
    """Print `cases` to `out_pdf` with Chromium; returns out_pdf. See the package docstring."""
    doc = build_html(
        cases,
        font=font,
        label_col=label_col,
        kangxi=kangxi,
        bold=bold,
        markers=markers,
        repeat_header=repeat_header,
        preface=preface,
        epilogue=epilogue,
        table_style=table_style,
        extra_css=extra_css,
    )
    if html_out is not None:
        Path(html_out).write_text(doc, encoding="utf-8")
    return print_pdf(doc, out_pdf, paper=paper, font=font, header_text=header_text)


def print_pdf(
    doc: str,
    out_pdf: Path,
    *,
    paper: Paper,
    font: str,
    header_text: str = ORG_HEADER,
    margins_mm: tuple[float, float, float, float] = MARGINS_MM,
) -> Path:
    """Print an HTML document with Chromium, with the running header and page-number footer."""
    from playwright.sync_api import sync_playwright

    w, h = paper_mm(paper)
    top, right, bottom, left = margins_mm
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(doc, wait_until="load")
            page.evaluate("document.fonts.ready")
            page.pdf(
                path=str(out_pdf),
                width=f"{w}mm",
                height=f"{h}mm",
                margin={"top": f"{top}mm", "right": f"{right}mm", "bottom": f"{bottom}mm", "left": f"{left}mm"},
                print_background=True,
                display_header_footer=True,
                header_template=HEADER.format(font=font, text=_e(header_text), right=right, left=left),
                footer_template=FOOTER.format(font=font),
            )
        finally:
            browser.close()
    return out_pdf
